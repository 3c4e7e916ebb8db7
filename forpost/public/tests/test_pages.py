"""The public pages: every language, lang/dir, cache headers, size, content."""

import json
import re

import pytest
from django.urls import reverse

from forpost.centres.testing import make_centre, make_district, make_pattern
from forpost.public.languages import CODES, LOCAL_NAMES, public_reverse

PAGES = ["home", "centre", "accessibility"]
RTL = {"ar", "ur"}


def page_url(name, language, centre):
    kwargs = {"slug": centre.slug} if name == "centre" else {}
    return public_reverse(f"public:{name}", language, **kwargs)


def test_the_six_languages_are_offered():
    assert CODES == ["da", "en", "ar", "tr", "ur", "so"]


def test_danish_is_at_the_root_and_the_others_under_a_prefix(centre):
    assert reverse("public:home") == "/"
    assert public_reverse("public:home", "ar") == "/ar/"
    assert public_reverse("public:centre", "so", slug="norrebro") == "/so/familieraadgivning/norrebro/"


@pytest.mark.parametrize("language", CODES)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_in_each_language_is_light_cacheable_and_labelled(client, centre, fixed_now, name, language):
    response = client.get(page_url(name, language, centre))
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert response["Content-Language"] == language
    cache = response["Cache-Control"]
    assert "public" in cache and re.search(r"max-age=\d+", cache)
    assert "private" not in cache
    assert len(response.content) < 50_000
    # Nothing personal is set: the page can be shared by every visitor through a cache.
    assert not response.cookies
    # The language switcher: each language in its own name, marked with its language.
    for code in CODES:
        link = page_url(name, code, centre)
        assert f'href="{link}" lang="{code}" hreflang="{code}"' in html
        assert LOCAL_NAMES[code] in html
    # No inline script (the CSP forbids it); structured data is data, not script.
    assert not re.search(r"<script(?![^>]*(src=|application/ld\+json))", html)
    assert 'style="' not in html


def test_the_language_links_lead_to_the_same_page_in_that_language(client, centre, fixed_now):
    html = client.get(page_url("centre", "da", centre)).content.decode()
    for code in CODES:
        href = page_url("centre", code, centre)
        assert href in html
        assert f'lang="{code}"' in client.get(href).content.decode()


def test_the_front_page_says_what_it_is_and_that_no_one_asks_for_a_name(client, centre, fixed_now):
    html = client.get("/").content.decode()
    assert "Gratis og anonym rådgivning til familier" in html
    assert "Ingen spørger om dit navn eller dit CPR-nummer" in html
    assert "Hvem kan komme?" in html
    assert "Skilsmisse og livet i to hjem" in html


def test_the_front_page_lists_each_centre_with_district_address_and_status(client, centre, fixed_now):
    html = client.get("/").content.decode()
    assert "Familierådgivningen Nørrebro" in html
    assert 'Dækker <bdi lang="da" dir="ltr">Nørrebro</bdi>' in html
    assert "Testvej" in html  # the address
    assert "Åben nu indtil kl. 17:00" in html
    # Valby has no opening hours.
    assert "Ingen åben rådgivning de næste uger" in html


def test_the_front_page_in_arabic(client, centre, fixed_now):
    html = client.get("/ar/").content.decode()
    assert "مفتوح الآن حتى الساعة 17:00" in html
    assert "لن يسألك أحد عن اسمك" in html


def test_an_inactive_or_unknown_centre_is_not_found(client, cast, fixed_now):
    closed = make_centre("Lukket", slug="lukket", active_from="2000-01-01", active_to="2020-12-31")
    assert client.get(page_url("centre", "da", closed)).status_code == 404
    assert client.get("/familieraadgivning/findes-ikke/").status_code == 404
    assert client.get("/xx/").status_code == 404


def test_the_centre_page_shows_this_week_and_next_with_closures(client, centre, fixed_now):
    html = client.get(page_url("centre", "da", centre)).content.decode()
    assert "Denne uge" in html and 'uge <bdi dir="ltr">36</bdi>' in html
    assert "Næste uge" in html and 'uge <bdi dir="ltr">37</bdi>' in html
    assert "Mandag 1. september" in html and "14:00–17:00" in html
    assert "Torsdag 4. september" in html and "10:00–14:00" in html
    # Thursday 11 September is closed for a staff day, and the reason is Danish text.
    assert "Torsdag 11. september" in html
    assert '<bdi lang="da">Personaledag</bdi>' in html
    assert "Bus 5C til Nørrebros Runddel." in html
    assert 'href="tel:+4533170000"' in html
    assert "mailto:norrebro@example.kk.dk" in html
    assert "Telefontid" in html and 'tirsdag <bdi dir="ltr">09:00–10:00</bdi>' in html


def test_a_holiday_shows_its_name_in_danish_and_english_and_says_holiday_elsewhere(client, centre, monkeypatch):
    from datetime import datetime

    from django.utils import timezone

    from forpost.centres.hours import COPENHAGEN

    # Week 22 of 2025: Thursday 29 May is Ascension Day.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 5, 26, 9, 0, tzinfo=COPENHAGEN))
    assert "Kristi himmelfartsdag" in client.get(page_url("centre", "da", centre)).content.decode()
    assert "Ascension Day" in client.get(page_url("centre", "en", centre)).content.decode()
    assert "resmî tatil" in client.get(page_url("centre", "tr", centre)).content.decode()


def test_the_centre_page_carries_opening_hours_as_schema_org_data(client, centre, fixed_now):
    html = client.get(page_url("centre", "da", centre)).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    data = json.loads(found.group(1))
    assert data["@type"] == "GovernmentOffice"
    assert data["isAccessibleForFree"] is True
    assert data["address"]["postalCode"] == centre.postcode
    specs = data["openingHoursSpecification"]
    assert {(s["dayOfWeek"], s["opens"], s["closes"]) for s in specs} == {
        ("https://schema.org/Monday", "14:00", "17:00"),
        ("https://schema.org/Thursday", "10:00", "14:00"),
    }
    assert all(s["@type"] == "OpeningHoursSpecification" and s["validFrom"] == "2025-01-01" for s in specs)
    closed = data["specialOpeningHoursSpecification"]
    assert closed == [
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": "2025-09-11",
            "validThrough": "2025-09-11",
        }
    ]


def test_text_from_the_database_cannot_close_the_structured_data(client, centre, fixed_now):
    centre.name = "Nørrebro</script><script>alert(1)</script>"
    centre.save()
    html = client.get(page_url("centre", "da", centre)).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["name"] == centre.name
    assert "<script>alert" not in html


def test_volunteer_groups_are_shown_marked_as_danish(client, centre, fixed_now, monkeypatch):
    from dataclasses import dataclass

    from forpost.collaboration import queries
    from forpost.core.translated import Translated

    @dataclass(frozen=True)
    class Group:
        name: Translated
        association: str
        description: Translated
        meets: str
        frequency: Translated

    danish = Translated("Fædregruppen", "da"), Translated("For fædre med små børn.", "da")
    monkeypatch.setattr(
        queries,
        "public_volunteer_groups",
        lambda centre: [
            Group(danish[0], "Far til Far", danish[1], "Tuesday 17:00–19:00", Translated("hver uge", "da"))
        ],
    )
    html = client.get(page_url("centre", "en", centre)).content.decode()
    assert "Volunteer groups that meet here" in html
    assert '<h3 class="h5"><span lang="da">Fædregruppen</span></h3>' in html
    assert 'Tuesday 17:00–19:00, <span lang="da">hver uge</span>' in html


def test_without_volunteer_groups_the_section_is_left_out(client, centre, fixed_now):
    assert "Frivillige grupper" not in client.get(page_url("centre", "da", centre)).content.decode()


def test_the_accessibility_statement_says_where_to_complain(client, centre):
    html = client.get(reverse("public:accessibility")).content.decode()
    assert "<h1>Tilgængelighedserklæring</h1>" in html
    assert "Digitaliseringsstyrelsen" in html
    assert "WCAG" in html


def test_every_page_links_to_the_accessibility_statement(client, centre, fixed_now):
    for name in PAGES:
        assert f'href="{reverse("public:accessibility")}"' in client.get(page_url(name, "da", centre)).content.decode()


def test_the_front_page_stays_light_with_many_centres(client, cast, fixed_now):
    district = make_district("Amager Vest")
    for n in range(20):
        make_pattern(make_centre(f"Familierådgivningen Nummer {n}", district=district))
    for language in CODES:
        response = client.get(page_url("home", language, cast.norrebro))
        assert len(response.content) < 50_000, language


def test_the_public_pages_make_a_fixed_number_of_queries(client, centre, fixed_now, django_assert_max_num_queries):
    district = make_district("Valby")
    for n in range(10):
        make_pattern(make_centre(f"Familierådgivningen {n}", district=district))
    with django_assert_max_num_queries(12):
        client.get("/")


def test_the_staff_pages_footer_links_to_the_statement_too(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'<a href="{reverse("public:accessibility")}">Tilgængelighedserklæring</a>' in html


def test_a_signed_in_visitor_gets_a_private_copy(client_for, cast, fixed_now):
    response = client_for(cast.alice).get("/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
