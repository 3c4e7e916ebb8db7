"""Danish formats wherever a Dane reads the status: a decimal comma, a thousands point, and one
date style, "1. december 2026", everywhere (forpost/core/formats/da). The test reads the Danish
pages (the status, its summary on the management dashboard, the approval queue and a
publication), the PDF's text and the workbook's displayed values, and fails on an English
decimal, an ISO date, a dashed or dotted date or an English month abbreviation."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from forpost.core.formats import values
from forpost.reports.queries import city_status
from forpost.reports.render import pdf_document, render_xlsx

from .status_data import year_of_inquiries

ENGLISH = {
    "English decimal": re.compile(r"(?<![\d.,])[-+]?\d+\.\d{1,2}(?![\d.])"),
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "dotted date": re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    "dashed date": re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b"),
    "English month": re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"),
}


def english_formats(text: str) -> list[str]:
    return [
        f"{name}: {m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 10]!r}"
        for name, pattern in ENGLISH.items()
        for m in pattern.finditer(text)
    ]


@pytest.fixture
def data(cast):
    year_of_inquiries(cast)
    return cast


def test_the_check_catches_each_english_format():
    text = "0.84 (0.82–0.87), +2.8, 2010-01-01, 01.12.2026, 01-01-2025, 30. Nov, Sept"
    found = english_formats(text)
    assert len(found) == 9, found
    assert english_formats("0,84 (0,82–0,87), +2,8, 51.171, 1. december 2026, kl. 14:30, sep.") == []


def main_text(response) -> str:
    """The page's main content as a reader sees it (tags become spaces: a chart's "5" and
    "jan." are two texts, not "5jan.")."""
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_the_danish_page_has_danish_formats(client_for, data):
    page = client_for(data.erin).get(reverse("reports:city"), {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="da")
    assert english_formats(main_text(page)) == []


def test_the_summary_on_the_management_dashboard_has_danish_formats(client_for, data):
    page = client_for(data.frank).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="da")
    text = main_text(page)
    assert "fp-headlines" in page.content.decode()
    assert english_formats(text) == []


def test_the_approval_queue_writes_its_dates_the_danish_way(client_for, data):
    from forpost.collaboration.testing import make_activity
    from forpost.concepts.models import AttestationStatus
    from forpost.concepts.testing import make_attestation

    attestation = make_attestation(
        data.norrebro, year=2025, by=data.bob, comment="Fælles supervision", status=AttestationStatus.SUBMITTED
    )
    attestation.period_start, attestation.period_end = datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)
    attestation.save()
    attestation.activities.add(make_activity(data.norrebro, date=datetime.date(2025, 3, 4)))
    text = main_text(client_for(data.erin).get(reverse("concepts:review"), HTTP_ACCEPT_LANGUAGE="da"))
    assert "1. januar 2025–30. juni 2025" in text and "4. marts 2025" in text
    assert english_formats(text) == []


def test_a_publication_writes_its_dates_the_danish_way(client_for, data):
    from forpost.reports.testing import make_publication

    publication = make_publication(year=2025, by=data.erin)
    text = main_text(
        client_for(data.erin).get(reverse("reports:publication", args=[publication.pk]), HTTP_ACCEPT_LANGUAGE="da")
    )
    assert formats_long_date(publication.published_at) in text
    assert english_formats(text) == []
    listing = main_text(client_for(data.erin).get(reverse("reports:publications"), HTTP_ACCEPT_LANGUAGE="da"))
    assert english_formats(listing) == []


def test_opening_hours_closures_and_holidays_are_named_the_danish_way(cast):
    """Their names (the administration's pages and the audit log show them) wrote ISO dates,
    "2030-07-01 – 2030-07-31"."""
    from forpost.centres.testing import make_closure, make_holiday_override, make_pattern

    pattern = make_pattern(cast.norrebro, valid_from=datetime.date(2029, 1, 1), valid_to=datetime.date(2029, 12, 31))
    closure = make_closure(cast.norrebro)
    holiday = make_holiday_override(cast.norrebro, datetime.date(2030, 12, 24))
    with translation.override("da"):
        names = [str(pattern), str(closure), str(holiday)]
    assert names[0].endswith("1. januar 2029 – 31. december 2029")
    assert names[1].endswith("1. juli 2030 – 31. juli 2030: Sommerferie")
    assert names[2].endswith("24. december 2030")
    assert english_formats(" ".join(names)) == []


def formats_long_date(moment) -> str:
    from django.utils import timezone

    with translation.override("da"):
        return values.long_date(timezone.localtime(moment).date())


def test_the_danish_pdf_has_danish_formats(data):
    with translation.override("da"):
        document = pdf_document(city_status(user=data.erin, year=2025, for_file=True))
    text = []

    def walk(box):
        if hasattr(box, "text") and box.text:
            text.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    assert len(text) > 100
    assert english_formats("\n".join(text)) == []


def test_the_danish_workbook_shows_danish_formats(data):
    with translation.override("da"):
        book = load_workbook(io.BytesIO(render_xlsx(city_status(user=data.erin, year=2025, for_file=True))))
    texts, dates = [], []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                elif isinstance(cell.value, datetime.date | datetime.datetime):
                    dates.append(cell.number_format)
    assert english_formats("\n".join(texts)) == []
    # Dates are dates, shown day-month-year; numbers are numbers (test_workbook).
    assert dates and set(dates) == {values.DATE}


def test_danish_numbers_use_a_decimal_comma_and_a_thousands_point():
    with translation.override("da"):
        assert values.count(51171) == "51.171"
        assert values.decimal(0.8412, 2) == "0,84"
        assert values.decimal(2.8, 1, signed=True) == "+2,8"
        assert values.interval(0.84, 0.82, 0.87) == "0,84 (0,82–0,87)"
        assert values.fraction(0.104) == "10 %"
        assert [values.short_month(m) for m in (9, 11)] == ["sep.", "nov."]
    with translation.override("en"):
        assert values.decimal(0.8412, 2) == "0.84"
        assert values.count(51171) == "51,171"


def test_a_change_that_rounds_to_nothing_has_no_sign():
    """Seen on the national summary: "-0 procentpoint fra 2024" for a share 0.3 points down."""
    with translation.override("da"):
        assert values.decimal(-0.3, 0, signed=True) == "0"
        assert values.decimal(0.3, 0, signed=True) == "0"
        assert values.decimal(-0.04, 1, signed=True) == "0,0"
        assert values.decimal(-1.4, 0, signed=True) == "-1"
        assert values.decimal(0.6, 0, signed=True) == "+1"


def test_what_needs_attention_counts_centres_the_danish_way(cast, monkeypatch):
    """Seen on the national summary: "Ikke opfyldt i 1000 af 1000 rådgivninger" (the thousands
    point is missing). The numbers of centres are written as counts ("1.000"): here every count
    is marked, to see that they go through it."""
    from forpost.reports import summary

    monkeypatch.setattr(summary.values, "count", lambda value: f"«{value}»")
    with translation.override("da"):
        status = city_status(user=cast.erin, year=2025)
    attention = status.sections[0].extra["summary"].attention
    assert attention, "the cast leaves requirements not met"
    total = len(status.centres)
    assert all(re.search(rf"i «\d+» af «{total}» rådgivninger", text) for text, _anchor in attention), attention
