"""Indicators of the centres app: the weekly minimums (drop-in hours, family-unit staff) and
the budget."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from pydantic import Field

from .base import MAX_EVIDENCE, Ctx, Evidence, IndicatorValue, Params, PerCentre, Unit, indicator, number


class WeeklyParams(Params):
    """A weekly minimum (drop-in or family-unit staff hours), as the concept file reads it:
    the file must say how many excused weeks a year its reading allows."""

    minimum: float = Field(6, gt=0, description="Hours a week must have to meet the minimum.")
    excused_weeks: int = Field(
        ge=0,
        le=53,
        description="Weeks a year that a public holiday or announced closure taking hours away may excuse; "
        "later such weeks count as weeks below the minimum.",
    )


# The weeks as they were, none excused: the status's resources table shows them so.
AS_RECORDED = {"excused_weeks": 0}


def judge_weeks(ctx: Ctx, *, weeks: int, tally: Any) -> IndicatorValue:
    """A weekly-hours value from a centre's `weeks` and their Tally (forpost.centres.weekly),
    judged as the concept file reads the weekly minimum: the first `excused_weeks` weeks of
    the period that a public holiday or an announced closure made short are excused; any
    later ones count as weeks below the minimum. The value is the weakest counted week; the
    parts are the weeks at the minimum of the weeks counted."""
    p: WeeklyParams = ctx.params
    allowed = p.excused_weeks
    excused, beyond = tally.excusable[:allowed], tally.excusable[allowed:]
    lows = [float(h) for _monday, h in beyond]
    if tally.firm_min is not None:
        lows.append(float(tally.firm_min))
    n = weeks - len(excused)
    if not n or not lows:
        return IndicatorValue.no_data(_("No whole week to measure yet."), unit=Unit.HOURS_PER_WEEK)
    detail = str(_("%(meeting)s of %(weeks)s weeks had at least %(minimum)s hours.")) % {
        "meeting": tally.meeting,
        "weeks": n,
        "minimum": number(p.minimum),
    }
    if excused:
        detail += " " + ngettext(
            "%(excused)s week cut short by a public holiday or closure was excused (at most %(allowed)s a year).",
            "%(excused)s weeks cut short by public holidays or closures were excused (at most %(allowed)s a year).",
            len(excused),
        ) % {"excused": len(excused), "allowed": allowed}
    if beyond:
        detail += " " + ngettext(
            "%(beyond)s more week cut short by a holiday or closure counts as a week below the minimum.",
            "%(beyond)s more weeks cut short by holidays or closures count as weeks below the minimum.",
            len(beyond),
        ) % {"beyond": len(beyond)}
    return IndicatorValue(value=min(lows), unit=Unit.HOURS_PER_WEEK, parts=(tally.meeting, n), detail=detail)


def _no_opening_hours(weeks: int) -> IndicatorValue:
    return IndicatorValue(
        value=0.0,
        unit=Unit.HOURS_PER_WEEK,
        parts=(0, weeks),
        detail=str(_("No opening hours are recorded for the period.")),
    )


def _summaries(ctx: Ctx) -> dict[int, Any]:
    """Each centre's weeks summed up (forpost.centres.weekly.Summary), shared by drop-in and
    staff on one page. From 1 January on, the stored weeks answer with two queries; any other
    period is worked out from the centres' calendars and allocations, read in a few queries
    for every centre at once."""
    from forpost.centres import hours, queries, weekly

    minimum = ctx.params.minimum
    key = ("weekly_summaries", ctx.scope, ctx.period, minimum)
    if key in ctx.memo:
        found: dict[int, Any] = ctx.memo[key]
        return found
    year = ctx.period.first_year_so_far
    ids = sorted(ctx.scope.ids)
    if year is not None:
        checked = ("weekly_hours_ensured", ctx.scope, year)
        if checked not in ctx.memo:
            weekly.ensure(ids, year)
            ctx.memo[checked] = True
        found = weekly.summaries(
            ids, year, end=ctx.period.end, dropin_minimum=minimum, staff_minimum=minimum, ensured=True
        )
    else:
        mondays = hours.whole_weeks(ctx.period.start, ctx.period.end)
        empty = weekly.Summary(0, 0, weekly.Tally(0, None, ()), weekly.Tally(0, None, ()))
        found = dict.fromkeys(ids, empty)
        if mondays:
            first, last = mondays[0], mondays[-1] + timedelta(days=6)
            calendars = queries.calendars_for(ids, first, last)
            allocations = queries.allocations_for(ids, first, last)
            for pk in ids:
                weeks = weekly.compute_weeks(calendars[pk], allocations[pk], mondays)
                found[pk] = weekly.Summary(
                    weeks=len(weeks),
                    covered=sum(1 for w in weeks if w.covered),
                    dropin=weekly.tally(weeks, "dropin", minimum=minimum),
                    staff=weekly.tally(weeks, "staff", minimum=minimum),
                )
    ctx.memo[key] = found
    return found


def _weekly(ctx: Ctx, kind: str) -> PerCentre:
    result = {}
    for pk, summary in _summaries(ctx).items():
        if not summary.weeks:
            result[pk] = IndicatorValue.no_data(_("No whole week to measure yet."), unit=Unit.HOURS_PER_WEEK)
        elif kind == "staff":
            result[pk] = judge_weeks(ctx, weeks=summary.weeks, tally=summary.staff)
        elif not summary.covered:
            result[pk] = _no_opening_hours(summary.weeks)
        else:
            result[pk] = judge_weeks(ctx, weeks=summary.weeks, tally=summary.dropin)
    return result


def _weeks_below(ctx: Ctx, centre_id: int, kind: str) -> list[Evidence]:
    """One centre's counted weeks below the minimum, weakest first."""
    from forpost.centres import hours, queries, weekly

    p: WeeklyParams = ctx.params
    year = ctx.period.first_year_so_far
    if year is not None:
        weeks = weekly.weeks(centre_id, year, end=ctx.period.end)
    else:
        mondays = hours.whole_weeks(ctx.period.start, ctx.period.end)
        if not mondays:
            return []
        first, last = mondays[0], mondays[-1] + timedelta(days=6)
        weeks = weekly.compute_weeks(
            queries.calendars_for([centre_id], first, last)[centre_id],
            queries.allocations_for([centre_id], first, last)[centre_id],
            mondays,
        )
    tally = weekly.tally(weeks, kind, minimum=p.minimum)
    excused = {monday for monday, _h in tally.excusable[: p.excused_weeks]}
    found = sorted(
        (float(w.dropin if kind == "dropin" else w.staff), w.monday) for w in weeks if w.monday not in excused
    )
    return [
        Evidence(
            str(_("Week %(week)s: %(hours)s hours")) % {"week": monday.isocalendar().week, "hours": number(h)}, monday
        )
        for h, monday in found[:MAX_EVIDENCE]
        if h < p.minimum
    ]


@indicator(
    "dropin_hours_per_week",
    unit=Unit.HOURS_PER_WEEK,
    params=WeeklyParams,
    label=_("Open drop-in hours in the weakest week"),
)
def dropin_hours_per_week(ctx: Ctx) -> PerCentre:
    """The fewest drop-in hours of any counted whole ISO week in the period.

    The value is the minimum, since "6 hours every week" is met only if the weakest week
    meets it; `parts` counts the weeks that did, so a scorecard can judge "partly met". A
    week in which a public holiday or an announced closure took away a drop-in slot may be
    excused, up to `excused_weeks` a year (the concept file's reading); a closed day that
    had only phone or appointment hours takes nothing away.
    """
    return _weekly(ctx, "dropin")


@dropin_hours_per_week.evidence
def _dropin_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    return _weeks_below(ctx, centre_id, "dropin")


@indicator(
    "family_unit_staff_hours_per_week",
    unit=Unit.HOURS_PER_WEEK,
    params=WeeklyParams,
    label=_("Hours a week of staff from the family unit, in the weakest week"),
)
def family_unit_staff_hours_per_week(ctx: Ctx) -> PerCentre:
    """As dropin_hours_per_week, for the family-unit staff's allocated hours: a holiday or
    closure on a working day takes that day's part of the allocation away and may excuse
    the week."""
    return _weekly(ctx, "staff")


@family_unit_staff_hours_per_week.evidence
def _staff_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    return _weeks_below(ctx, centre_id, "staff")


class BudgetParams(Params):
    confirmed: bool = Field(False, description="Only a budget the coordinator confirmed as known counts.")


def _budgets(ctx: Ctx) -> Any:
    from forpost.centres.models import Budget

    qs = Budget.objects.filter(ctx.scope.q(), year=ctx.period.start.year)
    return qs.filter(confirmed_at__isnull=False) if ctx.params.confirmed else qs


@indicator(
    "budget_known", unit=Unit.YES_NO, params=BudgetParams, label=_("The year's budget is recorded for the centre")
)
def budget_known(ctx: Ctx) -> PerCentre:
    """Yes when the centre has a budget for the period's year (confirmed known, if asked)."""
    known = set(_budgets(ctx).values_list("centre_id", flat=True))
    return {pk: IndicatorValue(value=1.0 if pk in known else 0.0, unit=Unit.YES_NO) for pk in ctx.centres}


@budget_known.evidence
def _budget_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    confirmed = ctx.params.confirmed
    return [
        Evidence(
            str(_("Budget %(year)s confirmed known")) % {"year": b.year}
            if confirmed
            else str(_("Budget %(year)s entered")) % {"year": b.year},
            timezone.localtime(b.confirmed_at if confirmed else b.entered_at).date(),
        )
        for b in _budgets(ctx).filter(centre_id=centre_id)
    ]


INDICATORS = (dropin_hours_per_week, family_unit_staff_hours_per_week, budget_known)
