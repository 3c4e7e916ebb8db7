"""Each centre's hours week by week over a calendar year, computed once and stored.

The annual status measures every centre against the concept's weekly minimums (6 drop-in
hours, 6 hours of family-unit staff). Working a year of a centre's calendar out day by day
costs some milliseconds, which a city of a thousand centres cannot pay on every page. So
the weeks are stored (`WeeklyHours`, one row per centre and week, in hundredths of an hour)
with a digest of everything the arithmetic read (`WeeklyHoursYear`: the patterns and slots,
closures, holiday overrides, staff allocations, the `holidays` package's version and this
module's own version).

`ensure()` reads those inputs as plain tuples in a few queries and recomputes only the
centres whose digest no longer matches: nothing has to remember to invalidate anything,
and no state is kept in a process. `summaries()` then asks the database for each centre's
weakest week and the weeks meeting a minimum, and `weeks()` gives one centre's weeks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

import holidays as holidays_package
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from . import hours, queries
from .models import (
    Closure,
    HolidayOverride,
    OpeningHoursPattern,
    OpeningSlot,
    StaffAllocation,
    WeeklyHours,
    WeeklyHoursYear,
)

# Raise when the arithmetic below changes, so every stored year is recomputed.
# 4: only a drop-in slot's day makes a week unordinary; holidays and closures take staff hours.
VERSION = 4


@dataclass(frozen=True)
class Week:
    monday: date
    dropin: Decimal  # open drop-in hours
    ordinary: bool  # no public holiday or closure took away a scheduled drop-in slot
    staff: Decimal  # hours of staff from the family unit
    covered: bool  # an opening-hours pattern covers a day of the week
    staff_ordinary: bool = True  # no public holiday or closure took away allocated staff hours


@dataclass(frozen=True)
class Tally:
    """One kind of hours (drop-in or staff) over a centre's weeks, as the indicators judge it."""

    meeting: int  # weeks with at least the minimum
    firm_min: Decimal | None  # the weakest week that no holiday or closure can excuse
    # Weeks below the minimum in which a holiday or closure took hours away, in order:
    # the concept file says how many of them a year are excused.
    excusable: tuple[tuple[date, Decimal], ...]


@dataclass(frozen=True)
class Summary:
    """One centre's weeks from the first of the year up to a day: what the indicators need."""

    weeks: int  # whole weeks in the period
    covered: int  # of them, weeks a pattern covers
    dropin: Tally
    staff: Tally


def year_mondays(year: int) -> list[date]:
    """The Mondays of the ISO weeks lying wholly inside the calendar year."""
    return hours.whole_weeks(date(year, 1, 1), date(year + 1, 1, 1))


def _centi(value: Decimal) -> int:
    return int(value * 100)


def _of(ids: list[int], path: str = "centre_id") -> Q:
    """Rows of these centres; no condition when they are every centre there is (a thousand
    ids in a query cost more than they filter)."""
    from .models import Centre

    return Q() if len(ids) == Centre.objects.count() else Q(**{f"{path}__in": ids})


def _inputs(ids: list[int], first: date, last: date) -> dict[int, list[Any]]:
    """Everything the arithmetic reads for each centre, as plain tuples in a fixed order."""
    found: dict[int, list[Any]] = {pk: [[], [], [], [], []] for pk in ids}
    mine = _of(ids)
    patterns = OpeningHoursPattern.objects.filter(mine).overlapping_period(first, last)
    for pattern in patterns.values_list("centre_id", "id", "valid_from", "valid_to").order_by(
        "centre_id", "valid_from"
    ):
        found[pattern[0]][0].append(pattern[1:])
    for slot in (
        OpeningSlot.objects.filter(pattern__in=patterns)
        .values_list("pattern__centre_id", "pattern_id", "weekday", "starts_at", "ends_at", "kind")
        .order_by("pattern_id", "weekday", "starts_at", "id")
    ):
        found[slot[0]][1].append(slot[1:])
    for closure in (
        Closure.objects.filter(mine)
        .overlapping_period(first, last)
        .values_list("centre_id", "starts_on", "ends_on")
        .order_by("centre_id", "starts_on", "id")
    ):
        found[closure[0]][2].append(closure[1:])
    for override in (
        HolidayOverride.objects.filter(mine, date__gte=first, date__lte=last, open_anyway=True)
        .values_list("centre_id", "date")
        .order_by("centre_id", "date")
    ):
        found[override[0]][3].append(override[1])
    for allocation in (
        StaffAllocation.objects.filter(mine)
        .overlapping_period(first, last)
        .values_list("centre_id", "hours_per_week", "valid_from", "valid_to")
        .order_by("centre_id", "valid_from", "id")
    ):
        found[allocation[0]][4].append(allocation[1:])
    return found


def _digest(year: int, inputs: list[Any]) -> str:
    return hashlib.sha256(repr((VERSION, holidays_package.__version__, year, inputs)).encode()).hexdigest()


def _dropin_scheduled(calendar: hours.Calendar, day: date) -> bool:
    """The opening hours have a drop-in slot on `day` (a phone or appointment slot is not one)."""
    pattern = calendar.pattern_on(day)
    return pattern is not None and any(s.weekday == day.weekday() and s.kind == hours.DROP_IN for s in pattern.slots)


def compute_weeks(calendar: hours.Calendar, allocations: list[hours.Allocation], mondays: list[date]) -> list[Week]:
    """The centre's hours in each week starting on `mondays`: the one arithmetic behind the
    stored weeks and any other period the indicators measure.

    A week is not ordinary for drop-in only when a public holiday or closure falls on a day
    with a drop-in slot, and not ordinary for staff only when it falls on a working day an
    allocation covers: a closed day with only phone hours takes no drop-in hour away."""
    result = []
    for monday in mondays:
        days = calendar.days(monday, monday + timedelta(days=6))
        closed = frozenset(d.date for d in days if d.closed)
        (staff,) = hours.staff_hours_by_week(allocations, [monday], closed=closed)
        (full,) = hours.staff_hours_by_week(allocations, [monday])
        result.append(
            Week(
                monday=monday,
                dropin=hours.hours_of(sum(d.minutes(hours.DROP_IN) for d in days)),
                ordinary=not any(d.closed and _dropin_scheduled(calendar, d.date) for d in days),
                staff=staff.hours,
                covered=any(calendar.pattern_on(d.date) is not None for d in days),
                staff_ordinary=staff.hours == full.hours,
            )
        )
    return result


def _compute(pk: int, year: int, calendar: hours.Calendar, allocations: list[hours.Allocation]) -> list[WeeklyHours]:
    return [
        WeeklyHours(
            centre_id=pk,
            year=year,
            monday=week.monday,
            dropin=_centi(week.dropin),
            ordinary=week.ordinary,
            staff=_centi(week.staff),
            covered=week.covered,
            staff_ordinary=week.staff_ordinary,
        )
        for week in compute_weeks(calendar, allocations, year_mondays(year))
    ]


def ensure(centre_ids: Iterable[int], year: int) -> None:
    """Make the stored weeks of `year` match the centres' hours now (recomputing what changed)."""
    ids = sorted(set(centre_ids))
    mondays = year_mondays(year)
    if not ids or not mondays:
        return
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    inputs = _inputs(ids, first, last)
    digests = {pk: _digest(year, inputs[pk]) for pk in ids}
    stored = dict(WeeklyHoursYear.objects.filter(_of(ids), year=year).values_list("centre_id", "digest"))
    stale = [pk for pk in ids if stored.get(pk) != digests[pk]]
    if not stale:
        return
    calendars = queries.calendars_for(stale, first, last)
    allocations = queries.allocations_for(stale, first, last)
    for pk in stale:
        try:
            with transaction.atomic():
                WeeklyHours.objects.filter(centre_id=pk, year=year).delete()
                WeeklyHours.objects.bulk_create(_compute(pk, year, calendars[pk], allocations[pk]))
                WeeklyHoursYear.objects.update_or_create(
                    centre_id=pk, year=year, defaults={"digest": digests[pk], "computed_at": timezone.now()}
                )
        except IntegrityError:
            # Another process stored the same year meanwhile: its weeks are the same as ours.
            pass


def _threshold(minimum: float) -> int:
    """A minimum in hours as hundredths, rounded up (a week meets 6 hours from 600)."""
    return int((Decimal(str(minimum)) * 100).to_integral_value(ROUND_CEILING))


def summaries(
    centre_ids: Iterable[int],
    year: int,
    *,
    end: date,
    dropin_minimum: float,
    staff_minimum: float,
    ensured: bool = False,
) -> dict[int, Summary]:
    """Each centre's weeks of `year` lying wholly before `end`, summed up by the database
    (`ensured`: the caller has just called ensure() for these centres and year).

    Two queries: the counts and the weakest firm week per centre, and the few weeks below a
    minimum that a holiday or closure made short (which of them are excused is the
    concept's reading, so the caller decides)."""
    ids = sorted(set(centre_ids))
    if not ensured:
        ensure(ids, year)
    dropin_short = Q(dropin__lt=_threshold(dropin_minimum))
    staff_short = Q(staff__lt=_threshold(staff_minimum))
    dropin_excusable = Q(ordinary=False) & dropin_short
    staff_excusable = Q(staff_ordinary=False) & staff_short
    weeks = WeeklyHours.objects.filter(_of(ids), year=year, monday__lte=end - timedelta(days=7))
    rows = (
        weeks.values("centre_id")
        .annotate(
            n_weeks=Count("pk"),
            n_covered=Count("pk", filter=Q(covered=True)),
            n_dropin_meeting=Count("pk", filter=~dropin_short),
            n_dropin_min=Min("dropin", filter=~dropin_excusable),
            n_staff_meeting=Count("pk", filter=~staff_short),
            n_staff_min=Min("staff", filter=~staff_excusable),
        )
        .order_by()
    )
    excusable: dict[int, dict[str, list[tuple[date, Decimal]]]] = {pk: {"dropin": [], "staff": []} for pk in ids}
    for pk, monday, dropin, staff, ordinary, staff_ordinary in (
        weeks.filter(dropin_excusable | staff_excusable)
        .values_list("centre_id", "monday", "dropin", "staff", "ordinary", "staff_ordinary")
        .order_by("centre_id", "monday")
    ):
        if not ordinary and dropin < _threshold(dropin_minimum):
            excusable[pk]["dropin"].append((monday, Decimal(dropin) / 100))
        if not staff_ordinary and staff < _threshold(staff_minimum):
            excusable[pk]["staff"].append((monday, Decimal(staff) / 100))
    found = {}
    for row in rows:
        pk = row["centre_id"]
        found[pk] = Summary(
            weeks=row["n_weeks"],
            covered=row["n_covered"],
            dropin=Tally(row["n_dropin_meeting"], _hours(row["n_dropin_min"]), tuple(excusable[pk]["dropin"])),
            staff=Tally(row["n_staff_meeting"], _hours(row["n_staff_min"]), tuple(excusable[pk]["staff"])),
        )
    empty = Summary(0, 0, Tally(0, None, ()), Tally(0, None, ()))
    return {pk: found.get(pk, empty) for pk in ids}


def tally(weeks: list[Week], kind: str, *, minimum: float) -> Tally:
    """The Tally of drop-in ("dropin") or staff ("staff") hours of weeks in hand: what
    summaries() asks the database for, worked out in Python for one centre."""
    threshold = Decimal(_threshold(minimum)) / 100
    hours_of = [(w.monday, w.dropin if kind == "dropin" else w.staff) for w in weeks]
    excusable_weeks = {w.monday for w in weeks if not (w.ordinary if kind == "dropin" else w.staff_ordinary)}
    short = [(monday, h) for monday, h in hours_of if h < threshold]
    firm = [h for monday, h in hours_of if not (monday in excusable_weeks and h < threshold)]
    return Tally(
        meeting=len(hours_of) - len(short),
        firm_min=min(firm) if firm else None,
        excusable=tuple((monday, h) for monday, h in short if monday in excusable_weeks),
    )


def _hours(centi: int | None) -> Decimal | None:
    return None if centi is None else Decimal(centi) / 100


def weeks(centre_id: int, year: int, *, end: date) -> list[Week]:
    """One centre's weeks of `year` lying wholly before `end`, in order."""
    ensure([centre_id], year)
    return [
        Week(
            row.monday,
            Decimal(row.dropin) / 100,
            row.ordinary,
            Decimal(row.staff) / 100,
            row.covered,
            row.staff_ordinary,
        )
        for row in WeeklyHours.objects.filter(
            centre_id=centre_id, year=year, monday__lte=end - timedelta(days=7)
        ).order_by("monday")
    ]


def refresh(years: Iterable[int], centre_ids: Iterable[int] | None = None) -> int:
    """Bring the stored weeks up to date (after a bulk load); returns the centre-years checked."""
    from .models import Centre

    ids = list(centre_ids) if centre_ids is not None else list(Centre.objects.values_list("pk", flat=True))
    n = 0
    for year in years:
        for start in range(0, len(ids), 500):
            ensure(ids[start : start + 500], year)
        n += len(ids)
    return n
