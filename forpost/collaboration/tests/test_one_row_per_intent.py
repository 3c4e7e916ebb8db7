"""One row per intent, no lost edits (issue 15, item 4).

A double click, a back-and-resubmit or a retry sends a create form twice: it must make one
record. Two tabs editing the same record: the second save must not silently erase the first.
The forms are posted as the page renders them (hidden token and version included).
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.accounts.models import AuditEntry
from forpost.collaboration.models import (
    Activity,
    Booking,
    CrossCityMeeting,
    GroupReferral,
    Partner,
    Room,
    RoomRequest,
    VolunteerGroup,
)
from forpost.collaboration.testing import (
    activity_type,
    make_activity,
    make_booking,
    make_meeting,
    make_partner,
    make_room,
    make_series,
    make_volunteer_group,
)


def _rendered(client, url):  # type: ignore[no-untyped-def]
    """The hidden values the page's form carries."""
    form = client.get(url).context["form"]
    return {name: form[name].value() for name in ("submission_token", "version") if name in form.fields}


def _twice(client, url, data):  # type: ignore[no-untyped-def]
    posted = {**_rendered(client, url), **data}
    return client.post(url, posted), client.post(url, posted)


def test_a_double_submitted_activity_is_logged_once(cast, client_for):
    first, second = _twice(
        client_for(cast.alice),
        reverse("collaboration:activity_create"),
        {"date": "2024-05-01", "type": activity_type("theme_event").pk, "participants": "25"},
    )
    assert (first.status_code, second.status_code) == (302, 302)
    assert Activity.objects.count() == 1


def test_a_double_submitted_referral_to_a_volunteer_group_counts_once(cast, client_for):
    group = make_volunteer_group(cast.norrebro)
    _twice(
        client_for(cast.alice),
        reverse("collaboration:group_referral_create", args=[group.pk]),
        {"date": "2024-05-01", "direction": "to_group", "count": "3"},
    )
    assert [r.count for r in GroupReferral.objects.filter(group=group)] == [3]


def test_a_double_submitted_cross_city_meeting_is_scheduled_once(cast, client_for):
    _first, second = _twice(
        client_for(cast.erin),
        reverse("collaboration:meeting_create"),
        {"date": "2030-03-10", "start_time": "09:00", "end_time": "12:00", "place": "Rådhuset"},
    )
    meeting = CrossCityMeeting.objects.get()
    assert second["Location"] == reverse("collaboration:meeting_detail", args=[meeting.pk])


def test_a_double_submitted_public_room_request_is_sent_once(cast, client):
    room = make_room(cast.norrebro)
    data = {
        "room": room.pk,
        "association_name": "Forening for forældre",
        "contact_email": "kontakt@forening.example",
        "purpose": "Samtalegruppe",
        "participants": "8",
        "kind": "once",
        "first_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
    }
    first, second = _twice(client, reverse("public:rooms"), data)
    assert first["Location"] == second["Location"] == reverse("public:room_thanks")
    assert RoomRequest.objects.count() == 1


def test_a_forged_public_form_token_is_refused_and_the_form_keeps_what_was_typed(cast, client):
    room = make_room(cast.norrebro)
    response = client.post(
        reverse("public:rooms"),
        {
            "submission_token": "forged",
            "room": room.pk,
            "association_name": "Forening for forældre",
            "contact_email": "kontakt@forening.example",
            "purpose": "Samtalegruppe",
            "participants": "8",
            "kind": "once",
            "first_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "start_time": "19:00",
            "end_time": "21:00",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form["association_name"].value() == "Forening for forældre"
    assert form["submission_token"].value() != "forged"
    assert not RoomRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "model", "data"),
    [
        ("collaboration:partner_create", Partner, {"type": "health_visitors", "name": "Sundhedsplejen"}),
        ("collaboration:room_create", Room, {"name": "Salen", "capacity": "20"}),
        (
            "collaboration:group_create",
            VolunteerGroup,
            {
                "name_da": "Fædregruppen",
                "association_name": "Far til far",
                "description_da": "Samtaler for fædre",
                "target_group": "primary",
                "active_from": "2024-01-01",
            },
        ),
    ],
)
def test_other_create_forms_make_one_record_per_submit(cast, client_for, name, model, data):
    _twice(client_for(cast.bob), reverse(name), data)
    assert model.objects.count() == 1


def test_a_double_submitted_booking_books_once(cast, client_for):
    room = make_room(cast.norrebro)
    first, second = _twice(
        client_for(cast.bob),
        reverse("collaboration:booking_create", args=[room.pk]),
        {"holder_name": "Foreningen", "kind": "once", "day": "2030-04-02", "start_time": "18:00", "end_time": "20:00"},
    )
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1


def test_a_create_form_posted_without_its_token_is_shown_again_with_what_was_typed(cast, client_for):
    response = client_for(cast.alice).post(
        reverse("collaboration:activity_create"),
        {"date": "2024-05-01", "type": activity_type("theme_event").pk, "participants": "25"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["participants"].value() == "25"
    assert not Activity.objects.exists()


# --- Two tabs ------------------------------------------------------------------------------------


def _partner(cast):  # type: ignore[no-untyped-def]
    obj = make_partner(cast.norrebro, name="Skolen", phone="11111111")
    base = {"type": obj.type, "name": obj.name, "phone": obj.phone, "active": "on"}
    return obj, "collaboration:partner_edit", base, "name", "Skolen på Hjørnet", "phone", "22222222"


def _group(cast):  # type: ignore[no-untyped-def]
    obj = make_volunteer_group(cast.norrebro, name="Mødregruppen", target_group="primary")
    base = {
        "name_da": obj.name,
        "association_name": obj.association_name,
        "description_da": obj.description,
        "target_group": "primary",
        "active_from": "2020-01-01",
    }
    return obj, "collaboration:group_edit", base, "name_da", "Mødregruppen Nord", "description_da", "Ny beskrivelse"


def _room(cast):  # type: ignore[no-untyped-def]
    obj = make_room(cast.norrebro, name="Salen")
    base = {"name": obj.name, "capacity": str(obj.capacity), "active": "on"}
    return obj, "collaboration:room_edit", base, "name", "Store sal", "accessibility", "Elevator"


def _activity(cast):  # type: ignore[no-untyped-def]
    obj = make_activity(cast.norrebro, participants=5, note="")
    base = {"date": "2024-03-01", "type": obj.type_id, "participants": "5"}
    return obj, "collaboration:activity_edit", base, "participants", "6", "note", "Godt møde"


def _meeting(cast):  # type: ignore[no-untyped-def]
    obj = make_meeting(cast.norrebro)
    base = {"date": "2024-03-12", "start_time": "09:00", "end_time": "12:00", "place": "Rådhuset"}
    return obj, "collaboration:meeting_edit", base, "place", "Borgernes Hus", "topic", "Sommer"


@pytest.mark.parametrize("make", [_partner, _group, _room, _activity, _meeting])
def test_the_second_tab_gets_the_conflict_page_and_the_first_save_stands(cast, client_for, make):
    obj, name, base, first_field, first_value, second_field, second_value = make(cast)
    client = client_for(cast.erin if name == "collaboration:meeting_edit" else cast.bob)
    url = reverse(name, args=[obj.pk])
    tab_one, tab_two = _rendered(client, url), _rendered(client, url)
    saved = client.post(url, {**base, **tab_one, first_field: first_value})
    assert saved.status_code == 302
    conflict = client.post(url, {**base, **tab_two, second_field: second_value})
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert first_value in page and second_value in page  # theirs and mine, side by side
    obj.refresh_from_db()
    assert str(getattr(obj, first_field)) == first_value
    assert str(getattr(obj, second_field) or "") != second_value


def test_saving_my_version_from_the_conflict_page_overwrites_knowingly(cast, client_for):
    partner = make_partner(cast.norrebro, name="Skolen")
    client = client_for(cast.bob)
    url = reverse("collaboration:partner_edit", args=[partner.pk])
    base = {"type": partner.type, "name": "Skolen", "active": "on"}
    tab_one, tab_two = _rendered(client, url), _rendered(client, url)
    client.post(url, {**base, **tab_one, "phone": "11111111"})
    conflict = client.post(url, {**base, **tab_two, "phone": "22222222"})
    assert conflict.status_code == 409
    # The conflict page's button posts my values again with the version now stored.
    assert client.post(url, {**base, "version": conflict.context["conflict"].current_version, "phone": "22222222"})[
        "Location"
    ] == reverse("collaboration:partner_list")
    partner.refresh_from_db()
    assert (partner.phone, partner.version) == ("22222222", 3)


def test_a_conflict_writes_no_audit_change(cast, client_for):
    room = make_room(cast.norrebro, name="Salen")
    client = client_for(cast.bob)
    url = reverse("collaboration:room_edit", args=[room.pk])
    stale = _rendered(client, url)
    client.post(url, {"name": "Store sal", "capacity": "10", "active": "on", **_rendered(client, url)})
    client.post(url, {"name": "Lille sal", "capacity": "10", "active": "on", **stale})
    assert AuditEntry.objects.filter(object_type="collaboration.room", action="change").count() == 1


def test_attendance_recorded_in_two_tabs_does_not_erase_the_first(cast, client_for):
    meeting = make_meeting(cast.norrebro, date=date(2024, 3, 12))
    ours = meeting.attendances.get(centre=cast.norrebro)
    client = client_for(cast.bob)
    url = reverse("collaboration:attendance_edit", args=[ours.pk])
    tab_one, tab_two = _rendered(client, url), _rendered(client, url)
    assert client.post(url, {**tab_one, "attended": "yes", "attendees": "3"}).status_code == 302
    assert client.post(url, {**tab_two, "attended": "no", "attendees": "0"}).status_code == 409
    ours.refresh_from_db()
    assert (ours.attended, ours.attendees) == (True, 3)


def test_a_booking_moved_in_two_tabs_keeps_the_first_move(cast, client_for):
    room = make_room(cast.norrebro)
    booking = make_booking(room, day=date(2030, 4, 2))
    client = client_for(cast.bob)
    url = reverse("collaboration:booking_edit", args=[booking.pk])
    tab_one, tab_two = _rendered(client, url), _rendered(client, url)
    move = {"day": "2030-04-02", "purpose": ""}
    assert client.post(url, {**tab_one, **move, "start_time": "10:00", "end_time": "12:00"}).status_code == 302
    assert client.post(url, {**tab_two, **move, "start_time": "14:00", "end_time": "16:00"}).status_code == 409
    booking.refresh_from_db()
    assert timezone.localtime(booking.starts_at).hour == 10


def test_a_weekly_booking_changed_in_two_tabs_keeps_the_first_change(cast, client_for):
    # A month ahead: a weekly booking reaches at most two years from today.
    first = timezone.localdate() + timedelta(days=30)
    last = first + timedelta(days=29)
    series = make_series(make_room(cast.norrebro), starts_on=first, ends_on=last)
    client = client_for(cast.bob)
    url = reverse("collaboration:series_edit", args=[series.pk])
    tab_one, tab_two = _rendered(client, url), _rendered(client, url)
    change = {"weekday": "1", "ends_on": last.isoformat(), "from_day": first.isoformat(), "purpose": ""}
    assert client.post(url, {**tab_one, **change, "start_time": "10:00", "end_time": "12:00"}).status_code == 302
    assert client.post(url, {**tab_two, **change, "start_time": "14:00", "end_time": "16:00"}).status_code == 409
    series.refresh_from_db()
    assert series.start_time.hour == 10
