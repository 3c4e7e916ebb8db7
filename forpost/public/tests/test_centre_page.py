"""A centre's page: "this week" runs from today, and the structured data carries every
closure the page announces."""

import json
import re
from datetime import date, datetime

import pytest
from django.utils import timezone

from forpost.centres.hours import COPENHAGEN
from forpost.centres.testing import make_closure
from forpost.public.languages import public_reverse


def page(client, centre, language="da"):
    response = client.get(public_reverse("public:centre", language, slug=centre.slug))
    assert response.status_code == 200
    return response.content.decode()


def weeks(html):
    """{title: [day labels]} for the two tables of drop-in hours."""
    found = {}
    for title, table in re.findall(
        r'<h3 class="h4">([^<]+?) <span.*?</h3>\s*<table class="pub-hours">(.*?)</table>', html, re.S
    ):
        found[title] = re.findall(r'<span class="pub-day">([^<]+)</span>', table)
    return found


def structured(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def at(monkeypatch, *args):
    monkeypatch.setattr(timezone, "now", lambda: datetime(*args, tzinfo=COPENHAGEN))


def test_on_sunday_this_week_lists_the_days_ahead(client, centre, monkeypatch):
    at(monkeypatch, 2025, 9, 7, 10)  # Sunday
    html = page(client, centre)
    assert weeks(html) == {
        "Denne uge": ["Mandag 8. september", "Torsdag 11. september"],
        "Næste uge": ["Mandag 15. september", "Torsdag 18. september"],
    }
    assert "Mandag 1. september" not in html
    assert '(uge <bdi dir="ltr">36–37</bdi>)' in html and '(uge <bdi dir="ltr">37–38</bdi>)' in html


def test_on_wednesday_this_week_runs_to_next_tuesday(client, centre, monkeypatch):
    at(monkeypatch, 2025, 9, 3, 10)
    assert weeks(page(client, centre))["Denne uge"] == ["Torsdag 4. september", "Mandag 8. september"]


def test_on_monday_the_weeks_are_the_calendar_weeks(client, centre, fixed_now):
    html = page(client, centre)
    assert weeks(html)["Denne uge"] == ["Mandag 1. september", "Torsdag 4. september"]
    assert '(uge <bdi dir="ltr">36</bdi>)' in html and '(uge <bdi dir="ltr">37</bdi>)' in html


@pytest.fixture
def christmas(centre):
    make_closure(centre, starts_on=date(2025, 12, 22), ends_on=date(2026, 1, 2), reason="Juleferie")
    make_closure(centre, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2), reason="Temadag")
    return centre


def closed_spans(html):
    return [(s["validFrom"], s["validThrough"]) for s in structured(html).get("specialOpeningHoursSpecification", [])]


def test_the_structured_data_carries_the_christmas_closure_the_page_announces(client, christmas, monkeypatch):
    at(monkeypatch, 2025, 12, 1, 10)
    html = page(client, christmas)
    assert "<bdi>Juleferie</bdi>" in html
    assert ("2025-12-22", "2026-01-02") in closed_spans(html)
    for spec in structured(html)["specialOpeningHoursSpecification"]:
        assert (spec["@type"], spec["opens"], spec["closes"]) == ("OpeningHoursSpecification", "00:00", "00:00")


def test_closures_more_than_eight_weeks_ahead_are_neither_announced_nor_in_the_data(client, christmas, monkeypatch):
    at(monkeypatch, 2025, 12, 1, 10)
    html = page(client, christmas)
    assert "Temadag" not in html
    assert ("2026-03-02", "2026-03-02") not in closed_spans(html)
    # Eight weeks before it, it is both.
    at(monkeypatch, 2026, 1, 6, 10)
    html = page(client, christmas)
    assert "Temadag" in html
    assert ("2026-03-02", "2026-03-02") in closed_spans(html)


def test_public_holidays_that_would_have_had_drop_in_are_in_the_data(client, centre, monkeypatch):
    at(monkeypatch, 2025, 5, 26, 9)
    spans = closed_spans(page(client, centre))
    # Ascension Day (Thursday 29 May) and Whit Monday (9 June) fall on drop-in days.
    assert ("2025-05-29", "2025-05-29") in spans
    assert ("2025-06-09", "2025-06-09") in spans
    assert all(start >= "2025-05-26" for start, _end in spans)


@pytest.mark.parametrize(("language", "text"), [("da", "Svar på kortet"), ("ar", "أجب على البطاقة")])
def test_the_page_links_to_the_centres_feedback_card_in_its_language(client, centre, language, text):
    html = page(client, centre, language)
    card = public_reverse("feedback:card", language, slug=centre.slug)
    assert f'href="{card}">{text}</a>' in html
    assert client.get(card).status_code == 200
