"""A real browser logs in and reaches the dashboard; axe-core checks each page on the way."""

import pytest
from django.urls import reverse

from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counsellor_logs_in_and_reaches_the_dashboard(browser_page, live_server, cast):
    page = browser_page
    page.goto(live_server.url + reverse("accounts:login"))
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page)

    browser_login(page, live_server, cast.alice)
    assert page.locator("h1").inner_text().startswith("Velkommen")
    assert "Familierådgivningen Nørrebro" in page.content()
    assert_accessible(page)

    page.click(f"nav a[href='{reverse('centres:list')}']")
    page.wait_for_url(live_server.url + reverse("centres:list"))
    assert_accessible(page)


def test_central_staff_search_the_audit_trail_in_english(browser_page, live_server, cast):
    page = browser_page
    browser_login(page, live_server, cast.erin)
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + reverse("accounts:audit"))
    assert page.locator("h1").inner_text() == "Audit trail"
    page.select_option("#id_action", "login")
    page.click("button:has-text('Search')")
    page.wait_for_load_state()
    assert "action=login" in page.url
    assert page.locator("tbody tr").count() >= 1
    assert_accessible(page)


def test_a_wrong_password_shows_a_clear_message(browser_page, live_server, cast):
    page = browser_page
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "not-the-password")
    page.click("#main-content button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_username").input_value() == "alice"
    assert_accessible(page)
