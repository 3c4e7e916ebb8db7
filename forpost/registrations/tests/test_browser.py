"""A counsellor registers a walk-in with the keyboard only, in a real browser, checked by axe-core."""

import re

import pytest
from django.urls import reverse

from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.models import Inquiry
from forpost.registrations.testing import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, selector, limit=40):
    """Press Tab until `selector` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never got the focus")


def test_a_counsellor_registers_a_walk_in_with_the_keyboard_only(browser_page, live_server, cast):
    ensure_reference_data()
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("registrations:inquiry_create"))
    assert_accessible(page)

    # The first child's age has the focus when the page opens.
    assert page.evaluate("() => document.activeElement.id") == "id_child_1_age"
    page.keyboard.press("ArrowDown")  # expected
    page.keyboard.press("ArrowDown")  # 0–2
    page.keyboard.press("ArrowDown")  # 3–5
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowUp")  # boy
    page.keyboard.press("ArrowUp")  # girl
    _tab_to(page, "input[name=themes]")
    page.keyboard.press("Space")  # the first theme
    _tab_to(page, "button[type=submit].fp-save")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/app/registrations/inquiries/\d+/$"))

    inquiry = Inquiry.objects.get()
    assert [(c.age_band, c.sex) for c in inquiry.children.all()] == [("3-5", "girl")]
    assert inquiry.channel.code == "walk_in"
    assert list(inquiry.actions.values_list("code", flat=True)) == ["advice"]
    assert inquiry.themes.count() == 1
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
    assert page.locator("#form-errors").count() == 1
    assert page.input_value("#id_child_1_age") == "6-9"
    assert page.input_value("#id_note") == "Mors mobil 22 33 44 55"
    assert not Inquiry.objects.exists()
    assert_accessible(page)
