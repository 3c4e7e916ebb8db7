"""One-time form tokens, so that a double submit of a create form makes one record.

A double click, a back-and-resubmit or a network retry sends the same form twice, perhaps to
two app servers at once. Each rendering of a create form gets a token stored in the
database; the create consumes it in its own transaction::

    # GET: render
    form = InquiryForm(initial={..., "submission_token": idempotency.issue(user=request.user, purpose="inquiry")})

    # POST: create
    with transaction.atomic():
        try:
            claim = idempotency.claim(token=form.cleaned_data["submission_token"], user=request.user, purpose="inquiry")
        except idempotency.AlreadySubmitted as done:
            return redirect(done.obj)                     # the record the first submit made
        inquiry = services.register_inquiry(...)
        claim.complete(inquiry)

Claiming is one conditional UPDATE (… WHERE used_at IS NULL): on PostgreSQL a second,
concurrent claim waits for the first transaction's row lock and then finds the token used;
on SQLite transactions are serialised by the write lock. If the create fails, its
transaction rolls back and the token is free for the corrected form.

The tokens live in `registrations.SubmissionToken` (the core has no models); old ones are
removed by `manage.py retention`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NoReturn

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

# A form left open longer than this must be reloaded (the token is then unknown).
TOKEN_LIFETIME = timedelta(days=2)


class TokenError(Exception):
    """The token is unknown, expired, or belongs to someone else or another form."""


class AlreadySubmitted(Exception):
    """The token was consumed before; `obj` is the record that submission created."""

    def __init__(self, obj: models.Model | None) -> None:
        super().__init__("This form was already submitted.")
        self.obj = obj


def _model() -> Any:
    return apps.get_model("registrations", "SubmissionToken")


def issue(*, user: Any, purpose: str) -> str:
    """A fresh token for one rendering of a create form."""
    token = secrets.token_urlsafe(24)
    _model().objects.create(token=token, user=user, purpose=purpose)
    return token


class Claim:
    def __init__(self, row_pk: int) -> None:
        self.row_pk = row_pk

    def complete(self, obj: models.Model) -> None:
        """Record what the submission created, so a replay can be sent to it."""
        _model().objects.filter(pk=self.row_pk).update(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def claim(*, token: str, user: Any, purpose: str) -> Claim:
    """Consume `token`; call inside the transaction that creates the record."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the transaction that creates the record.")
    Token = _model()
    now = timezone.now()
    mine = Token.objects.filter(token=token or "", user=user, purpose=purpose, created_at__gte=now - TOKEN_LIFETIME)
    if mine.filter(used_at__isnull=True).update(used_at=now) == 1:
        return Claim(mine.values_list("pk", flat=True).get())
    _refuse(mine, token)


def _refuse(mine: Any, token: str) -> NoReturn:
    """A token that could not be taken: unknown or expired (TokenError), or used already
    (AlreadySubmitted, with the record it made when that is known)."""
    row = mine.first()
    if row is None:
        raise TokenError(token)
    first = None
    if row.object_type:
        model = apps.get_model(row.object_type)
        first = model._default_manager.filter(pk=row.object_id).first()
    raise AlreadySubmitted(first)


def consume(*, token: str, user: Any, purpose: str, obj: models.Model) -> None:
    """Consume `token` for `obj`, just created in the caller's transaction: one conditional
    UPDATE that marks the token used and records `obj` (claim() and complete() in one).
    Raises AlreadySubmitted or TokenError as claim() does; the caller's transaction must then
    roll back, taking `obj` with it. A concurrent second submit waits for the first one's row
    lock (PostgreSQL) or write lock (SQLite), then finds the token used: one record."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume() must run inside the transaction that created the record.")
    Token = _model()
    now = timezone.now()
    mine = Token.objects.filter(token=token or "", user=user, purpose=purpose, created_at__gte=now - TOKEN_LIFETIME)
    done = mine.filter(used_at__isnull=True).update(
        used_at=now, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )
    if done == 1:
        return
    _refuse(mine, token)


def used(*, token: str, user: Any, purpose: str) -> bool:
    """Whether `token` was already consumed: for a form whose own checks would refuse its
    replay (a second copy of what the first made overlaps it) before the claim is reached."""
    return (
        bool(token) and _model().objects.filter(token=token, user=user, purpose=purpose, used_at__isnull=False).exists()
    )


def purge(*, older_than: timedelta = TOKEN_LIFETIME) -> int:
    """Delete tokens older than `older_than`; returns how many."""
    return int(_model().objects.filter(created_at__lt=timezone.now() - older_than).delete()[0])


def issue_anonymous(*, purpose: str) -> str:
    """A token for a public form, which has no user to bind a stored token to.

    Nothing is stored when the form is shown (a public page must not let anyone fill the
    database by reloading it): the token is signed, and the record it creates keeps it in a
    unique column, so a second submit finds the first one's record.
    """
    return signing.dumps(secrets.token_urlsafe(18), salt=f"forpost.idempotency.{purpose}")


def check_anonymous(*, token: str, purpose: str) -> str | None:
    """The key inside a public form's token, or None if it is forged or too old."""
    try:
        key = signing.loads(token or "", salt=f"forpost.idempotency.{purpose}", max_age=TOKEN_LIFETIME)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None


class SubmissionTokenField(forms.CharField):
    """The hidden form field that carries the token."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        super().__init__(max_length=64, **kwargs)


# --- Views ------------------------------------------------------------------------------------


def fresh(request: HttpRequest, purpose: str) -> dict[str, str]:
    """The initial data that gives an unbound create form its token."""
    return {"submission_token": issue(user=request.user, purpose=purpose)}


def create_once(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    purpose: str,
    create: Callable[[], models.Model],
    replay_url: Callable[[Any], str],
) -> tuple[Any, HttpResponse | None]:
    """Run `create` once per token of a valid `form`.

    Returns (record, None) when it ran; (None, redirect) for a replay, to what the first
    submit made (`replay_url(record or None)`); (None, None) when the form must be shown
    again with its errors (a service's ValidationError, or a token unknown or too old,
    for which the form gets a fresh one and keeps everything else typed).
    """
    token = form.cleaned_data.get("submission_token", "")
    try:
        with transaction.atomic():
            claimed = claim(token=token, user=request.user, purpose=purpose)
            obj = create()
            claimed.complete(obj)
            return obj, None
    except AlreadySubmitted as done:
        messages.info(request, _("This form was already saved; here is what it saved."))
        return None, redirect(replay_url(done.obj))
    except TokenError:
        data = form.data.copy()  # type: ignore[attr-defined]
        data["submission_token"] = issue(user=request.user, purpose=purpose)
        form.data = data
        form.add_error(None, _("The form was open too long or was already used. Check it and save again."))
    except ValidationError as exc:
        _apply_errors(form, exc)
    return None, None


def _apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
