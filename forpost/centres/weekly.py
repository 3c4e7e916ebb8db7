"""Each centre's hours week by week over a calendar year, computed once and stored.

The annual status measures every centre against the concept's weekly minimums (6 drop-in
hours, 6 hours of family-unit staff). Working a year of a centre's calendar out day by day
costs some milliseconds, which a city of a thousand centres cannot pay on every page. So
`year_weeks()` stores each centre's year in `WeeklyHours` with a digest of everything the
arithmetic read (the patterns and slots, closures, holiday overrides, staff allocations, the
`holidays` package's version and this module's own version). A read loads those inputs in a
few queries, and recomputes only the centres whose digest no longer matches; nothing has to
remember to invalidate anything, and no state is kept in a process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import holidays as holidays_package
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import hours, queries
from .models import WeeklyHours

# Raise when the arithmetic below changes, so every stored year is recomputed.
VERSION = 2


@dataclass(frozen=True)
class Week:
    monday: date
    dropin: Decimal  # open drop-in hours
    ordinary: bool  # no public holiday or closure took away a scheduled drop-in day
    staff: Decimal  # hours of staff from the family unit
    covered: bool  # an opening-hours pattern covers a day of the week


@dataclass(frozen=True)
class YearWeeks:
    centre_id: int
    year: int
    weeks: tuple[Week, ...]


def year_mondays(year: int) -> list[date]:
    """The Mondays of the ISO weeks lying wholly inside the calendar year."""
    return hours.whole_weeks(date(year, 1, 1), date(year + 1, 1, 1))


def _compute(calendar: hours.Calendar, allocations: list[hours.Allocation], mondays: list[date]) -> list[list[Any]]:
    staff = hours.staff_hours_by_week(allocations, mondays)
    rows = []
    for monday, staff_week in zip(mondays, staff, strict=True):
        days = calendar.days(monday, monday + timedelta(days=6))
        minutes = sum(d.minutes(hours.DROP_IN) for d in days)
        ordinary = not any(d.closed and d.scheduled for d in days)
        covered = any(calendar.pattern_on(d.date) is not None for d in days)
        rows.append([monday.isoformat(), minutes, int(ordinary), str(staff_week.hours), int(covered)])
    return rows


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr((VERSION, holidays_package.__version__, *parts)).encode()).hexdigest()


def year_weeks(centre_ids: Iterable[int], year: int) -> dict[int, YearWeeks]:
    """Every centre's weeks of `year`, recomputing (and storing) only what changed."""
    ids = sorted(set(centre_ids))
    mondays = year_mondays(year)
    if not ids or not mondays:
        return {pk: YearWeeks(pk, year, ()) for pk in ids}
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    calendars = queries.calendars_for(ids, first, last)
    allocations = queries.allocations_for(ids, first, last)
    digests = {
        pk: _digest(
            year,
            calendars[pk].patterns,
            calendars[pk].closures,
            sorted(calendars[pk].open_on_holidays),  # sorted: a set's order varies between processes
            allocations[pk],
        )
        for pk in ids
    }
    stored: dict[int, dict[str, Any]] = {
        row["centre_id"]: dict(row)
        for row in WeeklyHours.objects.filter(centre_id__in=ids, year=year).values("centre_id", "digest", "weeks")
    }
    for pk in ids:
        row = stored.get(pk)
        if row is not None and row["digest"] == digests[pk]:
            continue
        fresh: dict[str, Any] = {
            "digest": digests[pk],
            "weeks": _compute(calendars[pk], allocations[pk], mondays),
            "computed_at": timezone.now(),
        }
        try:
            with transaction.atomic():
                WeeklyHours.objects.update_or_create(centre_id=pk, year=year, defaults=fresh)
        except IntegrityError:
            # Another process stored the same year meanwhile: its weeks are the same as ours.
            pass
        stored[pk] = {"centre_id": pk, **fresh}
    return {pk: _parse(pk, year, stored[pk]) for pk in ids}


def _parse(pk: int, year: int, row: dict[str, Any]) -> YearWeeks:
    return YearWeeks(
        centre_id=pk,
        year=year,
        weeks=tuple(
            Week(date.fromisoformat(monday), hours.hours_of(minutes), bool(ordinary), Decimal(staff), bool(covered))
            for monday, minutes, ordinary, staff, covered in row["weeks"]
        ),
    )


def refresh(years: Iterable[int], centre_ids: Iterable[int] | None = None) -> int:
    """Bring the stored weeks up to date (after a bulk load); returns the centre-years read."""
    from .models import Centre

    ids = list(centre_ids) if centre_ids is not None else list(Centre.objects.values_list("pk", flat=True))
    n = 0
    for year in years:
        n += len(year_weeks(ids, year))
    return n
