"""Every public page in every language in Chromium: axe-core (WCAG 2.1 A/AA), no CSP
violations, right-to-left layout for Arabic and Urdu, and readable without JavaScript."""

from datetime import date, time
from pathlib import Path

import pytest

from forpost.centres.testing import make_closure, make_pattern
from forpost.core.browser import assert_accessible
from forpost.public.languages import CODES, public_reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def open_centre(cast):
    centre = cast.norrebro
    centre.directions = "Bus 5C til Nørrebros Runddel."
    centre.phone = "33 17 00 00"
    centre.email = "norrebro@example.kk.dk"
    centre.description = "Gratis og anonym rådgivning."
    centre.save()
    # Drop-in every weekday, so the pages have hours whatever day the test runs.
    make_pattern(
        centre,
        valid_from=date(2020, 1, 1),
        slots=[(d, time(9), time(17), "drop_in") for d in range(5)] + [(1, time(8), time(9), "phone")],
    )
    make_closure(centre, starts_on=date(2099, 7, 1), ends_on=date(2099, 7, 31))
    return centre


def pages(centre):
    return {
        "home": lambda lang: public_reverse("public:home", lang),
        "postcode": lambda lang: public_reverse("public:home", lang) + "?postnummer=2200",
        "postcode error": lambda lang: public_reverse("public:home", lang) + "?postnummer=22x",
        "centre": lambda lang: public_reverse("public:centre", lang, slug=centre.slug),
        "accessibility": lambda lang: public_reverse("public:accessibility", lang),
        "published": lambda lang: public_reverse("public:published", lang),
    }


@pytest.mark.parametrize("language", CODES)
def test_every_public_page_is_accessible_in(language, browser_page, live_server, open_centre):
    page = browser_page
    for name, url in pages(open_centre).items():
        page.goto(live_server.url + url(language))
        html = page.locator("html")
        assert html.get_attribute("lang") == language, name
        assert html.get_attribute("dir") == ("rtl" if language in ("ar", "ur") else "ltr"), name
        assert page.locator("h1").count() == 1, name
        assert_accessible(page)
    # The structured data is there, and parsing it raised no CSP report above.
    page.goto(live_server.url + pages(open_centre)["centre"](language))
    assert page.locator('script[type="application/ld+json"]').count() == 1


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_the_right_to_left_layout(language, browser_page, live_server, open_centre):
    page = browser_page
    page.goto(live_server.url + public_reverse("public:home", language))
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    logo = page.locator(".pub-brand").bounding_box()
    languages = page.locator(".pub-languages").bounding_box()
    width = page.viewport_size["width"]
    # The logo and name sit at the right, the language list at the left.
    assert logo["x"] > languages["x"]
    assert logo["x"] + logo["width"] > width * 0.75
    # The headline starts at the right edge of the text column, as right-to-left text does.
    heading = page.locator("h1").bounding_box()
    assert heading["x"] + heading["width"] > width * 0.7
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-home-{language}.png"), full_page=True)
    page.goto(live_server.url + public_reverse("public:centre", language, slug=open_centre.slug))
    page.screenshot(path=str(ARTIFACTS / f"public-centre-{language}.png"), full_page=True)
    assert (ARTIFACTS / f"public-centre-{language}.png").stat().st_size > 10_000


def test_the_danish_pages_read_left_to_right(browser_page, live_server, open_centre):
    page = browser_page
    page.goto(live_server.url + public_reverse("public:home", "da"))
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert page.locator(".pub-brand").bounding_box()["x"] < page.locator(".pub-languages").bounding_box()["x"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-home-da.png"), full_page=True)


def test_the_pages_are_readable_without_javascript(browser_page, live_server, open_centre):
    context = browser_page.context.browser.new_context(java_script_enabled=False, locale="da-DK")
    try:
        page = context.new_page()
        page.goto(live_server.url + public_reverse("public:centre", "da", slug=open_centre.slug))
        assert page.locator("h1").inner_text() == open_centre.name
        assert page.locator("table.pub-hours").first.is_visible()
        page.click("a[lang=so]")
        assert page.locator("html").get_attribute("lang") == "so"
        assert "Saacadaha la-talinta furan" in page.content()
    finally:
        context.close()


def test_a_phone_sized_screen_keeps_everything_reachable(browser_page, live_server, open_centre):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("da", "ar"):
        page.goto(live_server.url + public_reverse("public:centre", language, slug=open_centre.slug))
        # Nothing is wider than the screen (no sideways scrolling).
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page)
