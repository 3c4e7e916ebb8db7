"""Reads of the collaboration work, returned as small frozen dataclasses."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forpost.centres.models import Centre
from forpost.core.translated import Translated, translated

from .models import (
    Activity,
    ActivityType,
    Booking,
    CrossCityMeeting,
    GroupReferral,
    ReferralDirection,
    Room,
    RoomRequest,
    VolunteerGroup,
    Weekday,
)


@dataclass(frozen=True)
class PublicVolunteerGroup:
    """What the public centre page may show about a volunteer group: nothing personal."""

    name: Translated
    association: str
    description: Translated
    meets: str  # weekday and time, in the reader's language
    frequency: Translated  # how often, as the centre wrote it
    target_group: str


def meeting_text(weekday: int | None, start: time | None, end: time | None, frequency: str) -> str:
    """Human text of when a group meets, e.g. 'Tuesday 17:00–19:00, every week'."""
    parts: list[str] = []
    if weekday is not None:
        parts.append(str(Weekday(weekday).label))
    if start and end:
        parts.append(f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}")
    elif start:
        parts.append(_("from %(time)s") % {"time": formats.time_format(start, "H:i")})
    text = " ".join(parts)
    if frequency:
        text = f"{text}, {frequency}" if text else frequency
    return text


def public_volunteer_groups(centre: Centre, *, on: date | None = None) -> list[PublicVolunteerGroup]:
    """The volunteer groups active at `centre` today (or on `on`), for the public centre page."""
    day = on or timezone.localdate()
    groups = (
        VolunteerGroup.objects.filter(centre=centre)
        .active_on(day)
        .select_related("association")
        .order_by("name_da", "pk")
    )
    return [
        PublicVolunteerGroup(
            name=translated(g, "name"),
            association=g.association_display,
            description=translated(g, "description"),
            meets=meeting_text(g.meets_weekday, g.meets_from, g.meets_to, ""),
            frequency=translated(g, "meets_frequency"),
            target_group=str(g.get_target_group_display()),
        )
        for g in groups
    ]


# --- Week calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    booking_id: int
    starts: datetime
    ends: datetime
    holder: str
    purpose: str
    weekly: bool


@dataclass(frozen=True)
class CalendarDay:
    day: date
    entries: tuple[CalendarEntry, ...]


@dataclass(frozen=True)
class WeekCalendar:
    room: Room
    monday: date
    days: tuple[CalendarDay, ...]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def iso_week(self) -> int:
        return self.monday.isocalendar().week

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def week_calendar(room: Room, day: date) -> WeekCalendar:
    """The room's current bookings in the week (Monday to Sunday, local time) holding `day`."""
    monday = monday_of(day)
    start, end = local_midnight(monday), local_midnight(monday + timedelta(days=7))
    bookings = (
        Booking.objects.filter(room=room)
        .current()
        .overlapping_period(start, end)
        .select_related("volunteer_group", "partner")
        .order_by("starts_at")
    )
    by_day: dict[date, list[CalendarEntry]] = {monday + timedelta(days=i): [] for i in range(7)}
    for b in bookings:
        starts, ends = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)
        entry = CalendarEntry(b.pk, starts, ends, b.holder, b.purpose, b.series_id is not None)
        by_day.setdefault(max(starts.date(), monday), []).append(entry)
    return WeekCalendar(room, monday, tuple(CalendarDay(d, tuple(e)) for d, e in sorted(by_day.items())))


# --- Dashboard numbers ----------------------------------------------------------------------


@dataclass(frozen=True)
class DutyCount:
    """How many activities of one type a centre logged in a year, against the concept's duty."""

    type_label: str
    count: int
    yearly_minimum: int | None

    @property
    def met(self) -> bool | None:
        return None if self.yearly_minimum is None else self.count >= self.yearly_minimum


def activities_by_type(centre_ids: Iterable[int], year: int) -> list[DutyCount]:
    """Activities in `year` per active type (retired ones only when used), summed over centres."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    counts = dict(
        Activity.objects.filter(centre_id__in=list(centre_ids))
        .within_period(start, end)
        .values_list("type")
        .annotate(n=Count("id"))
        .values_list("type", "n")
    )
    types = [t for t in ActivityType.objects.all() if t.active or counts.get(t.pk)]
    return [DutyCount(t.label, counts.get(t.pk, 0), t.yearly_minimum) for t in types]


def upcoming_bookings(centre_ids: Iterable[int] | None, *, days: int = 7, limit: int = 8) -> list[Booking]:
    now = timezone.now()
    qs = Booking.objects.current().filter(ends_at__gt=now, starts_at__lt=now + timedelta(days=days))
    if centre_ids is not None:
        qs = qs.filter(room__centre_id__in=list(centre_ids))
    return list(qs.select_related("room", "room__centre", "volunteer_group", "partner").order_by("starts_at")[:limit])


def next_meeting(municipality_ids: Iterable[int] | None) -> CrossCityMeeting | None:
    qs = CrossCityMeeting.objects.filter(date__gte=timezone.localdate())
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=list(municipality_ids))
    return qs.order_by("date", "start_time").first()


@dataclass(frozen=True)
class MeetingAttendance:
    meeting: CrossCityMeeting
    centres: int
    attended: int
    absent: int
    not_recorded: int


def meetings_with_attendance(year: int, municipality_ids: Iterable[int] | None = None) -> list[MeetingAttendance]:
    qs = CrossCityMeeting.objects.filter(date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=list(municipality_ids))
    qs = qs.annotate(
        n=Count("attendances"),
        yes=Count("attendances", filter=Q(attendances__attended=True)),
        no=Count("attendances", filter=Q(attendances__attended=False)),
    ).order_by("date", "start_time")
    return [MeetingAttendance(m, m.n, m.yes, m.no, m.n - m.yes - m.no) for m in qs]


@dataclass(frozen=True)
class ReferralTally:
    to_centre: int
    to_group: int


def group_referral_tally(group: VolunteerGroup, year: int) -> ReferralTally:
    totals = GroupReferral.objects.filter(group=group, date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))
    sums = totals.aggregate(
        to_centre=Sum("count", filter=Q(direction=ReferralDirection.TO_CENTRE)),
        to_group=Sum("count", filter=Q(direction=ReferralDirection.TO_GROUP)),
    )
    return ReferralTally(sums["to_centre"] or 0, sums["to_group"] or 0)


# --- Free and busy times for the public room request ----------------------------------------

AVAILABILITY_WEEKS = 8


@dataclass(frozen=True)
class BusyDay:
    day: date
    times: tuple[tuple[time, time], ...]  # local start and end of each booking, in order


@dataclass(frozen=True)
class BusyWeek:
    monday: date
    week: int
    days: tuple[BusyDay, ...]  # only the days with a booking; the rest of the week is free


@dataclass(frozen=True)
class RoomAvailability:
    """When a room is booked, for associations choosing a time: times only, never who holds
    the room or why (some groups' names tell what their members struggle with)."""

    room: Room
    weeks: tuple[BusyWeek, ...]


def room_availability(rooms: Iterable[Room], today: date, weeks: int = AVAILABILITY_WEEKS) -> list[RoomAvailability]:
    """Each room's busy times from the Monday of this week for `weeks` weeks (one query)."""
    rooms = list(rooms)
    tz = ZoneInfo(settings.TIME_ZONE)
    first = today - timedelta(days=today.weekday())
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(first + timedelta(weeks=weeks), time.min, tzinfo=tz)
    busy: dict[tuple[int, date], list[tuple[time, time]]] = {}
    bookings = (
        Booking.objects.filter(room__in=rooms)
        .current()
        .overlapping_period(start, end)
        .only("room_id", "starts_at", "ends_at")
        .order_by("starts_at")
    )
    for b in bookings:
        local_start, local_end = b.starts_at.astimezone(tz), b.ends_at.astimezone(tz)
        busy.setdefault((b.room_id, local_start.date()), []).append((local_start.time(), local_end.time()))
    result = []
    for room in rooms:
        room_weeks = []
        for n in range(weeks):
            monday = first + timedelta(weeks=n)
            days = tuple(
                BusyDay(day, tuple(busy[(room.pk, day)]))
                for day in (monday + timedelta(days=i) for i in range(7))
                if day >= today and (room.pk, day) in busy
            )
            room_weeks.append(BusyWeek(monday, monday.isocalendar().week, days))
        result.append(RoomAvailability(room, tuple(room_weeks)))
    return result


# --- The association's personal link ------------------------------------------------------


def request_for_link(token: str, now: datetime) -> RoomRequest | None:
    """The approved request a personal link opens, or None when unknown or expired."""
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    request = RoomRequest.objects.select_related("room__centre").filter(link_hash=digest).first()
    return request if request is not None and request.link_is_valid(now) else None


def bookings_of_request(request: RoomRequest) -> list[Booking]:
    """The bookings the request led to, current and not yet ended, in time order."""
    bookings = Booking.objects.none()
    if request.series_id:
        bookings = Booking.objects.filter(series_id=request.series_id)
    elif request.booking_id:
        bookings = Booking.objects.filter(pk=request.booking_id)
    return list(bookings.current().filter(ends_at__gt=timezone.now()).select_related("room").order_by("starts_at"))
