"""The anonymity guard for free text.

Counselling is anonymous (Barnets Lov §§ 28–30), so the few free-text fields Forpost has
(notes, goals, descriptions) must not carry a citizen's CPR number, e-mail address or phone
number. Names cannot be recognised reliably; the field's hint asks for none.

The patterns are tuned to let through what counsellors do write: dates (12-05-2026,
12.05.2026), times, amounts (12.500 kr., 1.250.000), years, percentages and ORS scores.

Text is NFKC-normalised first (full-width digits and "＠" become plain ones), and e-mail
addresses written "(at)" or "[at]" count as e-mail addresses. CPR and phone numbers are
found whatever separates their digits ("-", ".", "/", spaces) and however they are grouped.

Names and street addresses cannot be refused reliably; `find_personal_hints` finds likely
ones so that a form can warn and ask the user to confirm (the text is kept, never logged).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
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


# Runs of digit groups joined by one separator (with spaces around it, or spaces alone).
_GROUPS_RE = re.compile(r"(?<![\w.,])\d+(?:[ \t]*[-‐–./][ \t]*\d+|[ \t]+\d+)*(?![\w]|[.,]\d)")
_SPLIT_RE = re.compile(r"(\d+)")
# "mor.jensen(at)gmail.com", "[at]", "{at}", " at " between word characters and a dot domain.
_AT_RE = re.compile(r"\s*[(\[{]\s*(?:at|snabel-a)\s*[)\]}]\s*", re.IGNORECASE)
_DOT_RE = re.compile(r"\s*[(\[{]\s*(?:dot|punktum)\s*[)\]}]\s*", re.IGNORECASE)
# Phone numbers are written 12345678, 12 34 56 78, 1234 5678 or 123 456 78.
_PHONE_SHAPES = {(8,), (2, 2, 2, 2), (4, 4), (3, 3, 2), (2, 3, 3), (4, 2, 2)}


def normalise(value: str) -> str:
    """NFKC: full-width and other compatibility forms of digits and "@" become the plain ones."""
    return unicodedata.normalize("NFKC", value)


def _digit_runs(value: str) -> list[tuple[list[str], list[str]]]:
    """Each run of digit groups as (groups, separators between them)."""
    runs = []
    for match in _GROUPS_RE.finditer(value):
        parts = _SPLIT_RE.split(match.group(0))
        groups = parts[1::2]
        separators = [sep.strip() for sep in parts[2:-1:2]]
        runs.append((groups, separators))
    return runs


def _windows(groups: list[str], separators: list[str]) -> list[tuple[list[str], list[str]]]:
    """Every contiguous stretch of groups in a run (a number may sit beside a date)."""
    return [(groups[i:j], separators[i : j - 1]) for i in range(len(groups)) for j in range(i + 1, len(groups) + 1)]


def _is_cpr(digits: str) -> bool:
    try:
        cpr.get_birth_date(digits)
    except StdnumError:
        return False
    return True


def _is_date(groups: list[str]) -> bool:
    """12-05-2026, 12.05.26: a day and a month, then a year."""
    if len(groups) != 3 or len(groups[2]) not in (2, 4):
        return False
    day, month = int(groups[0]), int(groups[1])
    return 1 <= day <= 31 and 1 <= month <= 12 and len(groups[0]) <= 2 and len(groups[1]) <= 2


def _is_time_range(groups: list[str], separators: list[str]) -> bool:
    """20.00-22.00, 9.30 – 11.00: two clock times."""
    if len(groups) != 4 or separators[1] not in "-‐–" or separators[0] not in ".:" or separators[2] not in ".:":
        return False
    return int(groups[0]) < 24 and int(groups[1]) < 60 and int(groups[2]) < 24 and int(groups[3]) < 60


def _is_year_range(groups: list[str]) -> bool:
    return len(groups) == 2 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)


def _has_cpr(value: str) -> bool:
    for groups, separators in _digit_runs(value):
        for window, _seps in _windows(groups, separators):
            digits = "".join(window)
            if len(window) >= 3 and _is_date(window[:3]) and len(window[2]) == 4:
                continue  # a date with a four-digit year and whatever follows it
            if len(digits) == 10 and _is_cpr(digits) and not _is_date(window):
                return True
    return False


def _has_phone(value: str) -> bool:
    if PHONE_RE.search(value):
        return True
    for groups, separators in _digit_runs(value):
        for window, seps in _windows(groups, separators):
            shape = tuple(len(g) for g in window)
            digits = "".join(window)
            if shape not in _PHONE_SHAPES or digits[0] not in "23456789":
                continue
            if len(window) > 1 and len(set(seps)) > 1 and not _is_time_range(window, seps):
                continue  # 20-12.34 56: separators of one number are alike
            if _is_date(window) or _is_time_range(window, seps) or _is_year_range(window):
                continue
            if any(sep == "/" for sep in seps):
                continue  # a fraction or a date, not a phone number
            end = value.find(window[-1], value.find(window[0])) + len(window[-1])
            if re.match(r"[ \t]*(?:kr\b|kr\.|DKK|%|,-)", value[end:], re.IGNORECASE):
                continue
            return True
    return False


def _has_email(value: str) -> bool:
    if EMAIL_RE.search(value):
        return True
    spelled = _DOT_RE.sub(".", _AT_RE.sub("@", value))
    return spelled != value and bool(EMAIL_RE.search(spelled))


def find_identifiers(value: str) -> list[str]:
    """The kinds of identifier found in `value`: "cpr", "email", "phone" (in that order). These
    are refused."""
    if not value:
        return []
    text = normalise(value)
    found = []
    if _has_cpr(text):
        found.append("cpr")
    if _has_email(text):
        found.append("email")
    if _has_phone(text):
        found.append("phone")
    return found


# --- Soft warnings: likely names and street addresses -------------------------------------

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names_da.txt"

# A street word ending the street's name, then a house number: "Nørrebrogade 12", "Ved Søerne 3".
ADDRESS_RE = re.compile(
    r"\b[A-ZÆØÅ][\wæøåÆØÅ-]*(?:gade|vej|allé|alle|plads|vænge|boulevard|stræde|torv|park|have|bakke|sti|"
    r"passage|kaj|dossering|gård|væn|toften|engen|høj|holm)[ \t]+\d{1,4}[ \t]?[A-Za-z]?\b"
    r"|\b(?:Ved|Store|Lille|Gammel|Ny)[ \t]+[A-ZÆØÅ][\wæøå]+[ \t]+\d{1,4}\b"
    r"|\b[A-ZÆØÅ][\wæøå]+[ \t]+(?:Allé|Alle|Vej|Gade|Plads|Boulevard|Vænge|Torv|Have)[ \t]+\d{1,4}\b",
)
# "hedder Fatima", "navn: Ali": a capitalised word after words that introduce a name.
NAMED_RE = re.compile(r"\b(?i:hedder|hed|navn(?:et)?\s*(?:er|:)|kaldet|named|called)\s+([A-ZÆØÅ][\wæøå]+)")
_WORD_RE = re.compile(r"[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?")


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    first: set[str] = set()
    last: set[str] = set()
    current = first
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line == "[first]":
            current = first
        elif line == "[last]":
            current = last
        else:
            current.add(line.strip())
    return frozenset(first), frozenset(last)


def find_personal_hints(value: str) -> list[str]:
    """Likely personal data that cannot be refused for sure: "name" and "address" (in that
    order). A form warns and asks to confirm; the text is kept and never logged."""
    if not value:
        return []
    text = normalise(value)
    found = []
    first, last = _names()
    words = [(m.group(0), m.start()) for m in _WORD_RE.finditer(text)]
    for i, (word, start) in enumerate(words):
        lower = word.lower()
        sentence_start = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?:\n"
        following = words[i + 1][0].lower() if i + 1 < len(words) else ""
        adjacent = i + 1 < len(words) and text[start + len(word) : words[i + 1][1]].strip() == ""
        if lower in first and adjacent and following in last:
            found.append("name")  # "Mette Hansen"
            break
        if not sentence_start and (lower in first or lower in last):
            found.append("name")  # "... mor og Mette ..."
            break
    if "name" not in found and NAMED_RE.search(text):
        found.append("name")
    if ADDRESS_RE.search(text):
        found.append("address")
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


# --- The soft warning on forms and in the API ----------------------------------------------

# Sent with the form (a checkbox) or in an API body (true) to save text that was warned about.
CONFIRM_FIELD = "confirm_personal_hints"
_YES = frozenset({"yes", "on", "true", "1", "True", True})

HINT_MESSAGES = {
    "name": _(
        "This may be a person's name. Counselling is anonymous: remove it, or confirm that the text names no one."
    ),
    "address": _(
        "This may be a street address. Counselling is anonymous: remove it, or confirm that the text points to no one."
    ),
}


def guarded_fields(form: forms.BaseForm | type[forms.BaseForm]) -> list[str]:
    """The names of the free-text fields of a form (or form class) that the guard checks: the
    form field's own validators, or (a model form) the model field's."""
    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    fields = form.fields if isinstance(form, forms.BaseForm) else form.base_fields  # type: ignore[attr-defined]
    names = []
    for name, field in fields.items():
        if not isinstance(field, forms.CharField):
            continue
        validators = list(field.validators)
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                validators += list(getattr(model._meta.get_field(name), "validators", []))
        if validate_anonymous_text in validators:
            names.append(name)
    return names


class PersonalHintsMixin:
    """Warns of likely names and street addresses in a form's guarded free text.

    It refuses nothing for good: the form comes back with everything typed, a warning at each
    such field and a checkbox (`confirm_personal_hints`, core/_personal_hints.html) to save the
    text as it is. Each warning is counted (forpost.core.models.PersonalHintCount) by form,
    field and kind, never with the text.
    """

    personal_hints: dict[str, list[str]]
    # Kinds a field is meant to hold (a meeting's place is an address): not warned about.
    personal_hints_expected: ClassVar[dict[str, frozenset[str]]] = {}

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        self.personal_hints = {}
        if not form.is_bound or not hasattr(form, "cleaned_data"):
            return
        for name in guarded_fields(form):
            value = form.cleaned_data.get(name)
            if isinstance(value, str) and name not in form.errors:
                expected = self.personal_hints_expected.get(name, frozenset())
                kinds = [kind for kind in find_personal_hints(value) if kind not in expected]
                if kinds:
                    self.personal_hints[name] = kinds
        if not self.personal_hints:
            return
        confirmed = form.data.get(CONFIRM_FIELD) in _YES
        from forpost.core.models import PersonalHintCount

        PersonalHintCount.count(form=type(form), hints=self.personal_hints, confirmed=confirmed)
        if confirmed:
            return
        for name, kinds in self.personal_hints.items():
            form.add_error(name, [ValidationError(HINT_MESSAGES[kind], code=f"personal_hint_{kind}") for kind in kinds])

    @property
    def needs_confirmation(self) -> bool:
        """Warned, not yet confirmed: the form shows the checkbox."""
        form: Any = self
        return bool(getattr(self, "personal_hints", None)) and form.data.get(CONFIRM_FIELD) not in _YES
