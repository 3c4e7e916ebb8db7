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


def test_a_small_number_of_inquiries_carries_the_plans_mark_in_the_summary_and_the_trends(
    cast, client, monkeypatch, settings
):
    """A small count the plan marks "×" (its "<5" would be pinned) is "×" wherever it is printed: a
    "<5" beside it in the summary would tell the reader the bound the "×" leaves out."""
    from forpost.registrations.testing import ensure_reference_data
    from forpost.reports.models import InquiryFact

    def plan(year: int, *, threshold: int, width: int | None = None) -> Plan:
        return Plan(year=year, threshold=threshold, kinds={(CITY, "total", ""): "secondary"})

    monkeypatch.setattr(disclosure, "year_plan", plan)
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    ensure_reference_data()
    year = timezone.localdate().year - 1
    InquiryFact.objects.create(centre=cast.norrebro, year=year, dimension="total", value="", count=3)
    token = create_api_token(actor=cast.erin, name="stats")[1]
    data = client.get(f"/api/v1/status/{year}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    sections = {s["key"]: s for s in data["sections"]}
    secondary = {"suppressed": True, "display": "×", "kind": "secondary"}
    assert sections["volume"]["facts"][0]["value"] == secondary
    tables = {t["key"]: t for s in data["sections"] for t in s["tables"]}
    headline = next(r for r in tables["headlines"]["rows"] if r["key"] == "inquiries")
    assert headline["cells"][0] == secondary
    trends = next(r for r in tables["trends"]["rows"] if r["key"] == "inquiries")
    assert trends["cells"][-1] == secondary
    assert tables["trend_inquiries"]["rows"][-1]["cells"][0] == secondary


def test_referrals_whose_contact_is_not_yet_known_are_one_cell_of_the_plan_with_the_unknown(cast):
    """The offers table prints "private|" (not yet known) and "private|unknown" in one cell, the
    column "Unknown": the plan protects that cell, not two it never prints."""
    from forpost.reports.models import InquiryFact

    for value, n in (("private|", 3), ("private|unknown", 2), ("public|made", 7)):
        InquiryFact.objects.create(centre=cast.norrebro, year=2025, dimension="referral_offer", value=value, count=n)
    values, _equations = disclosure.linked_counts(2025)
    for who in (cast.norrebro.pk, CITY):
        assert values[(who, "referral_offer", "private|unknown")] == 5
        assert (who, "referral_offer", "private|") not in values
        assert values[(who, "offer_status", "unknown")] == 5
        assert values[(who, "offer_kind", "__total__")] == 12
