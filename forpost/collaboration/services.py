"""Writes to the collaboration work. Each is atomic and writes its audit row with the actor.

Room bookings: no double booking, enforced inside the transaction on both databases. Every
service that adds or moves a booking first locks the room row (`SELECT … FOR UPDATE`); on
PostgreSQL that serialises the bookings of one room, and on SQLite the project's
`transaction_mode="IMMEDIATE"` takes the database's write lock at BEGIN. Only then are the
room's bookings read and checked for overlap (half-open ranges [start, end)), so two
simultaneous requests for the same slot give one booking and one BookingConflict.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.centres.closing import ensure_open, ensure_period_change_open
from forpost.centres.models import Centre, Municipality
from forpost.core import idempotency
from forpost.core.locking import save_versioned
from forpost.core.mail import send_automatic
from forpost.core.translated import translated

from .models import (
    CROSS_CITY_MEETING_TYPE,
    Activity,
    ActivityType,
    Attendance,
    Booking,
    BookingSeries,
    CrossCityMeeting,
    GroupReferral,
    Offer,
    Partner,
    RequestKind,
    RequestStatus,
    Room,
    RoomRequest,
    VolunteerGroup,
    new_feed_token,
)

# A weekly series may run for at most about two years; a longer one is booked again later.
MAX_SERIES_DAYS = 731
# The association's contact details are deleted this long after the request is decided.
REQUEST_RETENTION = timedelta(days=183)


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _save_new(actor: Any, obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    obj.full_clean()
    obj.save()
    changes = {k: v for k, v in audit.snapshot(obj).items() if k not in set(exclude)}
    audit.record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=changes)


def _stored(obj: models.Model) -> dict[str, Any]:
    # The row as stored: an edit form has already copied the new values onto `obj`.
    return audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    # The version counts saves; the audit shows what the person changed.
    return {k: v for k, v in audit.diff(before, after).items() if k != "version"}


def _save_changed(
    actor: Any, obj: models.Model, fields: dict[str, Any], *, expected_version: int | None = None
) -> None:
    """Change `fields` of `obj`. A versioned record is written only if nobody saved it since
    the editor loaded `expected_version` (else locking.Conflict); internal follow-up changes
    pass no version and still count one up, so an editor's open form sees them too."""
    before = _stored(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    if hasattr(obj, "version"):
        concrete = [n for n in fields if not obj._meta.get_field(n).many_to_many]
        version = obj.version if expected_version is None else expected_version
        save_versioned(obj, expected_version=version, fields=concrete)
    else:
        obj.save()
    changes = _diff(before, audit.snapshot(obj))
    if changes:
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=obj, changes=changes)


# --- Partners ----------------------------------------------------------------------------


@transaction.atomic
def create_partner(*, actor: Any, centre: Centre, **fields: Any) -> Partner:
    partner = Partner(centre=centre, **fields)
    _save_new(actor, partner)
    return partner


@transaction.atomic
def change_partner(*, actor: Any, partner: Partner, expected_version: int | None = None, **fields: Any) -> Partner:
    _save_changed(actor, partner, fields, expected_version=expected_version)
    return partner


# --- The directory of offers ----------------------------------------------------------------


@transaction.atomic
def create_offer(*, actor: Any, centre: Centre | None, **fields: Any) -> Offer:
    """A new offer: the city's (no centre, central staff) or a centre's own (its coordinator)."""
    offer = Offer(centre=centre, **fields)
    _save_new(actor, offer)
    return offer


@transaction.atomic
def change_offer(*, actor: Any, offer: Offer, expected_version: int | None = None, **fields: Any) -> Offer:
    _save_changed(actor, offer, fields, expected_version=expected_version)
    return offer


# --- Activities --------------------------------------------------------------------------


@transaction.atomic
def log_activity(
    *,
    actor: Any,
    centre: Centre,
    date: date,
    type: ActivityType,
    partners: Sequence[Partner] = (),
    participants: int | None = None,
    note: str = "",
    district: Any = None,
    informed: Sequence[str] = (),
) -> Activity:
    _check_partners(centre, partners)
    ensure_open(day=date, centre=centre)
    activity = Activity(
        centre=centre,
        date=date,
        type=type,
        participants=participants,
        note=note,
        district=district,
        informed=list(informed),
    )
    activity.full_clean()
    activity.save()
    activity.partners.set(partners)
    changes = audit.snapshot(activity) | {"partners": sorted(p.pk for p in partners)}
    audit.record(actor=actor, action=AuditAction.CREATE, obj=activity, changes=changes)
    return activity


@transaction.atomic
def change_activity(
    *,
    actor: Any,
    activity: Activity,
    partners: Sequence[Partner] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Activity:
    ensure_open(day=Activity.objects.get(pk=activity.pk).date, centre=activity.centre_id)
    ensure_open(day=fields.get("date"), centre=activity.centre_id)
    before = _stored(activity) | {"partners": sorted(activity.partners.values_list("pk", flat=True))}
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    version = activity.version if expected_version is None else expected_version
    save_versioned(activity, expected_version=version, fields=list(fields))
    if partners is not None:
        _check_partners(activity.centre, partners)
        activity.partners.set(partners)
    after = audit.snapshot(activity) | {"partners": sorted(activity.partners.values_list("pk", flat=True))}
    changes = _diff(before, after)
    if changes:
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=activity, changes=changes)
    return activity


@transaction.atomic
def delete_activity(*, actor: Any, activity: Activity) -> None:
    if activity.cross_city_meeting_id:
        raise ValidationError(_("This activity comes from a cross-city meeting; change the attendance instead."))
    ensure_open(day=activity.date, centre=activity.centre_id)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=activity, changes=audit.snapshot(activity))
    activity.delete()


def _check_partners(centre: Centre, partners: Sequence[Partner]) -> None:
    if any(p.centre_id != centre.pk for p in partners):
        raise ValidationError({"partners": _("Choose only partners of the activity's centre.")})


# --- Volunteer groups ----------------------------------------------------------------------


@transaction.atomic
def create_volunteer_group(*, actor: Any, centre: Centre, **fields: Any) -> VolunteerGroup:
    group = VolunteerGroup(centre=centre, **fields)
    ensure_period_change_open(
        before=None, after=(group.active_from, group.active_to), centre=centre, same_content=False
    )
    _save_new(actor, group)
    return group


@transaction.atomic
def change_volunteer_group(
    *, actor: Any, group: VolunteerGroup, expected_version: int | None = None, **fields: Any
) -> VolunteerGroup:
    # A closed year's groups are counted by their period and target group; the other fields
    # (a description, the meeting time) describe the group today and stay editable.
    stored = VolunteerGroup.objects.get(pk=group.pk)
    ensure_period_change_open(
        before=(stored.active_from, stored.active_to),
        after=(fields.get("active_from", stored.active_from), fields.get("active_to", stored.active_to)),
        centre=stored.centre_id,
        same_content=fields.get("target_group", stored.target_group) == stored.target_group,
    )
    _save_changed(actor, group, fields, expected_version=expected_version)
    return group


@transaction.atomic
def record_group_referral(
    *, actor: Any, group: VolunteerGroup, date: date, direction: str, count: int
) -> GroupReferral:
    ensure_open(day=date, centre=group.centre_id)
    referral = GroupReferral(group=group, date=date, direction=direction, count=count)
    _save_new(actor, referral)
    return referral


@transaction.atomic
def delete_group_referral(*, actor: Any, referral: GroupReferral) -> None:
    ensure_open(day=referral.date, centre=referral.group.centre_id)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=referral, changes=audit.snapshot(referral))
    referral.delete()


# --- Cross-city meetings -----------------------------------------------------------------


@transaction.atomic
def schedule_cross_city_meeting(
    *,
    actor: Any,
    municipality: Municipality,
    date: date,
    start_time: time,
    end_time: time,
    place: str,
    topic: str = "",
) -> CrossCityMeeting:
    """Call all the municipality's centres (those active on the day) to one meeting."""
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The end time must be after the start time.")})
    ensure_open(day=date, centre=None)  # the whole city's meeting: no one centre's correction opens it
    meeting = CrossCityMeeting(
        municipality=municipality, date=date, start_time=start_time, end_time=end_time, place=place, topic=topic
    )
    _save_new(actor, meeting)
    centres = Centre.objects.filter(municipality=municipality).active_on(date)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, centre=c) for c in centres])
    return meeting


@transaction.atomic
def change_cross_city_meeting(
    *, actor: Any, meeting: CrossCityMeeting, expected_version: int | None = None, **fields: Any
) -> CrossCityMeeting:
    ensure_open(day=CrossCityMeeting.objects.get(pk=meeting.pk).date, centre=None)
    ensure_open(day=fields.get("date"), centre=None)
    start, end = fields.get("start_time", meeting.start_time), fields.get("end_time", meeting.end_time)
    if end <= start:
        raise ValidationError({"end_time": _("The end time must be after the start time.")})
    _save_changed(actor, meeting, fields, expected_version=expected_version)
    # The activities written from attendance follow the meeting's date.
    Activity.objects.filter(cross_city_meeting=meeting).update(date=meeting.date)
    return meeting


@transaction.atomic
def record_attendance(
    *,
    actor: Any,
    attendance: Attendance,
    attended: bool,
    attendees: int = 0,
    roles: str = "",
    expected_version: int | None = None,
) -> Attendance:
    """Record a centre's attendance; attending also puts the meeting in the centre's activity log."""
    if attended and attendees < 1:
        raise ValidationError({"attendees": _("Give the number attending, at least 1.")})
    ensure_open(day=attendance.meeting.date, centre=attendance.centre_id)
    if not attended:
        attendees, roles = 0, ""
    _save_changed(
        actor,
        attendance,
        {"attended": attended, "attendees": attendees, "roles": roles},
        expected_version=expected_version,
    )
    meeting = attendance.meeting
    existing = Activity.objects.filter(centre=attendance.centre, cross_city_meeting=meeting).first()
    if attended:
        activity_type = ActivityType.objects.get(code=CROSS_CITY_MEETING_TYPE)
        if existing is None:
            activity = Activity(
                centre=attendance.centre,
                date=meeting.date,
                type=activity_type,
                participants=attendees,
                cross_city_meeting=meeting,
            )
            _save_new(actor, activity)
        else:
            _save_changed(actor, existing, {"participants": attendees, "date": meeting.date})
    elif existing is not None:
        audit.record(actor=actor, action=AuditAction.DELETE, obj=existing, changes=audit.snapshot(existing))
        existing.delete()
    return attendance


# --- Rooms ------------------------------------------------------------------------------


@transaction.atomic
def create_room(*, actor: Any, centre: Centre, **fields: Any) -> Room:
    room = Room(centre=centre, **fields)
    _save_new(actor, room, exclude=["feed_token"])
    return room


@transaction.atomic
def change_room(*, actor: Any, room: Room, expected_version: int | None = None, **fields: Any) -> Room:
    fields.pop("feed_token", None)
    _save_changed(actor, room, fields, expected_version=expected_version)
    return room


@transaction.atomic
def renew_feed_token(*, actor: Any, room: Room) -> Room:
    """A new secret for the room's calendar feed: the old address stops working."""
    room.feed_token = new_feed_token()
    room.save(update_fields=["feed_token"])
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=room, changes={"feed_token": ["…", "renewed"]})
    return room


# --- Bookings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """Who books: exactly one of a volunteer group, a partner, or an association's name."""

    volunteer_group: VolunteerGroup | None = None
    partner: Partner | None = None
    name: str = ""

    def fields(self) -> dict[str, Any]:
        return {"volunteer_group": self.volunteer_group, "partner": self.partner, "holder_name": self.name.strip()}

    def check(self, room: Room) -> None:
        given = [x for x in (self.volunteer_group, self.partner, self.name.strip()) if x]
        if len(given) != 1:
            raise ValidationError(_("Choose one volunteer group, one partner, or type one association's name."))
        for owner in (self.volunteer_group, self.partner):
            if owner is not None and owner.centre_id != room.centre_id:
                raise ValidationError(_("The holder belongs to another centre than the room."))


class BookingConflict(ValidationError):
    """The room is already booked for (part of) the wanted time."""

    def __init__(self, conflicts: Sequence[Booking]) -> None:
        self.conflicts = list(conflicts)
        when = ", ".join(
            f"{formats.date_format(timezone.localtime(b.starts_at), 'SHORT_DATETIME_FORMAT')}–{timezone.localtime(b.ends_at):%H:%M} ({b.holder})"
            for b in self.conflicts[:5]
        )
        more = len(self.conflicts) - 5
        message = _("The room is already booked at that time: %(when)s.") % {"when": when}
        if more > 0:
            message += " " + _("And %(n)d more.") % {"n": more}
        super().__init__(message, code="double_booking")


def _lock(room: Room) -> Room:
    """Take the room's lock for the rest of the transaction (see the module docstring)."""
    return Room.objects.select_for_update().get(pk=room.pk)


def _conflicts(room: Room, slots: Sequence[tuple[datetime, datetime]], *, ignore: Iterable[int] = ()) -> list[Booking]:
    if not slots:
        return []
    first, last = min(s for s, _e in slots), max(e for _s, e in slots)
    taken = list(
        Booking.objects.filter(room=room)
        .current()
        .overlapping_period(first, last)
        .exclude(pk__in=list(ignore))
        .select_related("volunteer_group", "partner")
    )
    return [b for b in taken if any(b.starts_at < end and b.ends_at > start for start, end in slots)]


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Booking times must be aware datetimes.")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError({"ends_at": _("A booking lasts at most 24 hours.")})


def weekly_slots(
    weekday: int, start_time: time, end_time: time, first: date, last: date
) -> list[tuple[datetime, datetime]]:
    """The occurrences of a weekly slot from `first` to `last` (inclusive), in wall-clock
    time in Copenhagen: 17:00–19:00 stays 17:00–19:00 across the change to and from
    summer time, so the UTC instants move by an hour."""
    tz = local_tz()
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    slots = []
    while day <= last:
        slots.append((datetime.combine(day, start_time, tzinfo=tz), datetime.combine(day, end_time, tzinfo=tz)))
        day += timedelta(days=7)
    return slots


@transaction.atomic
def book_once(
    *, actor: Any, room: Room, starts_at: datetime, ends_at: datetime, holder: Holder, purpose: str = ""
) -> Booking:
    _check_times(starts_at, ends_at)
    room = _lock(room)
    holder.check(room)
    if not room.active:
        raise ValidationError(_("The room cannot be booked."))
    conflicts = _conflicts(room, [(starts_at, ends_at)])
    if conflicts:
        raise BookingConflict(conflicts)
    booking = Booking(room=room, starts_at=starts_at, ends_at=ends_at, purpose=purpose, **holder.fields())
    _save_new(actor, booking)
    return booking


def _check_series(weekday: int, start_time: time, end_time: time, starts_on: date, ends_on: date) -> None:
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The end time must be after the start time.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day is before the first.")})
    if (ends_on - starts_on).days > MAX_SERIES_DAYS:
        raise ValidationError({"ends_on": _("A weekly booking may run for at most two years.")})
    if weekday not in range(7):
        raise ValidationError({"weekday": _("Choose a weekday.")})


@transaction.atomic
def book_weekly(
    *,
    actor: Any,
    room: Room,
    weekday: int,
    start_time: time,
    end_time: time,
    starts_on: date,
    ends_on: date,
    holder: Holder,
    purpose: str = "",
) -> BookingSeries:
    """Book a weekly slot; refused as a whole if any occurrence collides."""
    _check_series(weekday, start_time, end_time, starts_on, ends_on)
    room = _lock(room)
    holder.check(room)
    if not room.active:
        raise ValidationError(_("The room cannot be booked."))
    slots = weekly_slots(weekday, start_time, end_time, starts_on, ends_on)
    if not slots:
        raise ValidationError({"ends_on": _("The period holds no such weekday.")})
    conflicts = _conflicts(room, slots)
    if conflicts:
        raise BookingConflict(conflicts)
    series = BookingSeries(
        room=room,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        **holder.fields(),
    )
    _save_new(actor, series)
    Booking.objects.bulk_create(
        [
            Booking(room=room, starts_at=s, ends_at=e, series=series, purpose=purpose, **holder.fields())
            for s, e in slots
        ]
    )
    return series


@transaction.atomic
def change_booking(
    *,
    actor: Any,
    booking: Booking,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    expected_version: int | None = None,
) -> Booking:
    """Move or change one booking (a single one, or one occurrence of a series), unless
    someone saved it since `expected_version` (locking.Conflict)."""
    _check_times(starts_at, ends_at)
    if booking.cancelled_at:
        raise ValidationError(_("The booking is cancelled."))
    room = _lock(booking.room)
    conflicts = _conflicts(room, [(starts_at, ends_at)], ignore=[booking.pk])
    if conflicts:
        raise BookingConflict(conflicts)
    _save_changed(
        actor,
        booking,
        {"starts_at": starts_at, "ends_at": ends_at, "purpose": purpose},
        expected_version=expected_version,
    )
    return booking


@transaction.atomic
def cancel_booking(*, actor: Any, booking: Booking) -> Booking:
    """Cancel one booking; an occurrence of a series leaves the rest of the series as it is."""
    if booking.cancelled_at is None:
        _save_changed(actor, booking, {"cancelled_at": timezone.now()})
    return booking


def _future(series: BookingSeries, from_day: date) -> models.QuerySet[Booking]:
    start = datetime.combine(from_day, time.min, tzinfo=local_tz())
    return series.bookings.filter(starts_at__gte=start)


@transaction.atomic
def change_series(
    *,
    actor: Any,
    series: BookingSeries,
    weekday: int,
    start_time: time,
    end_time: time,
    ends_on: date,
    purpose: str,
    from_day: date,
    expected_version: int | None = None,
) -> BookingSeries:
    """Change a weekly booking from `from_day` on. Its occurrences from that day are made
    again from the new pattern, which replaces single changes and cancellations made to
    them; earlier occurrences stay as they were."""
    if series.cancelled_at:
        raise ValidationError(_("The weekly booking is cancelled."))
    from_day = max(from_day, series.starts_on)
    _check_series(weekday, start_time, end_time, series.starts_on, ends_on)
    if ends_on < from_day:
        raise ValidationError({"ends_on": _("The last day is before the day the change starts.")})
    room = _lock(series.room)
    replaced = list(_future(series, from_day).values_list("pk", flat=True))
    slots = weekly_slots(weekday, start_time, end_time, from_day, ends_on)
    conflicts = _conflicts(room, slots, ignore=replaced)
    if conflicts:
        raise BookingConflict(conflicts)
    _save_changed(
        actor,
        series,
        {"weekday": weekday, "start_time": start_time, "end_time": end_time, "ends_on": ends_on, "purpose": purpose},
        expected_version=expected_version,
    )
    Booking.objects.filter(pk__in=replaced).delete()
    holder = {"volunteer_group": series.volunteer_group, "partner": series.partner, "holder_name": series.holder_name}
    Booking.objects.bulk_create(
        [Booking(room=room, starts_at=s, ends_at=e, series=series, purpose=purpose, **holder) for s, e in slots]
    )
    return series


@transaction.atomic
def cancel_series(*, actor: Any, series: BookingSeries, from_day: date) -> int:
    """Cancel a weekly booking from `from_day` on; earlier occurrences stay as history."""
    now = timezone.now()
    cancelled = _future(series, from_day).filter(cancelled_at__isnull=True).update(cancelled_at=now)
    changes: dict[str, Any] = {"cancelled_from": from_day, "occurrences_cancelled": cancelled}
    if from_day <= series.starts_on:
        series.cancelled_at = now
    else:
        series.ends_on = min(series.ends_on, from_day - timedelta(days=1))
    series.save()
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=series, changes=changes)
    return cancelled


# --- Room requests (the public form) ---------------------------------------------------------


_REQUEST_CONTACT = ["contact_email", "contact_phone"]


@transaction.atomic
def submit_room_request(*, room: Room, submission_token: str | None = None, **fields: Any) -> RoomRequest:
    """A request from the public form. The audit row leaves out the contact details.

    The same `submission_token` twice (a double click, a retry) raises
    idempotency.AlreadySubmitted instead of making a second request."""
    if submission_token and RoomRequest.objects.filter(submission_token=submission_token).exists():
        raise idempotency.AlreadySubmitted(RoomRequest.objects.filter(submission_token=submission_token).first())
    request = RoomRequest(room=room, submission_token=submission_token or None, **fields)
    if request.kind == RequestKind.ONCE:
        request.last_date = None
    elif request.last_date is None or request.last_date < request.first_date:
        raise ValidationError({"last_date": _("Give the last day of the weekly booking, on or after the first.")})
    elif (request.last_date - request.first_date).days > MAX_SERIES_DAYS:
        raise ValidationError({"last_date": _("A weekly booking may run for at most two years.")})
    if request.end_time > request.start_time:
        clashes = _conflicts(room, _request_slots(request))
        if clashes:
            raise RequestClash(clashes)
    try:
        # A concurrent twin holds the same token: the unique index makes one of them wait
        # and fail here (or, when the twin committed a moment before, the model's own check
        # of the unique token); that one is the replay.
        with transaction.atomic():
            _save_new(None, request, exclude=[*_REQUEST_CONTACT, "submission_token"])
    except (IntegrityError, ValidationError) as exc:
        token_taken = isinstance(exc, IntegrityError) or "submission_token" in getattr(exc, "error_dict", {})
        if submission_token and token_taken and RoomRequest.objects.filter(submission_token=submission_token).exists():
            raise idempotency.AlreadySubmitted(None) from exc
        raise
    return request


def clashes_with(
    *, room: Room, kind: str, first_date: date, last_date: date | None, start_time: time, end_time: time
) -> list[Booking]:
    """Read only: the current bookings a request for these times would clash with (for the
    check as the association picks a time; submit_room_request checks again)."""
    probe = RoomRequest(
        room=room, kind=kind, first_date=first_date, last_date=last_date, start_time=start_time, end_time=end_time
    )
    if end_time <= start_time:
        return []
    if kind == RequestKind.WEEKLY and (
        last_date is None or last_date < first_date or (last_date - first_date).days > MAX_SERIES_DAYS
    ):
        probe.kind = RequestKind.ONCE
    return _conflicts(room, _request_slots(probe))


def _request_slots(request: RoomRequest) -> list[tuple[datetime, datetime]]:
    last = request.last_date if request.kind == RequestKind.WEEKLY and request.last_date else request.first_date
    return weekly_slots(request.weekday, request.start_time, request.end_time, request.first_date, last)


class RequestClash(ValidationError):
    """A public request for a time the room is already booked. Only the times are told: the
    holders' names stay out, for some groups' names tell what their members struggle with."""

    def __init__(self, conflicts: Sequence[Booking]) -> None:
        self.conflicts = list(conflicts)
        when = ", ".join(
            f"{formats.date_format(timezone.localtime(b.starts_at), 'SHORT_DATE_FORMAT')} "
            f"{timezone.localtime(b.starts_at):%H:%M}–{timezone.localtime(b.ends_at):%H:%M}"
            for b in self.conflicts[:5]
        )
        more = len(self.conflicts) - 5
        message = _("The room is already booked at that time: %(when)s. Choose another time or room.") % {"when": when}
        if more > 0:
            message += " " + _("And %(n)d more.") % {"n": more}
        super().__init__(message, code="room_busy")


@transaction.atomic
def approve_room_request(
    *, actor: Any, request: RoomRequest, room: Room | None = None, answer: str = ""
) -> RoomRequest:
    """Approve a pending request and book the room for the association (once or weekly)."""
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("The request has already been decided."))
    room = room or request.room
    if room.centre_id != request.room.centre_id:
        raise ValidationError({"room": _("Choose a room of the same centre.")})
    holder = Holder(name=request.association_name)
    fields: dict[str, Any] = {}
    if request.kind == RequestKind.WEEKLY:
        fields["series"] = book_weekly(
            actor=actor,
            room=room,
            weekday=request.first_date.weekday(),
            start_time=request.start_time,
            end_time=request.end_time,
            starts_on=request.first_date,
            ends_on=request.last_date or request.first_date,
            holder=holder,
            purpose=request.purpose[:200],
        )
    else:
        tz = local_tz()
        fields["booking"] = book_once(
            actor=actor,
            room=room,
            starts_at=datetime.combine(request.first_date, request.start_time, tzinfo=tz),
            ends_at=datetime.combine(request.first_date, request.end_time, tzinfo=tz),
            holder=holder,
            purpose=request.purpose[:200],
        )
    token = _issue_personal_link(actor, request, fields.get("booking"), fields.get("series"))
    _decide(actor, request, RequestStatus.APPROVED, answer, room=room, link=token, **fields)
    return request


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_personal_link(
    actor: Any, request: RoomRequest, booking: Booking | None, series: BookingSeries | None
) -> str:
    """A new unguessable link for the association to see and cancel its bookings, valid until
    its last booking has ended (and no longer than the request is kept). Only its hash is
    stored, and the audit says that a link was issued, never the link."""
    token = secrets.token_urlsafe(32)
    if series is not None:
        last_end = datetime.combine(series.ends_on, series.end_time, tzinfo=local_tz())
    elif booking is not None:
        last_end = booking.ends_at
    else:
        last_end = timezone.now()
    expires = min(last_end + timedelta(days=1), timezone.now() + REQUEST_RETENTION)
    RoomRequest.objects.filter(pk=request.pk).update(link_hash=link_hash(token), link_expires_at=expires)
    request.link_hash, request.link_expires_at = link_hash(token), expires
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=request, changes={"personal_link_expires": expires})
    return token


@transaction.atomic
def cancel_booking_by_link(*, request: RoomRequest, booking: Booking) -> Booking:
    """The association cancels one of its own bookings through its personal link: the slot
    is free again at once. The actor is the link, not a user; the audit says so."""
    if not request.link_is_valid(timezone.now()):
        raise ValidationError(_("The link has expired."))
    own = (request.booking_id and booking.pk == request.booking_id) or (
        request.series_id and booking.series_id == request.series_id
    )
    if not own:
        raise ValidationError(_("The booking is not one of yours."))
    if booking.starts_at <= timezone.now():
        raise ValidationError(_("A booking that has begun cannot be cancelled."))
    if booking.cancelled_at is None:
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at"])
        audit.record(
            actor=None,
            action=AuditAction.CHANGE,
            obj=booking,
            changes={"cancelled_at": booking.cancelled_at, "by": f"personal link of room request {request.pk}"},
        )
    return booking


@transaction.atomic
def decline_room_request(*, actor: Any, request: RoomRequest, answer: str = "") -> RoomRequest:
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("The request has already been decided."))
    _decide(actor, request, RequestStatus.DECLINED, answer)
    return request


def _decide(actor: Any, request: RoomRequest, status: str, answer: str, link: str = "", **fields: Any) -> None:
    _save_changed(
        actor,
        request,
        {"status": status, "answer": answer, "decided_at": timezone.now(), "decided_by": actor, **fields},
    )
    transaction.on_commit(lambda: _tell_association(request, link))


def _tell_association(request: RoomRequest, link: str = "") -> None:
    # The answer goes out in the language of the page the request was sent from.
    with translation.override(request.language or "da"):
        if request.status == RequestStatus.APPROVED:
            subject = _("Your room request is approved")
        else:
            subject = _("Your room request is declined")
        first = formats.date_format(request.first_date, "SHORT_DATE_FORMAT")
        when = f"{first} {request.start_time:%H:%M}–{request.end_time:%H:%M}"
        if request.kind == RequestKind.WEEKLY and request.last_date:
            last = formats.date_format(request.last_date, "SHORT_DATE_FORMAT")
            when += " " + _("every week until %(day)s") % {"day": last}
        parts = [
            f"{request.association_name}: {request.room} · {when}",
            str(request.get_status_display()),
            request.answer,
        ]
        if request.status == RequestStatus.APPROVED:
            parts += _what_an_association_needs(request, link)
        body = "\n\n".join(part for part in parts if part)
    send_automatic(subject, body, [request.contact_email], fail_silently=True)


def _what_an_association_needs(request: RoomRequest, link: str) -> list[str]:
    """Where the room is, how to get in, whom to call, the house rules, and the personal link."""
    room = request.room
    centre = room.centre
    contact = room.contact or " · ".join(x for x in (centre.phone, centre.email) if x)
    parts = [
        _("Address: %(room)s, %(centre)s, %(address)s")
        % {"room": room.name, "centre": centre.name, "address": centre.address}
    ]
    access = translated(room, "access").text
    if access:
        parts.append(_("How to get in: %(text)s") % {"text": access})
    if contact:
        parts.append(_("Contact: %(text)s") % {"text": contact})
    rules = translated(room, "house_rules").text
    if rules:
        parts.append(_("House rules:") + "\n" + rules)
    if link:
        path = reverse(
            "public:room_bookings",
            kwargs={"token": link} if request.language == "da" else {"token": link, "lang": request.language},
        )
        parts.append(
            _("See or cancel your bookings here, without a password (the link is personal; keep it to yourselves):")
            + f"\n{settings.SITE_URL.rstrip('/')}{path}"
        )
    return parts


@transaction.atomic
def purge_room_requests(*, actor: Any, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete requests decided more than 6 months ago, and undecided ones sent that long ago,
    with the association's contact details. Their bookings keep the association's name."""
    cutoff = (now or timezone.now()) - REQUEST_RETENTION
    old = RoomRequest.objects.filter(
        models.Q(decided_at__lt=cutoff) | models.Q(decided_at__isnull=True, created_at__lt=cutoff)
    )
    if dry_run:
        return old.count()
    deleted = old.delete()[0]
    audit.record(
        actor=actor,
        action=AuditAction.ERASE,
        object_type=RoomRequest._meta.label_lower,
        changes={"before": cutoff, "deleted": deleted},
    )
    return deleted
