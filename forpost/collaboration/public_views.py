"""A room's calendar feed, reached without login by its secret key.

The room request form is a public page: forpost.public.rooms."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from icalendar import Calendar, Event

from .models import Booking, Room

# How far back and ahead the calendar feed reaches.
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)


@never_cache
def room_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The room's bookings as iCalendar, for the coordinator's calendar program.

    Why a secret address and not a public feed: the holder's name and times are not personal
    data, but the names of some groups tell what their members struggle with (alcohol in the
    family, a child's diagnosis), and a public list of when such a group meets in which room
    invites waiting outside the door. So the feed is reached only by the room's unguessable
    key, which the coordinator shares as they choose and may renew at any time. It shows
    times and the holder's name only, never a purpose or a contact.
    """
    try:
        room = Room.objects.select_related("centre").get(feed_token=token)
    except Room.DoesNotExist as exc:
        raise Http404 from exc
    now = timezone.now()
    bookings = (
        Booking.objects.filter(room=room)
        .current()
        .overlapping_period(now - FEED_PAST, now + FEED_AHEAD)
        .select_related("volunteer_group", "partner")
        .order_by("starts_at")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Forpost//Room bookings//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{room.name} · {room.centre.name}")
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    host = request.get_host().split(":")[0] or "forpost"
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("summary", booking.holder)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("dtstamp", now)
        event.add("location", f"{room.name}, {room.centre.address}")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="room-{room.pk}.ics"'
    return response
