"""A data version that every write raises, and a cache keyed by it.

Every write of the data the status is made from (registrations, courses, sessions, referrals,
activities, hours, closures, allocations, imports, …) raises one counter row in the database,
in the same transaction as the write: a reader either sees the old data and the old version or
the new data and the new version, never the new data with the old version. A value cached for
version N is therefore read back only while the version is still N: a stale number cannot be
shown. No process keeps state: several app servers share the one row.

The writes are caught in two ways: the model signals (post_save, post_delete, m2m_changed) of
every Forpost model outside `IGNORED`, and explicit `bump()` calls where the code writes in
bulk without signals (the kept counts in forpost.registrations.counts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F

T = TypeVar("T")

# Models whose rows are not the data the numbers are made from: logs, jobs, sessions, caches.
IGNORED = {
    "core.dataversion",
    "core.datachange",
    "core.versionedvalue",
    "core.workerheartbeat",
    "accounts.auditentry",
    "accounts.apitoken",
    "accounts.apiratewindow",
    "accounts.formstash",
    "accounts.user",
    "registrations.submissiontoken",
    "reports.job",
    "registrations.inquiryfact",  # written in bulk: forpost.registrations.counts calls bump() itself
    "reports.versionedvalue",
    # Derived memos of the hours, closures and allocations, whose own writes raise the version;
    # a page that fills them changes no number (else every first read would discard the plan).
    "centres.weeklyhours",
    "centres.weeklyhoursyear",
}


def current() -> int:
    """The number of writes committed so far, as one statement sees them: the folded count plus
    the changes not yet folded, read in one SELECT so that a fold committing in between cannot
    make it jump back or ahead. Two reads that see the same committed writes get the same
    number, and every committed write raises it: a value cached for a version is never stale."""
    from django.db.models import Count, IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import DataChange, DataVersion

    changes = DataChange.objects.annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    found = (
        DataVersion.objects.filter(pk=1)
        .annotate(n=Coalesce(Subquery(changes, output_field=IntegerField()), 0))
        .values_list("value", "n")
        .first()
    )
    if found is None:  # a new (or flushed) database: the folded count starts at zero
        try:
            with transaction.atomic():
                DataVersion.objects.get_or_create(pk=1)
        except IntegrityError:
            pass
        return current()
    return int(found[0]) + int(found[1])


def bump() -> None:
    """Record one write, inside the caller's transaction: an INSERT, never an UPDATE, so
    twenty counsellors registering at once do not queue on one row."""
    from .models import DataChange

    DataChange.objects.create()


def fold(*, limit: int = 10000) -> int:
    """Move up to `limit` changes into the folded count (the worker's chore). The sum is the
    same before and after in every snapshot; a fold racing another rolls back."""
    from .models import DataChange, DataVersion

    ids = list(DataChange.objects.order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    with transaction.atomic():
        DataVersion.objects.get_or_create(pk=1)
        gone, _by_model = DataChange.objects.filter(pk__in=ids).delete()
        if gone != len(ids):
            raise _FoldRaced
        DataVersion.objects.filter(pk=1).update(value=F("value") + gone)
    return gone


class _FoldRaced(IntegrityError):
    """Another fold took some of the same changes first: nothing was changed."""


def fold_all() -> int:
    folded = 0
    for _attempt in range(5):
        try:
            n = fold()
        except IntegrityError:
            continue
        if not n:
            break
        folded += n
    return folded


def cached(key: str, compute: Callable[[], Any], *, decode: Callable[[Any], T]) -> T:
    """`compute()` (JSON-able) for the current data version, computed once per version."""
    from .models import VersionedValue

    version = current()
    found = VersionedValue.objects.filter(key=key, version=version).values_list("value", flat=True).first()
    if found is not None:
        return decode(found)
    value = compute()
    if current() == version:  # nothing was written meanwhile: the value belongs to this version
        try:
            with transaction.atomic():
                VersionedValue.objects.update_or_create(key=key, defaults={"version": version, "value": value})
        except IntegrityError:  # another server stored it at the same moment
            pass
    return decode(value)


def _changed(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or not meta.app_label or f"{meta.app_label}.{meta.model_name}" in IGNORED:
        return
    if not sender.__module__.startswith("forpost."):
        return
    if kwargs.get("raw"):
        return
    bump()


def connect() -> None:
    """Called once by the core app: every Forpost model's writes raise the version. Connected
    model by model (not to every sender), so the models left out keep Django's fast delete."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not model.__module__.startswith("forpost.") or f"{meta.app_label}.{meta.model_name}" in IGNORED:
            continue
        uid = f"dataversion-{meta.label_lower}"
        if meta.auto_created:
            m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=uid)
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)


def _m2m_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        bump()
