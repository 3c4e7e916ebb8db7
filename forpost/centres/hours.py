"""Opening-hours and staffing arithmetic: pure functions, no database.

The concept (Koncept for Familierådgivningerne 2010, the table "Det fælles indhold",
rows *Ydelser* and *Ressourcer*) sets two weekly minimums that Forpost checks:

- ``DROPIN_MINIMUM_HOURS``: "6 timers åbningstid om ugen, hvor det er muligt for borgerne
  at komme ind fra gaden uden forudgående aftale" — 6 hours a week of open drop-in;
- ``STAFF_MINIMUM_HOURS``: "Der skal tilknyttes personale fra Børnefamilieenheden minimum
  6 timer om ugen" — 6 hours a week of staff from the family unit.

They live here, in one place, so that the concept's own requirement list can point at them.

Times are wall-clock times in Europe/Copenhagen. A slot becomes an interval of aware
datetimes; its length is the real time that passes, so a slot across the spring change
(01:00–04:00 on the last Sunday of March) lasts two hours and one across the autumn change
lasts four. Danish public holidays (the `holidays` package) close the centre unless the
centre has marked the day "open anyway"; closures close it whatever the pattern says.
Weeks are ISO weeks, Monday to Sunday.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays as holidays_package

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

#: The concept's minimum of open drop-in hours a week (2010 concept, "Ydelser").
DROPIN_MINIMUM_HOURS = Decimal(6)
#: The concept's minimum of family-unit staff hours a week (2010 concept, "Ressourcer").
STAFF_MINIMUM_HOURS = Decimal(6)

DROP_IN = "drop_in"
HUNDREDTH = Decimal("0.01")


# --- Danish public holidays -------------------------------------------------------------------


@lru_cache(maxsize=64)
def _holidays_of(year: int, language: str) -> dict[date, str]:
    found = holidays_package.country_holidays("DK", years=year, language=language)
    return dict(found.items())


def danish_holidays(first: date, last: date, *, language: str = "da") -> dict[date, str]:
    """The Danish public holidays from `first` to `last` (inclusive), with their names.

    `language` is one the package knows ("da" or "en_US"); other languages get English.
    """
    language = language if language in ("da", "en_US") else "en_US"
    days: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        days.update({d: n for d, n in _holidays_of(year, language).items() if first <= d <= last})
    return days


def holiday_name(day: date, language: str = "da") -> str:
    """The name of the holiday on `day` in `language` (Danish, else English), or ""."""
    if language.startswith("da"):
        return _holidays_of(day.year, "da").get(day, "")
    return _holidays_of(day.year, "en_US").get(day, "")


# --- The shapes the arithmetic works on ------------------------------------------------------


@dataclass(frozen=True)
class WeeklySlot:
    weekday: int  # 0 = Monday, as date.weekday()
    starts_at: time
    ends_at: time
    kind: str = DROP_IN


@dataclass(frozen=True)
class Pattern:
    valid_from: date
    valid_to: date | None  # inclusive; None = open-ended
    slots: tuple[WeeklySlot, ...] = ()

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class ClosedSpan:
    starts_on: date
    ends_on: date  # inclusive
    reason: str = ""
    reason_lang: str = "da"  # the language `reason` is in (a translation, or the Danish text)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Interval:
    """A stretch of opening in real time: aware datetimes in UTC, end exclusive.

    UTC, because Python subtracts and compares two datetimes that share a tzinfo by their
    wall-clock fields alone: in Copenhagen time, 01:00–04:00 on the night the clocks change
    would wrongly last three hours."""

    start: datetime
    end: datetime
    kind: str = DROP_IN

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(COPENHAGEN)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(COPENHAGEN)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


class ClosedBecause:
    HOLIDAY = "holiday"
    CLOSURE = "closure"


@dataclass(frozen=True)
class Day:
    """One calendar day of a centre: its intervals, or why it is closed."""

    date: date
    intervals: tuple[Interval, ...] = ()
    closed: str = ""  # "", ClosedBecause.HOLIDAY or ClosedBecause.CLOSURE
    reason: str = ""  # the closure's reason or the holiday's (Danish) name
    reason_lang: str = "da"
    scheduled: bool = False  # the pattern had slots of the asked kind on this day

    def of_kind(self, kind: str) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind == kind)

    def minutes(self, kind: str = DROP_IN) -> int:
        return sum(i.minutes for i in self.of_kind(kind))


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Join overlapping or touching intervals of the same kind, so no minute counts twice."""
    merged: list[Interval] = []
    for interval in sorted(intervals, key=lambda i: (i.kind, i.start)):
        last = merged[-1] if merged else None
        if last is not None and last.kind == interval.kind and interval.start <= last.end:
            merged[-1] = Interval(last.start, max(last.end, interval.end), last.kind)
        else:
            merged.append(interval)
    return sorted(merged, key=lambda i: (i.start, i.kind))


def wall_clock(day: date, moment: time) -> datetime:
    """`day` at `moment` in Copenhagen. A time in the spring gap (02:00–03:00 on the last
    Sunday of March) does not exist; Python reads it with the winter offset, which is one
    hour later in summer time. A time in the autumn's repeated hour is its first occurrence.
    Convert the result to UTC before doing arithmetic with it (see Interval)."""
    return datetime.combine(day, moment, tzinfo=COPENHAGEN)


@dataclass(frozen=True)
class Calendar:
    """Everything that decides when a centre is open.

    `holidays` maps dates to names; None means Denmark's public holidays from the
    `holidays` package. `open_on_holidays` are the holidays the centre keeps open anyway.
    """

    patterns: tuple[Pattern, ...] = ()
    closures: tuple[ClosedSpan, ...] = ()
    open_on_holidays: frozenset[date] = field(default_factory=frozenset)
    holidays: Mapping[date, str] | None = None

    def pattern_on(self, day: date) -> Pattern | None:
        for pattern in self.patterns:
            if pattern.covers(day):
                return pattern
        return None

    def _holiday(self, day: date) -> str:
        if self.holidays is not None:
            return self.holidays.get(day, "")
        return holiday_name(day, "da")

    def day(self, day: date) -> Day:
        pattern = self.pattern_on(day)
        slots = [s for s in pattern.slots if s.weekday == day.weekday()] if pattern else []
        scheduled = bool(slots)
        for closure in self.closures:
            if closure.covers(day):
                return Day(
                    day,
                    closed=ClosedBecause.CLOSURE,
                    reason=closure.reason,
                    reason_lang=closure.reason_lang,
                    scheduled=scheduled,
                )
        holiday = self._holiday(day)
        if holiday and day not in self.open_on_holidays:
            return Day(day, closed=ClosedBecause.HOLIDAY, reason=holiday, scheduled=scheduled)
        intervals = [
            Interval(wall_clock(day, s.starts_at).astimezone(UTC), wall_clock(day, s.ends_at).astimezone(UTC), s.kind)
            for s in slots
        ]
        return Day(day, intervals=tuple(i for i in _merge(intervals) if i.end > i.start), scheduled=scheduled)

    def days(self, first: date, last: date) -> list[Day]:
        """Each day from `first` to `last`, both inclusive."""
        return [self.day(first + timedelta(days=n)) for n in range((last - first).days + 1)]

    def intervals(self, first: date, last: date, kind: str | None = DROP_IN) -> list[Interval]:
        """The intervals of `kind` (every kind if None) from `first` to `last` inclusive."""
        return [i for d in self.days(first, last) for i in d.intervals if kind is None or i.kind == kind]

    def minutes(self, first: date, last: date, kind: str = DROP_IN) -> int:
        return sum(i.minutes for i in self.intervals(first, last, kind))

    def open_or_next(self, now: datetime, *, kind: str = DROP_IN, horizon_days: int = 35) -> Interval | None:
        """The interval of `kind` open at `now`, else the next one within the horizon."""
        today = now.astimezone(COPENHAGEN).date()
        for interval in self.intervals(today, today + timedelta(days=horizon_days), kind):
            if interval.end > now:
                return interval
        return None


# --- Weeks ------------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def mondays(first: date, last: date) -> list[date]:
    """The Mondays of the ISO weeks that meet the period from `first` to `last` inclusive."""
    start, end = monday_of(first), monday_of(last)
    return [start + timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]


def whole_weeks(start: date, end: date) -> list[date]:
    """The Mondays of the ISO weeks lying wholly inside the half-open period [start, end)."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    found = []
    while monday + timedelta(days=7) <= end:
        found.append(monday)
        monday += timedelta(days=7)
    return found


def iso_year_mondays(year: int) -> list[date]:
    """The Mondays of ISO year `year`'s weeks (52 or 53 of them)."""
    first = date.fromisocalendar(year, 1, 1)
    last = date.fromisocalendar(year + 1, 1, 1) - timedelta(days=7)
    return mondays(first, last)


@dataclass(frozen=True)
class WeekHours:
    monday: date
    hours: Decimal
    minimum: Decimal

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def iso_year(self) -> int:
        return self.monday.isocalendar().year

    @property
    def week(self) -> int:
        return self.monday.isocalendar().week

    @property
    def below_minimum(self) -> bool:
        return self.hours < self.minimum

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(0), self.minimum - self.hours)


def hours_of(minutes: int) -> Decimal:
    """Minutes as hours, to the hundredth."""
    return _hours(minutes)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(HUNDREDTH, ROUND_HALF_UP)


def dropin_hours_by_week(
    calendar: Calendar, weeks: Iterable[date], *, minimum: Decimal = DROPIN_MINIMUM_HOURS
) -> list[WeekHours]:
    """Open drop-in hours in each ISO week starting on the given Mondays."""
    return [
        WeekHours(monday, _hours(calendar.minutes(monday, monday + timedelta(days=6), DROP_IN)), minimum)
        for monday in weeks
    ]


@dataclass(frozen=True)
class Allocation:
    hours_per_week: Decimal
    valid_from: date
    valid_to: date | None  # inclusive


def working_days_covered(allocation: Allocation, monday: date, closed: Collection[date] = frozenset()) -> int:
    """The working days (Monday–Friday) of the week the allocation covers, less `closed` days."""
    friday = monday + timedelta(days=4)
    first = max(monday, allocation.valid_from)
    last = friday if allocation.valid_to is None else min(friday, allocation.valid_to)
    days = (first + timedelta(days=n) for n in range(max(0, (last - first).days + 1)))
    return sum(1 for day in days if day not in closed)


def staff_hours_by_week(
    allocations: Iterable[Allocation],
    weeks: Iterable[date],
    *,
    minimum: Decimal = STAFF_MINIMUM_HOURS,
    closed: Collection[date] = frozenset(),
) -> list[WeekHours]:
    """Family-unit staff hours in each ISO week. An allocation that starts or ends inside a
    week counts in proportion to the working days (Monday–Friday) it covers; a day in
    `closed` (a public holiday or closure of the centre) takes its part of the hours away."""
    allocations = list(allocations)
    result = []
    for monday in weeks:
        total = sum(
            (a.hours_per_week * working_days_covered(a, monday, closed) / 5 for a in allocations),
            Decimal(0),
        )
        result.append(WeekHours(monday, Decimal(total).quantize(HUNDREDTH, ROUND_HALF_UP), minimum))
    return result


def below_minimum(weeks: Iterable[WeekHours]) -> list[WeekHours]:
    return [w for w in weeks if w.below_minimum]


# --- Checks on patterns -----------------------------------------------------------------------


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Whether two inclusive periods (None = open-ended) share a day."""
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def overlapping_pattern(existing: Collection[Pattern], valid_from: date, valid_to: date | None) -> Pattern | None:
    """The first of `existing` whose period shares a day with the given one, or None."""
    for pattern in sorted(existing, key=lambda p: p.valid_from):
        if periods_overlap(pattern.valid_from, pattern.valid_to, valid_from, valid_to):
            return pattern
    return None


def clashing_slots(slots: Iterable[WeeklySlot]) -> list[tuple[WeeklySlot, WeeklySlot]]:
    """Pairs of slots of the same kind on the same weekday that overlap in time."""
    by_key: dict[tuple[int, str], list[WeeklySlot]] = {}
    for slot in slots:
        by_key.setdefault((slot.weekday, slot.kind), []).append(slot)
    clashes = []
    for group in by_key.values():
        group.sort(key=lambda s: s.starts_at)
        for earlier, later in pairwise(group):
            if later.starts_at < earlier.ends_at:
                clashes.append((earlier, later))
    return clashes


def weekly_minutes(slots: Iterable[WeeklySlot], kind: str = DROP_IN) -> int:
    """Wall-clock minutes of `kind` in a plain week (no holidays, no clock change)."""
    minutes = 0
    for slot in slots:
        if slot.kind == kind:
            minutes += (slot.ends_at.hour * 60 + slot.ends_at.minute) - (
                slot.starts_at.hour * 60 + slot.starts_at.minute
            )
    return minutes
