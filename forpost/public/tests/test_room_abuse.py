"""The public room request holds against a flood (issue 12, "Abuse"): a limit per address and
one for everyone, in the database; a trap field robots fill; a clear message in the page's
language that keeps what was typed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forpost.accounts.models import RateWindow
from forpost.collaboration.models import RoomRequest
from forpost.collaboration.testing import make_room
from forpost.core.testing import post_form
from forpost.public.languages import CODES, public_reverse


@pytest.fixture
def room(cast):
    return make_room(cast.norrebro, name="Mødelokalet", capacity=12)


def _data(room, **over):
    day = timezone.localdate() + timedelta(days=9)
    data = {
        "room": room.pk,
        "association_name": "Foreningen Far",
        "contact_email": "far@example.dk",
        "contact_phone": "",
        "purpose": "Fædregruppe",
        "participants": "6",
        "kind": "once",
        "first_date": day.isoformat(),
        "start_time": "17:30",
        "end_time": "18:30",
    }
    return data | over


def _send(client, room, language="da", address="192.0.2.10", **over):
    url = public_reverse("public:rooms", language)
    form = client.get(url).context["form"]
    return client.post(
        url, {"submission_token": form["submission_token"].value(), **_data(room, **over)}, REMOTE_ADDR=address
    )


def test_one_address_is_stopped_after_the_hourly_limit_and_told_in_its_language(client, room, settings):
    settings.ROOM_REQUESTS_PER_HOUR_PER_ADDRESS = 3
    statuses = [_send(client, room, language="en").status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert RoomRequest.objects.count() == 3
    response = _send(client, room, language="en", association_name="Foreningen Mor")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert "Many requests have been sent from here" in html
    assert 'value="Foreningen Mor"' in html  # what was typed is kept
    # Another address is not held back by this one.
    assert _send(client, room, address="192.0.2.11").status_code == 302


def test_three_hundred_posts_from_one_address_make_at_most_the_limit(client, room):
    statuses = [_send(client, room).status_code for _ in range(30)]
    assert statuses.count(302) == 10  # ROOM_REQUESTS_PER_HOUR_PER_ADDRESS by default
    assert RoomRequest.objects.count() == 10


def test_all_addresses_together_are_stopped_at_the_overall_limit(client, room, settings):
    settings.ROOM_REQUESTS_PER_HOUR = 4
    statuses = [_send(client, room, address=f"192.0.2.{n}").status_code for n in range(6)]
    assert statuses == [302, 302, 302, 302, 429, 429]


def test_the_limit_is_counted_in_the_database_without_the_address(client, room):
    _send(client, room, address="198.51.100.23")
    keys = list(RateWindow.objects.values_list("key", flat=True))
    assert "rooms:all" in keys
    assert len(keys) == 2
    assert not [k for k in keys if "198.51.100.23" in k]


@pytest.mark.parametrize("language", CODES)
def test_the_limit_message_is_in_each_public_language(client, room, settings, language):
    settings.ROOM_REQUESTS_PER_HOUR_PER_ADDRESS = 0
    response = _send(client, room, language=language)
    assert response.status_code == 429
    html = response.content.decode()
    if language != "en":
        assert "Many requests have been sent from here" not in html


def test_a_filled_trap_field_sends_nothing_and_keeps_what_was_typed(client, room):
    response = _send(client, room, website="http://spam.example", association_name="Foreningen Mor")
    assert response.status_code == 200
    assert not RoomRequest.objects.exists()
    html = response.content.decode()
    assert 'value="Foreningen Mor"' in html
    assert 'value="http://spam.example"' not in html


def test_the_page_has_the_trap_field_out_of_sight_and_out_of_the_tab_order(client, room):
    html = client.get(public_reverse("public:rooms", "da")).content.decode()
    assert 'class="pub-honeypot" aria-hidden="true"' in html
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in html


def test_an_ordinary_request_still_goes_through(client, room):
    response = post_form(client, public_reverse("public:rooms", "da"), _data(room))
    assert response.status_code == 302
    assert RoomRequest.objects.count() == 1
