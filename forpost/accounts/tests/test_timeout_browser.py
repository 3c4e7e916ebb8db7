"""Timeout without loss, in a real browser under the CSP: the warning before the timeout, and
a form posted after it that comes back filled in after logging in again."""

import os
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from forpost.accounts.models import FormStash
from forpost.core.browser import assert_accessible, browser_login
from forpost.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("FORPOST_SCREENSHOTS")  # a directory: save screenshots there to look at


def _shoot(page, name):  # type: ignore[no-untyped-def]
    if not SHOTS:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_warning_before_the_timeout_offers_to_stay_logged_in(browser_page, live_server, cast, settings):
    # A session of 123 seconds: the warning, two minutes before the end, comes after three.
    settings.SESSION_COOKIE_AGE = 123
    page = browser_page
    browser_login(page, live_server, cast.alice)
    dialog = page.locator("#fp-session-warning")
    assert dialog.is_hidden()
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Forbliv logget ind"
    assert_accessible(page)
    _shoot(page, "session-warning")
    before = Session.objects.get().expire_date
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert Session.objects.get().expire_date > before


def test_a_form_sent_after_the_timeout_is_filled_in_again_after_logging_in(browser_page, live_server, cast):
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/app/collaboration/activities/new/")
    page.fill("#id_participants", "25")
    page.fill("#id_note", "Oplæg for forældrerådet")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    page.click("#main-content form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/app/login/**")
    assert "logget ud" in page.locator("#main-content").inner_text()
    assert FormStash.objects.filter(user=cast.alice).count() == 1
    _shoot(page, "session-login")

    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("#main-content button[type=submit]")
    page.wait_for_url("**/activities/new/?restore=**")
    assert page.input_value("#id_note") == "Oplæg for forældrerådet"
    assert page.input_value("#id_participants") == "25"
    assert "udfyldt igen" in page.locator("#main-content").inner_text()
    assert not FormStash.objects.exists()
    assert_accessible(page)
    _shoot(page, "session-restored")


def test_a_page_opened_in_another_tab_withdraws_the_warning(_chromium, live_server, cast, settings):
    settings.SESSION_COOKIE_AGE = 123
    context = _chromium.new_context(locale="da-DK")
    first = context.new_page()
    browser_login(first, live_server, cast.alice)
    dialog = first.locator("#fp-session-warning")
    dialog.wait_for(state="visible", timeout=10_000)
    second = context.new_page()
    second.goto(f"{live_server.url}/app/")  # this request extended the one session
    dialog.wait_for(state="hidden", timeout=5_000)
    context.close()
