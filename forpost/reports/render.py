"""Renderers of an AnnualStatus: HTML (page), PDF (WeasyPrint), XLSX (openpyxl) and JSON."""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forpost.core.exports import neutralise
from forpost.core.suppression import SECONDARY_MARK, Cell

from .status import AnnualStatus, Table


def legend(threshold: int) -> list[dict[str, str]]:
    """What the marks of hidden numbers mean (page, PDF, workbook and JSON)."""
    return [
        {
            "mark": f"<{threshold}",
            "kind": "primary",
            "meaning": _("a count from 1 to %(n)s, hidden so that no family can be recognised") % {"n": threshold - 1},
        },
        {
            "mark": SECONDARY_MARK,
            "kind": "secondary",
            "meaning": _(
                "hidden only so that another hidden number cannot be worked out (a count of %(n)s or more), "
                "or a share computed from a hidden count"
            )
            % {"n": threshold},
        },
    ]


def render_html(status: AnnualStatus, *, request: Any = None) -> str:
    return render_to_string("reports/annual_status_print.html", {"status": status}, request=request)


# The page links its stylesheet and fonts by their static URLs, as a browser would load them;
# WeasyPrint reads those from the static files on disk (never over the network), so the same
# references work in development (finders) and after collectstatic (hashed names in STATIC_ROOT).
PDF_BASE_URL = "https://forpost.invalid/"


def _static_file(url: str) -> Path | None:
    from urllib.parse import unquote, urlsplit

    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    path = unquote(urlsplit(url).path)
    prefix = urlsplit(settings.STATIC_URL).path
    if not url.startswith(PDF_BASE_URL) or not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found)
    try:
        stored = Path(staticfiles_storage.path(name))
    except (NotImplementedError, ValueError):
        return None
    return stored if stored.is_file() else None


def _static_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            found = _static_file(url)
            if found is None:
                raise ValueError(f"Only Forpost's static files are read: {url}")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), headers={"Content-Type": content_type})

    return StaticFetcher()


def render_pdf(status: AnnualStatus) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/annual_status_print.html", {"status": status, "print": True})
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_fetcher()).write_pdf()


def _xlsx_value(value: Any, threshold: int) -> Any:
    if isinstance(value, Cell):
        return value.display(threshold) if value.suppressed else value.value
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # a number stays a number in the workbook
    return neutralise(str(value))


def _sheet_title(text: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip()[:28] or "Ark"
    title, n = clean, 2
    while title.lower() in used:
        title = f"{clean[:26]} {n}"
        n += 1
    used.add(title.lower())
    return title


def render_xlsx(status: AnnualStatus) -> bytes:
    """One sheet per section; numbers as numbers, hidden cells as the text "<5"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    bold = Font(bold=True)
    centres_sheet = None
    about = book.create_sheet(_sheet_title(_("About the status"), used))
    about.append([neutralise(status.title)])
    about["A1"].font = Font(bold=True, size=14)
    if status.suppressed:
        for item in legend(status.threshold):
            about.append([neutralise(item["mark"]), neutralise(item["meaning"])])
    if status.preliminary_note:
        about.append([neutralise(_("The year is not over.")), neutralise(status.preliminary_note)])
    about.append([neutralise(_("Made")), status.generated_at.astimezone(timezone.get_current_timezone()).date()])
    about.cell(row=about.max_row, column=2).number_format = "DD-MM-YYYY"
    about.column_dimensions["A"].width = 42
    about.column_dimensions["B"].width = 48
    book.properties.title = status.title
    for section in status.sections:
        if section.key.startswith("centre-"):
            # The city file's page per centre: one sheet for them all, a block per centre.
            if centres_sheet is None:
                centres_sheet = book.create_sheet(_sheet_title(_("The centres one by one"), used))
                centres_sheet.column_dimensions["A"].width = 42
            ws = centres_sheet
            if ws.max_row > 1:
                ws.append([])
            ws.append([neutralise(section.title)])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13)
        else:
            ws = book.create_sheet(_sheet_title(section.title, used))
            ws.append([neutralise(section.title)])
            ws["A1"].font = Font(bold=True, size=14)
        if section.no_data:
            ws.append([neutralise(section.intro)])
            continue
        for label, value in section.facts:
            ws.append([neutralise(label), _xlsx_value(value, status.threshold)])
        for table in section.tables:
            _append_table(ws, table, status.threshold, bold)
        for heading, text in section.texts:
            ws.append([])
            ws.append([neutralise(heading)])
            ws.cell(row=ws.max_row, column=1).font = bold
            ws.append([neutralise(text)])
        ws.column_dimensions["A"].width = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append_table(ws: Any, table: Table, threshold: int, bold: Any) -> None:
    ws.append([])
    ws.append([neutralise(table.title)])
    ws.cell(row=ws.max_row, column=1).font = bold
    ws.append([neutralise(c) for c in table.columns])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in table.rows:
        ws.append([neutralise(row.label), *(_xlsx_value(v, threshold) for v in row.cells)])
    if table.total is not None:
        ws.append([neutralise(table.total.label), *(_xlsx_value(v, threshold) for v in table.total.cells)])
        for cell in ws[ws.max_row]:
            cell.font = bold
    if table.note:
        ws.append([neutralise(table.note)])


def as_json(status: AnnualStatus) -> dict[str, Any]:
    def value(v: Any) -> Any:
        if isinstance(v, Cell):
            if v.suppressed:
                return {"suppressed": True, "display": v.display(status.threshold), "kind": v.kind}
            return v.value
        return v

    return {
        "year": status.year,
        "title": status.title,
        "language": translation.get_language(),
        "centres": [c.slug for c in status.centres],
        "suppressed": status.suppressed,
        "threshold": status.threshold,
        "legend": legend(status.threshold) if status.suppressed else [],
        "generated_at": status.generated_at.isoformat(),
        "preliminary": status.preliminary_until is not None,
        "data_until": status.preliminary_until.isoformat() if status.preliminary_until else None,
        "period_note": status.preliminary_note,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "no_data": s.no_data,
                "facts": [{"label": f.label, "value": value(f.value), "metric": f.metric} for f in s.facts],
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "columns": list(t.columns),
                        "metrics": list(t.metrics),
                        "dimension": t.dimension,
                        "adds_up": t.adds_up,
                        "rows": [
                            {"label": r.label, "key": r.key, "metric": r.metric, "cells": [value(c) for c in r.cells]}
                            for r in t.rows
                        ],
                        "total": None
                        if t.total is None
                        else {"label": t.total.label, "cells": [value(c) for c in t.total.cells]},
                        "note": t.note,
                    }
                    for t in s.tables
                ],
                "texts": [{"heading": h, "text": t} for h, t in s.texts],
                "notes": list(s.notes),
            }
            for s in status.sections
        ],
    }
