"""Writing the audit trail.

Changes are recorded by the service that makes them, inside its transaction, with the
actor passed explicitly. Reads, searches and exports are recorded by the view that serves
them. Nothing else writes AuditEntry, and nothing in the app edits one.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditAction, AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# Never written to the trail: a password (or its hash), a token or its digest, a session key,
# a second factor's secret. A change to one is recorded as "changed", never its value.
SECRET_FIELD_RE = re.compile(r"password|token|secret|digest|session_key|(?:^|_)key$", re.IGNORECASE)
SAFE_MARKERS = frozenset({"set", "changed", "sent", "reset", "removed"})


def is_secret(name: str) -> bool:
    return bool(SECRET_FIELD_RE.search(name))


def _scrub(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: (v if isinstance(v, str) and v in SAFE_MARKERS else "changed") if is_secret(str(k)) else _scrub(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _centre_id(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    path = getattr(type(obj), "centre_path", None)
    if path == "pk":
        return int(obj.pk)
    if path:
        value: Any = obj
        for part in path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value.pk if isinstance(value, models.Model) else value
    return None


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, for diffing before and after a change."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    names = [name for name in names if not is_secret(name)]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    centre_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk or ""
        centre_id = centre_id if centre_id is not None else _centre_id(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        object_repr=str(obj)[:200] if obj is not None else "",
        centre_id=centre_id,
        changes=_scrub(_plain(dict(changes or {}))),
        path=request.get_full_path()[:300] if request is not None else "",
    )


def record_read(request: HttpRequest, obj: models.Model) -> AuditEntry:
    return record(actor=request.user, action=AuditAction.READ, obj=obj, request=request)


def record_search(
    request: HttpRequest, *, object_type: str, criteria: Mapping[str, Any], count: int | None = None
) -> AuditEntry:
    data = {k: v for k, v in criteria.items() if v not in (None, "", [], ())}
    if count is not None:
        data["result_count"] = count
    return record(actor=request.user, action=AuditAction.SEARCH, object_type=object_type, changes=data, request=request)


def record_export(
    request: HttpRequest | None, *, actor: Any, object_type: str, criteria: Mapping[str, Any], rows: int, fmt: str
) -> AuditEntry:
    return record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type=object_type,
        changes={"criteria": dict(criteria), "rows": rows, "format": fmt},
        request=request,
    )
