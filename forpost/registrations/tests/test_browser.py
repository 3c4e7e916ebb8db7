"""A counsellor registers a walk-in with the keyboard only, in a real browser, checked by axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.models import Inquiry
from forpost.registrations.testing import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Keyboard:
    """The page's keyboard, counting every key pressed."""

    def __init__(self, page):
        self.page, self.presses = page, 0

    def press(self, *keys):
        for key in keys:
            self.page.keyboard.press(key)
            self.presses += 1


def test_a_counsellor_registers_a_walk_in_in_at_most_13_keys(browser_page, live_server, cast):
    ensure_reference_data()
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("registrations:inquiry_create"))
    assert_accessible(page)
    keys = Keyboard(page)

    # The first child's age has the focus when the page opens; typing selects by the first letter.
    assert page.evaluate("() => document.activeElement.id") == "id_child_1_age"
    keys.press("3")  # 3–5 years
    keys.press("Tab", "Tab", "Tab")  # past the child's sex and "More children" to who made contact
    assert page.evaluate("() => document.activeElement.id") == "id_contact_person"
    keys.press("m")  # Mother
    keys.press("Tab", "Tab")  # past the channel (walk-in, preset) to the first theme
    keys.press("Space")
    keys.press("Enter")  # the form is sent from the checkbox
    page.wait_for_url(re.compile(r"/app/registrations/inquiries/\d+/$"))

    assert keys.presses <= 13
    inquiry = Inquiry.objects.get()
    assert [(c.age_band, c.sex) for c in inquiry.children.all()] == [("3-5", "not_stated")]
    assert inquiry.contact_person == "mother"
    assert inquiry.channel.code == "walk_in"
    assert inquiry.themes.count() == 1
    assert not inquiry.actions.exists()  # nobody said what was done, so nothing is claimed
    assert_accessible(page)


def test_registrer_with_nothing_chosen_saves_nothing_and_says_what_to_choose(browser_page, live_server, cast):
    ensure_reference_data()
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("registrations:inquiry_create"))
    page.click("button[type=submit].fp-save")
    expect(page.locator("#form-errors")).to_have_count(1)  # waits for the answer to the POST
    assert "Vælg barnets alder" in page.locator("#form-errors").inner_text()
    assert "Vælg, hvem der henvendte sig" in page.locator("#form-errors").inner_text()
    assert not Inquiry.objects.exists()
    assert_accessible(page)


def test_an_error_keeps_what_was_typed_and_is_announced(browser_page, live_server, cast):
    ensure_reference_data()
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("registrations:inquiry_create"))
    page.select_option("#id_child_1_age", "6-9")
    page.locator("details.fp-more > summary").click()
    page.fill("#id_note", "Mors mobil 22 33 44 55")
    page.click("button[type=submit].fp-save")
    expect(page.locator("#form-errors")).to_have_count(1)  # waits for the answer to the POST
    assert page.input_value("#id_child_1_age") == "6-9"
    assert page.input_value("#id_note") == "Mors mobil 22 33 44 55"
    assert not Inquiry.objects.exists()
    assert_accessible(page)
