"""Inquiries of the list view to CSV or XLSX, with the list's filters and the user's scope."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from forpost.accounts.scoping import access_for, scoped
from forpost.core.exports import Column, Sheet, write_csv, write_xlsx
from forpost.registrations import queries
from forpost.registrations.forms import InquiryFilterForm
from forpost.registrations.models import Inquiry
from forpost.registrations.row_form import LIST_SEPARATOR
from forpost.reports.jobs import JobOutput, Progress

from .reading import FIELDS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# More rows than this are written in the background.
BACKGROUND_ROWS = 5_000
FILTER_KEYS = ("date_from", "date_to", "centre", "channel", "theme", "action", "course")


def filter_params(data: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(data[k]) for k in FILTER_KEYS if data.get(k) not in (None, "")}


def search(user: Any, params: Mapping[str, str]) -> tuple[QuerySet[Inquiry], dict[str, Any]]:
    """The inquiries the list would show for `params`, and the criteria for the audit trail."""
    query = QueryDict(mutable=True)
    query.update(params)
    form = InquiryFilterForm(query, centres=access_for(user).centres())
    if not form.is_valid():
        # Exporting everything instead of what was asked for would be worse than no file.
        raise ValidationError(
            [f"{form.fields[name].label}: {error}" for name, errors in form.errors.items() for error in errors]
        )
    cleaned = form.cleaned_data
    criteria = {k: (v.pk if hasattr(v, "pk") else v) for k, v in cleaned.items() if v not in (None, "")}
    qs = queries.search_inquiries(scoped(Inquiry, user), cleaned)
    return qs.order_by("-date", "-time", "-id"), criteria


def columns() -> list[Column]:
    """The inquiry number and centre, then every field under the import's own label, so that
    an exported file imports back without mapping a column (docs/import.md)."""
    return [
        Column("id", _("Inquiry no.")),
        Column("centre", _("Centre")),
        *(Column(field, str(label)) for field, (label, _names) in FIELDS.items()),
    ]


def _joined(names: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(names)


def rows(qs: QuerySet[Inquiry]) -> Iterator[dict[str, Any]]:
    qs = qs.select_related("centre", "channel", "district", "referral_source").prefetch_related(
        "themes", "actions", "children"
    )
    for i in qs.iterator(chunk_size=2000):
        row = {
            "id": i.pk,
            "centre": i.centre.name,
            "date": i.date,
            "time": i.time,
            "channel": i.channel.name,
            "contact_person": i.get_contact_person_display(),
            "family_type": i.get_family_type_display(),
            "parent_sex": i.get_parent_sex_display(),
            "origin": i.get_origin_display(),
            "residence": i.get_residence_display(),
            "district": i.district.name if i.district else "",
            "has_case": i.get_has_case_display(),
            "referral_source": i.referral_source.name if i.referral_source else "",
            "themes": _joined(t.name for t in i.themes.all()),
            "actions": _joined(a.name for a in i.actions.all()),
            "concern_reported_on": i.concern_reported_on,
            "minutes": i.minutes,
            "note": i.note,
        }
        for n, child in enumerate(i.children.all(), start=1):
            row[f"child_{n}_age"] = child.get_age_band_display()
            row[f"child_{n}_sex"] = child.get_sex_display()
        yield row


def export_file(*, user: Any, params: Mapping[str, Any], progress: Progress | None = None) -> JobOutput:
    fmt = params.get("format", "csv")
    qs, _criteria = search(user, filter_params(params))
    total = qs.count()
    name = f"henvendelser.{fmt}"
    if fmt == "xlsx":
        out = io.BytesIO()
        written = write_xlsx(
            [Sheet(_("Inquiries"), columns(), rows(qs))],
            out,
            progress=(lambda n: progress(n, total)) if progress else None,
        )
        return JobOutput(name, FORMATS["xlsx"], out.getvalue(), written)
    text = io.StringIO()
    written = write_csv(columns(), rows(qs), text)
    return JobOutput(name, FORMATS["csv"], text.getvalue().encode("utf-8-sig"), written)
