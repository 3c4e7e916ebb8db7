"""The opening-hours arithmetic: closures, holidays, daylight saving, weeks and staff hours."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from forpost.centres import hours
from forpost.centres.hours import (
    COPENHAGEN,
    DROP_IN,
    Allocation,
    Calendar,
    ClosedSpan,
    Pattern,
    WeeklySlot,
)

PHONE = "phone"
# Monday 14–17 and Thursday 10–14: 7 drop-in hours; phone hours on Tuesday.
SLOTS = (
    WeeklySlot(0, time(14), time(17)),
    WeeklySlot(3, time(10), time(14)),
    WeeklySlot(1, time(9), time(10), PHONE),
)
PATTERN = Pattern(date(2020, 1, 1), None, SLOTS)


def week_hours(calendar: Calendar, monday: date) -> Decimal:
    return hours.dropin_hours_by_week(calendar, [monday])[0].hours


def test_the_minimums_are_the_concepts_six_hours():
    assert Decimal(6) == hours.DROPIN_MINIMUM_HOURS
    assert Decimal(6) == hours.STAFF_MINIMUM_HOURS


def test_an_ordinary_week_has_the_patterns_drop_in_hours():
    calendar = Calendar((PATTERN,))
    assert week_hours(calendar, date(2025, 9, 1)) == Decimal(7)
    # Phone hours are not drop-in hours.
    assert calendar.minutes(date(2025, 9, 1), date(2025, 9, 7), PHONE) == 60


def test_a_closure_removes_the_days_it_covers_both_ends_included():
    closure = ClosedSpan(date(2025, 9, 1), date(2025, 9, 4), "Personaledag")
    calendar = Calendar((PATTERN,), (closure,))
    assert week_hours(calendar, date(2025, 9, 1)) == Decimal(0)
    monday = calendar.day(date(2025, 9, 1))
    assert monday.closed == hours.ClosedBecause.CLOSURE
    assert monday.reason == "Personaledag"
    assert monday.scheduled
    # The day after the closure is open again.
    assert calendar.day(date(2025, 9, 8)).minutes() == 180


def test_a_danish_public_holiday_closes_the_centre():
    # Ascension Day 2025 is Thursday 29 May: the Thursday slot falls away.
    calendar = Calendar((PATTERN,))
    day = calendar.day(date(2025, 5, 29))
    assert day.closed == hours.ClosedBecause.HOLIDAY
    assert day.reason == "Kristi himmelfartsdag"
    assert week_hours(calendar, date(2025, 5, 26)) == Decimal(3)


def test_easter_closes_thursday_and_monday():
    calendar = Calendar((PATTERN,))
    # Maundy Thursday 17 April and Easter Monday 21 April 2025.
    assert week_hours(calendar, date(2025, 4, 14)) == Decimal(3)
    assert week_hours(calendar, date(2025, 4, 21)) == Decimal(4)


def test_great_prayer_day_was_a_holiday_until_2023_only():
    friday_pattern = Pattern(date(2020, 1, 1), None, (WeeklySlot(4, time(9), time(15)),))
    calendar = Calendar((friday_pattern,))
    assert calendar.day(date(2023, 5, 5)).closed == hours.ClosedBecause.HOLIDAY
    assert calendar.day(date(2024, 4, 26)).closed == ""
    assert calendar.day(date(2024, 4, 26)).minutes() == 360


def test_a_holiday_marked_open_anyway_keeps_the_usual_hours():
    calendar = Calendar((PATTERN,), open_on_holidays=frozenset({date(2025, 5, 29)}))
    assert calendar.day(date(2025, 5, 29)).closed == ""
    assert week_hours(calendar, date(2025, 5, 26)) == Decimal(7)


def test_a_closure_wins_over_a_holiday_kept_open():
    calendar = Calendar(
        (PATTERN,),
        (ClosedSpan(date(2025, 5, 29), date(2025, 5, 29), "Flytning"),),
        open_on_holidays=frozenset({date(2025, 5, 29)}),
    )
    assert calendar.day(date(2025, 5, 29)).reason == "Flytning"


def test_the_holidays_can_be_given_explicitly():
    calendar = Calendar((PATTERN,), holidays={date(2025, 9, 1): "Testdag"})
    assert calendar.day(date(2025, 9, 1)).closed == hours.ClosedBecause.HOLIDAY
    # ... and then the package's holidays no longer apply.
    assert calendar.day(date(2025, 5, 29)).closed == ""


def test_holiday_names_come_in_danish_and_english():
    assert hours.holiday_name(date(2025, 12, 25)) == "Juledag"
    assert hours.holiday_name(date(2025, 12, 25), "en_US") == "Christmas Day"
    assert hours.holiday_name(date(2025, 12, 24)) == ""
    found = hours.danish_holidays(date(2025, 12, 1), date(2026, 1, 31))
    assert list(found) == [date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)]


# --- Daylight saving (last Sunday of March and of October) -------------------------------------


def test_the_spring_week_keeps_its_wall_clock_hours():
    # Summer time starts on Sunday 30 March 2025 at 02:00.
    calendar = Calendar((PATTERN,))
    assert week_hours(calendar, date(2025, 3, 24)) == Decimal(7)
    assert week_hours(calendar, date(2025, 3, 31)) == Decimal(7)
    before = calendar.intervals(date(2025, 3, 24), date(2025, 3, 24))[0]
    after = calendar.intervals(date(2025, 3, 31), date(2025, 3, 31))[0]
    assert before.start.astimezone(UTC) == datetime(2025, 3, 24, 13, 0, tzinfo=UTC)
    assert after.start.astimezone(UTC) == datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
    assert before.local_start.hour == after.local_start.hour == 14


def test_the_autumn_week_keeps_its_wall_clock_hours():
    # Summer time ends on Sunday 26 October 2025 at 03:00.
    calendar = Calendar((PATTERN,))
    assert week_hours(calendar, date(2025, 10, 20)) == Decimal(7)
    assert week_hours(calendar, date(2025, 10, 27)) == Decimal(7)
    after = calendar.intervals(date(2025, 10, 27), date(2025, 10, 27))[0]
    assert after.start.astimezone(UTC) == datetime(2025, 10, 27, 13, 0, tzinfo=UTC)


def test_a_slot_across_the_spring_change_lasts_an_hour_less():
    night = Pattern(date(2020, 1, 1), None, (WeeklySlot(6, time(1), time(4)),))
    calendar = Calendar((night,), holidays={})
    assert calendar.day(date(2025, 3, 30)).minutes() == 120
    assert calendar.day(date(2025, 3, 23)).minutes() == 180
    assert week_hours(calendar, date(2025, 3, 24)) == Decimal(2)


def test_a_slot_across_the_autumn_change_lasts_an_hour_more():
    night = Pattern(date(2020, 1, 1), None, (WeeklySlot(6, time(1), time(4)),))
    calendar = Calendar((night,), holidays={})
    assert calendar.day(date(2025, 10, 26)).minutes() == 240
    assert week_hours(calendar, date(2025, 10, 20)) == Decimal(4)


def test_a_time_in_the_spring_gap_is_read_as_summer_time_an_hour_later():
    moment = hours.wall_clock(date(2025, 3, 30), time(2, 30))
    assert moment.astimezone(UTC) == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert moment.astimezone(UTC).astimezone(COPENHAGEN).hour == 3


# --- Patterns over time ------------------------------------------------------------------------


def test_a_new_pattern_takes_over_in_the_middle_of_a_week():
    old = Pattern(date(2020, 1, 1), date(2025, 9, 2), SLOTS)
    new = Pattern(date(2025, 9, 3), None, (WeeklySlot(3, time(9), time(12)), WeeklySlot(4, time(9), time(12))))
    calendar = Calendar((old, new))
    # Monday 14–17 from the old pattern, Thursday and Friday 9–12 from the new one.
    assert week_hours(calendar, date(2025, 9, 1)) == Decimal(9)
    assert week_hours(calendar, date(2025, 9, 8)) == Decimal(6)


def test_days_without_a_pattern_have_no_hours():
    calendar = Calendar((Pattern(date(2025, 9, 4), None, SLOTS),))
    assert week_hours(calendar, date(2025, 9, 1)) == Decimal(4)
    assert week_hours(calendar, date(2025, 8, 25)) == Decimal(0)


def test_overlapping_slots_of_one_kind_are_counted_once():
    twice = Pattern(date(2020, 1, 1), None, (WeeklySlot(0, time(9), time(12)), WeeklySlot(0, time(11), time(13))))
    assert week_hours(Calendar((twice,)), date(2025, 9, 1)) == Decimal(4)


def test_periods_overlap_with_open_ends():
    assert hours.periods_overlap(date(2025, 1, 1), None, date(2030, 1, 1), None)
    assert hours.periods_overlap(date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30), None)
    assert not hours.periods_overlap(date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1), None)
    assert not hours.periods_overlap(date(2025, 7, 1), None, date(2025, 1, 1), date(2025, 6, 30))


def test_the_overlapping_pattern_is_found():
    first = Pattern(date(2025, 1, 1), date(2025, 6, 30))
    second = Pattern(date(2025, 7, 1), None)
    assert hours.overlapping_pattern([first, second], date(2024, 1, 1), date(2024, 12, 31)) is None
    assert hours.overlapping_pattern([first, second], date(2024, 1, 1), date(2025, 1, 1)) == first
    assert hours.overlapping_pattern([first, second], date(2026, 1, 1), None) == second


def test_clashing_slots_are_those_of_one_kind_on_one_day():
    a = WeeklySlot(0, time(9), time(12))
    b = WeeklySlot(0, time(11), time(13))
    phone = WeeklySlot(0, time(11), time(13), PHONE)
    touching = WeeklySlot(0, time(12), time(14))
    assert hours.clashing_slots([a, b]) == [(a, b)]
    assert hours.clashing_slots([a, phone]) == []
    assert hours.clashing_slots([a, touching]) == []


# --- Weeks ---------------------------------------------------------------------------------------


def test_iso_years_have_52_or_53_weeks():
    assert len(hours.iso_year_mondays(2025)) == 52
    assert len(hours.iso_year_mondays(2026)) == 53
    assert hours.iso_year_mondays(2025)[0] == date(2024, 12, 30)


def test_weeks_below_the_minimum_are_flagged():
    calendar = Calendar((PATTERN,))
    weeks = hours.dropin_hours_by_week(calendar, hours.mondays(date(2025, 5, 19), date(2025, 6, 1)))
    assert [(w.week, w.hours, w.below_minimum) for w in weeks] == [
        (21, Decimal(7), False),
        (22, Decimal(3), True),  # Ascension Day
    ]
    assert hours.below_minimum(weeks) == [weeks[1]]
    assert weeks[1].shortfall == Decimal(3)


def test_a_week_of_exactly_six_hours_is_not_below():
    six = Pattern(date(2020, 1, 1), None, (WeeklySlot(1, time(13), time(16)), WeeklySlot(3, time(13), time(16))))
    week = hours.dropin_hours_by_week(Calendar((six,)), [date(2025, 9, 1)])[0]
    assert week.hours == Decimal(6) and not week.below_minimum


# --- Staff from the family unit ----------------------------------------------------------------


def test_staff_hours_add_up_per_week():
    staff = [Allocation(Decimal(4), date(2025, 1, 1), None), Allocation(Decimal("2.5"), date(2025, 1, 1), None)]
    week = hours.staff_hours_by_week(staff, [date(2025, 9, 1)])[0]
    assert week.hours == Decimal("6.5") and not week.below_minimum


def test_an_allocation_starting_midweek_counts_its_working_days():
    # From Wednesday: Wednesday, Thursday, Friday = 3 of 5 working days.
    staff = [Allocation(Decimal(10), date(2025, 9, 3), None)]
    first, second = hours.staff_hours_by_week(staff, [date(2025, 9, 1), date(2025, 9, 8)])
    assert first.hours == Decimal(6)
    assert second.hours == Decimal(10)


def test_an_allocation_ending_midweek_counts_until_its_last_day():
    staff = [Allocation(Decimal(10), date(2025, 1, 1), date(2025, 9, 2))]
    first, second = hours.staff_hours_by_week(staff, [date(2025, 9, 1), date(2025, 9, 8)])
    assert first.hours == Decimal(4)
    assert first.below_minimum
    assert second.hours == Decimal(0)


def test_an_allocation_over_a_weekend_only_counts_nothing():
    staff = [Allocation(Decimal(10), date(2025, 9, 6), date(2025, 9, 7))]
    assert hours.staff_hours_by_week(staff, [date(2025, 9, 1)])[0].hours == Decimal(0)


# --- Open now, next opening --------------------------------------------------------------------


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


def test_open_now_is_the_interval_around_the_moment():
    calendar = Calendar((PATTERN,))
    found = calendar.open_or_next(at(date(2025, 9, 1), 15))
    assert found is not None and found.contains(at(date(2025, 9, 1), 15))


def test_after_closing_the_next_opening_is_found():
    calendar = Calendar((PATTERN,))
    found = calendar.open_or_next(at(date(2025, 9, 1), 17))
    assert found is not None
    assert found.local_start == at(date(2025, 9, 4), 10)


def test_the_next_opening_skips_holidays_and_closures():
    calendar = Calendar((PATTERN,), (ClosedSpan(date(2025, 6, 2), date(2025, 6, 2), "Kursus"),))
    # After Monday 26 May: Thursday 29 is Ascension Day, Monday 2 June is closed -> Thursday 5 June.
    found = calendar.open_or_next(at(date(2025, 5, 26), 18))
    assert found is not None
    assert found.local_start == at(date(2025, 6, 5), 10)


def test_nothing_is_next_when_closed_beyond_the_horizon():
    calendar = Calendar((PATTERN,), (ClosedSpan(date(2025, 9, 1), date(2025, 12, 31), "Renovering"),))
    assert calendar.open_or_next(at(date(2025, 9, 1), 9), horizon_days=30) is None


# --- A property: outside holidays, closures and clock changes, a week has the pattern's hours ---

slot_strategy = st.builds(
    lambda weekday, start, length, kind: WeeklySlot(
        weekday, time(start // 4, (start % 4) * 15), time((start + length) // 4, ((start + length) % 4) * 15), kind
    ),
    st.integers(0, 6),
    st.integers(24, 70),  # quarter hours from 06:00 to 17:30
    st.integers(1, 24),  # up to 6 hours, ending by 23:30
    st.sampled_from([DROP_IN, PHONE]),
)


@given(st.lists(slot_strategy, max_size=8))
def test_a_plain_week_has_exactly_the_weekly_minutes_of_its_slots(slots):
    if hours.clashing_slots(slots):
        slots = [s for i, s in enumerate(slots) if not any(hours.clashing_slots([s, t]) for t in slots[:i])]
    calendar = Calendar((Pattern(date(2020, 1, 1), None, tuple(slots)),))
    # 1–7 September 2025: no holiday, no clock change.
    assert calendar.minutes(date(2025, 9, 1), date(2025, 9, 7)) == hours.weekly_minutes(slots)


def test_intervals_are_in_copenhagen_time():
    interval = Calendar((PATTERN,)).intervals(date(2025, 9, 1), date(2025, 9, 1))[0]
    assert interval.local_start == datetime(2025, 9, 1, 14, tzinfo=COPENHAGEN)
    assert interval.local_start.tzinfo is COPENHAGEN
    assert interval.end - interval.start == timedelta(hours=3)
