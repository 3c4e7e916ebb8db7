"""Optimistic locking: two people editing the same record must not overwrite each other.

A model that takes part has an integer field `version` (see `VersionField`). The edit form
carries the version it was rendered with; the service writes with `save_versioned`, which
updates the row only where the version is still the one expected::

    UPDATE … SET …, version = version + 1 WHERE id = %s AND version = %s

No row updated means someone else saved in between: `Conflict` is raised, carrying the
stored record and both version numbers, and the view shows both versions side by side.
One conditional UPDATE works the same on SQLite and PostgreSQL and across app servers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models import F


class VersionField(models.PositiveIntegerField):
    """The row's version: 1 when created, one more with each versioned save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", 1)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


class Conflict(Exception):
    """Someone saved `current` after the editor loaded `expected_version`."""

    def __init__(self, *, current: models.Model, expected_version: int, current_version: int) -> None:
        super().__init__(f"Expected version {expected_version}, found {current_version}.")
        self.current = current
        self.expected_version = expected_version
        self.current_version = current_version


def save_versioned(obj: models.Model, *, expected_version: int, fields: Iterable[str]) -> None:
    """Write `fields` of `obj` if its row still has `expected_version`; else raise Conflict.

    On success `obj.version` is the new version. Many-to-many fields and related rows are
    the caller's, in the same transaction, after this call.
    """
    names = list(fields)
    manager = type(obj)._default_manager
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[field.attname] = getattr(obj, field.attname)  # type: ignore[union-attr]
    updated = manager.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1, **values)
    if updated != 1:
        current = manager.get(pk=obj.pk)
        raise Conflict(current=current, expected_version=expected_version, current_version=current.version)  # type: ignore[attr-defined]
    obj.version = expected_version + 1  # type: ignore[attr-defined]


class VersionFormField(forms.IntegerField):
    """The hidden field that carries the version an edit form was rendered with."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(min_value=1, **kwargs)
