"""The staff and public pages: flows, the week calendar, the iCal feed, and bad input."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from forpost.collaboration.models import (
    Activity,
    Attendance,
    Booking,
    Partner,
    RequestStatus,
    RoomRequest,
)
from forpost.collaboration.testing import (
    activity_type,
    make_activity,
    make_booking,
    make_meeting,
    make_partner,
    make_room,
    make_room_request,
    make_series,
)
from forpost.core.testing import post_form


def test_a_coordinator_adds_a_partner_with_the_organisations_contact(cast, client_for):
    client = client_for(cast.bob)
    response = post_form(
        client,
        reverse("collaboration:partner_create"),
        {"type": "health_visitors", "name": "Sundhedsplejen Nørrebro", "email": "sp@kk.example", "active": "on"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Sundhedsplejen Nørrebro")
    assert partner.centre == cast.norrebro


def test_a_counsellor_logs_an_activity_at_her_own_centre(cast, client_for):
    partner = make_partner(cast.norrebro)
    client = client_for(cast.alice)
    response = post_form(
        client,
        reverse("collaboration:activity_create"),
        {
            "date": "2024-05-01",
            "type": activity_type("theme_event").pk,
            "partners": [partner.pk],
            "participants": "25",
            "note": "Faglig brunch",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.centre, list(activity.partners.all())) == (cast.norrebro, [partner])


def test_the_activity_form_offers_only_partners_of_the_centre(cast, client_for):
    make_partner(cast.norrebro, name="Ours")
    make_partner(cast.valby, name="Theirs")
    body = client_for(cast.alice).get(reverse("collaboration:activity_create")).content.decode()
    assert "Ours" in body
    assert "Theirs" not in body


def test_a_partner_of_another_centre_posted_by_hand_is_refused(cast, client_for):
    theirs = make_partner(cast.valby)
    response = client_for(cast.alice).post(
        reverse("collaboration:activity_create"),
        {"date": "2024-05-01", "type": activity_type().pk, "partners": [theirs.pk]},
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_the_activity_list_filters_by_period_type_and_partner(cast, client_for):
    partner = make_partner(cast.norrebro)
    hit = make_activity(cast.norrebro, type="outreach", date=date(2024, 3, 31))
    hit.partners.add(partner)
    make_activity(cast.norrebro, type="outreach", date=date(2024, 4, 1))
    make_activity(cast.norrebro, type="theme_event", date=date(2024, 3, 2)).partners.add(partner)
    make_activity(cast.norrebro, type="outreach", date=date(2024, 3, 3))
    make_activity(cast.valby, type="outreach", date=date(2024, 3, 3))
    url = reverse("collaboration:activity_list")
    response = client_for(cast.alice).get(
        url,
        {
            "date_from": "2024-03-01",
            "date_to": "2024-03-31",
            "type": activity_type("outreach").pk,
            "partner": partner.pk,
        },
    )
    assert [a.pk for a in response.context["page"]] == [hit.pk]
    everything = client_for(cast.alice).get(url)
    assert everything.context["page"].paginator.count == 4  # Valby's is not shown


def test_the_activity_list_is_paginated(cast, client_for):
    for i in range(55):
        make_activity(cast.norrebro, date=date(2024, 1, 1) + timedelta(days=i))
    response = client_for(cast.alice).get(reverse("collaboration:activity_list"), {"page": "2"})
    assert len(response.context["page"].object_list) == 5


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "not-a-date"},
        {"date_from": "2024-13-45", "date_to": "9999999-1-1"},
        {"date_from": "2024-05-01", "date_to": "2024-01-01"},
        {"type": "abc", "partner": "-1", "centre": "x"},
        {"page": "zzz"},
        {"page": "99999999999999999999"},
        {"type": "1'; DROP TABLE x; --"},
    ],
)
def test_bad_filters_never_fail_the_activity_list(cast, client_for, query):
    response = client_for(cast.alice).get(reverse("collaboration:activity_list"), query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"date": "31-02-2024", "type": "x", "participants": "-4"},
        {"date": "2024-05-01", "type": "999999", "participants": "1e9"},
        {"date": "2024-05-01", "participants": "99999999999999999999999"},
        {"date": "2024-05-01", "note": "Ring til mor på 22 33 44 55"},
    ],
)
def test_bad_activity_input_is_refused_with_a_message(cast, client_for, data):
    response = client_for(cast.alice).post(reverse("collaboration:activity_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_activity_can_be_edited_and_deleted(cast, client_for):
    activity = make_activity(cast.norrebro)
    client = client_for(cast.alice)
    response = post_form(
        client,
        reverse("collaboration:activity_edit", args=[activity.pk]),
        {"date": "2024-03-02", "type": activity.type_id, "participants": "4"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 4
    assert client.post(reverse("collaboration:activity_delete", args=[activity.pk])).status_code == 302
    assert not Activity.objects.exists()


def test_a_coordinator_of_another_centre_cannot_touch_an_activity(cast, client_for):
    activity = make_activity(cast.norrebro)
    client = client_for(cast.dana)
    assert client.get(reverse("collaboration:activity_edit", args=[activity.pk])).status_code == 404
    assert client.post(reverse("collaboration:activity_delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_week_calendar_lists_the_weeks_bookings_by_day(cast, client_for, room):
    make_booking(room, day=date(2030, 4, 2), start=time(17), end=time(19), holder_name="Forældrenetværket")
    make_booking(room, day=date(2030, 4, 9), holder_name="Next week's group")
    make_booking(make_room(cast.norrebro), day=date(2030, 4, 2), holder_name="Other room")
    response = client_for(cast.alice).get(reverse("collaboration:room_detail", args=[room.pk]), {"week": "2030-04-04"})
    calendar = response.context["calendar"]
    assert calendar.monday == date(2030, 4, 1)
    tuesday = calendar.days[1]
    assert [(e.holder, e.starts.hour) for e in tuesday.entries] == [("Forældrenetværket", 17)]
    assert sum(len(d.entries) for d in calendar.days) == 1
    body = response.content.decode()
    assert "<caption>" in body
    assert '?week=2030-03-25"' in body and '?week=2030-04-08"' in body


def test_the_calendar_shows_the_feed_address_only_to_the_coordinator(cast, client_for, room):
    url = reverse("collaboration:room_detail", args=[room.pk])
    assert room.feed_token in client_for(cast.bob).get(url).content.decode()
    assert room.feed_token not in client_for(cast.alice).get(url).content.decode()


@pytest.mark.parametrize("week", ["garbage", "2030-02-30", "99999-01-01", ""])
def test_a_bad_week_shows_this_week(cast, client_for, room, week):
    response = client_for(cast.alice).get(reverse("collaboration:room_detail", args=[room.pk]), {"week": week})
    assert response.status_code == 200
    assert response.context["calendar"].monday <= timezone.localdate()


def test_booking_a_taken_slot_in_the_form_gives_a_clear_refusal(cast, client_for, room):
    make_booking(room, day=date(2030, 4, 2))
    response = post_form(
        client_for(cast.bob),
        reverse("collaboration:booking_create", args=[room.pk]),
        {"holder_name": "Foreningen", "kind": "once", "day": "2030-04-02", "start_time": "18:00", "end_time": "20:00"},
    )
    assert response.status_code == 200
    assert "allerede booket" in str(response.context["form"].non_field_errors())
    assert Booking.objects.count() == 1


def _a_tuesday_ahead() -> date:
    """A Tuesday a month or so ahead: weekly bookings reach at most two years from today."""
    day = timezone.localdate() + timedelta(days=30)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def test_a_weekly_booking_through_the_form(cast, client_for, room):
    first = _a_tuesday_ahead()
    response = post_form(
        client_for(cast.bob),
        reverse("collaboration:booking_create", args=[room.pk]),
        {
            "holder_name": "Foreningen",
            "kind": "weekly",
            "day": first.isoformat(),
            "last_day": (first + timedelta(days=28)).isoformat(),
            "start_time": "17:00",
            "end_time": "19:00",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.filter(series__isnull=False).count() == 5


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"holder_name": "A", "kind": "once", "day": "2030-04-02", "start_time": "19:00", "end_time": "17:00"},
        {"holder_name": "A", "kind": "weekly", "day": "2030-04-02", "start_time": "17:00", "end_time": "19:00"},
        {"kind": "once", "day": "2030-04-02", "start_time": "17:00", "end_time": "19:00"},
        {"holder_name": "A", "kind": "once", "day": "2030-04-02", "start_time": "25:99", "end_time": "x"},
        {
            "holder_name": "A",
            "kind": "weekly",
            "day": "2030-04-02",
            "last_day": "2040-01-01",
            "start_time": "17:00",
            "end_time": "19:00",
        },
        {"holder_name": "A", "volunteer_group": "abc", "kind": "sometimes", "day": "0000-00-00"},
    ],
)
def test_bad_booking_input_is_refused_with_a_message(cast, client_for, room, data):
    response = client_for(cast.bob).post(reverse("collaboration:booking_create", args=[room.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Booking.objects.exists()


def test_cancelling_one_occurrence_through_the_page(cast, client_for, room):
    series = make_series(room)
    occurrence = series.bookings.order_by("starts_at").first()
    client = client_for(cast.bob)
    assert client.get(reverse("collaboration:booking_cancel", args=[occurrence.pk])).status_code == 200
    assert client.post(reverse("collaboration:booking_cancel", args=[occurrence.pk])).status_code == 302
    assert series.bookings.current().count() == series.bookings.count() - 1


def test_changing_the_series_through_the_page(cast, client_for, room):
    first = _a_tuesday_ahead()
    last = first + timedelta(days=28)
    series = make_series(room, starts_on=first, ends_on=last)
    response = post_form(
        client_for(cast.bob),
        reverse("collaboration:series_edit", args=[series.pk]),
        {
            "weekday": "3",
            "start_time": "10:00",
            "end_time": "11:00",
            "ends_on": last.isoformat(),
            "from_day": first.isoformat(),
        },
    )
    assert response.status_code == 302
    assert {timezone.localtime(b.starts_at).weekday() for b in series.bookings.all()} == {3}


def test_the_room_feed_is_valid_icalendar_with_times_and_holders_only(cast, client, room):
    tomorrow = timezone.localdate() + timedelta(days=1)
    make_booking(room, day=tomorrow, start=time(17), end=time(19), holder_name="Forældrenetværket", purpose="hemmeligt")
    make_booking(room, day=tomorrow + timedelta(days=1), holder_name="Cancelled", cancelled_at=timezone.now())
    response = client.get(reverse("rooms_public:feed", args=[room.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Forældrenetværket"]
    start = events[0].decoded("DTSTART")
    assert timezone.localtime(start).hour == 17
    assert b"hemmeligt" not in response.content


def test_a_wrong_feed_key_is_not_found(cast, client, room):
    assert client.get(reverse("rooms_public:feed", args=["nope"])).status_code == 404


def test_a_renewed_feed_key_retires_the_old_address(cast, client_for, room):
    old = room.feed_token
    client_for(cast.bob).post(reverse("collaboration:room_renew_feed", args=[room.pk]))
    room.refresh_from_db()
    assert room.feed_token != old
    assert client_for(cast.bob).get(reverse("rooms_public:feed", args=[old])).status_code == 404


def _request_data(the_room, **over):
    data = {
        "room": the_room.pk,
        "association_name": "Foreningen Far",
        "contact_email": "far@example.dk",
        "contact_phone": "",
        "purpose": "Fædregruppe",
        "participants": "6",
        "kind": "once",
        "first_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
    }
    data.update(over)
    return data


def test_an_association_asks_for_a_room_without_logging_in(cast, client, room):
    response = post_form(client, reverse("public:rooms"), _request_data(room))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:room_thanks")
    assert RoomRequest.objects.get().status == RequestStatus.PENDING


@pytest.mark.parametrize(
    "over",
    [
        {"contact_email": "not-an-email"},
        {"first_date": "2000-01-01"},
        {"first_date": "tomorrow"},
        {"kind": "weekly"},
        {"kind": "weekly", "last_date": "1999-01-01"},
        {"end_time": "18:00"},
        {"participants": "500"},
        {"participants": "-1"},
        {"room": "999999"},
        {"room": "abc"},
        {"association_name": ""},
        {"association_name": "x" * 1000},
    ],
)
def test_bad_room_requests_are_refused_with_a_message(cast, client, room, over):
    response = client.post(reverse("public:rooms"), _request_data(room, **over))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not RoomRequest.objects.exists()


def test_the_request_form_offers_no_inactive_room(cast, client, room):
    make_room(cast.norrebro, name="Lukket rum", active=False)
    body = client.get(reverse("public:rooms")).content.decode()
    assert "Mødelokalet" in body
    assert "Lukket rum" not in body


def test_the_coordinator_approves_a_request_into_another_room(cast, client_for, room):
    other = make_room(cast.norrebro, name="Legestuen")
    request = make_room_request(room)
    response = client_for(cast.bob).post(
        reverse("collaboration:request_approve", args=[request.pk]), {"room": other.pk, "answer": "Velkommen"}
    )
    assert response.status_code == 302
    assert Booking.objects.get().room == other


def test_approving_into_a_taken_slot_shows_the_refusal(cast, client_for, room):
    make_booking(room, day=date(2030, 3, 5))
    request = make_room_request(room)
    response = client_for(cast.bob).post(reverse("collaboration:request_approve", args=[request.pk]), {})
    assert response.status_code == 200
    assert "allerede booket" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_room_of_another_centre_cannot_be_chosen_on_approval(cast, client_for, room):
    theirs = make_room(cast.valby)
    request = make_room_request(room)
    response = client_for(cast.bob).post(
        reverse("collaboration:request_approve", args=[request.pk]), {"room": theirs.pk}
    )
    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_the_coordinator_of_another_centre_cannot_see_the_request(cast, client_for, room):
    request = make_room_request(room)
    assert client_for(cast.dana).get(reverse("collaboration:request_detail", args=[request.pk])).status_code == 404
    listed = client_for(cast.dana).get(reverse("collaboration:request_list")).context["page"]
    assert list(listed) == []


def test_central_staff_schedule_a_meeting_for_all_centres(cast, client_for):
    response = post_form(
        client_for(cast.erin),
        reverse("collaboration:meeting_create"),
        {"date": "2030-03-10", "start_time": "09:00", "end_time": "12:00", "place": "Rådhuset", "topic": "Tema"},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(centre__in=[cast.norrebro, cast.valby]).count() == 2


def test_a_coordinator_records_attendance_and_sees_only_her_centres_row(cast, client_for):
    meeting = make_meeting(cast.norrebro)
    valby = Attendance.objects.create(meeting=meeting, centre=cast.valby)
    ours = meeting.attendances.get(centre=cast.norrebro)
    client = client_for(cast.bob)
    response = post_form(
        client,
        reverse("collaboration:attendance_edit", args=[ours.pk]),
        {"attended": "yes", "attendees": "2", "roles": "x"},
    )
    assert response.status_code == 302
    assert Activity.objects.filter(centre=cast.norrebro, cross_city_meeting=meeting).exists()
    assert client.get(reverse("collaboration:attendance_edit", args=[valby.pk])).status_code == 404
    detail = client.get(reverse("collaboration:meeting_detail", args=[meeting.pk]))
    assert [a.centre for a in detail.context["attendances"]] == [cast.norrebro]


def test_central_staff_see_attendance_across_centres_on_the_dashboard(cast, client_for):
    meeting = make_meeting(cast.norrebro, date=date(timezone.localdate().year, 3, 10))
    Attendance.objects.create(meeting=meeting, centre=cast.valby, attended=True, attendees=1)
    body = client_for(cast.erin).get(reverse("core:dashboard")).content.decode()
    assert "1 of 2 centres attended" in body or "1 af 2 rådgivninger deltog" in body


def test_the_coordinators_dashboard_shows_requests_bookings_and_duties(cast, client_for, room):
    make_room_request(room)
    make_booking(room, day=timezone.localdate() + timedelta(days=1), holder_name="Tomorrow's group")
    make_activity(cast.norrebro, type="theme_event", date=timezone.localdate())
    response = client_for(cast.bob).get(reverse("core:dashboard"))
    body = response.content.decode()
    assert "Tomorrow&#x27;s group" in body or "Tomorrow's group" in body
    panels = {p.template: p for p in response.context["panels"]}
    assert panels["collaboration/panel_rooms.html"].context["pending"] == 1
    counts = {c.type_label: c.count for c in panels["collaboration/panel_duties.html"].context["counts"]}
    assert counts[activity_type("theme_event").label] == 1
