"""The centre's text for the year, edited in two tabs: the second save must not erase the first."""

from django.urls import reverse

from forpost.reports.models import StatusText


def _address(cast):  # type: ignore[no-untyped-def]
    return reverse("reports:status_text", args=[cast.norrebro.slug]) + "?year=2025"


def _tab(client, cast):  # type: ignore[no-untyped-def]
    return {"version": client.get(_address(cast)).context["form"]["version"].value()}


def _post(client, cast, tab, **texts):  # type: ignore[no-untyped-def]
    payload = {"year": "2025", "highlights": "", "local_focus": "", "challenges": ""} | tab | texts
    return client.post(_address(cast), payload)


def test_the_second_tab_gets_the_conflict_page_and_the_first_text_stands(client_for, cast):
    StatusText.objects.create(centre=cast.norrebro, year=2025, highlights="Brunch")
    client = client_for(cast.bob)
    tab_one, tab_two = _tab(client, cast), _tab(client, cast)
    assert _post(client, cast, tab_one, highlights="Brunch", challenges="Ventetid").status_code == 302
    conflict = _post(client, cast, tab_two, highlights="Brunch", local_focus="Fædre")
    assert conflict.status_code == 409
    assert "Ventetid" in conflict.content.decode() and "Fædre" in conflict.content.decode()
    text = StatusText.objects.get()
    assert (text.challenges, text.local_focus) == ("Ventetid", "")


def test_two_tabs_that_both_start_from_no_text_do_not_erase_each_other(client_for, cast):
    client = client_for(cast.bob)
    tab_one, tab_two = _tab(client, cast), _tab(client, cast)
    assert _post(client, cast, tab_one, highlights="Først").status_code == 302
    assert _post(client, cast, tab_two, highlights="Anden").status_code == 409
    assert StatusText.objects.get().highlights == "Først"


def test_saving_over_from_the_conflict_page_keeps_my_text(client_for, cast):
    client = client_for(cast.bob)
    tab_one, tab_two = _tab(client, cast), _tab(client, cast)
    _post(client, cast, tab_one, highlights="Først")
    conflict = _post(client, cast, tab_two, highlights="Anden")
    again = {"version": conflict.context["conflict"].current_version}
    assert _post(client, cast, again, highlights="Anden").status_code == 302
    assert StatusText.objects.get().highlights == "Anden"
