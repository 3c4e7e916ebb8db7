import io
from dataclasses import dataclass
from datetime import date

from openpyxl import load_workbook

from forpost.core.exports import Column, Sheet, neutralise, write_csv, write_xlsx


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    day: date


COLUMNS = [Column("label", "Label"), Column("count", "Antal"), Column("day", "Dato")]


def test_formula_starts_are_neutralised():
    for text in ["=1+1", "+45", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(text) == "'" + text
    assert neutralise("Nørrebro") == "Nørrebro"
    assert neutralise(-2) == -2


def test_csv_keeps_numbers_and_neutralises_text():
    out = io.StringIO()
    rows = [Row('=HYPERLINK("http://x")', 3, date(2026, 5, 1)), Row("Valby", -1, date(2026, 5, 2))]
    assert write_csv(COLUMNS, rows, out) == 2
    lines = out.getvalue().splitlines()
    assert lines[0] == "Label;Antal;Dato"
    assert lines[1].startswith("\"'=HYPERLINK")
    assert lines[2] == "Valby;-1;2026-05-02"


def test_xlsx_stores_numbers_as_numbers_and_text_safely():
    out = io.BytesIO()
    write_xlsx([Sheet("Henvendelser", COLUMNS, [Row("@cmd", 7, date(2026, 1, 2))])], out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["Henvendelser"]
    assert [c.value for c in ws[1]] == ["Label", "Antal", "Dato"]
    assert ws["A2"].value == "'@cmd"
    assert ws["B2"].value == 7
    assert ws["B2"].data_type == "n"


def test_rows_beyond_the_sheet_limit_go_on_in_new_sheets():
    out = io.BytesIO()
    rows = [Row(f"r{i}", i, date(2026, 1, 1)) for i in range(7)]
    written = write_xlsx([Sheet("Data", COLUMNS, rows)], out, max_rows=3)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert written == 7
    assert book.sheetnames == ["Data", "Data (2)", "Data (3)"]
    assert [book[name].max_row - 1 for name in book.sheetnames] == [3, 3, 1]
    assert book["Data (3)"]["B2"].value == 6


def test_the_real_limit_is_excels():
    from forpost.core.exports import XLSX_MAX_DATA_ROWS

    assert XLSX_MAX_DATA_ROWS + 1 == 1_048_576


def test_an_empty_sheet_keeps_its_header():
    out = io.BytesIO()
    write_xlsx([Sheet("Tom: [x]", COLUMNS, [])], out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Tom   x"]
    assert [c.value for c in book["Tom   x"][1]] == ["Label", "Antal", "Dato"]
