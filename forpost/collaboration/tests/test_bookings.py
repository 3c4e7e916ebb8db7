"""Booking rules: half-open overlap, weekly series in wall-clock time across DST, changes
and cancellations of a whole series or one occurrence."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from forpost.accounts.models import AuditEntry
from forpost.collaboration.models import Booking
from forpost.collaboration.services import (
    BookingConflict,
    Holder,
    book_once,
    book_weekly,
    cancel_booking,
    cancel_series,
    change_booking,
    change_series,
    weekly_slots,
)
from forpost.collaboration.testing import local, make_partner, make_room, make_volunteer_group

CPH = ZoneInfo("Europe/Copenhagen")
UTC = ZoneInfo("UTC")
HOLDER = Holder(name="Forældrenetværket")


def once(room, day, start, end, **kw):
    return book_once(actor=None, room=room, starts_at=local(day, start), ends_at=local(day, end), holder=HOLDER, **kw)


def test_it_refuses_an_overlapping_booking_with_a_clear_message(room, cast):
    once(room, date(2030, 4, 2), time(17), time(19))
    with pytest.raises(BookingConflict) as refused:
        once(room, date(2030, 4, 2), time(18), time(20))
    assert "2. april 2030 17:00–19:00" in refused.value.messages[0]
    assert Booking.objects.filter(room=room).count() == 1


def test_back_to_back_bookings_do_not_collide(room, cast):
    once(room, date(2030, 4, 2), time(17), time(19))
    once(room, date(2030, 4, 2), time(19), time(21))
    once(room, date(2030, 4, 2), time(15), time(17))
    assert Booking.objects.filter(room=room).count() == 3


def test_another_room_is_free_at_the_same_time(room, cast):
    once(room, date(2030, 4, 2), time(17), time(19))
    once(make_room(cast.norrebro), date(2030, 4, 2), time(17), time(19))


def test_a_cancelled_booking_frees_its_slot(room, cast):
    booking = once(room, date(2030, 4, 2), time(17), time(19))
    cancel_booking(actor=cast.bob, booking=booking)
    once(room, date(2030, 4, 2), time(17), time(19))


def test_it_refuses_an_end_before_the_start(room, cast):
    with pytest.raises(ValidationError):
        once(room, date(2030, 4, 2), time(19), time(17))


def test_it_refuses_a_holder_of_another_centre(room, cast):
    other = make_volunteer_group(cast.valby)
    with pytest.raises(ValidationError):
        book_once(
            actor=None,
            room=room,
            starts_at=local(date(2030, 4, 2), time(17)),
            ends_at=local(date(2030, 4, 2), time(19)),
            holder=Holder(volunteer_group=other),
        )


def test_it_refuses_two_holders_at_once(room, cast):
    with pytest.raises(ValidationError):
        book_once(
            actor=None,
            room=room,
            starts_at=local(date(2030, 4, 2), time(17)),
            ends_at=local(date(2030, 4, 2), time(19)),
            holder=Holder(partner=make_partner(cast.norrebro), name="Also this"),
        )


def test_booking_writes_the_audit_trail(room, cast):
    booking = once(room, date(2030, 4, 2), time(17), time(19))
    entry = AuditEntry.objects.get(object_type="collaboration.booking", object_id=str(booking.pk))
    assert entry.action == "create"
    assert entry.centre_id == cast.norrebro.pk


@pytest.mark.parametrize(
    ("first", "last", "dst_sunday"),
    [
        (date(2025, 3, 18), date(2025, 4, 8), date(2025, 3, 30)),  # summer time begins
        (date(2025, 10, 14), date(2025, 11, 4), date(2025, 10, 26)),  # summer time ends
    ],
)
def test_a_weekly_slot_keeps_its_wall_clock_time_across_daylight_saving(room, cast, first, last, dst_sunday):
    series = book_weekly(
        actor=None,
        room=room,
        weekday=1,
        start_time=time(17),
        end_time=time(19),
        starts_on=first,
        ends_on=last,
        holder=HOLDER,
    )
    occurrences = list(series.bookings.order_by("starts_at"))
    assert len(occurrences) == 4
    for b in occurrences:
        start, end = b.starts_at.astimezone(CPH), b.ends_at.astimezone(CPH)
        assert (start.hour, start.minute, end.hour, end.minute) == (17, 0, 19, 0)
        assert start.weekday() == 1
    # The instants do move: an hour apart in UTC on either side of the change.
    before = [b for b in occurrences if b.starts_at.date() < dst_sunday]
    after = [b for b in occurrences if b.starts_at.date() > dst_sunday]
    assert before and after
    assert before[-1].starts_at.astimezone(UTC).hour != after[0].starts_at.astimezone(UTC).hour


def test_weekly_slots_in_the_dst_week_itself_are_seven_days_of_wall_clock_apart():
    slots = weekly_slots(6, time(17), time(19), date(2025, 3, 23), date(2025, 4, 6))  # Sundays, incl. 30 March
    assert [s.astimezone(CPH).strftime("%d %H:%M") for s, _e in slots] == ["23 17:00", "30 17:00", "06 17:00"]
    # Python subtracts same-zone datetimes in wall-clock time; in real time the week is an hour short.
    assert slots[1][0].astimezone(UTC) - slots[0][0].astimezone(UTC) == timedelta(days=7, hours=-1)


def test_a_weekly_booking_is_refused_as_a_whole_if_one_evening_is_taken(room, cast):
    once(room, date(2030, 4, 16), time(18), time(18, 30))
    with pytest.raises(BookingConflict):
        book_weekly(
            actor=None,
            room=room,
            weekday=1,
            start_time=time(17),
            end_time=time(19),
            starts_on=date(2030, 4, 1),
            ends_on=date(2030, 5, 1),
            holder=HOLDER,
        )
    assert Booking.objects.filter(room=room).count() == 1


def test_a_weekly_booking_may_not_run_longer_than_two_years(room, cast):
    with pytest.raises(ValidationError):
        book_weekly(
            actor=None,
            room=room,
            weekday=1,
            start_time=time(17),
            end_time=time(19),
            starts_on=date(2030, 1, 1),
            ends_on=date(2033, 1, 1),
            holder=HOLDER,
        )


def _series(room):
    return book_weekly(
        actor=None,
        room=room,
        weekday=1,
        start_time=time(17),
        end_time=time(19),
        starts_on=date(2030, 4, 1),
        ends_on=date(2030, 4, 30),
        holder=HOLDER,
    )


def test_one_occurrence_can_be_moved_without_touching_the_others(room, cast):
    series = _series(room)
    second = series.bookings.order_by("starts_at")[1]
    change_booking(
        actor=cast.bob,
        booking=second,
        starts_at=local(date(2030, 4, 10), time(10)),
        ends_at=local(date(2030, 4, 10), time(12)),
        purpose="flyttet",
    )
    times = [b.starts_at.astimezone(CPH).strftime("%d %H") for b in series.bookings.order_by("starts_at")]
    assert times == ["02 17", "10 10", "16 17", "23 17", "30 17"]


def test_moving_an_occurrence_onto_another_booking_is_refused(room, cast):
    series = _series(room)
    once(room, date(2030, 4, 10), time(10), time(12))
    with pytest.raises(BookingConflict):
        change_booking(
            actor=cast.bob,
            booking=series.bookings.first(),
            starts_at=local(date(2030, 4, 10), time(11)),
            ends_at=local(date(2030, 4, 10), time(13)),
            purpose="",
        )


def test_one_occurrence_can_be_cancelled_and_the_rest_stay(room, cast):
    series = _series(room)
    cancel_booking(actor=cast.bob, booking=series.bookings.order_by("starts_at")[2])
    assert series.bookings.current().count() == 4


def test_changing_the_whole_series_from_a_day_remakes_the_later_occurrences(room, cast):
    series = _series(room)
    change_series(
        actor=cast.bob,
        series=series,
        weekday=3,
        start_time=time(18),
        end_time=time(20),
        ends_on=date(2030, 5, 14),
        purpose="ny tid",
        from_day=date(2030, 4, 15),
    )
    times = [b.starts_at.astimezone(CPH).strftime("%a %d.%m %H") for b in series.bookings.order_by("starts_at")]
    assert times == ["Tue 02.04 17", "Tue 09.04 17", "Thu 18.04 18", "Thu 25.04 18", "Thu 02.05 18", "Thu 09.05 18"]


def test_changing_the_series_onto_a_taken_slot_is_refused_and_changes_nothing(room, cast):
    series = _series(room)
    once(room, date(2030, 4, 25), time(18), time(19))
    with pytest.raises(BookingConflict):
        change_series(
            actor=cast.bob,
            series=series,
            weekday=3,
            start_time=time(18),
            end_time=time(20),
            ends_on=date(2030, 4, 30),
            purpose="",
            from_day=date(2030, 4, 1),
        )
    assert series.bookings.count() == 5


def test_cancelling_the_series_from_a_day_keeps_the_earlier_occurrences(room, cast):
    series = _series(room)
    n = cancel_series(actor=cast.bob, series=series, from_day=date(2030, 4, 15))
    assert n == 3
    assert series.bookings.current().count() == 2
    series.refresh_from_db()
    assert series.ends_on == date(2030, 4, 14)
    assert series.cancelled_at is None


def test_cancelling_the_series_from_its_start_cancels_it_all(room, cast):
    series = _series(room)
    cancel_series(actor=cast.bob, series=series, from_day=date(2030, 4, 1))
    series.refresh_from_db()
    assert series.cancelled_at is not None
    assert series.bookings.current().count() == 0
