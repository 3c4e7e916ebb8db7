"""In a real browser, checked by axe-core: ending a course through its confirmation page,
reopening it, and voiding a session and the course, all without JavaScript doing the work."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.models import Course
from forpost.registrations.testing import ensure_reference_data, make_course, make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, name):
    """Screenshots at a laptop's and a phone's width, when FORPOST_SHOTS names a folder."""
    folder = os.environ.get("FORPOST_SHOTS")
    if not folder:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_counsellor_ends_reopens_and_voids_in_the_browser(browser_page, live_server, cast):
    ensure_reference_data()
    course = make_course(cast.norrebro, started_on=date(2026, 3, 10))
    make_session(course, scaling=3)
    make_session(course, date=date(2026, 3, 17), scaling=6)
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + course.get_absolute_url())

    page.fill("#id_ended_on", "2026-03-24")
    page.get_by_label("Mål nået", exact=True).check()
    page.get_by_role("button", name="Afslut forløb").click()
    page.wait_for_url("**/end/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("?")
    assert_accessible(page)
    _look(page, "course-end-confirm")
    assert Course.objects.get().is_open
    page.get_by_role("button", name="Ja, afslut forløbet").click()
    page.wait_for_url(live_server.url + course.get_absolute_url())
    assert_accessible(page)
    _look(page, "course-ended")
    assert not Course.objects.get().is_open

    page.get_by_role("button", name="Genåbn forløbet").click()
    page.wait_for_url(live_server.url + course.get_absolute_url())
    assert Course.objects.get().is_open

    page.get_by_role("link", name="Annullér 17. marts 2026").click()
    assert_accessible(page)
    page.fill("#id_reason", "Registreret på det forkerte forløb")
    _look(page, "session-void")
    page.get_by_role("button", name="Annullér", exact=True).click()
    page.wait_for_url(live_server.url + course.get_absolute_url())
    assert "annulleret" in page.locator("table").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Annullér forløbet").click()
    page.fill("#id_reason", "Oprettet to gange")
    page.get_by_role("button", name="Annullér", exact=True).click()
    page.wait_for_url(live_server.url + course.get_absolute_url())
    assert_accessible(page)
    _look(page, "course-voided")
    assert Course.all_objects.get().is_voided

    page.get_by_role("link", name=f"Henvendelse {course.inquiry_id}").click()
    page.get_by_role("link", name="Annullér henvendelsen").click()
    page.fill("#id_reason", "Oprettet to gange")
    page.get_by_role("button", name="Annullér", exact=True).click()
    page.wait_for_url(live_server.url + course.inquiry.get_absolute_url())
    assert_accessible(page)
    _look(page, "inquiry-voided")

    page.goto(live_server.url + reverse("registrations:course_list") + "?voided=only")
    assert_accessible(page)
    _look(page, "course-list-voided")
    assert course.label in page.locator("table").inner_text()
