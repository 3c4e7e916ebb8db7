"""Rows to CSV and XLSX, safely.

Rows come first (small frozen dataclasses or mappings from a queries module); these
writers only render them. Every text cell that a spreadsheet could read as a formula is
neutralised, numbers stay numbers, and a sheet that would pass Excel's row limit goes on
in a new sheet.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

# Excel's limit is 1,048,576 rows a sheet; one is the header.
XLSX_MAX_DATA_ROWS = 1_048_575
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]


def neutralise(value: Any) -> Any:
    """A text that starts like a formula gets a leading apostrophe, so it stays text (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _get(row: Any, key: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(key)
    if dataclasses.is_dataclass(row):
        return getattr(row, key)
    return getattr(row, key, None)


def cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        # Spreadsheets have no time zones: local wall-clock time, as the users read it.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return neutralise(", ".join(str(v) for v in value))
    return neutralise(str(value))


def write_csv(columns: Sequence[Column], rows: Iterable[Any], out: IO[str]) -> int:
    """Semicolon-separated (Danish Excel's default) UTF-8 CSV; returns the number of rows."""
    writer = csv.writer(out, delimiter=";")
    writer.writerow([neutralise(c.label) for c in columns])
    count = 0
    for row in rows:
        values = []
        for c in columns:
            value = cell_value(_get(row, c.key))
            if isinstance(value, datetime.datetime | datetime.date):
                value = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
            values.append("" if value is None else value)
        writer.writerow(values)
        count += 1
    return count


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_xlsx(
    sheets: Sequence[Sheet],
    out: IO[bytes],
    *,
    max_rows: int = XLSX_MAX_DATA_ROWS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """A workbook with one sheet per Sheet, continued in "Title (2)", … past `max_rows`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    total = 0
    for sheet in sheets:
        parts = _chunks(sheet.rows, max_rows)
        first = True
        number = 1
        for part in parts:
            ws = workbook.create_sheet(_sheet_title(sheet.title, number))
            header = []
            for c in sheet.columns:
                cell = WriteOnlyCell(ws, value=neutralise(c.label))
                cell.font = bold
                header.append(cell)
            ws.append(header)
            for row in part:
                ws.append([cell_value(_get(row, c.key)) for c in sheet.columns])
                total += 1
                if progress is not None and total % 5000 == 0:
                    progress(total)
            number += 1
            first = False
        if first:  # an empty sheet still shows its header
            ws = workbook.create_sheet(_sheet_title(sheet.title, 1))
            ws.append([neutralise(c.label) for c in sheet.columns])
    workbook.save(out)
    if progress is not None:
        progress(total)
    return total


def _sheet_title(title: str, number: int) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or "Ark"
    suffix = f" ({number})" if number > 1 else ""
    return clean[: 31 - len(suffix)] + suffix
