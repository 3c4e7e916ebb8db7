"""Associations find a free room (issue 17, item 5): the public room request page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.collaboration.models import RoomRequest
from forpost.collaboration.testing import make_booking, make_room
from forpost.core.testing import post_form
from forpost.public.languages import CODES, public_reverse


@pytest.fixture
def room(cast):
    return make_room(cast.norrebro, name="Mødelokalet", capacity=12)


def _data(room, day, **over):
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


def test_the_start_page_and_each_centre_page_link_to_the_room_request(client, cast, room):
    link = f'href="{public_reverse("public:rooms", "en")}"'
    assert link in client.get(public_reverse("public:home", "en")).content.decode()
    assert link in client.get(public_reverse("public:centre", "en", slug=cast.norrebro.slug)).content.decode()


@pytest.mark.parametrize("language", CODES)
def test_the_room_request_is_a_public_page_in_each_language(client, room, language):
    response = client.get(public_reverse("public:rooms", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'class="pub-header"' in html  # the public look, not the staff branding
    assert "Mødelokalet" in html


def test_english_lives_at_en_lokaler(client, room):
    assert public_reverse("public:rooms", "en") == "/en/lokaler/"
    assert client.get("/en/lokaler/").status_code == 200


def test_the_page_shows_busy_times_without_who_holds_the_room(client, room):
    day = timezone.localdate() + timedelta(days=9)
    make_booking(room, day=day, holder_name="Forældre til børn med ADHD")
    html = client.get(reverse("public:rooms")).content.decode()
    assert "17:00–19:00" in html
    assert "ADHD" not in html


def test_a_request_for_a_booked_time_is_refused_with_the_clash_and_keeps_what_was_typed(client, room):
    day = timezone.localdate() + timedelta(days=9)
    make_booking(room, day=day, holder_name="Forældre til børn med ADHD")
    response = post_form(client, reverse("public:rooms"), _data(room, day))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lokalet er allerede booket på det tidspunkt" in html
    assert "17:00–19:00" in html
    assert "ADHD" not in html
    assert 'value="Foreningen Far"' in html
    assert not RoomRequest.objects.exists()


def test_a_weekly_request_that_clashes_in_a_later_week_is_refused(client, room):
    day = timezone.localdate() + timedelta(days=9)
    make_booking(room, day=day + timedelta(weeks=3), holder_name="Netværket")
    data = _data(room, day, kind="weekly", last_date=(day + timedelta(weeks=6)).isoformat())
    response = post_form(client, reverse("public:rooms"), data)
    assert response.status_code == 200
    assert not RoomRequest.objects.exists()


def test_a_request_for_a_free_time_is_sent_and_thanked_in_its_language(client, room):
    day = timezone.localdate() + timedelta(days=9)
    make_booking(room, day=day, holder_name="Netværket")
    response = post_form(
        client, public_reverse("public:rooms", "en"), _data(room, day, start_time="19:00", end_time="21:00")
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/lokaler/tak/"
    assert RoomRequest.objects.get().association_name == "Foreningen Far"


def _approve(room, mailoutbox, capture, **fields):
    from forpost.collaboration.services import approve_room_request
    from forpost.collaboration.testing import make_room_request

    request = make_room_request(room, **fields)
    with capture(execute=True):
        approve_room_request(actor=None, request=request)
    return request, mailoutbox[-1]


def test_the_approval_email_gives_address_access_contact_house_rules_and_a_personal_link(
    room, mailoutbox, django_capture_on_commit_callbacks
):
    room.access_da, room.access_en = "Ring på klokken ved port B.", "Ring the bell at gate B."
    room.house_rules_da, room.house_rules_en = "Ryd op og lås efter jer.", "Tidy up and lock the door."
    room.contact = "Koordinator Bo, 33 17 00 00"
    room.save()
    day = timezone.localdate() + timedelta(days=9)
    _request, mail = _approve(room, mailoutbox, django_capture_on_commit_callbacks, first_date=day, language="en")
    assert mail.subject == "Your room request is approved"
    assert room.centre.street_address in mail.body
    assert "Ring the bell at gate B." in mail.body
    assert "Koordinator Bo, 33 17 00 00" in mail.body
    assert "Tidy up and lock the door." in mail.body
    assert "/en/lokaler/mine/" in mail.body


def test_an_untranslated_house_rule_is_sent_in_danish(room, mailoutbox, django_capture_on_commit_callbacks):
    room.house_rules_da = "Ryd op og lås efter jer."
    room.save()
    day = timezone.localdate() + timedelta(days=9)
    _request, mail = _approve(room, mailoutbox, django_capture_on_commit_callbacks, first_date=day, language="tr")
    assert "Ryd op og lås efter jer." in mail.body


def _link_in(mail):
    import re

    return re.search(r"(/(?:[a-z]{2}/)?lokaler/mine/[^/\s]+/)", mail.body).group(1)


def test_the_personal_link_shows_the_bookings_and_cancelling_frees_the_slot(
    client, room, mailoutbox, django_capture_on_commit_callbacks
):
    from forpost.accounts.models import AuditEntry

    day = timezone.localdate() + timedelta(days=9)
    request, mail = _approve(room, mailoutbox, django_capture_on_commit_callbacks, first_date=day)
    link = _link_in(mail)
    html = client.get(link).content.decode()
    assert "Forældrenetværket" in html and "17:00–19:00" in html
    response = client.post(link, {"booking": request.booking_id})
    assert response.status_code == 302
    request.booking.refresh_from_db()
    assert request.booking.cancelled_at is not None
    # The slot is free again: another association may ask for it.
    assert (
        post_form(client, reverse("public:rooms"), _data(room, day, start_time="17:00", end_time="19:00")).status_code
        == 302
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    entries = AuditEntry.objects.filter(object_type__in=["collaboration.booking", "collaboration.roomrequest"])
    assert entries.filter(action="read").exists() and entries.filter(action="change").exists()
    assert not any(token in str(e.changes) or request.link_hash in str(e.changes) for e in AuditEntry.objects.all())


def test_a_personal_link_cannot_cancel_another_associations_booking(client, room):
    from forpost.collaboration.testing import approve_with_link

    other, _token = approve_with_link(
        room, association_name="Andre", first_date=timezone.localdate() + timedelta(days=20)
    )
    _mine, token = approve_with_link(room, first_date=timezone.localdate() + timedelta(days=9))
    link = reverse("public:room_bookings", kwargs={"token": token})
    client.post(link, {"booking": other.booking_id})
    other.booking.refresh_from_db()
    assert other.booking.cancelled_at is None


def test_an_unknown_or_expired_link_is_not_found(client, room):
    from forpost.collaboration.models import RoomRequest
    from forpost.collaboration.testing import approve_with_link

    request, token = approve_with_link(room, first_date=timezone.localdate() + timedelta(days=9))
    assert client.get(reverse("public:room_bookings", kwargs={"token": "nope"})).status_code == 404
    RoomRequest.objects.filter(pk=request.pk).update(link_expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("public:room_bookings", kwargs={"token": token})).status_code == 404
    assert client.post(reverse("public:room_bookings", kwargs={"token": token}), {"booking": "1"}).status_code == 404


def _check(client, room, day, start, end, language="da"):
    query = {"room": room.pk, "kind": "once", "first_date": day.isoformat(), "start_time": start, "end_time": end}
    return client.get(public_reverse("public:room_check", language), query)


def test_a_clash_is_told_as_the_time_is_picked_without_who_holds_the_room(client, room):
    day = timezone.localdate() + timedelta(days=9)
    make_booking(room, day=day, holder_name="Forældre til børn med ADHD")
    html = _check(client, room, day, "18:00", "20:00", "en").content.decode()
    assert "The room is already booked at that time" in html
    assert "17:00–19:00" in html
    assert "ADHD" not in html
    assert "The room is free at that time." in _check(client, room, day, "19:00", "21:00", "en").content.decode()


@pytest.mark.parametrize(
    "query",
    [{}, {"room": "abc"}, {"room": "999999", "first_date": "x"}, {"first_date": "2030-13-45", "start_time": "25:00"}],
)
def test_the_time_check_answers_bad_input_with_an_empty_note(client, room, query):
    response = client.get(reverse("public:room_check"), query)
    assert response.status_code == 200
    assert "alert" not in response.content.decode()


def test_the_request_form_asks_for_the_check_as_times_change_without_inline_script(client, room):
    html = client.get(reverse("public:rooms")).content.decode()
    assert f'hx-get="{reverse("public:room_check")}"' in html
    assert 'hx-trigger="change from:closest form delay:200ms"' in html
    # Only the room and the times travel in the check's address, never contact details.
    include = re.search(r'hx-include="([^"]*)"', html).group(1)
    assert "contact" not in include and "csrf" not in include and "association" not in include
    assert "<script>" not in html


def test_a_weekly_booking_is_shown_once_and_the_other_times_by_date(client, room):
    from datetime import time

    from django.utils import translation

    from forpost.collaboration.queries import room_availability
    from forpost.collaboration.services import Holder
    from forpost.collaboration.testing import make_series
    from forpost.public.busy import busy_times

    today = timezone.localdate()
    make_series(
        room,
        weekday=1,
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(weeks=10),
        holder=Holder(name="Netværket"),
    )
    # Thursdays at five, but not in the fourth week: not weekly, so listed by date.
    thursdays = [today + timedelta(days=(3 - today.weekday()) % 7 + 7 * n) for n in range(8)]
    for n, day in enumerate(thursdays):
        if n != 3:
            make_booking(room, day=day, start=time(17), end=time(18), holder_name="Forældrecaféen")
    with translation.override("so"):
        (shown,) = [busy_times(a, today) for a in room_availability([room], today)]
        assert shown.weekly == (("Talaado", "17:00–19:00"),)
        window_end = today - timedelta(days=today.weekday()) + timedelta(weeks=8)
        assert len(shown.other) == sum(1 for n, d in enumerate(thursdays) if n != 3 and d < window_end)
        assert all(times == "17:00–18:00" for _day, times in shown.other)
        assert shown.other[0][0].startswith("Khamiis")
    html = client.get(public_reverse("public:rooms", "en")).content.decode()
    assert 'Busy every week:</span> Tuesday <span dir="ltr">17:00–19:00</span>' in html
    assert "Also busy:" in html
    assert "Netværket" not in html and "Forældrecaféen" not in html


def test_a_room_with_no_bookings_is_said_to_be_free(client, room):
    assert "Ledigt hele tiden de næste otte uger." in client.get(reverse("public:rooms")).content.decode()
