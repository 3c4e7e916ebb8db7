"""E-mail that Forpost sends on its own (reminders, invitations, answers to room requests).

Every message is multipart, a plain-text part and an HTML part, and is marked as sent by a
machine (RFC 3834 `Auto-Submitted: auto-generated`), so that mail servers and out-of-office
rules neither answer it nor loop on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

AUTOMATIC_HEADERS = {
    "Auto-Submitted": "auto-generated",  # RFC 3834
    "X-Auto-Response-Suppress": "All",  # Exchange and Outlook: no out-of-office replies
}


def send_automatic(
    subject: str,
    text: str,
    to: Sequence[str],
    *,
    html: str | None = None,
    from_email: str | None = None,
    fail_silently: bool = False,
) -> int:
    """Send `text` (and `html`, or the text laid out as HTML) as one multipart message."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=dict(AUTOMATIC_HEADERS),
    )
    if html is None:
        html = render_to_string(
            "core/email/text.html",
            {"subject": subject, "text": text, "lang": translation.get_language() or settings.LANGUAGE_CODE},
        )
    message.attach_alternative(html, "text/html")
    return message.send(fail_silently=fail_silently)
