"""Every place that shows numbers beyond one centre goes through the year's disclosure pass, or
follows the same rule: the management dashboard's summary, the API's statistics, and the year
wheel across the city (issue 12)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.accounts.services import create_api_token
from forpost.core.disclosure import masked_text, masked_value
from forpost.reports import disclosure
from forpost.reports.disclosure import CITY, Plan

from .status_data import year_of_inquiries


@pytest.fixture
def city_total_hidden(monkeypatch):
    """A plan that hides the city's number of inquiries to protect another cell: whatever shows
    that number must show the mark instead, wherever it is shown."""

    def plan(year: int, *, threshold: int, width: int | None = None) -> Plan:
        return Plan(year=year, threshold=threshold, kinds={(CITY, "total", ""): "secondary"})

    monkeypatch.setattr(disclosure, "year_plan", plan)


def test_the_management_dashboard_marks_what_the_pass_hides(cast, client_for, city_total_hidden):
    year = timezone.localdate().year - 1
    year_of_inquiries(cast, year)
    page = client_for(cast.frank).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    headlines = page[page.index('class="fp-headlines"') :][:3000]
    assert "×" in headlines
    assert ">60<" not in headlines  # the 60 inquiries of the year (status_data) are not shown


def test_the_apis_statistics_mark_what_the_pass_hides(cast, client, city_total_hidden, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    year = timezone.localdate().year - 1
    year_of_inquiries(cast, year)
    token = create_api_token(actor=cast.erin, name="stats")[1]
    data = client.get(f"/api/v1/status/{year}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    volume = next(s for s in data["sections"] if s["key"] == "volume")
    assert volume["facts"][0]["value"] == {"suppressed": True, "display": "×", "kind": "secondary"}
    summary = next(s for s in data["sections"] if s["key"] == "summary")
    headline = next(r for r in summary["tables"][0]["rows"] if r["key"] == "inquiries")
    assert isinstance(headline["cells"][0], dict) and headline["cells"][0]["suppressed"]
    young = next(r for r in summary["tables"][0]["rows"] if r["key"] == "young")
    assert young["cells"][0] == "×"  # a share of a hidden count is hidden too


def _value(value, unit="count", parts=None):
    return SimpleNamespace(value=value, unit=unit, parts=parts, display=lambda: str(value))


def test_the_wheels_rule_hides_small_counts_of_people_and_shares_that_pin_them():
    assert masked_value(_value(3), "referrals", 5) == "<5"
    assert masked_value(_value(3), "", 5) == "<5"  # a number the catalogue does not know: hidden
    assert masked_value(_value(12), "referrals", 5) == "12"
    assert masked_value(_value(0.97, "share", (34, 35)), "", 5) == "×"  # one of 35 was not
    assert masked_value(_value(0.5, "share", (10, 20)), "", 5) == "0.5"
    assert (
        masked_text("3 henvendelser blev ikke talt med den 12.03.", 5)
        == "<5 henvendelser blev ikke talt med den 12.03."
    )


def test_the_year_wheel_across_the_city_shows_each_centres_value_by_the_rule(cast, client_for, monkeypatch):
    from forpost.core import disclosure as core

    monkeypatch.setattr(core, "masked_value", lambda value, key, threshold: "MASKED")
    page = client_for(cast.erin).get(reverse("concepts:city", args=[timezone.localdate().year])).content.decode()
    assert "MASKED" in page
    # A centre's own coordinator sees their own wheel's numbers as they are.
    own = client_for(cast.bob).get(
        reverse("concepts:wheel", kwargs={"slug": cast.norrebro.slug, "year": timezone.localdate().year})
    )
    assert "MASKED" not in own.content.decode()
