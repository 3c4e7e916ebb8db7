"""In Chromium: a parent on a phone finds the Nørrebro centre's hours by postcode, in Danish
and in Arabic; "use my location" sorts by distance; the Arabic centre page keeps its Danish
parts, times and e-mail address left to right (screenshots in test-artifacts/)."""

from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forpost.centres.models import PostcodeArea
from forpost.centres.testing import make_closure, make_pattern
from forpost.core.browser import assert_accessible
from forpost.public.languages import public_reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def centres(cast):
    """Nørrebro and Valby, with drop-in every day of the week (so the pages have hours
    whatever day the test runs), coordinates, and a Danish address and directions."""
    norrebro, valby = cast.norrebro, cast.valby
    norrebro.street_address = "Nørrebrogade 208"
    norrebro.directions = "Bus 5C til Nørrebros Runddel."
    norrebro.phone = "33 17 00 00"
    norrebro.email = "familieraadgivning-norrebro@example.kk.dk"
    norrebro.latitude, norrebro.longitude = Decimal("55.694100"), Decimal("12.540700")
    norrebro.save()
    valby.latitude, valby.longitude = Decimal("55.664500"), Decimal("12.513000")
    valby.save()
    for centre in (norrebro, valby):
        make_pattern(
            centre,
            valid_from=date(2020, 1, 1),
            slots=[(d, time(9), time(17), "drop_in") for d in range(7)] + [(1, time(8), time(9), "phone")],
        )
    make_closure(norrebro, starts_on=date(2099, 7, 1), ends_on=date(2099, 7, 31))
    # A transactional test's database is emptied after each test, seeded postcodes too.
    for first, town, centre in ((2200, "København N", norrebro), (2500, "Valby", valby)):
        area, _ = PostcodeArea.objects.get_or_create(first=first, last=first, defaults={"name": town})
        area.districts.add(centre.district)
    return cast


def find_by_postcode(page, live_server, language):
    page.goto(live_server.url + public_reverse("public:home", language))
    page.fill("#id_postnummer", "2200")
    page.click(".pub-find button[type=submit]")
    page.wait_for_url("**postnummer=2200**")
    cards = page.locator(".pub-card-title a")
    assert cards.count() == 1
    assert cards.first.inner_text() == "Familierådgivningen Nørrebro"
    assert_accessible(page)
    cards.first.click()
    page.wait_for_url("**/familieraadgivning/norrebro/")


def test_a_parent_on_a_phone_finds_the_norrebro_hours_by_postcode_in_danish_and_arabic(
    browser_page, live_server, centres
):
    page = browser_page
    page.set_viewport_size(PHONE)
    ARTIFACTS.mkdir(exist_ok=True)

    find_by_postcode(page, live_server, "da")
    assert page.locator("h2#hours").is_visible()
    assert page.locator("table.pub-hours").first.locator("td").first.inner_text() == "09:00–17:00"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "public-find-2200-da-390.png"), full_page=True)

    find_by_postcode(page, live_server, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h2#hours").inner_text() == "مواعيد الاستشارة المفتوحة"
    assert page.locator("table.pub-hours").first.locator("td").first.inner_text() == "09:00–17:00"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "public-find-2200-ar-390.png"), full_page=True)


def test_the_postcode_box_works_without_javascript(browser_page, live_server, centres):
    context = browser_page.context.browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert not page.locator("#locate").is_visible()
        page.fill("#id_postnummer", "2500")
        page.click(".pub-find button[type=submit]")
        page.wait_for_url("**postnummer=2500**")
        assert page.locator(".pub-card-title a").all_inner_texts() == ["Familierådgivningen Valby"]
    finally:
        context.close()


def test_use_my_location_sorts_the_centres_by_distance_in_the_browser(browser_page, live_server, centres):
    # Standing at Valby station: Valby is about 0.3 km away, Nørrebro 3.8.
    context = browser_page.context.browser.new_context(
        geolocation={"latitude": 55.6625, "longitude": 12.5164}, permissions=["geolocation"], locale="da-DK"
    )
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(live_server.url + "/")
        names = page.locator(".pub-card-title a")
        assert names.all_inner_texts() == ["Familierådgivningen Nørrebro", "Familierådgivningen Valby"]
        before = len(requests)
        page.click("#locate")
        expect(page.locator("#find-result")).to_contain_text("afstand")
        assert names.all_inner_texts() == ["Familierådgivningen Valby", "Familierådgivningen Nørrebro"]
        distances = page.locator(".pub-distance").all_inner_texts()
        assert distances[0] == "ca. 0,3 km væk"
        assert distances[1] == "ca. 3,8 km væk"
        # The position was used in the page and sent nowhere.
        assert requests[before:] == []
        assert_accessible(page)
    finally:
        context.close()


def test_a_refused_location_keeps_the_order_and_says_so(browser_page, live_server, centres):
    context = browser_page.context.browser.new_context(permissions=[], locale="da-DK")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.click("#locate")
        expect(page.locator("#find-result")).to_contain_text("kunne ikke")
        assert page.locator(".pub-card-title a").first.inner_text() == "Familierådgivningen Nørrebro"
    finally:
        context.close()


def boxes(page, selector, first, second):
    """The left edges of two substrings of an element's text, as laid out."""
    return page.evaluate(
        """([selector, first, second]) => {
            const node = [...document.querySelectorAll(selector)].find((e) => e.textContent.includes(first)).firstChild;
            const at = (s) => { const r = document.createRange(); const i = node.textContent.indexOf(s);
                                r.setStart(node, i); r.setEnd(node, i + s.length); return r.getBoundingClientRect().x; };
            return [at(first), at(second)];
        }""",
        [selector, first, second],
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_arabic_centre_page_keeps_the_danish_parts_left_to_right(browser_page, live_server, centres, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + public_reverse("public:centre", "ar", slug="norrebro"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-centre-ar-{width}.png"), full_page=True)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    direction = "el => getComputedStyle(el).direction"
    # The postcode stands before the town, as in Danish, not after it.
    town = page.locator(".pub-address bdi").nth(1)
    assert town.inner_text() == "2200 København N"
    assert town.evaluate(direction) == "ltr"
    left, right = boxes(page, ".pub-address bdi:nth-of-type(2)", "2200", "København")
    assert left < right
    # A time range reads from opening to closing.
    times = page.locator("table.pub-hours td bdi").first
    assert times.evaluate(direction) == "ltr"
    opens, closes = boxes(page, "table.pub-hours td bdi", "09:00", "17:00")
    assert opens < closes
    # "Week 48–49" too: the first number stands to the left (on a Monday no label spans two).
    spans = page.evaluate(
        """() => [...document.querySelectorAll("h3 .pub-muted bdi")].filter(b => b.textContent.includes("–"))
            .map(b => { const node = b.firstChild, [a, z] = node.textContent.split("–"), r = document.createRange();
                        r.setStart(node, 0); r.setEnd(node, a.length); const left = r.getBoundingClientRect().x;
                        r.setStart(node, a.length + 1); r.setEnd(node, node.textContent.length);
                        return [Number(a), Number(z), left, r.getBoundingClientRect().x]; })"""
    )
    assert all(first < last and left < right for first, last, left, right in spans), spans
    # The directions keep their full stop at the end (the right), not at the start.
    directions = page.locator('p > [lang="da"]', has_text="Bus").first
    assert directions.evaluate(direction) == "ltr"
    start, stop = boxes(page, 'p > [lang="da"]', "Bus", ".")
    assert start < stop
    # The e-mail address is on one line, unbroken at its hyphen.
    email = page.locator('a[href^="mailto:"]')
    assert email.evaluate("el => el.getClientRects().length") == 1
    assert email.evaluate(direction) == "ltr"
    assert page.locator("a.skipnav").inner_text() == "انتقل إلى المحتوى"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)


def fonts_used(page, selector):
    """The fonts Chromium actually drew an element's text with (DevTools CSS domain)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


@pytest.mark.parametrize(
    ("language", "fonts"),
    [("ar", {"Noto Sans Arabic", "Noto Naskh Arabic"}), ("ur", {"Noto Naskh Arabic", "Noto Nastaliq Urdu"})],
)
def test_the_arabic_and_urdu_pages_are_drawn_in_an_arabic_script_font(
    browser_page, live_server, centres, language, fonts
):
    """Without one (Debian's fonts-noto-core, installed by .ci/run) Chromium draws boxes or a
    fallback that joins no letters."""
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + public_reverse("public:centre", language, slug="norrebro"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-centre-{language}-390.png"), full_page=True)
    used = fonts_used(page, "h2#hours")
    assert used & fonts, used
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_urdu_room_request_page_lists_weekly_busy_times_and_is_accessible(browser_page, live_server, centres):
    from django.utils import timezone

    from forpost.collaboration.services import Holder
    from forpost.collaboration.testing import make_room, make_series

    today = timezone.localdate()
    room = make_room(centres.norrebro, name="Mødelokalet", capacity=12)
    make_series(room, weekday=1, starts_on=today, ends_on=today + timedelta(weeks=10), holder=Holder(name="Netværket"))
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + public_reverse("public:rooms", "ur"))
    page.click("details.pub-room summary")
    text = page.inner_text("details.pub-room")
    assert "ہر ہفتے مصروف:" in text and "17:00–19:00" in text
    assert "Netværket" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-rooms-ur-390.png"), full_page=True)
