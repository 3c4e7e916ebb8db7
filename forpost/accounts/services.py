"""Writes to users and memberships. Each is atomic and audited with an explicit actor."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forpost.centres.models import Centre

from . import audit
from .models import ApiRateWindow, ApiToken, AuditAction, AuditEntry, FormStash, Membership, Role, User


@transaction.atomic
def create_user(
    *, actor: Any, username: str, password: str | None, first_name: str = "", last_name: str = "", email: str = ""
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        changes=audit.snapshot(user, ["username", "first_name", "last_name", "email"]),
    )
    return user


@transaction.atomic
def grant_membership(
    *,
    actor: Any,
    user: User,
    role: Role,
    centre: Centre | None = None,
    valid_from: date,
    valid_to: date | None = None,
) -> Membership:
    membership = Membership(user=user, role=role, centre=centre, valid_from=valid_from, valid_to=valid_to)
    membership.full_clean()
    membership.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=membership, changes=audit.snapshot(membership))
    return membership


@transaction.atomic
def end_membership(*, actor: Any, membership: Membership, last_day: date) -> Membership:
    before = audit.snapshot(membership)
    membership.valid_to = last_day
    membership.full_clean()
    membership.save(update_fields=["valid_to"])
    audit.record(
        actor=actor, action=AuditAction.CHANGE, obj=membership, changes=audit.diff(before, audit.snapshot(membership))
    )
    return membership


@transaction.atomic
def purge_audit_entries(*, actor: Any, before: datetime, dry_run: bool = False) -> int:
    """Delete the trail older than `before`, in batches; the purge itself leaves one entry."""
    old = AuditEntry.objects.older_than(before)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        batch = list(old.values_list("pk", flat=True)[:5000])
        if not batch:
            break
        deleted += AuditEntry.objects.filter(pk__in=batch).delete()[0]
    audit.record(actor=actor, action=AuditAction.PURGE, changes={"before": before, "deleted": deleted})
    return deleted


TOKEN_PREFIX = "fp_"  # noqa: S105 - a public marker that makes leaked tokens easy to scan for


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `actor`; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name.strip()[:80], prefix=raw[:10], digest=_digest(raw))
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=token, changes={"name": token.name, "prefix": token.prefix}
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=token, changes={"revoked_at": token.revoked_at})
    return token


def find_api_token(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    return ApiToken.objects.usable().select_related("user").filter(digest=_digest(raw)).first()


@transaction.atomic
def count_api_call(*, token: ApiToken, limit: int) -> bool:
    """Count one call in the token's current minute; False when the limit is already reached."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    ApiRateWindow.objects.get_or_create(token=token, window_start=window)
    updated = ApiRateWindow.objects.filter(token=token, window_start=window, calls__lt=limit).update(
        calls=F("calls") + 1
    )
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return bool(updated)


# --- Forms posted after the session timed out ----------------------------------------------

STASH_LIFETIME = timedelta(hours=1)


@transaction.atomic
def stash_form(*, user: User, path: str, data: dict[str, list[str]]) -> str:
    """Keep a form posted after `user`'s session timed out; returns the key to restore it.

    Not audited: it holds what was typed, unchecked, and it is no registration."""
    key = secrets.token_urlsafe(32)
    FormStash.objects.create(key=key, user=user, path=path[:500], data=data)
    return key


@transaction.atomic
def take_stash(*, key: str, user: Any) -> FormStash | None:
    """The stash `key` if it is `user`'s and under an hour old; it is deleted as it is taken.

    Someone else's stash is not touched (its author may still log in)."""
    purge_stashes()
    stash = FormStash.objects.select_for_update().filter(key=key, user=user).first()
    if stash is not None:
        FormStash.objects.filter(pk=stash.pk).delete()
    return stash


def purge_stashes(*, now: datetime | None = None) -> int:
    """Delete stashes older than an hour; returns how many."""
    before = (now or timezone.now()) - STASH_LIFETIME
    return int(FormStash.objects.filter(created_at__lt=before).delete()[0])
