"""Reading CSV and XLSX files of inquiries, and guessing what their columns are."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forpost.registrations.forms import CHILD_ROWS

MAX_ROWS = 200_000


class FileError(Exception):
    """The file cannot be read (the message is for the user)."""


# Forpost's fields a column can map to, with the headers we recognise (Danish and English).
FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "date": (gettext_lazy("Date"), ("dato", "date", "henvendelsesdato", "dag")),
    "time": (gettext_lazy("Time"), ("tid", "tidspunkt", "klokkeslæt", "kl", "time")),
    "channel": (gettext_lazy("Channel"), ("kanal", "henvendelsesform", "form", "channel", "contact channel")),
    "contact_person": (
        gettext_lazy("Who made contact"),
        ("kontaktperson", "hvem henvendte sig", "henvender", "henvendelse fra", "contact person", "who"),
    ),
    "family_type": (gettext_lazy("Family type"), ("familietype", "familieform", "family type", "family")),
    "parent_sex": (gettext_lazy("The contacting parent's sex"), ("forælders køn", "køn forælder", "parent sex")),
    "origin": (gettext_lazy("Origin"), ("herkomst", "oprindelse", "origin")),
    "residence": (gettext_lazy("Residence"), ("bopæl", "bor", "residence")),
    "district": (gettext_lazy("District"), ("bydel", "district", "bydel bopæl")),
    "has_case": (gettext_lazy("Case at the family unit"), ("sag", "kendt sag", "sag i bfe", "has case", "case")),
    "referral_source": (
        gettext_lazy("Found us through"),
        ("henvist af", "kilde", "fandt os", "hvordan fandt de os", "referral source", "source", "found us through"),
    ),
    "themes": (gettext_lazy("Themes"), ("temaer", "tema", "emne", "emner", "themes", "theme")),
    "actions": (gettext_lazy("Actions"), ("handlinger", "handling", "indsats", "actions", "action")),
    "concern_reported_on": (
        gettext_lazy("Report of concern made on"),
        ("underretning", "underretningsdato", "underretning dato", "concern", "report of concern"),
    ),
    "minutes": (gettext_lazy("Minutes used"), ("minutter", "tidsforbrug", "varighed", "minutes", "duration")),
    "note": (gettext_lazy("Note"), ("note", "bemærkning", "bemærkninger", "notat", "comment")),
}
for _i in range(1, CHILD_ROWS + 1):
    FIELDS[f"child_{_i}_age"] = (
        gettext_lazy("Child %(n)s: age") % {"n": _i},
        (f"barn {_i} alder", f"alder barn {_i}", f"child {_i} age", *(("alder", "barnets alder") if _i == 1 else ())),
    )
    FIELDS[f"child_{_i}_sex"] = (
        gettext_lazy("Child %(n)s: sex") % {"n": _i},
        (f"barn {_i} køn", f"køn barn {_i}", f"child {_i} sex", *(("barnets køn",) if _i == 1 else ())),
    )


def _key(text: Any) -> str:
    return re.sub(r"[^0-9a-zæøå]+", " ", str(text or "").casefold()).strip()


def guess_columns(headers: list[str]) -> dict[str, str]:
    """Header → field for the headers we recognise (each field at most once)."""
    table: dict[str, str] = {}
    for field, (label, names) in FIELDS.items():
        # The labels (Danish and English) too: they are the export's headings.
        labels = []
        for lang in ("da", "en"):
            with translation.override(lang):
                labels.append(str(label))
        for name in (field.replace("_", " "), *labels, *names):
            table.setdefault(_key(name), field)
    guessed: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = table.get(_key(header), "")
        if field and field not in taken:
            guessed[header] = field
            taken.add(field)
    return guessed


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The file is not text in UTF-8 or Windows encoding."))


def _csv(raw: bytes) -> Iterator[list[Any]]:
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx(raw: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileError(_("The file is not a workbook Forpost can read (XLSX).")) from exc
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)


def read_table(name: str, stream: IO[bytes]) -> Table:
    """The first row as headers and every non-empty row after it."""
    raw = stream.read()
    lower = name.lower()
    if lower.endswith(".xlsx"):
        rows_in = _xlsx(raw)
    elif lower.endswith((".csv", ".txt")):
        rows_in = _csv(raw)
    else:
        raise FileError(_("Upload a CSV or an XLSX file."))
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(rows_in)]
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise FileError(_("The file is not a CSV file Forpost can read.")) from exc
    if not any(headers):
        raise FileError(_("The first row must hold the column headings."))
    headers = [h or f"({i + 1})" for i, h in enumerate(headers)]
    rows: list[list[Any]] = []
    try:
        for row in rows_in:
            if not any(v not in (None, "") and str(v).strip() for v in row):
                continue
            rows.append(list(row) + [None] * (len(headers) - len(row)))
            if len(rows) > MAX_ROWS:
                raise FileError(_("The file has more than %(n)s rows; split it.") % {"n": f"{MAX_ROWS:,}"})
    except csv.Error as exc:
        raise FileError(_("The file is not a CSV file Forpost can read.")) from exc
    return Table(headers=headers, rows=rows)
