"""Plain values (an API body, a spreadsheet row) → the desk's InquiryForm, validated.

The API and the import both describe an inquiry with codes or names instead of database
ids. This module translates those into the data the desk form expects and lets the form
(with its anonymity guard) and then the registration services decide, so that every door
into Forpost applies exactly the same rules.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from forpost.centres.models import District
from forpost.registrations.forms import AGE_NOT_STATED, CHILD_ROWS, InquiryForm
from forpost.registrations.models import (
    ORIGIN_CHOICES,
    Action,
    Channel,
    ChildAge,
    ChildSex,
    ContactPerson,
    FamilyType,
    HasCase,
    Inquiry,
    ParentSex,
    ReferralSource,
    Residence,
    Theme,
)

CHOICE_FIELDS: dict[str, list[tuple[str, Any]]] = {
    "contact_person": list(ContactPerson.choices),
    "family_type": list(FamilyType.choices),
    "parent_sex": list(ParentSex.choices),
    "origin": list(ORIGIN_CHOICES),
    "residence": list(Residence.choices),
    "has_case": list(HasCase.choices),
}
REFERENCE_FIELDS: dict[str, type[Model]] = {"channel": Channel, "referral_source": ReferralSource}
MULTI_FIELDS: dict[str, type[Model]] = {"themes": Theme, "actions": Action}
FACTS_WITHOUT_DEFAULT = {"contact_person"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M")
# Several themes or actions in one cell: " | " (what the export writes; no name may hold "|",
# see ReferenceItem.clean). Files from elsewhere may use ";" or a line per item instead.
LIST_SEPARATOR = " | "
LEGACY_SEPARATORS = re.compile(r"[;\n]")


def _norm(value: Any) -> str:
    return " ".join(str(value).replace("–", "-").replace("—", "-").split()).casefold()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def choice_lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Code, Danish label and English label (case-insensitive) → code."""
    table: dict[str, str] = {}
    pairs = list(choices)
    for lang in ("en", "da"):
        with translation.override(lang):
            for code, label in pairs:
                table[_norm(label)] = code
    for code, _label in pairs:
        table[_norm(code)] = code
    return table


def reference_lookup(model: Any) -> dict[str, Any]:
    """Code, Danish name and English name (case-insensitive) → item (retired ones too: the
    form then refuses them as it does at the desk)."""
    table: dict[str, Any] = {}
    for item in model._default_manager.all():
        for key in (item.name_en, item.name_da, item.code):
            table[_norm(key)] = item
    return table


def _default(name: str) -> Any:
    field: Any = Inquiry._meta.get_field(name)
    return field.get_default()


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_time(value: Any) -> datetime.time | None:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    text = str(value).strip()
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return None


def split_list(value: Any) -> list[str]:
    if _empty(value):
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if not _empty(v)]
    text = str(value)
    parts = text.split("|") if "|" in text else LEGACY_SEPARATORS.split(text)
    return [part.strip() for part in parts if part.strip()]


class Lookups:
    """The tables to resolve names, built once per request or per file."""

    def __init__(self, municipality_ids: Iterable[int] = ()) -> None:
        self.choices = {name: choice_lookup(choices) for name, choices in CHOICE_FIELDS.items()}
        self.ages = choice_lookup(ChildAge.choices)
        self.sexes = choice_lookup(ChildSex.choices)
        self.references = {
            name: reference_lookup(model) for name, model in {**REFERENCE_FIELDS, **MULTI_FIELDS}.items()
        }
        districts = District.objects.all()
        ids = list(municipality_ids)
        if ids:
            districts = districts.filter(municipality__in=ids)
        self.districts: dict[str, District] = {}
        for d in districts:
            self.districts[_norm(d.name)] = d
            self.districts[_norm(d.slug)] = d


def form_data(values: Mapping[str, Any], lookups: Lookups) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The POST data for InquiryForm, and errors of values that name nothing known.

    `values` uses the field names of the model ("channel", "themes", "district", …) plus
    "children" (a list of (age, sex) pairs) or "child_1_age"/"child_1_sex" … columns.
    """
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if "version" in values and not _empty(values["version"]):
        data["version"] = values["version"]
    if "centre" in values and not _empty(values["centre"]):
        data["centre"] = values["centre"]
    for name, parse in (("date", parse_date), ("concern_reported_on", parse_date), ("time", parse_time)):
        raw = values.get(name)
        if _empty(raw):
            continue
        parsed = parse(raw)
        if parsed is None:
            fail(name, _("“%(value)s” is not a date or time Forpost can read.") % {"value": raw})
        else:
            data[name] = parsed.isoformat()
    raw_minutes = values.get("minutes")
    if not _empty(raw_minutes):
        text = str(raw_minutes).strip()
        if re.fullmatch(r"\d+(\.0+)?", text):
            data["minutes"] = str(int(float(text)))
        else:
            fail("minutes", _("“%(value)s” is not a whole number of minutes.") % {"value": raw_minutes})
    if not _empty(values.get("note")):
        data["note"] = str(values["note"])
    for name, table in lookups.choices.items():
        if name == "residence":
            continue
        raw = values.get(name)
        if _empty(raw):
            # Left out: "not stated" (or "don't know"), never a fact about the family that
            # nobody gave: who made contact must be said, as at the desk.
            if name not in FACTS_WITHOUT_DEFAULT:
                data[name] = _default(name)
            continue
        code = table.get(_norm(raw))
        if code is None:
            fail(name, _("“%(value)s” is not one of the choices.") % {"value": raw})
        else:
            data[name] = code
    for name in REFERENCE_FIELDS:
        raw = values.get(name)
        if _empty(raw):
            continue
        item = lookups.references[name].get(_norm(raw))
        if item is None:
            fail(name, _("“%(value)s” is not in Forpost's list.") % {"value": raw})
        else:
            data[name] = str(item.pk)
    for name in MULTI_FIELDS:
        found = []
        items = lookups.references[name]
        raw_list = values.get(name)
        separated = isinstance(raw_list, list | tuple) or "|" in str(raw_list or "")
        for part in split_list(raw_list):
            # A name may hold a comma ("Søvn, spisning og …"): the whole part first; only a file
            # from elsewhere (without "|") may mean a comma as a separator.
            whole = separated or _norm(part) in items
            pieces = [part] if whole else [p.strip() for p in part.split(",") if p.strip()]
            for piece in pieces:
                item = items.get(_norm(piece))
                if item is None:
                    fail(name, _("“%(value)s” is not in Forpost's list.") % {"value": piece})
                else:
                    found.append(str(item.pk))
        data[name] = found
    # Where the family lives: a district (by name) or a residence code.
    district_raw, residence_raw = values.get("district"), values.get("residence")
    if not _empty(district_raw):
        district = lookups.districts.get(_norm(district_raw))
        if district is None:
            fail("where", _("“%(value)s” is not a district of the municipality.") % {"value": district_raw})
        else:
            data["where"] = f"d{district.pk}"
    elif not _empty(residence_raw):
        code = lookups.choices["residence"].get(_norm(residence_raw))
        if code is None or code == Residence.DISTRICT:
            fail("where", _("Give the district, or say the family lives outside the municipality."))
        else:
            data["where"] = code
    else:
        data["where"] = Residence.NOT_STATED
    # Children: a list of pairs, or numbered columns.
    children: list[tuple[Any, Any]] = list(values.get("children") or [])
    for i in range(1, CHILD_ROWS + 2):
        age, sex = values.get(f"child_{i}_age"), values.get(f"child_{i}_sex")
        if not _empty(age) or not _empty(sex):
            children.append((age, sex))
    if len(children) > CHILD_ROWS:
        fail("child_1_age", _("At most %(n)s children per inquiry.") % {"n": CHILD_ROWS})
        children = children[:CHILD_ROWS]
    for i, (age, sex) in enumerate(children, start=1):
        age_code = lookups.ages.get(_norm(age)) if not _empty(age) else None
        if age_code is None:
            fail(f"child_{i}_age", _("Child %(n)s: “%(value)s” is not an age band.") % {"n": i, "value": age or ""})
            continue
        sex_code = ChildSex.NOT_STATED if _empty(sex) else lookups.sexes.get(_norm(sex))
        if sex_code is None:
            fail(f"child_{i}_sex", _("Child %(n)s: “%(value)s” is not a sex.") % {"n": i, "value": sex})
            continue
        data[f"child_{i}_age"], data[f"child_{i}_sex"] = age_code, sex_code
    if not children:
        # The desk asks for the first child's age or "not stated"; a row without children is the latter.
        data["child_1_age"] = AGE_NOT_STATED
    return data, errors


def bound_form(
    values: Mapping[str, Any],
    *,
    centres: QuerySet[Any],
    lookups: Lookups,
    instance: Inquiry | None = None,
) -> InquiryForm:
    """The desk form bound to `values`, validated, with lookup errors added."""
    data, errors = form_data(values, lookups)
    form = InquiryForm(data, centres=centres, instance=instance)
    form.fields.pop("submission_token", None)  # a form token guards the desk's double submits only
    form.is_valid()
    for field, messages in errors.items():
        if field in form.errors:
            del form.errors[field]  # "required" says less than "unknown value"
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    return form


def form_errors(form: InquiryForm) -> dict[str, list[str]]:
    """Errors by the field names the API and the import use."""
    names = {"where": "district", "__all__": "non_field_errors"}
    out: dict[str, list[str]] = {}
    for field, errors in form.errors.items():
        key = names.get(field, field)
        if key.startswith("child_"):
            key = "children"
        out.setdefault(key, []).extend(str(e) for e in errors)
    return out
