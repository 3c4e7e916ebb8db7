"""The API's messages in the client's language (Accept-Language; Danish by default).

Pydantic describes a request's type errors in English; they are given here in the words
Django's forms use (already translated in Django's own catalogue), by field, in the same
shape as the desk form's errors, so that a client reads one language and one format.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

# Path parts that name the request's part and parameter, not a field of it.
_CONTAINERS = {"body", "query", "path", "header", "cookie", "form", "file"}
_PARAMETERS = {"payload", "filters"}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date.")
    if kind in {"less_than_equal", "less_than"}:
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le", ctx.get("lt"))
        }
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge", ctx.get("gt"))
        }
    if kind == "too_long":
        return _("At most %(n)s items.") % {"n": ctx.get("max_length")}
    if kind == "list_type":
        return _("Enter a list of values.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter a text.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("Enter a valid value.")


def _field(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _CONTAINERS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _PARAMETERS:
        parts = parts[1:]
    if parts and parts[0] in _PARAMETERS:
        parts = parts[1:]
    return ".".join(parts) or "non_field_errors"


def field_errors(errors: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's error list → {"field": [message, …]} in the active language."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return out


def translate_detail(detail: str) -> str:
    """Ninja's own English texts, in the active language; ours pass through (already translated)."""
    known = {
        "Cannot parse request body": _("The request body is not valid JSON."),
        "Method not allowed": _("Method not allowed."),
        "Forbidden": _("Forbidden."),
    }
    return known.get(detail, detail)
