"""The conflict page in a real browser: both versions side by side, accessible, and my version
saved over the other only when I choose it."""

import os

import pytest

from forpost.collaboration.testing import make_partner
from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("FORPOST_SCREENSHOTS")  # a directory: save screenshots there to look at


def test_two_tabs_editing_a_partner_meet_the_conflict_page(_chromium, live_server, cast):
    partner = make_partner(cast.norrebro, name="Skolen", phone="11111111")
    context = _chromium.new_context(locale="da-DK", viewport={"width": 1366, "height": 800})
    first, second = context.new_page(), context.new_page()
    console: list[str] = []
    second.on("console", lambda message: console.append(message.text))
    browser_login(first, live_server, cast.bob)
    address = f"{live_server.url}/app/collaboration/partners/{partner.pk}/"
    first.goto(address)
    second.goto(address)
    first.fill("#id_phone", "22222222")
    first.click("#main-content form button[type=submit]")
    second.fill("#id_name", "Skolen på Hjørnet")
    second.click("#main-content form button[type=submit]")
    second.wait_for_selector("text=En anden gemte først")
    second._forpost_console = console
    assert_accessible(second)
    if SHOTS:
        for width in (1366, 390):
            second.set_viewport_size({"width": width, "height": 800})
            second.screenshot(path=f"{SHOTS}/conflict-{width}.png", full_page=True)
    partner.refresh_from_db()
    assert (partner.name, partner.phone) == ("Skolen", "22222222")
    second.click("text=Gem min version i stedet")
    second.wait_for_url(f"{live_server.url}/app/collaboration/partners/")
    partner.refresh_from_db()
    assert partner.name == "Skolen på Hjørnet"
    context.close()
