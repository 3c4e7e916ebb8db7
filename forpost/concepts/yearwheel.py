"""The year wheel (årshjul): a centre's duties for a year, with their due months and status.

    wheel_for(centre, year, today=...)            -> YearWheel
    city_wheels(centres, year, today=...)         -> CityWheel  (duties × centres)

A duty falls due at the end of its month (a duty with several months — 4 cross-city
meetings — has one due date per month, and the yearly threshold is due in equal steps:
1 meeting by March, 2 by June, …). Each due date is

    fulfilled  when what was registered so far this year meets it (or it is attested);
    planned    before its month begins;
    due        during its month (for a duty that holds all year: during the year);
    overdue    after its due date, while not fulfilled.

Indicators are measured over the year so far, [1 January, today] — a planned activity in
the future fulfils nothing until it has taken place.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from forpost.core.metrics import for_ref

from .definitions import ConceptVersion, DataRef, DueKind, IndicatorMeasure, Requirement, Scope, Strength
from .evaluation import Evaluation, IndicatorCache, Outcome, evaluate
from .indicators import ceil_share
from .loader import concept_for_year


class Status(StrEnum):
    PLANNED = "planned"
    DUE = "due"
    OVERDUE = "overdue"
    FULFILLED = "fulfilled"
    # A "kan" (may) duty whose date passed without it: an option not taken, never overdue.
    NOT_USED = "not_used"

    @property
    def label(self) -> Promise:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, Promise] = {
    Status.PLANNED: _("planned"),
    Status.DUE: _("due"),
    Status.OVERDUE: _("overdue"),
    Status.FULFILLED: _("fulfilled"),
    Status.NOT_USED: _("not used"),
}
# Worst first: a month shows the worst status among its duties.
SEVERITY = (Status.OVERDUE, Status.DUE, Status.PLANNED, Status.NOT_USED, Status.FULFILLED)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Occurrence:
    month: int
    due_on: date
    status: Status
    target: float | None  # the part of the threshold due by this date (indicators)

    @property
    def month_label(self) -> str:
        return str(MONTHS[self.month])


@dataclass(frozen=True)
class Duty:
    """One requirement on one centre's wheel for one year."""

    requirement: Requirement
    evaluation: Evaluation
    occurrences: tuple[Occurrence, ...]

    @property
    def status(self) -> Status:
        """The status that matters now: the earliest unfulfilled due date's, else fulfilled."""
        for occurrence in self.occurrences:
            if occurrence.status != Status.FULFILLED:
                return occurrence.status
        return Status.FULFILLED

    @property
    def next_occurrence(self) -> Occurrence | None:
        return next((o for o in self.occurrences if o.status != Status.FULFILLED), None)

    @property
    def no_data(self) -> bool:
        return self.evaluation.outcome == Outcome.NO_DATA

    @property
    def is_attested(self) -> bool:
        return self.requirement.is_attested

    @property
    def metric(self) -> str:
        """The catalogue key of the number shown (forpost.core.metrics), "" for an attestation."""
        measure = self.requirement.measure
        found = for_ref(measure.name, measure.params) if isinstance(measure, IndicatorMeasure) else None
        return found.key if found is not None else ""


@dataclass(frozen=True)
class YearWheel:
    centre: Any
    year: int
    today: date
    version: ConceptVersion | None
    duties: tuple[Duty, ...]

    def months(self) -> list[tuple[int, str, list[tuple[Duty, Occurrence]]]]:
        """Each month with the due dates falling in it (continuous duties sit in December)."""
        return [
            (
                m,
                str(MONTHS[m]),
                [(d, o) for d in self.duties for o in d.occurrences if o.month == m],
            )
            for m in range(1, 13)
        ]

    def month_status(self, month: int) -> Status | None:
        statuses = {o.status for d in self.duties for o in d.occurrences if o.month == month}
        return next((s for s in SEVERITY if s in statuses), None)

    def counts(self) -> dict[Status, int]:
        found = dict.fromkeys(Status, 0)
        for duty in self.duties:
            found[duty.status] += 1
        return found

    def overdue(self) -> list[Duty]:
        return [d for d in self.duties if d.status == Status.OVERDUE]

    def upcoming(self, limit: int = 3) -> list[tuple[Duty, Occurrence]]:
        """The next due dates that are not fulfilled, soonest first (overdue ones left out)."""
        pending = [
            (d, o)
            for d in self.duties
            for o in d.occurrences
            if o.status in (Status.PLANNED, Status.DUE) and o.due_on >= self.today
        ]
        return sorted(pending, key=lambda pair: (pair[1].due_on, pair[0].requirement.id))[:limit]

    def due_within(self, days: int) -> list[tuple[Duty, Occurrence]]:
        """Due dates from today to `days` ahead that are not fulfilled (only dated duties)."""
        return due_within(self.duties, today=self.today, days=days)


def due_within(duties: Iterable[Duty], *, today: date, days: int) -> list[tuple[Duty, Occurrence]]:
    """The due dates of `duties` from today to `days` ahead that are not fulfilled (only dated duties)."""
    horizon = today + timedelta(days=days)
    return [
        (d, o)
        for d in duties
        if d.requirement.due.kind == DueKind.MONTHS
        for o in d.occurrences
        if o.status in (Status.PLANNED, Status.DUE) and today <= o.due_on <= horizon
    ]


def measured_period(year: int, today: date) -> tuple[date, date]:
    """The year so far, half-open: [1 January, the day after today], capped at the year."""
    start = date(year, 1, 1)
    return start, min(date(year + 1, 1, 1), max(start, today + timedelta(days=1)))


def _status(fulfilled: bool, window_start: date, due_on: date, today: date, *, optional: bool = False) -> Status:
    if fulfilled:
        return Status.FULFILLED
    if today < window_start:
        return Status.PLANNED
    if today <= due_on:
        return Status.DUE
    return Status.NOT_USED if optional else Status.OVERDUE


def duty_for(
    requirement: Requirement,
    *,
    centre_ids: Iterable[int],
    year: int,
    today: date,
    attestation: Any = None,
    cache: IndicatorCache | None = None,
) -> Duty:
    start, end = measured_period(year, today)
    cache = cache or IndicatorCache()
    evaluation = evaluate(
        requirement, centre_ids=centre_ids, start=start, end=end, attestation=attestation, cache=cache
    )
    due = requirement.due
    measure = requirement.measure
    months = due.deadline_months
    occurrences = []
    for k, month in enumerate(months, start=1):
        due_on = month_end(year, month)
        window_start = date(year, 1, 1) if due.kind != DueKind.MONTHS else date(year, month, 1)
        target = None
        fulfilled = evaluation.fulfilled
        if isinstance(measure, IndicatorMeasure):
            target = measure.threshold
            if measure.comparison == ">=" and len(months) > 1:
                target = ceil_share(measure.threshold, k, len(months))
            value = evaluation.value.value if evaluation.value is not None else None
            fulfilled = value is not None and measure.met(value, target)
        optional = requirement.strength == Strength.MAY
        status = _status(fulfilled, window_start, due_on, today, optional=optional)
        occurrences.append(Occurrence(month, due_on, status, target))
    return Duty(requirement, evaluation, tuple(occurrences))


def _attestations(centre_ids: Sequence[int], year: int) -> dict[tuple[int, str], Any]:
    from .models import Attestation

    return {
        (a.centre_id, a.requirement_id): a
        for a in Attestation.objects.filter(centre_id__in=centre_ids, year=year).select_related("attested_by")
    }


def centre_requirements(version: ConceptVersion | None) -> list[Requirement]:
    return [r for r in version.requirements if r.scope == Scope.CENTRE] if version else []


def city_requirements(version: ConceptVersion | None) -> list[Requirement]:
    return [r for r in version.requirements if r.scope == Scope.CITY] if version else []


def wheel_for(centre: Any, year: int, *, today: date, cache: IndicatorCache | None = None) -> YearWheel:
    version = concept_for_year(year)
    cache = cache or IndicatorCache()
    attested = _attestations([centre.pk], year)
    duties = tuple(
        duty_for(
            req,
            centre_ids=[centre.pk],
            year=year,
            today=today,
            attestation=attested.get((centre.pk, req.id)),
            cache=cache,
        )
        for req in centre_requirements(version)
    )
    return YearWheel(centre=centre, year=year, today=today, version=version, duties=duties)


@dataclass(frozen=True)
class CityWheel:
    """Every centre's wheel side by side, and the duties held once for the whole city."""

    year: int
    today: date
    version: ConceptVersion | None
    wheels: tuple[YearWheel, ...]
    city_duties: tuple[Duty, ...]

    def rows(self) -> list[tuple[Requirement, list[Duty]]]:
        """Each centre duty with its Duty at every centre, in the wheels' order."""
        return [(req, [w.duties[i] for w in self.wheels]) for i, req in enumerate(centre_requirements(self.version))]


def city_wheels(centres: Sequence[Any], year: int, *, today: date) -> CityWheel:
    version = concept_for_year(year)
    cache = IndicatorCache(evidence=False)
    attested = _attestations([c.pk for c in centres], year)
    # Every centre's values at once: a constant number of queries however many centres.
    # The grid shows each centre's status, not its evidence, which the batch leaves out.
    start, end = measured_period(year, today)
    for req in centre_requirements(version):
        refs: list[IndicatorMeasure | DataRef] = (
            [req.measure] if isinstance(req.measure, IndicatorMeasure) else list(req.measure.data)
        )
        for ref in refs:  # an attested duty's data is shown beside the statement
            cache.prime(ref.name, ref.params, centre_ids=[c.pk for c in centres], start=start, end=end)
    wheels = []
    for centre in centres:
        duties = tuple(
            duty_for(
                req,
                centre_ids=[centre.pk],
                year=year,
                today=today,
                attestation=attested.get((centre.pk, req.id)),
                cache=cache,
            )
            for req in centre_requirements(version)
        )
        wheels.append(YearWheel(centre=centre, year=year, today=today, version=version, duties=duties))
    ids = [c.pk for c in centres]
    city = (
        tuple(duty_for(req, centre_ids=ids, year=year, today=today, cache=cache) for req in city_requirements(version))
        if ids
        else ()
    )
    return CityWheel(year=year, today=today, version=version, wheels=tuple(wheels), city_duties=city)
