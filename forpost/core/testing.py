"""Test helpers every app uses: the test password, today, and posting a form as its page would.

The named cast and the factories of centres and users are in forpost.centres.testing; the URL
walker's registry is in forpost.accounts.testing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

PASSWORD = "correct-horse-battery-staple"


def today() -> date:
    return timezone.localdate()


def post_form(client: Any, url: str, data: dict[str, Any]) -> Any:
    """Post `data` as the page at `url` would: with the one-time token or the version its
    form was rendered with (forpost.core.idempotency, forpost.core.locking)."""
    form = client.get(url).context["form"]
    hidden = {name: form[name].value() for name in ("submission_token", "version") if name in form.fields}
    return client.post(url, {**hidden, **data})
