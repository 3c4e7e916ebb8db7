"""Reads of a centre's hours, staffing and budget, as the pure shapes of `hours.py`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

from django.db.models import Prefetch

from forpost.core.periods import CentreScope
from forpost.core.translated import translated

from . import hours
from .models import (
    Budget,
    Centre,
    Closure,
    HolidayOverride,
    OpeningHoursPattern,
    OpeningSlot,
    PostcodeArea,
    StaffAllocation,
)

# How far ahead the coordinator's dashboard looks, in ISO weeks (this week included).
UPCOMING_WEEKS = 8


def _pattern(p: OpeningHoursPattern) -> hours.Pattern:
    return hours.Pattern(
        p.valid_from,
        p.valid_to,
        tuple(hours.WeeklySlot(s.weekday, s.starts_at, s.ends_at, s.kind) for s in p.slots.all()),
    )


def _ids(centres: Iterable[Centre | int]) -> list[int]:
    return [c if isinstance(c, int) else c.pk for c in centres]


def calendars_for(centres: Iterable[Centre | int], first: date, last: date) -> dict[int, hours.Calendar]:
    """Each centre's calendar for the days from `first` to `last` (inclusive), in three queries."""
    ids = _ids(centres)
    patterns: dict[int, list[hours.Pattern]] = defaultdict(list)
    closures: dict[int, list[hours.ClosedSpan]] = defaultdict(list)
    open_days: dict[int, set[date]] = defaultdict(set)
    slots = Prefetch("slots", queryset=OpeningSlot.objects.order_by("weekday", "starts_at"))
    for p in (
        OpeningHoursPattern.objects.filter(centre_id__in=ids)
        .overlapping_period(first, last)
        .prefetch_related(slots)
        .order_by("valid_from")
    ):
        patterns[p.centre_id].append(_pattern(p))
    for c in Closure.objects.filter(centre_id__in=ids).overlapping_period(first, last).order_by("starts_on"):
        reason = translated(c, "reason")
        closures[c.centre_id].append(hours.ClosedSpan(c.starts_on, c.ends_on, reason.text, reason.language))
    for o in HolidayOverride.objects.filter(centre_id__in=ids, date__gte=first, date__lte=last, open_anyway=True):
        open_days[o.centre_id].add(o.date)
    return {pk: hours.Calendar(tuple(patterns[pk]), tuple(closures[pk]), frozenset(open_days[pk])) for pk in ids}


def calendar_for(centre: Centre, first: date, last: date) -> hours.Calendar:
    return calendars_for([centre], first, last)[centre.pk]


def allocations_for(centres: Iterable[Centre | int], first: date, last: date) -> dict[int, list[hours.Allocation]]:
    found: dict[int, list[hours.Allocation]] = defaultdict(list)
    ids = _ids(centres)
    for a in StaffAllocation.objects.filter(centre_id__in=ids).overlapping_period(first, last):
        found[a.centre_id].append(hours.Allocation(a.hours_per_week, a.valid_from, a.valid_to))
    return {pk: found[pk] for pk in ids}


def dropin_weeks(centre: Centre, mondays: Sequence[date]) -> list[hours.WeekHours]:
    if not mondays:
        return []
    calendar = calendar_for(centre, mondays[0], mondays[-1] + timedelta(days=6))
    return hours.dropin_hours_by_week(calendar, mondays)


def staff_weeks(centre: Centre, mondays: Sequence[date]) -> list[hours.WeekHours]:
    if not mondays:
        return []
    allocations = allocations_for([centre], mondays[0], mondays[-1] + timedelta(days=6))[centre.pk]
    return hours.staff_hours_by_week(allocations, mondays)


def upcoming_mondays(today: date, weeks: int = UPCOMING_WEEKS) -> list[date]:
    start = hours.monday_of(today)
    return [start + timedelta(weeks=n) for n in range(weeks)]


def year_so_far_mondays(today: date) -> list[date]:
    """The ISO weeks of this ISO year that have ended before this week."""
    year = today.isocalendar().year
    this_week = hours.monday_of(today)
    return [m for m in hours.iso_year_mondays(year) if m < this_week]


@dataclass(frozen=True)
class ConceptCheck:
    """How a centre stands against the concept's weekly minimums and its budget duty."""

    centre: Centre
    dropin_upcoming: list[hours.WeekHours]
    dropin_so_far: list[hours.WeekHours]
    staff_upcoming: list[hours.WeekHours]
    staff_so_far: list[hours.WeekHours]
    budget: Budget | None

    dropin_minimum: ClassVar[Decimal] = hours.DROPIN_MINIMUM_HOURS
    staff_minimum: ClassVar[Decimal] = hours.STAFF_MINIMUM_HOURS

    @property
    def dropin_flags(self) -> list[hours.WeekHours]:
        return hours.below_minimum(self.dropin_so_far + self.dropin_upcoming)

    @property
    def staff_flags(self) -> list[hours.WeekHours]:
        return hours.below_minimum(self.staff_so_far + self.staff_upcoming)

    @property
    def budget_confirmed(self) -> bool:
        return self.budget is not None and self.budget.is_confirmed

    @property
    def all_well(self) -> bool:
        return not self.dropin_flags and not self.staff_flags and self.budget_confirmed


def concept_checks(centres: Sequence[Centre], today: date) -> list[ConceptCheck]:
    """The checks for each centre: the year so far and the next UPCOMING_WEEKS weeks."""
    so_far = year_so_far_mondays(today)
    upcoming = upcoming_mondays(today)
    first = (so_far or upcoming)[0]
    last = upcoming[-1] + timedelta(days=6)
    calendars = calendars_for(centres, first, last)
    allocations = allocations_for(centres, first, last)
    budgets = {b.centre_id: b for b in Budget.objects.filter(centre__in=list(centres), year=today.year)}
    checks = []
    for centre in centres:
        calendar, staff = calendars[centre.pk], allocations[centre.pk]
        checks.append(
            ConceptCheck(
                centre=centre,
                dropin_upcoming=hours.dropin_hours_by_week(calendar, upcoming),
                dropin_so_far=hours.dropin_hours_by_week(calendar, so_far),
                staff_upcoming=hours.staff_hours_by_week(staff, upcoming),
                staff_so_far=hours.staff_hours_by_week(staff, so_far),
                budget=budgets.get(centre.pk),
            )
        )
    return checks


@dataclass(frozen=True)
class PostcodeMatch:
    postcode: int
    town: str
    district_ids: frozenset[int]


def postcode_match(postcode: int) -> PostcodeMatch | None:
    """The districts a postcode lies in, or None for a postcode no area holds. Where rows
    overlap (a single postcode carved out of a run), the narrowest names the town."""
    areas = list(PostcodeArea.objects.containing(postcode).prefetch_related("districts"))
    if not areas:
        return None
    narrowest = min(areas, key=lambda a: (a.last - a.first, a.first))
    return PostcodeMatch(postcode, narrowest.name, frozenset(d.pk for a in areas for d in a.districts.all()))


def centre_scope(centre_ids: Iterable[int]) -> CentreScope:
    """The centres as a CentreScope, noting when they are every centre there is (queries then
    leave out the condition)."""
    ids = frozenset(centre_ids)
    return CentreScope(ids, every=len(ids) > 1 and len(ids) == Centre.objects.count())
