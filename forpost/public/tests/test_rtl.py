"""Arabic and Urdu pages: the Danish parts (names, addresses), times, e-mail addresses and
phone numbers are isolated and run left to right; every fixed text is translated."""

import pytest

from forpost.public.languages import CODES, public_reverse

RTL = ["ar", "ur"]


def page(client, name, language, **kwargs):
    response = client.get(public_reverse(f"public:{name}", language, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", RTL)
def test_the_address_is_one_isolated_left_to_right_piece(client, centre, fixed_now, language):
    html = page(client, "centre", language, slug=centre.slug)
    # Not reordered into "København N 2200".
    assert '<bdi lang="da" dir="ltr">2200 København N</bdi>' in html
    assert f'<h1><bdi lang="da" dir="ltr">{centre.name}</bdi></h1>' in html


@pytest.mark.parametrize("language", RTL)
def test_each_time_range_is_isolated_so_it_does_not_read_backwards(client, centre, fixed_now, language):
    html = page(client, "centre", language, slug=centre.slug)
    assert '<bdi dir="ltr">14:00–17:00</bdi>' in html
    assert '<bdi dir="ltr">09:00–10:00</bdi>' in html  # phone hours
    assert "<td>14:00–17:00</td>" not in html


@pytest.mark.parametrize("language", RTL)
def test_e_mail_and_phone_run_left_to_right_and_do_not_break(client, centre, fixed_now, language):
    html = page(client, "centre", language, slug=centre.slug)
    assert '<a class="pub-nowrap" href="mailto:norrebro@example.kk.dk" dir="ltr">' in html
    assert '<a class="pub-nowrap" href="tel:+4533170000" dir="ltr">' in html


@pytest.mark.parametrize("language", RTL)
def test_the_cards_isolate_names_districts_and_addresses(client, centre, fixed_now, language):
    html = page(client, "home", language)
    assert f'<bdi lang="da" dir="ltr">{centre.name}</bdi>' in html
    assert f'<bdi lang="da" dir="ltr">{centre.address}</bdi>' in html
    assert '<bdi lang="da" dir="ltr">Nørrebro</bdi>' in html


@pytest.mark.parametrize("language", [c for c in CODES if c != "da"])
@pytest.mark.parametrize("name", ["home", "centre", "accessibility"])
def test_the_skip_link_speaks_the_pages_language(client, centre, fixed_now, language, name):
    kwargs = {"slug": centre.slug} if name == "centre" else {}
    html = page(client, name, language, **kwargs)
    expected = {
        "en": "Skip to content",
        "ar": "انتقل إلى المحتوى",
        "tr": "İçeriğe geç",
        "ur": "مواد پر جائیں",
        "so": "U gudub nuxurka",
    }[language]
    assert f'<a class="skipnav" href="#main-content">{expected}</a>' in html
    assert "Gå til indhold" not in html


def test_the_stylesheet_runs_danish_text_left_to_right_on_right_to_left_pages(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("public/public.css")).read_text(encoding="utf-8")
    assert '[dir="rtl"] [lang="da"] { direction: ltr; unicode-bidi: isolate; }' in css
