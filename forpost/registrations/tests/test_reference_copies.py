"""The desk's reference lists and closed years come from the process's copy
(forpost.core.generation), and a copy is never stale: every write of that data replaces the
generation in its own transaction, and the next request sees the new one."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from forpost.centres import closing
from forpost.core import generation
from forpost.registrations import reference
from forpost.registrations.models import Inquiry

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
