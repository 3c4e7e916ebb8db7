"""Real-browser checks: the public room request and the staff week calendar are axe-clean
and usable by keyboard."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forpost.collaboration.models import RoomRequest
from forpost.collaboration.testing import make_booking, make_room
from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_association_asks_for_a_room_in_an_accessible_form(browser_page, live_server, cast):
    room = make_room(cast.norrebro, name="Mødelokalet", capacity=12)
    page = browser_page
    page.goto(f"{live_server.url}/lokaler/")
    assert_accessible(page)
    page.select_option("#id_room", str(room.pk))
    page.fill("#id_association_name", "Foreningen Far")
    page.fill("#id_contact_email", "far@example.dk")
    page.fill("#id_purpose", "Fædregruppe")
    page.fill("#id_participants", "6")
    page.fill("#id_first_date", (timezone.localdate() + timedelta(days=10)).isoformat())
    page.fill("#id_start_time", "19:00")
    page.fill("#id_end_time", "18:00")  # wrong on purpose: the error must be clear and accessible
    page.click("#main-content button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()  # waits for the answer to the POST
    assert_accessible(page)
    page.fill("#id_end_time", "21:00")
    page.click("#main-content button[type=submit]")
    page.wait_for_url(f"{live_server.url}/lokaler/tak/")
    assert_accessible(page)
    assert RoomRequest.objects.get().association_name == "Foreningen Far"


def test_an_association_is_told_a_time_is_busy_and_then_asks_for_a_free_one(browser_page, live_server, cast):
    room = make_room(cast.norrebro, name="Mødelokalet", capacity=12)
    day = timezone.localdate() + timedelta(days=10)
    make_booking(room, day=day, start=time(17), end=time(19), holder_name="Forældre til børn med ADHD")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/")
    page.click("a[href='/en/lokaler/']")
    page.wait_for_url(f"{live_server.url}/en/lokaler/")
    page.click("details.pub-room summary")
    assert "17:00–19:00" in page.inner_text("details.pub-room")
    assert "ADHD" not in page.content()
    assert_accessible(page)
    page.select_option("#id_room", str(room.pk))
    page.fill("#id_association_name", "Foreningen Far")
    page.fill("#id_contact_email", "far@example.dk")
    page.fill("#id_purpose", "Fædregruppe")
    page.fill("#id_participants", "6")
    page.fill("#id_first_date", day.isoformat())
    page.fill("#id_start_time", "18:00")
    page.fill("#id_end_time", "20:00")
    page.press("#id_end_time", "Tab")
    # Told as the time is picked, before sending (htmx) ...
    page.wait_for_selector("#room-check .alert")
    assert "already booked at that time" in page.inner_text("#room-check")
    assert_accessible(page)
    # ... and again if it is sent anyway (the server's check, also without JavaScript).
    page.click("#main-content button[type=submit]")
    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()  # waits for the answer to the POST
    assert "already booked at that time" in errors.inner_text()
    assert "17:00–19:00" in errors.inner_text()
    assert page.input_value("#id_association_name") == "Foreningen Far"  # nothing typed is lost
    assert_accessible(page)
    page.fill("#id_start_time", "19:00")
    page.fill("#id_end_time", "21:00")
    page.click("#main-content button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/lokaler/tak/")
    assert_accessible(page)
    request = RoomRequest.objects.get()
    assert (request.start_time, request.end_time) == (time(19), time(21))


def test_an_association_cancels_a_booking_through_its_personal_link(browser_page, live_server, cast):
    from forpost.collaboration.testing import approve_with_link

    room = make_room(cast.norrebro, name="Mødelokalet")
    request, token = approve_with_link(room, first_date=timezone.localdate() + timedelta(days=9))
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ar/lokaler/mine/{token}/")
    assert_accessible(page)
    page.click("#main-content button[type=submit]")
    page.wait_for_selector("[role=status]")
    assert_accessible(page)
    request.booking.refresh_from_db()
    assert request.booking.cancelled_at is not None


def test_the_week_calendar_is_accessible_and_its_weeks_are_reached_by_keyboard(browser_page, live_server, cast):
    room = make_room(cast.norrebro, name="Mødelokalet")
    make_booking(room, day=date(2030, 4, 2), start=time(17), end=time(19), holder_name="Forældrenetværket")
    page = browser_page
    browser_login(page, live_server, cast.bob)
    page.goto(f"{live_server.url}/app/collaboration/rooms/{room.pk}/?week=2030-04-02")
    assert_accessible(page)
    assert "Forældrenetværket" in page.locator("table.fp-week").inner_text()
    page.locator("a[rel=next]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**week=2030-04-08")
    assert "Forældrenetværket" not in page.locator("table.fp-week").inner_text()


def test_the_booking_form_and_the_activity_log_are_accessible(browser_page, live_server, cast):
    room = make_room(cast.norrebro)
    page = browser_page
    browser_login(page, live_server, cast.bob)
    for path in (
        f"/app/collaboration/rooms/{room.pk}/book/",
        "/app/collaboration/activities/",
        "/app/collaboration/activities/new/",
        "/app/collaboration/",
        "/app/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)
