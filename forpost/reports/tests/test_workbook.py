"""The workbook is for analysts: numbers they can pivot without retyping one."""

import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.styles import Font

from forpost.reports.queries import city_status
from forpost.reports.render import SHEET_NAME_LIMIT, SHEET_NAMES, render_xlsx, sheet_name
from forpost.reports.sections import SECTIONS

from .status_data import year_of_inquiries

# Text that reads as a number: "10 %", "510.000", "0,84", "<5" is not (it is a hidden count).
NUMERIC_TEXT = re.compile(r"^[-+]?\d[\d.,\s]*%?$")


@pytest.fixture
def workbook(cast):
    year_of_inquiries(cast)
    with translation.override("da"):
        status = city_status(user=cast.erin, year=2025, for_file=True)
        return status, load_workbook(io.BytesIO(render_xlsx(status)))


def _numeric_text_cells(book):
    data_sheet = sheet_name("data", "")
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not NUMERIC_TEXT.match(cell.value.strip()):
                    continue
                if cell.font.bold:
                    continue  # a column header may be a year ("2024")
                if ws.title == data_sheet and cell.column <= 4:
                    continue  # the data sheet's label columns name a row or column, e.g. a year
                found.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
    return found


def test_no_sheet_holds_a_number_as_text(workbook):
    _status, book = workbook
    assert _numeric_text_cells(book) == []


def test_shares_counts_and_decimals_are_numbers_with_number_formats(workbook):
    _status, book = workbook
    ws = book["Henvendelser"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    shares = [c for c in cells if c.number_format == "0%"]
    counts = [c for c in cells if c.number_format == "#,##0"]
    assert shares and all(isinstance(c.value, int | float) and 0 <= c.value <= 1 for c in shares)
    assert counts and all(isinstance(c.value, int) for c in counts)
    minutes = next(c for c in cells if c.value == "Minutter pr. henvendelse i gennemsnit")
    assert isinstance(ws.cell(row=minutes.row, column=2).value, int | float)  # a number, not text
    # The ratio's interval is three numbers, not the text "0,84 (0,82–0,87)". (Read without
    # suppression: the city's file hides every ratio of a year this small.)
    from forpost.centres.models import Centre
    from forpost.reports.status import build_status

    with translation.override("da"):
        plain = build_status(year=2025, centres=list(Centre.objects.all()), city_wide=True, suppress=False, title="")
        rep = load_workbook(io.BytesIO(render_xlsx(plain)))["Repræsentativitet"]
    header = next(row for row in rep.iter_rows(values_only=True) if row[0] == "Herkomst")
    assert any("nedre" in str(h) for h in header) and any("øvre" in str(h) for h in header)


def test_the_workbook_check_catches_a_number_stored_as_text(workbook):
    """The check above can fail: a percent written as text is caught."""
    _status, book = workbook
    book["Henvendelser"]["B9"] = "10 %"
    book["Henvendelser"]["B9"].font = Font(bold=False)
    assert _numeric_text_cells(book) == ["Henvendelser!B9='10 %'"]


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_sheet_name_is_designed_to_fit_and_is_never_cut(language):
    with translation.override(language):
        for key in SHEET_NAMES:
            assert len(sheet_name(key, "")) <= SHEET_NAME_LIMIT, key
        # A section with a long title has a short name of its own; none is left to be cut.
        for key, _function in SECTIONS:
            if key != "centre_pages":
                assert key in SHEET_NAMES, key


def test_a_long_title_without_a_short_name_is_refused_not_cut():
    with pytest.raises(ValueError, match="longer than 31"):
        sheet_name("no_such_section", "Resultatkort i forhold til konceptet i året")


def test_headers_are_frozen_columns_have_widths_and_the_book_has_a_title(workbook):
    status, book = workbook
    assert book.properties.title == status.title
    for ws in book.worksheets:
        assert ws.freeze_panes is not None, ws.title
        frozen_row = int(re.sub(r"\D", "", ws.freeze_panes)) - 1
        assert all(c.font.bold for c in ws[frozen_row] if c.value is not None), ws.title
        widths = [d.width for letter, d in ws.column_dimensions.items() if letter != "A" and d.width]
        assert ws.column_dimensions["A"].width >= 24 and (widths or ws.max_column == 1), ws.title


def test_the_key_series_have_native_charts(workbook):
    _status, book = workbook
    charted = {ws.title for ws in book.worksheets if ws._charts}
    assert {"Henvendelser", "Målgruppe"} <= charted
    chart = book["Henvendelser"]._charts[0]
    assert chart.title is not None
