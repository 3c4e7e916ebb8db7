"""Dates on the room pages: a week far off is a message, a weekly booking reaches at most two
years ahead, and neither builds a calendar or a slot list first."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, translation

from forpost.collaboration.models import Booking, BookingSeries, RequestKind
from forpost.core.forms import today
from forpost.core.testing import post_form

pytestmark = pytest.mark.django_db


def _dk(day: date) -> str:
    """The one Danish date style ("30. november 2026")."""
    with translation.override("da"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_a_week_far_off_on_a_rooms_page_is_a_message_and_this_week(client_for, cast, room, week):
    response = client_for(cast.bob).get(reverse("collaboration:room_detail", args=[room.pk]), {"week": week})
    assert response.status_code == 200
    assert response.context["calendar"].monday <= today() <= response.context["calendar"].monday + timedelta(days=6)
    assert "Datoen skal være" in response.content.decode()


def test_a_week_that_is_no_date_shows_this_week_with_a_message(client_for, cast, room):
    response = client_for(cast.bob).get(reverse("collaboration:room_detail", args=[room.pk]), {"week": "uge 12"})
    assert response.status_code == 200
    assert "Indtast en gyldig dato." in response.content.decode()


def _weekly(last_day: str) -> dict[str, str]:
    return {
        "holder_name": "Forældrenetværket",
        "kind": RequestKind.WEEKLY,
        "day": today().isoformat(),
        "start_time": "17:00",
        "end_time": "19:00",
        "last_day": last_day,
    }


def test_a_weekly_booking_to_9999_is_a_field_error_and_builds_no_slots(client_for, cast, room, monkeypatch):
    from forpost.collaboration import services

    def no_slots(*args, **kwargs):  # the form must refuse before any slot is built
        raise AssertionError("slots were built")

    monkeypatch.setattr(services, "weekly_slots", no_slots)
    response = client_for(cast.bob).post(reverse("collaboration:booking_create", args=[room.pk]), _weekly("9999-12-31"))
    assert response.status_code == 200
    assert response.context["form"].errors["last_day"] == [
        f"En ugentlig booking rækker højst to år frem, til {_dk(today().replace(year=today().year + 2))}."
    ]
    assert not BookingSeries.objects.exists()


def test_a_weekly_booking_reaches_at_most_two_years_ahead(client_for, cast, room):
    url = reverse("collaboration:booking_create", args=[room.pk])
    too_far = today().replace(year=today().year + 2) + timedelta(days=1)
    response = post_form(client_for(cast.bob), url, _weekly(too_far.isoformat()))
    assert response.status_code == 200
    assert "last_day" in response.context["form"].errors
    response = post_form(client_for(cast.bob), url, _weekly((too_far - timedelta(days=2)).isoformat()))
    assert response.status_code == 302
    assert Booking.objects.filter(series__isnull=False).count() > 100


def test_changing_a_series_to_end_in_9999_is_a_field_error(client_for, cast, room):
    from forpost.collaboration.testing import make_series

    series = make_series(room, starts_on=today(), ends_on=today() + timedelta(days=60))
    response = client_for(cast.bob).post(
        reverse("collaboration:series_edit", args=[series.pk]),
        {
            "weekday": series.weekday,
            "start_time": "17:00",
            "end_time": "19:00",
            "ends_on": "9999-12-31",
            "from_day": today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    series.refresh_from_db()
    assert series.ends_on == today() + timedelta(days=60)
    assert series.start_time == time(17)


@pytest.mark.parametrize(
    "value,error",
    [
        ("1901-01-01", "Datoen ligger før rådgivningen startede (1. januar 2009)."),
        ("2031-01-01", f"Datoen ligger i fremtiden (i dag er {_dk(today())})."),
        ("9999-12-31", f"Datoen ligger i fremtiden (i dag er {_dk(today())})."),
    ],
)
def test_an_activity_lies_between_its_centres_start_and_today(client_for, cast, value, error):
    from forpost.collaboration.models import Activity
    from forpost.collaboration.testing import activity_type

    response = client_for(cast.alice).post(
        reverse("collaboration:activity_create"), {"date": value, "type": activity_type("theme_event").pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [error]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("value", ["1901-01-01", "2031-01-01", "9999-12-31"])
def test_a_referral_to_a_volunteer_group_lies_between_the_centres_start_and_today(client_for, cast, value):
    from forpost.collaboration.models import GroupReferral
    from forpost.collaboration.testing import make_volunteer_group

    group = make_volunteer_group(cast.norrebro)
    response = client_for(cast.alice).post(
        reverse("collaboration:group_referral_create", args=[group.pk]),
        {"date": value, "direction": "to_group", "count": "1"},
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not GroupReferral.objects.exists()


def test_a_public_room_request_to_9999_is_a_field_error(client, cast, room):
    from forpost.collaboration.models import RoomRequest

    first = today() + timedelta(days=7)
    response = post_form(
        client,
        reverse("public:rooms"),
        {
            "room": room.pk,
            "association_name": "Forældrenetværket",
            "contact_email": "kontakt@forening.example",
            "purpose": "Netværksmøde",
            "participants": "8",
            "kind": RequestKind.WEEKLY,
            "first_date": first.isoformat(),
            "last_date": "9999-12-31",
            "start_time": "17:00",
            "end_time": "19:00",
        },
    )
    assert response.status_code == 200
    assert "last_date" in response.context["form"].errors
    assert not RoomRequest.objects.exists()
