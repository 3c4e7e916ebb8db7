"""The annual status and the coordinator's text in a real browser, with axe-core."""

from datetime import date

import pytest
from django.urls import reverse

from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registered(cast):
    from forpost.registrations.counts import rebuild
    from forpost.registrations.testing import make_inquiry

    for day in range(1, 8):
        make_inquiry(cast.norrebro, date=date(2025, 3, day))
    rebuild()
    return cast


def test_central_staff_read_the_citys_status(browser_page, live_server, registered):
    page = browser_page
    browser_login(page, live_server, registered.erin)
    page.goto(f"{live_server.url}{reverse('reports:city')}?year=2025")
    assert page.locator("h1").inner_text().startswith("Årsstatus 2025")
    assert page.locator("svg.fp-chart").count() >= 3
    assert page.locator("table caption").count() >= 10
    assert_accessible(page)


def test_the_coordinator_writes_the_centres_text(browser_page, live_server, registered):
    page = browser_page
    browser_login(page, live_server, registered.bob)
    page.goto(f"{live_server.url}{reverse('reports:centre', args=['norrebro'])}?year=2025")
    assert_accessible(page)
    page.click("text=Skriv rådgivningens tekst for året")
    assert_accessible(page)
    page.fill("#id_highlights", "Faglig brunch for 40 pædagoger i marts.")
    page.click("#main-content button[type=submit]")
    page.wait_for_url("**/status/norrebro/**")
    assert "Faglig brunch for 40 pædagoger i marts." in page.locator("#own_text").inner_text()
    assert_accessible(page)


def test_the_summary_matrix_of_twelve_centres_fits_1366_px(browser_page, live_server, registered):
    """Issue 14: at 1366 px the centre × requirement matrix cut off its sixth column. Up to
    twelve centres go in one table, and it fits the page without scrolling sideways."""
    from forpost.centres.testing import make_centre

    names = ["Amager", "Bispebjerg", "Brønshøj", "Christianshavn", "Indre By", "Kongens Enghave"]
    names += ["Sydhavnen", "Tingbjerg", "Vanløse", "Vesterbro"]
    for n, name in enumerate(names):
        make_centre(f"Familierådgivningen {name}", code=f"C{n:02}", slug=f"c-{n:02}", active_from=date(2020, 1, 1))
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, registered.erin)
    page.goto(f"{live_server.url}{reverse('reports:city')}?year=2025")
    matrix = page.locator("table.fp-matrix").first
    assert matrix.locator("thead th").count() == 13  # the requirement and twelve centres
    fits = matrix.evaluate(
        "t => { const box = t.parentElement; return [t.scrollWidth, box.clientWidth, "
        "t.getBoundingClientRect().right, document.documentElement.clientWidth]; }"
    )
    table_width, box_width, right, viewport = fits
    assert table_width <= box_width and right <= viewport, fits
    last = matrix.locator("thead th").last.bounding_box()
    assert last["x"] + last["width"] <= viewport
    assert_accessible(page)
