"""The counts behind the annual status judge each course against its score norm (cut-off,
reliable change). When central staff change a norm, the counts are recomputed in the
background, so the status follows the new values."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def score_norm_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return  # a new norm has no courses yet; fixtures load raw
    from .tasks import rebuild_counts

    transaction.on_commit(lambda: rebuild_counts.enqueue())
