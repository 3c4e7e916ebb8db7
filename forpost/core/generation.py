"""Rarely changed data kept in each process's memory, never stale.

The desk reads the same lists at every registration (channels, themes, actions, referral
sources, districts) and asks whether the year is closed. They change a few times a year, so
each process keeps them in memory, keyed by a *generation*: one row that every write of such
data, in the writer's transaction, replaces with a new random number (random, not counted
up: a rolled-back write's number never comes back, so a copy made inside it never matches
again). A copy is used only while the generation it was made for is the database's.

The generation is read once per request, as a subquery of the query that loads the user's
memberships (forpost.accounts.scoping.Access calls `note`); outside a request (a worker, a
command), or before that query, `current()` reads it itself. A write forgets the noted value.

Register what is watched in `WATCHED` (model labels); the writes are caught by the model
signals (post_save, post_delete, m2m_changed), so bulk writes of those models must call
`bump()` themselves.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models import Subquery

T = TypeVar("T")

WATCHED = {
    "registrations.channel",
    "registrations.theme",
    "registrations.action",
    "registrations.referralsource",
    "centres.district",
    "centres.closedyear",
}

_noted: ContextVar[int | None] = ContextVar("forpost_generation", default=None)
# Only a request has a beginning to note the generation at; a worker's or a command's thread
# lives long, so there `current()` reads it each time.
_in_request: ContextVar[bool] = ContextVar("forpost_generation_request", default=False)
_copies: dict[str, tuple[int, Any]] = {}
_lock = threading.Lock()


def expression() -> Subquery:
    """The generation as a subquery, to read it with another query (0 before the first write)."""
    from .models import Generation

    return Subquery(Generation.objects.filter(pk=1).values("value")[:1])


def note(value: int | None) -> None:
    """The generation as the request's first query read it (ignored outside a request)."""
    if _in_request.get():
        _noted.set(0 if value is None else int(value))


def forget(**_kwargs: Any) -> None:
    """A write: the generation must be read again."""
    _noted.set(None)


def _request_started(**_kwargs: Any) -> None:
    _in_request.set(True)
    _noted.set(None)


def _request_finished(**_kwargs: Any) -> None:
    _in_request.set(False)
    _noted.set(None)


def current() -> int:
    noted = _noted.get()
    if noted is not None:
        return noted
    from .models import Generation

    found = Generation.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(found or 0)


def bump() -> None:
    """A write of watched data, inside the writer's transaction."""
    from .models import Generation

    value = secrets.randbits(62) + 1
    if not Generation.objects.filter(pk=1).update(value=value):
        Generation.objects.update_or_create(pk=1, defaults={"value": value})
    forget()


def cached(key: str, load: Callable[[], T]) -> T:
    """`load()` as of the current generation: kept in this process while it is current."""
    generation = current()
    found = _copies.get(key)
    if found is not None and found[0] == generation:
        value: T = found[1]
        return value
    value = load()
    if current() == generation:
        with _lock:
            _copies[key] = (generation, value)
    return value


def clear() -> None:
    """Drop every copy (tests, whose rolled-back data the generation cannot tell apart)."""
    with _lock:
        _copies.clear()
    forget()


def _changed(sender: Any, **kwargs: Any) -> None:
    # Raw saves too (loaddata): a list loaded into a running system must reach every process.
    bump()


def _m2m_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        bump()


def connect() -> None:
    """Called once by the core app."""
    from django.apps import apps
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save

    request_started.connect(_request_started, dispatch_uid="generation-request-started")
    request_finished.connect(_request_finished, dispatch_uid="generation-request-finished")
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower not in WATCHED:
            continue
        uid = f"generation-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            through: Any = field.remote_field.through
            if model._meta.label_lower in WATCHED and through is not None and through._meta.auto_created:
                m2m_changed.connect(
                    _m2m_changed, sender=through, dispatch_uid=f"generation-{through._meta.label_lower}"
                )
