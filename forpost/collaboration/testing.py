"""Factories for the collaboration app's tests and URL specs."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Any

from forpost.centres.models import Centre, OfferKind

from .models import (
    Activity,
    ActivityType,
    Attendance,
    Booking,
    BookingSeries,
    CrossCityMeeting,
    GroupReferral,
    Offer,
    Partner,
    PartnerType,
    ReferralDirection,
    RequestKind,
    Room,
    RoomRequest,
    VolunteerGroup,
)
from .services import local_tz

_counter = itertools.count(1)


def make_partner(centre: Centre, *, type: str = PartnerType.DAYCARE_SCHOOL, **fields: Any) -> Partner:
    n = next(_counter)
    return Partner.objects.create(centre=centre, type=type, name=fields.pop("name", f"Partner {n}"), **fields)


_numbers = itertools.count(1)


def make_offer(centre: Centre | None, **fields: Any) -> Offer:
    fields.setdefault("name", f"Tilbud {next(_numbers)}")
    fields.setdefault("kind", OfferKind.PUBLIC)
    fields.setdefault("target_group", "Familier med børn 0–12 år")
    fields.setdefault("contact", "kontakt@example.dk")
    return Offer.objects.create(centre=centre, **fields)


def make_volunteer_group(centre: Centre, **fields: Any) -> VolunteerGroup:
    n = next(_counter)
    fields.setdefault("association_name", f"Forening {n}")
    return VolunteerGroup.objects.create(
        centre=centre,
        name=fields.pop("name", f"Netværksgruppe {n}"),
        description=fields.pop("description", "Samtalegruppe for forældre"),
        active_from=fields.pop("active_from", date(2020, 1, 1)),
        **fields,
    )


def make_referral(group: VolunteerGroup, **fields: Any) -> GroupReferral:
    fields.setdefault("direction", ReferralDirection.TO_CENTRE)
    return GroupReferral.objects.create(group=group, date=fields.pop("date", date(2024, 3, 1)), **fields)


def activity_type(code: str = "outreach") -> ActivityType:
    return ActivityType.objects.get(code=code)


def make_activity(centre: Centre, *, type: str = "outreach", **fields: Any) -> Activity:
    return Activity.objects.create(
        centre=centre, type=activity_type(type), date=fields.pop("date", date(2024, 3, 1)), **fields
    )


def make_meeting(centre: Centre | None = None, **fields: Any) -> CrossCityMeeting:
    """A cross-city meeting with an (unrecorded) attendance row for `centre`."""
    from forpost.centres.testing import make_municipality

    meeting = CrossCityMeeting.objects.create(
        municipality=centre.municipality if centre else make_municipality(),
        date=fields.pop("date", date(2024, 3, 12)),
        start_time=fields.pop("start_time", time(9)),
        end_time=fields.pop("end_time", time(12)),
        place=fields.pop("place", "Rådhuset"),
        **fields,
    )
    if centre is not None:
        Attendance.objects.create(meeting=meeting, centre=centre)
    return meeting


def make_room(centre: Centre, **fields: Any) -> Room:
    n = next(_counter)
    return Room.objects.create(
        centre=centre, name=fields.pop("name", f"Mødelokale {n}"), capacity=fields.pop("capacity", 12), **fields
    )


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=local_tz())


def make_booking(
    room: Room, *, day: date = date(2024, 3, 5), start: time = time(17), end: time = time(19), **fields: Any
) -> Booking:
    if not any(k in fields for k in ("volunteer_group", "partner", "holder_name")):
        fields["holder_name"] = "Forening for forældre"
    return Booking.objects.create(room=room, starts_at=local(day, start), ends_at=local(day, end), **fields)


def make_series(room: Room, **fields: Any) -> BookingSeries:
    from .services import Holder, book_weekly

    return book_weekly(
        actor=None,
        room=room,
        weekday=fields.pop("weekday", 1),
        start_time=fields.pop("start_time", time(17)),
        end_time=fields.pop("end_time", time(19)),
        starts_on=fields.pop("starts_on", date(2024, 3, 1)),
        ends_on=fields.pop("ends_on", date(2024, 5, 1)),
        holder=fields.pop("holder", Holder(name="Forening for forældre")),
        **fields,
    )


def make_room_request(room: Room, **fields: Any) -> RoomRequest:
    fields.setdefault("kind", RequestKind.ONCE)
    return RoomRequest.objects.create(
        room=room,
        association_name=fields.pop("association_name", "Forældrenetværket"),
        contact_email=fields.pop("contact_email", "kontakt@forening.example"),
        purpose=fields.pop("purpose", "Netværksmøde"),
        participants=fields.pop("participants", 8),
        first_date=fields.pop("first_date", date(2030, 3, 5)),
        start_time=fields.pop("start_time", time(17)),
        end_time=fields.pop("end_time", time(19)),
        **fields,
    )


def approve_with_link(room: Room, **fields: Any) -> tuple[RoomRequest, str]:
    """A request approved into a booking, and the personal link token its e-mail would carry."""
    from .services import _issue_personal_link, approve_room_request

    request = approve_room_request(actor=None, request=make_room_request(room, **fields))
    token = _issue_personal_link(None, request, request.booking, request.series)
    return request, token
