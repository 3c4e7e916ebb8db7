"""The anonymity guard for free text.

Counselling is anonymous (Barnets Lov §§ 28–30), so the few free-text fields Forpost has
(notes, goals, descriptions) must not carry a citizen's CPR number, e-mail address or phone
number. Names cannot be recognised reliably; the field's hint asks for none.

The patterns are tuned to let through what counsellors do write: dates (12-05-2026,
12.05.2026), times, amounts (12.500 kr., 1.250.000), years, percentages and ORS scores.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr
from stdnum.exceptions import ValidationError as StdnumError

# Not glued to a longer number: no digit, and no digit plus decimal or thousands separator.
_BEFORE = r"(?<!\d)(?<!\d[.,])"
_AFTER = r"(?!\d)(?![.,]\d)"

# DDMMYY-SSSS, the hyphen optional or replaced by spaces. The date part is checked below.
CPR_RE = re.compile(_BEFORE + r"(\d{6})[ \t]*[-‐–]?[ \t]*(\d{4})" + _AFTER)

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

# Eight digits, the first 2–9, written 12345678, 12 34 56 78 or 1234 5678, perhaps after
# +45 or 0045. An amount ("25000000 kr.", "25000000,-") is not a phone number.
PHONE_RE = re.compile(
    _BEFORE
    + r"(?:(?:\+|00)[ \t]?45[ \t]?)?"
    + r"(?:[2-9]\d{7}|[2-9]\d[ \t]\d{2}[ \t]\d{2}[ \t]\d{2}|[2-9]\d{3}[ \t]\d{4})"
    + _AFTER
    + r"(?![ \t]*(?:kr\b|kr\.|DKK|%|,-))",
    re.IGNORECASE,
)

MESSAGES = {
    "cpr": _("The text seems to contain a CPR number. Remove it: counselling is anonymous."),
    "email": _("The text seems to contain an e-mail address. Remove it: counselling is anonymous."),
    "phone": _("The text seems to contain a phone number. Remove it: counselling is anonymous."),
}

HINT = _("Short and anonymous: no names, CPR numbers, addresses, phone numbers or e-mail addresses.")


def _has_cpr(value: str) -> bool:
    for match in CPR_RE.finditer(value):
        try:
            cpr.get_birth_date(match.group(1) + match.group(2))
        except StdnumError:
            continue
        return True
    return False


def find_identifiers(value: str) -> list[str]:
    """The kinds of identifier found in `value`: "cpr", "email", "phone" (in that order)."""
    if not value:
        return []
    found = []
    if _has_cpr(value):
        found.append("cpr")
    if EMAIL_RE.search(value):
        found.append("email")
    if PHONE_RE.search(value):
        found.append("phone")
    return found


def validate_anonymous_text(value: str) -> None:
    """Raise ValidationError saying which identifiers `value` seems to contain."""
    kinds = find_identifiers(value or "")
    if kinds:
        raise ValidationError([ValidationError(MESSAGES[k], code=f"anonymity_{k}") for k in kinds])


ANONYMOUS_TEXT_VALIDATORS = [validate_anonymous_text]


class AnonymousTextField(forms.CharField):
    """An optional, short free-text field guarded by `validate_anonymous_text`."""

    default_validators = [validate_anonymous_text]

    def __init__(self, *, max_length: int = 500, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("help_text", HINT)
        super().__init__(max_length=max_length, required=required, **kwargs)
