"""Writes to users and memberships. Each is atomic and audited with an explicit actor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from forpost.centres.models import Centre

from . import audit
from .models import AuditAction, AuditEntry, Membership, Role, User


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
