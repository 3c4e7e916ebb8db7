"""The soft warning and the room request's trap field in a real browser, checked by axe-core."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.testing import ensure_reference_data, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("FORPOST_SCREENSHOTS")  # a folder: save what the test saw


def _shoot(page, name):  # type: ignore[no-untyped-def]
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})


def test_a_warned_goal_is_kept_and_saved_after_confirming(browser_page, live_server, cast):
    ensure_reference_data()
    course = make_course(cast.norrebro, goals="Ro")
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("registrations:course_edit", args=[course.pk]))
    page.fill("#id_goals", "Sove bedre hos Fatima Hansen på Nørrebrogade 12")
    page.click("button.button-primary[type=submit]")
    expect(page.locator("#personal-hints")).to_have_count(1)  # waits for the answer to the POST
    assert page.input_value("#id_goals") == "Sove bedre hos Fatima Hansen på Nørrebrogade 12"
    assert_accessible(page)
    _shoot(page, "personal-hints")
    page.check("#id_confirm_personal_hints")
    page.click("button.button-primary[type=submit]")
    page.wait_for_url(f"**{course.get_absolute_url()}")
    course.refresh_from_db()
    assert course.goals == "Sove bedre hos Fatima Hansen på Nørrebrogade 12"


def test_the_room_request_with_its_trap_field_is_accessible_in_arabic(browser_page, live_server, cast):
    from forpost.collaboration.testing import make_room
    from forpost.public.languages import public_reverse

    make_room(cast.norrebro, name="Mødelokalet", capacity=12)
    page = browser_page
    page.goto(live_server.url + public_reverse("public:rooms", "ar"))
    trap = page.locator(".pub-honeypot").bounding_box()
    assert trap is not None and trap["width"] <= 1 and trap["height"] <= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366  # RTL: no page widened
    assert_accessible(page)
    day = timezone.localdate() + timedelta(days=9)
    page.select_option("#id_room", index=1)
    page.fill("#id_association_name", "Foreningen Far")
    page.fill("#id_contact_email", "far@example.dk")
    page.fill("#id_purpose", "Møde hos familien Hansen, Nørrebrogade 12")
    page.fill("#id_participants", "6")
    page.check("input[name=kind][value=once]")
    page.fill("#id_first_date", day.isoformat())
    page.fill("#id_start_time", "17:30")
    page.fill("#id_end_time", "18:30")
    page.click("button[type=submit]")
    expect(page.locator("#personal-hints")).to_have_count(1)  # waits for the answer to the POST
    assert page.input_value("#id_association_name") == "Foreningen Far"
    assert_accessible(page)
    _shoot(page, "room-request-ar")
