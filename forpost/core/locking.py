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

import contextlib
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext


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
    """The hidden field that carries the version an edit form was rendered with.

    0 means "nothing was stored yet", for a form that creates or changes one keyed record
    (a centre's text for a year): a second tab that also started from nothing then conflicts.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(min_value=0, **kwargs)


def prepare_form(form: forms.BaseForm, instance: models.Model | None) -> None:
    """Keep `version` on a form that edits `instance`, or `submission_token` on one that creates.

    A form class used for both declares both hidden fields; this drops the one that does not
    apply and gives an unbound edit form the version it is rendered with.
    """
    editing = instance is not None and instance.pk is not None
    form.fields.pop("submission_token" if editing else "version", None)
    if editing and "version" in form.fields:
        form.initial["version"] = instance.version  # type: ignore[union-attr]


def expected(form: forms.BaseForm) -> int:
    """The version a valid edit form was rendered with; 0 (never stored) when it came without."""
    return int(form.cleaned_data.get("version") or 0)


def _display(field: forms.Field, value: Any) -> str:
    values = value if isinstance(value, list | tuple) else [value]
    labels: dict[str, str] = {}
    for key, label in getattr(field, "choices", ()):
        if isinstance(label, list | tuple):
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(getattr(key, "value", key))] = str(label)
    shown = []
    for v in values:
        if v in (None, ""):
            continue
        key = str(getattr(v, "pk", v))
        if key in labels:
            shown.append(labels[key])
            continue
        with contextlib.suppress(ValidationError, TypeError, ValueError):
            v = field.to_python(v)
        if isinstance(v, bool):
            shown.append(gettext("Yes") if v else gettext("No"))
            continue
        shown.append(str(formats.localize(v)))
    return ", ".join(shown) or "—"


def conflict_response(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    current_form: forms.BaseForm,
    conflict: Conflict,
    title: str,
    back: str,
    extra_rows: Iterable[tuple[str, str, str]] = (),
) -> HttpResponse:
    """Both versions side by side (409); the user's form comes back ready to save over the other.

    `form` is the user's bound form, `current_form` an unbound one of the stored record;
    `extra_rows` are (label, mine, theirs) for what the form alone does not show (a formset).
    """
    rows = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput) or name not in current_form.fields:
            continue
        mine = _display(field, form[name].value())
        theirs = _display(current_form.fields[name], current_form[name].value())
        rows.append({"label": field.label, "mine": mine, "theirs": theirs, "differs": mine != theirs})
    for label, mine, theirs in extra_rows:
        rows.append({"label": label, "mine": mine, "theirs": theirs, "differs": mine != theirs})
    post_items = [(k, request.POST.getlist(k)) for k in request.POST if k not in ("csrfmiddlewaretoken", "version")]
    # The page shows the stored record: a read like any other, audited by the function the
    # settings name (the audit trail lives in a layer above this one).
    from django.conf import settings
    from django.utils.module_loading import import_string

    import_string(settings.AUDIT_READ)(request, conflict.current)
    return render(
        request,
        "core/conflict.html",
        {"rows": rows, "post_items": post_items, "conflict": conflict, "title": title, "back": back},
        status=409,
    )
