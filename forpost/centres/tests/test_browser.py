"""The coordinator's hours, staffing and budget pages in Chromium, checked by axe-core."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from forpost.centres.models import OpeningHoursPattern
from forpost.centres.testing import make_allocation, make_budget, make_closure, make_pattern
from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_a_coordinator_keeps_the_hours_with_the_keyboard_and_mouse(browser_page, live_server, cast):
    page = browser_page
    browser_login(page, live_server, cast.bob)
    page.goto(live_server.url + reverse("centres:pattern_create", kwargs={"slug": "norrebro"}))
    assert_accessible(page)
    page.fill("#id_valid_from", "2025-01-01")
    page.select_option("#id_slots-0-weekday", "0")
    page.fill("#id_slots-0-starts_at", "14:00")
    page.fill("#id_slots-0-ends_at", "17:00")
    page.select_option("#id_slots-1-weekday", "3")
    page.fill("#id_slots-1-starts_at", "10:00")
    page.fill("#id_slots-1-ends_at", "12:00")
    page.click("button:has-text('Gem åbningstider')")
    page.wait_for_url(live_server.url + reverse("centres:hours", kwargs={"slug": "norrebro"}))
    assert OpeningHoursPattern.objects.filter(centre=cast.norrebro).count() == 1
    assert page.get_by_role("status").first.inner_text().strip() == "Åbningstiderne er gemt."
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "centres-hours.png"), full_page=True)

    # A second, overlapping pattern is refused with the reason, and the typed dates stay.
    page.goto(live_server.url + reverse("centres:pattern_create", kwargs={"slug": "norrebro"}))
    page.fill("#id_valid_from", "2025-06-01")
    page.click("button:has-text('Gem åbningstider')")
    assert "overlapper" in page.get_by_role("alert").first.inner_text()
    assert page.input_value("#id_valid_from") == "2025-06-01"
    assert_accessible(page)


def test_the_staffing_and_budget_pages_are_accessible(browser_page, live_server, cast):
    make_pattern(cast.norrebro, valid_from=date(2024, 1, 1))
    make_closure(cast.norrebro, starts_on=date(2026, 7, 6), ends_on=date(2026, 7, 24))
    make_allocation(cast.norrebro, hours_per_week="4", valid_from=date(2024, 1, 1))
    make_budget(cast.norrebro)
    page = browser_page
    browser_login(page, live_server, cast.bob)
    for name in ("detail", "staffing", "budget"):
        page.goto(live_server.url + reverse(f"centres:{name}", kwargs={"slug": "norrebro"}))
        assert_accessible(page)
    page.click("button:has-text('Bekræft at budgettet er kendt')")
    page.wait_for_load_state()
    assert "Bekræftet" in page.content()
    page.goto(live_server.url + reverse("core:dashboard"))
    assert "Konceptets minimumskrav" in page.content()
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "centres-dashboard.png"), full_page=True)


def test_management_enters_a_budget(browser_page, live_server, cast):
    page = browser_page
    browser_login(page, live_server, cast.frank)
    page.goto(live_server.url + reverse("centres:budget", kwargs={"slug": "norrebro"}))
    page.fill("#id_amount", "450.000")
    page.click("button:has-text('Gem budget')")
    page.wait_for_load_state()
    assert "450.000" in page.locator("table").inner_text()
    assert_accessible(page)
