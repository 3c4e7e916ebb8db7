"""Find by postcode on the front page: the centres serving it, open ones first, each with
when it opens; bad input told in the reader's language; "use my location" gets coordinates."""

import re
from datetime import date, time
from decimal import Decimal

import pytest

from forpost.centres.testing import make_centre, make_district, make_pattern
from forpost.public.languages import public_reverse


def find(client, postcode, language="da"):
    response = client.get(public_reverse("public:home", language), {"postnummer": postcode})
    assert response.status_code == 200
    return response.content.decode()


def card_names(html):
    return re.findall(r'class="h4 pub-card-title"><a href="[^"]+"><bdi lang="da" dir="ltr">([^<]+)</bdi>', html)


@pytest.fixture
def norrebro_choice(centre, cast):
    """Three centres for Nørrebro on Monday 1 September 2025 at 15:00: Nørrebro is open
    (14–17), "Aaa" opens on Wednesday at 14, "Bbb" opens today at 16; Valby is elsewhere."""
    district = centre.district
    aaa = make_centre("Familierådgivningen Aaa", slug="aaa", district=district)
    make_pattern(aaa, valid_from=date(2025, 1, 1), slots=[(2, time(14), time(16), "drop_in")])
    bbb = make_centre("Familierådgivningen Bbb", slug="bbb", district=make_district("Bispebjerg"), serves=[district])
    make_pattern(bbb, valid_from=date(2025, 1, 1), slots=[(0, time(16), time(18), "drop_in")])
    make_pattern(cast.valby, valid_from=date(2025, 1, 1), slots=[(0, time(9), time(18), "drop_in")])
    return centre


def test_the_front_page_has_a_postcode_box_that_works_without_javascript(client, centre, fixed_now):
    html = client.get("/").content.decode()
    form = re.search(r'<form class="pub-find" method="get" action="/#centres"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no GET form on the front page"
    assert 'name="postnummer"' in form.group(1)
    assert 'autocomplete="postal-code"' in form.group(1)
    assert '<label class="form-label" for="id_postnummer">Dit postnummer</label>' in form.group(1)


def test_postcode_2200_lists_the_centres_serving_norrebro_open_ones_first(client, norrebro_choice, fixed_now):
    html = find(client, "2200")
    assert 'Familierådgivninger for <bdi lang="da" dir="ltr">2200 København N</bdi>, de åbne først:' in html
    assert card_names(html) == [
        "Familierådgivningen Nørrebro",  # open now
        "Familierådgivningen Bbb",  # opens today at 16
        "Familierådgivningen Aaa",  # opens on Wednesday
    ]


def test_each_card_has_an_open_now_or_opens_badge(client, norrebro_choice, fixed_now):
    html = find(client, "2200")
    badges = re.findall(r'<p class="pub-badge[^"]*">([^<]+)</p>', html)
    assert badges == ["Åben nu indtil kl. 17:00", "Åbner i dag kl. 16:00", "Åbner onsdag kl. 14:00"]
    assert '<p class="pub-badge pub-badge-open">Åben nu' in html


@pytest.mark.parametrize(
    ("language", "wednesday"),
    [
        ("en", "Opens Wednesday at 14:00"),
        ("ar", "يفتح يوم الأربعاء الساعة 14:00"),
        ("tr", "Açılış: Çarşamba, saat 14:00"),
        ("ur", "بدھ کو 14:00 بجے کھلے گا"),
        ("so", "Wuxuu furmayaa Arbaco, 14:00"),
    ],
)
def test_the_badges_speak_every_public_language(client, norrebro_choice, fixed_now, language, wednesday):
    html = find(client, "2200", language)
    assert wednesday in html
    assert 'action="/' + language + '/#centres"' in html


def test_the_whole_list_is_ordered_open_first_too(client, norrebro_choice, fixed_now):
    names = card_names(client.get("/").content.decode())
    # Open now: Nørrebro and Valby (by name); then Bbb today, then Aaa on Wednesday.
    assert names == [
        "Familierådgivningen Nørrebro",
        "Familierådgivningen Valby",
        "Familierådgivningen Bbb",
        "Familierådgivningen Aaa",
    ]


def test_a_postcode_that_spans_two_districts_finds_the_centres_of_both(client, cast, fixed_now):
    amager_vest = make_centre("Familierådgivningen Amager Vest", slug="av", district=make_district("Amager Vest"))
    amager_ost = make_centre("Familierådgivningen Amager Øst", slug="ao", district=make_district("Amager Øst"))
    names = set(card_names(find(client, "2300")))
    assert names == {amager_vest.name, amager_ost.name}


@pytest.mark.parametrize("typed", ["22", "22x0", "twenty-two hundred", "2200 2300", "1" * 30])
def test_a_bad_postcode_is_told_in_danish_and_keeps_what_was_typed(client, centre, fixed_now, typed):
    html = find(client, typed)
    assert "Skriv dit postnummer med fire cifre, fx 2200." in html
    assert 'aria-invalid="true"' in html
    assert f'value="{typed}"' in html
    # Every centre is still listed below the box.
    assert "Familierådgivningen Nørrebro" in html


def test_a_bad_postcode_is_told_in_the_readers_language(client, centre, fixed_now):
    assert "Write your postcode as four digits, e.g. 2200." in find(client, "abc", "en")
    assert "اكتب رمزك البريدي" in find(client, "abc", "ar")
    assert "Skriv dit postnummer" not in find(client, "", "tr")


def test_an_empty_postcode_asks_for_one(client, centre, fixed_now):
    assert "Skriv dit postnummer med fire cifre" in find(client, "")


def test_arabic_digits_spaces_and_a_dk_prefix_are_read(client, norrebro_choice, fixed_now):
    for typed in ("٢٢٠٠", " 22 00 ", "DK-2200"):
        html = find(client, typed, "ar")
        assert card_names(html)[0] == "Familierådgivningen Nørrebro", typed
        assert "Familierådgivningen Valby" not in card_names(html), typed


def test_a_postcode_no_centre_serves_lists_every_centre_and_says_so(client, centre, fixed_now):
    html = find(client, "8000")
    assert 'Vi har ingen familierådgivning for postnummer <bdi dir="ltr">8000</bdi>.' in html
    assert {"Familierådgivningen Nørrebro", "Familierådgivningen Valby"} <= set(card_names(html))
    assert 'href="/#centres">Vis alle familierådgivninger</a>' in html


def test_the_cards_carry_coordinates_for_use_my_location_in_plain_decimals(client, centre, fixed_now):
    centre.latitude, centre.longitude = Decimal("55.6941"), Decimal("12.5407")
    centre.save()
    html = client.get("/").content.decode()
    assert 'data-lat="55.694100" data-lon="12.540700"' in html
    # The button is hidden until the script finds that the browser can locate.
    assert re.search(r'<button type="button" class="[^"]*pub-locate" id="locate" hidden', html)
    assert '<script src="/static/public/near.js" defer></script>' in html
    # A centre without coordinates is left out of the sorting, not placed at 0,0.
    assert html.count("data-lat=") == 1


def test_a_postcode_search_makes_a_fixed_number_of_queries(
    client, norrebro_choice, fixed_now, django_assert_max_num_queries
):
    for n in range(10):
        make_pattern(make_centre(f"Familierådgivningen {n}", district=norrebro_choice.district))
    with django_assert_max_num_queries(14):
        find(client, "2200")


@pytest.mark.parametrize(
    ("utc", "badge"),
    [
        ((2025, 9, 1, 11, 30), "Åbner i dag kl. 14:00"),  # 13:30 in Copenhagen (summer time)
        ((2025, 9, 1, 12, 30), "Åben nu indtil kl. 17:00"),  # 14:30 in Copenhagen
        ((2025, 9, 1, 22, 30), "Åbner torsdag kl. 10:00"),  # 00:30 on Tuesday in Copenhagen
    ],
)
def test_the_badges_tell_copenhagen_time_whatever_the_servers_clock(client, norrebro_choice, monkeypatch, utc, badge):
    from datetime import UTC, datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(*utc, tzinfo=UTC))
    html = find(client, "2200")
    assert badge in html
