"""The desk's page drawn with the widgets drawn in Python (forpost.core.renderers) is the page
Django's widget templates draw, fresh and with errors, in each staff language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.forms.renderers import get_default_renderer

from .test_views import CREATE


def _without_tokens(html: str) -> str:
    return re.sub(r'name="(csrfmiddlewaretoken|submission_token)" value="[^"]*"', r'name="\1" value=""', html)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_desk_page_is_the_page_the_widget_templates_draw(client_for, desk, monkeypatch, language):  # type: ignore[no-untyped-def]
    client = client_for(desk.cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    wrong = {"note": "<b>x</b>", "minutes": "abc", "themes": [str(desk.divorce.pk)]}
    fast = [client.get(CREATE), client.post(CREATE, wrong)]
    monkeypatch.setattr(get_default_renderer(), "drawn", {})
    slow = [client.get(CREATE), client.post(CREATE, wrong)]
    for drawn, templated in zip(fast, slow, strict=True):
        assert drawn.status_code == templated.status_code == 200
        assert _without_tokens(drawn.content.decode()) == _without_tokens(templated.content.decode())
    assert 'lang="' + language + '"' in fast[0].content.decode()


# --- The fixed parts of a fresh form (registrations/templatetags/desk_tags.py) ----------------


def _uncached(monkeypatch):  # type: ignore[no-untyped-def]
    from forpost.registrations.forms import InquiryForm

    monkeypatch.setattr(InquiryForm, "fixed_key", lambda self, part: None)


def test_a_fresh_form_is_drawn_from_the_parts_kept_for_this_generation(client_for, desk):  # type: ignore[no-untyped-def]
    from forpost.core import generation

    client = client_for(desk.cast.alice)
    client.get(CREATE)
    kept = [key for key in generation._copies if key.startswith("desk-part:")]
    assert sorted(key.split(":")[1] for key in kept) == ["actions", "children", "family", "note", "themes"]


def test_a_renamed_theme_is_shown_at_the_next_registration(client_for, desk):  # type: ignore[no-untyped-def]
    client = client_for(desk.cast.alice)
    assert "Opdragelse (omdøbt)" not in client.get(CREATE).content.decode()
    desk.upbringing.name_da = "Opdragelse (omdøbt)"
    desk.upbringing.save()
    assert "Opdragelse (omdøbt)" in client.get(CREATE).content.decode()


def test_each_language_gets_its_own_parts(client_for, desk, monkeypatch):  # type: ignore[no-untyped-def]
    client = client_for(desk.cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish = client.get(CREATE).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _without_tokens(client.get(CREATE).content.decode())
    _uncached(monkeypatch)
    assert english == _without_tokens(client.get(CREATE).content.decode())
    assert "Themes" in english and "Themes" not in danish


def test_a_counsellor_of_another_municipality_gets_its_districts(client_for, desk, monkeypatch):  # type: ignore[no-untyped-def]
    from forpost.accounts.models import Role
    from forpost.centres.testing import make_centre, make_district, make_municipality, make_user

    aarhus = make_district("Aarhus Midtby", make_municipality("Aarhus Kommune", "751"))
    olga = make_user("olga", role=Role.COUNSELLOR, centre=make_centre("Aarhus", district=aarhus))
    client_for(desk.cast.alice).get(CREATE)  # the parts kept, drawn for Copenhagen
    page = _without_tokens(client_for(olga).get(CREATE).content.decode())
    assert "Aarhus Midtby" in page and "Valby" not in page
    _uncached(monkeypatch)
    assert page == _without_tokens(client_for(olga).get(CREATE).content.decode())


def test_a_form_sent_back_with_errors_shows_what_was_chosen(client_for, desk):  # type: ignore[no-untyped-def]
    client = client_for(desk.cast.alice)
    client.get(CREATE)  # the fresh parts kept
    page = client.post(CREATE, {"themes": [str(desk.divorce.pk)], "child_2_age": "6-9", "minutes": "abc"})
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(rf'value="{desk.divorce.pk}"[^>]*checked', html)
    assert re.search(r'<option value="6-9" selected>', html)


def test_the_query_of_the_items_offered_is_shared_but_never_run_itself(client_for, desk):  # type: ignore[no-untyped-def]
    from forpost.core import generation
    from forpost.registrations.models import Method

    client = client_for(desk.cast.alice)
    client.get(CREATE)
    client.post(CREATE, {"themes": [str(desk.divorce.pk)]})
    shared = {
        key: copy for key, (_generation, copy) in generation._copies.items() if key.startswith("registrations.offered:")
    }
    assert set(shared) >= {"registrations.offered:registrations.theme", "registrations.offered:registrations.action"}
    assert all(query._result_cache is None for query in shared.values())
    # A new method is offered at once: each form runs its own copy of the query.
    from forpost.registrations.forms import _offered

    assert not list(_offered(Method).filter(code="new-method"))
    Method.objects.create(code="new-method", name_da="Ny metode", sort_order=99)
    assert [m.code for m in _offered(Method).filter(code="new-method")] == ["new-method"]


def test_the_desk_page_takes_at_most_five_queries(client_for, desk, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    """The session; the user with their memberships; the form's token; the centres for the menu;
    the offers. The reference lists and the fixed parts come from the process's copies."""
    client = client_for(desk.cast.alice)
    client.get(CREATE)
    with django_assert_max_num_queries(5):
        assert client.get(CREATE).status_code == 200
