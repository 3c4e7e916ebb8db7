"""Numbers as the reader's language writes them, that still know the number they show.

A status cell such as "10 %" or "0,84 (0,82–0,87)" is text on the page and in the PDF, but an
analyst's workbook needs the number 0.1 with the format `0%`. `Shown` is a `str` (so templates,
JSON and comparisons treat it as the text it reads as) that carries the value and the workbook's
number format beside it. Danish: decimal comma, thousands point ("51.171", "0,84", "+2,8").
"""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation
from django.utils.dates import MONTHS, MONTHS_3

# Excel number formats (the workbook shows them in the reader's locale: "10 %", "1.234", "0,84").
COUNT = "#,##0"
SHARE = "0%"
ONE_DECIMAL = "0.0"
TWO_DECIMALS = "0.00"
# The one date style: "1. december 2026" (the spreadsheet writes the month in its own language).
DATE = "d. mmmm yyyy"


class Shown(str):
    """Text as shown, with the number it stands for (`value`) and the workbook's number format."""

    value: float | int
    number_format: str
    low: float | None
    high: float | None

    def __new__(
        cls,
        text: str,
        value: float | int,
        number_format: str,
        *,
        low: float | None = None,
        high: float | None = None,
    ) -> Shown:
        shown = super().__new__(cls, text)
        shown.value = value
        shown.number_format = number_format
        shown.low = low
        shown.high = high
        return shown

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (str(self), self.value, self.number_format, self.low, self.high))


def _rebuild(text: str, value: float, fmt: str, low: float | None, high: float | None) -> Shown:
    return Shown(text, value, fmt, low=low, high=high)


def _localised(value: float | int, places: int | None = None) -> str:
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def count(value: int) -> Shown:
    """A count: "51.171" in Danish, "51,171" in English."""
    return Shown(_localised(int(value)), int(value), COUNT)


def share(part: float, whole: float) -> Shown | str:
    """A share of a whole as a whole percent ("10 %"); "–" when there is no whole."""
    if not whole:
        return "–"
    return fraction(part / whole)


def fraction(value: float) -> Shown:
    """A fraction (0.1) as a whole percent ("10 %")."""
    return Shown(f"{_localised(round(100 * value))} %", value, SHARE)


def decimal(value: float, places: int = 1, *, signed: bool = False) -> Shown:
    """A decimal number with the reader's decimal mark ("0,84"; "+2,8" when signed)."""
    rounded = round(value, places) + 0.0  # + 0.0: a value that rounds to nothing has no sign ("-0")
    text = _localised(rounded, places)
    if signed and rounded > 0:
        text = "+" + text
    fmt = "0." + "0" * places if places else "0"
    return Shown(text, value, ("+" + fmt + ";-" + fmt + ";0") if signed else fmt)


def interval(value: float, low: float, high: float, places: int = 2) -> Shown:
    """A ratio with its interval: "0,84 (0,82–0,87)". The workbook shows the three numbers."""
    text = f"{_localised(round(value, places), places)} ({_localised(round(low, places), places)}–{_localised(round(high, places), places)})"
    return Shown(text, value, "0." + "0" * places, low=low, high=high)


# The Danish abbreviations of the months as Dansk Sprognævn writes them (no "Sept", no capitals).
_DANISH_SHORT_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def short_month(month: int) -> str:
    if (translation.get_language() or "").startswith("da"):
        return _DANISH_SHORT_MONTHS[month - 1]
    return str(MONTHS_3[month]).capitalize()


def month_name(month: int) -> str:
    return str(MONTHS[month])


def long_date(day: date) -> str:
    """The one date style of the status and its files: "1. december 2026" in Danish."""
    return formats.date_format(day, "DATE_FORMAT")
