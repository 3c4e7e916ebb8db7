"""Centre texts, closure reasons and volunteer groups in the reader's language (issue 17, item 4).

What staff write is kept per language (django-modeltranslation). A page shows the text in
its own language, or the Danish text marked lang="da" when no one has translated it.
"""

import re
from datetime import date, time

from django.utils import translation

from forpost.centres.testing import make_closure
from forpost.collaboration.testing import make_volunteer_group
from forpost.core.testing import post_form
from forpost.public.languages import public_reverse


def _page(client, centre, language):
    return client.get(public_reverse("public:centre", language, slug=centre.slug)).content.decode()


def test_the_description_and_directions_are_shown_in_the_pages_language(client, centre, fixed_now):
    centre.description_en = "Free and anonymous counselling."
    centre.directions_en = "Bus 5C to Nørrebros Runddel."
    centre.save()
    html = _page(client, centre, "en")
    assert "Free and anonymous counselling." in html
    assert "Bus 5C to Nørrebros Runddel." in html
    assert "Gratis og anonym rådgivning." not in html
    assert "Gratis og anonym rådgivning." in _page(client, centre, "da")


def test_an_untranslated_description_is_shown_in_danish_marked_danish(client, centre, fixed_now):
    centre.description_en = "Free and anonymous counselling."
    centre.save()
    html = _page(client, centre, "ar")
    # Marked Danish, and left to right inside the Arabic page (no dangling full stop).
    assert '<span lang="da" dir="ltr">Gratis og anonym rådgivning.</span>' in html
    assert '<span lang="da" dir="ltr">Bus 5C til Nørrebros Runddel.</span>' in html
    assert '<span lang="da">Gratis og anonym rådgivning.</span>' in _page(client, centre, "so")


def test_a_translated_text_is_not_marked_as_danish(client, centre, fixed_now):
    centre.description_en = "Free and anonymous counselling."
    centre.save()
    html = _page(client, centre, "en")
    assert '<span lang="da">Free and anonymous counselling.</span>' not in html
    assert 'lang="da">Free and anonymous' not in html


def test_a_closure_reason_is_shown_in_the_pages_language(client, centre, fixed_now):
    make_closure(centre, starts_on=date(2025, 9, 4), ends_on=date(2025, 9, 4), reason="Temadag")
    closure = centre.closures.get(starts_on=date(2025, 9, 4))
    closure.reason_tr = "Tema günü"
    closure.save()
    html = _page(client, centre, "tr")
    assert "Tema günü" in html
    assert 'lang="da">Tema günü' not in html
    # The staff day of the 11th has no Turkish reason: Danish, marked so.
    assert 'lang="da">Personaledag<' in html


def test_a_volunteer_group_is_shown_in_the_pages_language_with_its_weekday(client, centre, fixed_now):
    make_volunteer_group(
        centre,
        name_da="Fædregruppen",
        name_en="The fathers' group",
        description_da="For fædre med små børn.",
        meets_weekday=1,
        meets_from=time(17),
        meets_to=time(19),
        meets_frequency_da="hver uge",
        meets_frequency_en="every week",
        active_from=date(2020, 1, 1),
    )
    html = _page(client, centre, "en")
    assert "The fathers&#x27; group" in html
    assert "Tuesday 17:00–19:00" in html
    assert "every week" in html
    assert '<span lang="da">For fædre med små børn.</span>' in html
    arabic = _page(client, centre, "ar")
    assert '<span lang="da" dir="ltr">Fædregruppen</span>' in arabic


def test_a_coordinator_gives_a_closure_reason_in_english_and_turkish(cast, client_for):
    from django.urls import reverse

    from forpost.centres.models import Closure

    client = client_for(cast.bob)
    client.cookies["django_language"] = "en"  # a coordinator who works in English
    url = reverse("centres:closure_create", kwargs={"slug": cast.norrebro.slug})
    data = {"starts_on": "2030-12-24", "ends_on": "2030-12-26", "reason": "Juleferie"}
    data |= {"reason_en": "Christmas holiday", "reason_tr": "Noel tatili"}
    response = post_form(client, url, data)
    assert response.status_code == 302
    closure = Closure.objects.get(centre=cast.norrebro, starts_on=date(2030, 12, 24))
    assert (closure.reason_da, closure.reason_en, closure.reason_tr) == (
        "Juleferie",
        "Christmas holiday",
        "Noel tatili",
    )
    assert not closure.reason_ar


def test_a_coordinator_names_a_volunteer_group_in_english(cast, client_for):
    from django.urls import reverse

    from forpost.collaboration.models import VolunteerGroup

    client = client_for(cast.bob)
    client.cookies["django_language"] = "en"
    data = {
        "name_da": "Fædregruppen",
        "name_en": "The fathers' group",
        "association_name": "Far til Far",
        "description_da": "For fædre med små børn.",
        "target_group": "primary",
        "active_from": "2030-01-01",
    }
    response = post_form(client, reverse("collaboration:group_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    group = VolunteerGroup.objects.get(centre=cast.norrebro)
    assert (group.name_da, group.name_en) == ("Fædregruppen", "The fathers' group")
    with translation.override("en"):
        assert group.name == "The fathers' group"
    with translation.override("so"):
        assert group.name == "Fædregruppen"


def test_the_group_form_names_each_language_and_types_arabic_right_to_left(cast, client_for):
    from django.urls import reverse

    html = client_for(cast.bob).get(reverse("collaboration:group_create")).content.decode()
    assert "Navn (arabisk)" in html
    assert "Navn [ar]" not in html
    assert 'name="name_ar"' in html
    assert re.search(r'<input[^>]*name="name_ar"[^>]*>', html).group(0).count('dir="rtl"') == 1


def test_the_closure_form_offers_the_reason_in_each_other_public_language(cast, client_for):
    from django.urls import reverse

    url = reverse("centres:closure_create", kwargs={"slug": cast.norrebro.slug})
    html = client_for(cast.bob).get(url).content.decode()
    for code in ("en", "ar", "tr", "ur", "so"):
        assert f'name="reason_{code}"' in html
    assert "Grunden på andre sprog" in html
