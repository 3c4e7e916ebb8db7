"""A data version that every write raises, and a cache keyed by it.

Every write of the data the status is made from (registrations, courses, sessions, referrals,
activities, hours, closures, allocations, imports, …) raises one counter row in the database,
in the same transaction as the write: a reader either sees the old data and the old version or
the new data and the new version, never the new data with the old version. A value cached for
version N is therefore read back only while the version is still N: a stale number cannot be
shown. No process keeps state: several app servers share the one row.

The writes are caught where they reach the database: an execute wrapper on every connection
sees each INSERT, UPDATE and DELETE statement, and one on a table of a Forpost model outside
`IGNORED` raises the version, right after the statement, inside its transaction. So bulk
writes, queryset updates and deletes, raw SQL and data migrations raise it as surely as a
model's save(): no code path can change a number without it. One transaction raises it once
(a marker among the connection's on-commit callbacks says it has: Django drops the marker with
the transaction, or with the savepoint it was set in when that is rolled back).

A transaction that has written data reads no cached value and stores none: its own numbers
are not yet everyone's, and its later writes no longer raise the version.
"""

from __future__ import annotations

import functools
import logging
import pickle
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F

T = TypeVar("T")
logger = logging.getLogger(__name__)

# Models whose rows are not the data the numbers are made from: logs, jobs, sessions, caches.
IGNORED = {
    "core.dataversion",
    "core.datachange",
    "core.versionedobject",
    "core.workerheartbeat",
    "accounts.auditentry",
    "accounts.apitoken",
    "accounts.apiratewindow",
    "accounts.formstash",
    "accounts.user",
    "registrations.submissiontoken",
    "reports.job",
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


def bump(using: str = "default") -> None:
    """Record a write, inside the caller's transaction: an INSERT, never an UPDATE, so twenty
    counsellors registering at once do not queue on one row. Once per transaction: a second
    call in the same transaction records nothing more."""
    from django.db import connections

    from .models import DataChange

    connection = connections[using]
    if connection.in_atomic_block and written(connection):
        return
    DataChange.objects.using(using).create()
    if connection.in_atomic_block:
        connection.on_commit(_marker(connection))


def _marker(connection: BaseDatabaseWrapper) -> Callable[[], None]:
    marker = getattr(connection, "_forpost_written", None)
    if marker is None:

        def marker() -> None:  # an on-commit callback that only marks the transaction
            return None

        connection._forpost_written = marker  # type: ignore[attr-defined]
    return marker


def written(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the connection's open transaction has written data (and so raised the version)."""
    if connection is None:
        from django.db import connection as default

        connection = default
    if not connection.in_atomic_block:
        return False
    marker = getattr(connection, "_forpost_written", None)
    return marker is not None and any(entry[1] is marker for entry in connection.run_on_commit)


_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_tables: dict[str, bool] = {}


def _counts(table: str) -> bool:
    """Whether a write to `table` changes data the numbers are made from."""
    if not _tables:
        from django.apps import apps

        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            label = f"{meta.app_label}.{meta.model_name}"
            _tables[meta.db_table] = model.__module__.startswith("forpost.") and label not in IGNORED
    return _tables.get(table, False)


_migrating: list[bool] = []  # set while `migrate` runs: the tables may not exist yet


def _wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if _migrating:
        return result
    if sql[:1] in "IUDiud" or sql[:1].isspace():
        found = _WRITE.match(sql)
        if found and _counts(found.group(1)):
            connection = context["connection"]
            if not connection.needs_rollback:
                bump(connection.alias)
    return result


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


def cached_object(key: str, compute: Callable[[], T]) -> T:
    """`compute()` (any picklable value) for the current data version, computed once per
    version and kept in the database, so every app server reads the same. Rows of an older
    version can never be read again and are deleted when a newer value is stored. The key is
    the caller's and the code's (code_version): everything else the value depends on besides
    the data must be in the caller's key."""
    from .models import VersionedObject

    if written():
        return compute()
    key = f"{code_version()}:{key}"  # a value made by another release's code is never read
    version = current()
    found = VersionedObject.objects.filter(key=key, version=version).values_list("value", flat=True).first()
    if found is not None:
        value: T = pickle.loads(bytes(found))  # noqa: S301 - our own rows, written just below
        return value
    value = compute()
    if current() == version:
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            logger.exception("cannot keep %s: it does not pickle", key.split(":")[0])
            return value
        try:
            with transaction.atomic():
                VersionedObject.objects.filter(version__lt=version).delete()
                VersionedObject.objects.update_or_create(key=key, defaults={"version": version, "value": blob})
        except IntegrityError:  # another server stored it at the same moment
            pass
    return value


@functools.cache
def code_version() -> str:
    """A digest of the code, concept files and translations this process runs: a value kept by
    an older release is never read by a newer one (part of every kept object's key)."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".yaml", ".yml", ".mo"} and "tests" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


def _migration_starts(sender: Any, **kwargs: Any) -> None:
    if not _migrating:
        _migrating.append(True)


def _migration_ends(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A migration may have changed data (a data migration): raised once it is over."""
    if _migrating:
        _migrating.clear()
        bump(using)


def connect() -> None:
    """Called once by the core app: every connection raises the version on its writes."""
    from django.db import connections
    from django.db.backends.signals import connection_created
    from django.db.models.signals import post_migrate, pre_migrate

    connection_created.connect(_install, dispatch_uid="forpost-dataversion")
    pre_migrate.connect(_migration_starts, dispatch_uid="forpost-dataversion")
    post_migrate.connect(_migration_ends, dispatch_uid="forpost-dataversion")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
