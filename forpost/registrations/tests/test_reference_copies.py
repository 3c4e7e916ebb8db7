"""The desk's reference lists and closed years come from the process's copy
(forpost.core.generation), and a copy is never stale: every write of that data replaces the
generation in its own transaction, and the next request sees the new one."""

from __future__ import annotations

import json
from datetime import date

from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forpost.centres import closing
from forpost.core import generation
from forpost.core.models import Generation
from forpost.registrations import reference
from forpost.registrations.models import Inquiry, Theme

from .test_views import CREATE, _walk_in


def test_a_theme_retired_after_the_copy_was_made_is_refused_at_the_next_post(client_for, desk):
    client = client_for(desk.cast.alice)
    assert client.post(CREATE, _walk_in(client, desk)).status_code == 302  # the copy is made
    data = _walk_in(client, desk, themes=[str(desk.divorce.pk)])
    desk.divorce.retired_at = timezone.now()
    desk.divorce.save()
    response = client.post(CREATE, data)
    assert response.status_code == 200 and response.context["form"].errors["themes"]
    assert Inquiry.objects.count() == 1
    assert desk.divorce not in reference.offered(type(desk.divorce))


def test_a_year_closed_after_the_copy_was_made_is_refused_at_the_next_post(client_for, desk):
    client = client_for(desk.cast.alice)
    assert client.post(CREATE, _walk_in(client, desk)).status_code == 302  # the copy is made
    data = _walk_in(client, desk)
    year = timezone.localdate().year
    closing.close_year(actor=desk.cast.erin, year=year, today=date(year + 1, 2, 1))
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert Inquiry.objects.count() == 1


def test_a_rolled_back_write_leaves_no_generation_a_copy_could_match(db):
    before = generation.current()
    seen = []
    try:
        with transaction.atomic():
            generation.bump()
            seen.append(generation.current())
            raise RuntimeError
    except RuntimeError:
        pass
    assert generation.current() == before != seen[0]
    generation.bump()
    assert generation.current() not in (before, seen[0])


def test_outside_a_request_the_generation_is_read_each_time(db):
    generation.note(12345)  # as Access would, in a worker: not kept
    assert generation.current() != 12345


def _theme_labels(client):  # type: ignore[no-untyped-def]
    form = client.get(CREATE).context["form"]
    return {str(value): str(label) for value, label in form.fields["themes"].choices}


def test_a_theme_renamed_or_added_in_the_admin_is_on_the_next_desk_page_and_post(client_for, desk):
    alice = client_for(desk.cast.alice)
    assert _theme_labels(alice)[str(desk.divorce.pk)] == desk.divorce.name_da  # the copy is made
    admin = Client()  # central staff, at another browser
    admin.force_login(desk.cast.grace, backend="forpost.accounts.backends.ModelBackend")
    change = reverse("admin:registrations_theme_change", args=[desk.divorce.pk])
    fields = {"code": desk.divorce.code, "name_en": desk.divorce.name_en, "sort_order": desk.divorce.sort_order}
    response = admin.post(change, {**fields, "name_da": "Skilsmisse og samliv", "retired_at_0": "", "retired_at_1": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    add = reverse("admin:registrations_theme_add")
    response = admin.post(add, {"code": "sleep", "name_da": "Søvn", "name_en": "Sleep", "sort_order": 5})
    assert response.status_code == 302, response.context["adminform"].form.errors
    sleep = Theme.objects.get(code="sleep")

    labels = _theme_labels(alice)
    assert labels[str(desk.divorce.pk)] == "Skilsmisse og samliv"
    assert labels[str(sleep.pk)] == "Søvn"
    assert alice.post(CREATE, _walk_in(alice, desk, themes=[str(sleep.pk)])).status_code == 302
    assert list(Inquiry.objects.latest("pk").themes.all()) == [sleep]


def test_a_change_another_app_server_wrote_is_seen_at_the_next_request(client_for, desk):
    """Another process's write reaches this one only through the database: its rows and the
    generation it replaced in the same transaction."""
    alice = client_for(desk.cast.alice)
    data = _walk_in(alice, desk, themes=[str(desk.divorce.pk)])  # the copy is made
    # Written without this process's signals, as another app server writes it.
    Theme.objects.filter(pk=desk.divorce.pk).update(name_da="Skilsmisse og samliv", retired_at=timezone.now())
    assert _theme_labels(alice)[str(desk.divorce.pk)] == desk.divorce.name_da  # the copy, still current
    Generation.objects.update_or_create(pk=1, defaults={"value": 4242})  # that server's bump

    assert str(desk.divorce.pk) not in _theme_labels(alice)  # retired: no longer offered
    response = alice.post(CREATE, data)
    assert response.status_code == 200 and response.context["form"].errors["themes"]
    assert not Inquiry.objects.exists()


def test_a_theme_loaded_from_a_fixture_is_on_the_next_desk_page(client_for, desk, tmp_path):
    # loaddata saves "raw", which the data version ignores; the reference copies may not.
    alice = client_for(desk.cast.alice)
    assert _theme_labels(alice)[str(desk.divorce.pk)] == desk.divorce.name_da  # the copy is made
    fixture = tmp_path / "themes.json"
    fields = {"code": desk.divorce.code, "name": "Brud", "name_da": "Brud", "name_en": "Break-up", "sort_order": 1}
    fixture.write_text(json.dumps([{"model": "registrations.theme", "pk": desk.divorce.pk, "fields": fields}]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert _theme_labels(alice)[str(desk.divorce.pk)] == "Brud"
