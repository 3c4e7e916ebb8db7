"""`Idempotency-Key` for API creates: a retried POST returns the first result.

A client that lost the answer to a POST (a timeout, a dropped connection) sends it again with
the same key and gets the inquiry the first call made, not a second one. A key is the
client's (one per user: the stored token is a digest of user and key) and remembers a digest
of the body: the same key with another body is refused (422), as the IETF draft
"The Idempotency-Key HTTP Header Field" advises.

The keys live beside the desk's one-time form tokens (registrations.SubmissionToken; the
API has no models) and are purged with them (`manage.py retention`, after two days). The
claim is an INSERT into a unique column inside the create's transaction: a concurrent
retry waits for the first transaction (PostgreSQL's unique index; SQLite's write lock) and
then finds the key taken, or free again when the first create failed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
_PREFIX = "api:"


class KeyReused(Exception):
    """The key was used before with another body."""


class Taken(Exception):
    """The key was used before with this body; `obj` is what that call created (or None)."""

    def __init__(self, obj: models.Model | None) -> None:
        super().__init__("This request was already made.")
        self.obj = obj


def _model() -> Any:
    return apps.get_model("registrations", "SubmissionToken")


def key_of(request: HttpRequest) -> str | None:
    """The header's value, None when absent; ValueError when it is not a usable key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_LENGTH or not key.isprintable():
        raise ValueError(key)
    return key


def _token(user: Any, key: str) -> str:
    return hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()


def _purpose(body: Any) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return _PREFIX + digest[: 40 - len(_PREFIX)]


def _earlier(row: Any, purpose: str, model: type[models.Model]) -> Taken:
    if row.purpose != purpose:
        raise KeyReused
    found = model._default_manager.filter(pk=row.object_id).first() if row.object_id else None
    return Taken(found)


def check(*, user: Any, key: str, body: Any, model: type[models.Model]) -> None:
    """Raise Taken or KeyReused if the key was used already (before any work is done)."""
    row = _model().objects.filter(token=_token(user, key)).first()
    if row is not None:
        raise _earlier(row, _purpose(body), model)


def claim(*, user: Any, key: str, body: Any, model: type[models.Model]) -> Any:
    """Take the key inside the create's transaction; returns a function to record the result."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the transaction that creates the record.")
    Token = _model()
    token, purpose = _token(user, key), _purpose(body)
    try:
        with transaction.atomic():
            row = Token.objects.create(token=token, user=user, purpose=purpose, used_at=timezone.now())
    except IntegrityError:
        raise _earlier(Token.objects.get(token=token), purpose, model) from None

    def complete(obj: models.Model) -> None:
        Token.objects.filter(pk=row.pk).update(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    return complete
