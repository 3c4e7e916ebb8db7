"""The indicators a concept file may name, and what each computes.

An indicator is a function registered under a name with the parameters it accepts::

    @register("activity_count", unit=Unit.COUNT, params={"types": Param(list, required=False)})
    def activity_count(ctx: IndicatorContext) -> IndicatorValue: ...

It receives the centres and the half-open period [start, end) to measure, and returns a
number with the evidence behind it — or `IndicatorValue.no_data(reason)` when nothing it
could read exists (never a made-up number). The concept files are validated against this
registry when the app starts, so a file cannot name an indicator that does not exist or
pass it parameters it does not take.

The data lives in other apps (centres, registrations, collaboration). Their models are
imported inside the functions, so this module loads before them and an app that is not
there yet gives "no data" instead of an import error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, Literal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Unit:
    COUNT = "count"
    HOURS_PER_WEEK = "hours_per_week"
    SHARE = "share"
    YES_NO = "yes_no"


UNIT_LABELS: dict[str, Promise] = {
    Unit.COUNT: _("number"),
    Unit.HOURS_PER_WEEK: _("hours a week"),
    Unit.SHARE: _("share"),
    Unit.YES_NO: _("yes or no"),
}


@dataclass(frozen=True)
class Evidence:
    """One thing that counts for an indicator: an activity, a meeting, a booking…"""

    label: str
    on: date | None = None


@dataclass(frozen=True)
class IndicatorContext:
    """What to measure: these centres, in the half-open period [start, end)."""

    centre_ids: frozenset[int]
    start: date
    end: date
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # Shared by the indicators of one page (an IndicatorCache's), never across requests:
    # lets several indicators answer from one query (e.g. activities by type and centre).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # The centres are all there are (the city's status): batches may leave out the condition.
    all_centres: bool = False

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class IndicatorValue:
    """A computed value (None when there is no data) with its evidence.

    `parts` is (meeting, of) for indicators measured per unit of time, e.g. the weeks that
    had 6 drop-in hours out of the weeks measured; it lets a scorecard say "partly met".
    """

    value: float | None
    unit: str = Unit.COUNT
    evidence: tuple[Evidence, ...] = ()
    parts: tuple[int, int] | None = None
    detail: str = ""
    no_data_reason: str = ""

    @property
    def available(self) -> bool:
        return self.value is not None

    @classmethod
    def no_data(cls, reason: str | Promise, unit: str = Unit.COUNT) -> IndicatorValue:
        return cls(value=None, unit=unit, no_data_reason=str(reason))

    def display(self) -> str:
        """The value as a short text in the user's language."""
        if self.value is None:
            return str(_("no data"))
        if self.unit == Unit.SHARE:
            return f"{self.value * 100:.0f} %"
        if self.unit == Unit.YES_NO:
            return str(_("yes") if self.value else _("no"))
        if self.unit == Unit.HOURS_PER_WEEK:
            return str(_("%(hours)s hours a week") % {"hours": _number(self.value)})
        return _number(self.value)


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True)
class Param:
    """One parameter an indicator takes: its Python type and whether it must be given.

    For a list, `item` is the type of its elements. `choices` limits the values (for a
    list: each element).
    """

    kind: type
    required: bool = True
    item: type | None = None
    choices: tuple[str, ...] | None = None

    def check(self, value: Any) -> str | None:
        """None when `value` fits; otherwise what is wrong, in English (for developers)."""
        if self.kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "must be a number"
        elif self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                return "must be a whole number"
        elif not isinstance(value, self.kind):
            return f"must be a {_type_name(self.kind)}"
        if self.kind is list:
            if not value:
                return "must not be empty"
            for i, element in enumerate(value):
                if self.item is not None and not isinstance(element, self.item):
                    return f"[{i}] must be a {_type_name(self.item)}"
                if self.choices is not None and element not in self.choices:
                    return f"[{i}] must be one of {', '.join(self.choices)}"
        elif self.choices is not None and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}"
        return None


def _type_name(kind: type) -> str:
    return {str: "text", int: "whole number", float: "number", list: "list", bool: "true or false"}.get(
        kind, kind.__name__
    )


class Params(BaseModel):
    """An indicator's parameters as one pydantic model: the declaration validates the concept
    file's values, types them and documents them (each field's description)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class WeeklyParams(Params):
    """A weekly minimum (drop-in or family-unit staff hours), as the concept file reads it."""

    minimum: float = Field(6, gt=0, description="Hours a week must have to meet the minimum.")
    excused_weeks: int = Field(
        ge=0,
        le=53,
        description="Weeks a year that a public holiday or announced closure taking hours away may excuse; "
        "later such weeks count as weeks below the minimum.",
    )


class RepresentationParams(Params):
    """Which groups to compare, and the reading of "i et vist omfang"."""

    dimensions: list[Literal["origin", "sex"]] = Field(min_length=1, description="origin and/or sex")
    tolerance: float = Field(
        gt=0,
        le=1,
        description="A group is under-represented when its whole 95 % interval of the ratio lies below this.",
    )


class ChannelParams(Params):
    channels: list[str] = Field(min_length=1, description="Codes of the registrations' channel list.")


class ScoreParams(Params):
    score: Literal["scaling", "ors"] = Field(description="The score registered at the start and the end.")


def _pydantic_problems(model: type[Params], name: str, params: Mapping[str, Any]) -> list[tuple[str, str]]:
    try:
        model.model_validate(dict(params))
    except ValidationError as error:
        problems = []
        for e in error.errors():
            key = ".".join(str(part) for part in e["loc"])
            if e["type"] == "missing":
                problems.append((key, "is required"))
            elif e["type"] == "extra_forbidden":
                known = ", ".join(sorted(model.model_fields)) or "none"
                problems.append((key, f"unknown parameter of {name} (known: {known})"))
            else:
                problems.append((key, e["msg"]))
        return problems
    return []


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    function: Callable[[IndicatorContext], IndicatorValue]
    params: Mapping[str, Param] | type[Params]
    unit: str
    label: Promise | str
    one_of: tuple[str, ...] = ()

    def check_params(self, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(parameter path, problem) for every way `params` does not fit this indicator."""
        if isinstance(self.params, type):
            return _pydantic_problems(self.params, self.name, params)
        problems: list[tuple[str, str]] = []
        for key in params:
            if key not in self.params:
                known = ", ".join(sorted(self.params)) or "none"
                problems.append((str(key), f"unknown parameter of {self.name} (known: {known})"))
        for key, spec in self.params.items():
            if key not in params:
                if spec.required:
                    problems.append((key, "is required"))
                continue
            problem = spec.check(params[key])
            if problem:
                problems.append((key, problem))
        if self.one_of and not any(k in params for k in self.one_of):
            problems.append(("", f"give at least one of: {', '.join(self.one_of)}"))
        return problems

    def compute(self, ctx: IndicatorContext) -> IndicatorValue:
        if ctx.start >= ctx.end:
            return IndicatorValue.no_data(_("The period has not begun."), unit=self.unit)
        return self.function(ctx)


REGISTRY: dict[str, IndicatorSpec] = {}


def register(
    name: str,
    *,
    params: Mapping[str, Param] | type[Params] | None = None,
    unit: str = Unit.COUNT,
    label: Promise | str = "",
    one_of: Iterable[str] = (),
) -> Callable[[Callable[[IndicatorContext], IndicatorValue]], Callable[[IndicatorContext], IndicatorValue]]:
    def decorator(
        function: Callable[[IndicatorContext], IndicatorValue],
    ) -> Callable[[IndicatorContext], IndicatorValue]:
        if name in REGISTRY:
            raise ValueError(f"Indicator {name!r} is registered twice.")
        REGISTRY[name] = IndicatorSpec(
            name=name,
            function=function,
            params=params if isinstance(params, type) else MappingProxyType(dict(params or {})),
            unit=unit,
            label=label or name,
            one_of=tuple(one_of),
        )
        return function

    return decorator


def get(name: str) -> IndicatorSpec:
    return REGISTRY[name]


def compute(
    name: str,
    *,
    centre_ids: Iterable[int],
    start: date,
    end: date,
    params: Mapping[str, Any],
    memo: dict[Any, Any] | None = None,
) -> IndicatorValue:
    ids = frozenset(centre_ids)
    memo = memo if memo is not None else {}
    ctx = IndicatorContext(
        centre_ids=ids,
        start=start,
        end=end,
        params=MappingProxyType(dict(params)),
        memo=memo,
        all_centres=len(ids) > 1 and len(ids) == _centres_there_are(memo),
    )
    return REGISTRY[name].compute(ctx)


def _centres_there_are(memo: dict[Any, Any]) -> int:
    if "centres_there_are" not in memo:
        from forpost.centres.models import Centre

        memo["centres_there_are"] = Centre.objects.count()
    count: int = memo["centres_there_are"]
    return count


def compute_per_centre(
    name: str,
    *,
    centre_ids: Iterable[int],
    start: date,
    end: date,
    params: Mapping[str, Any],
    memo: dict[Any, Any] | None = None,
) -> dict[int, IndicatorValue]:
    """The indicator for each centre on its own, as {centre id: value}: one grouped query
    where forpost.concepts.per_centre has the indicator, else centre by centre."""
    from .per_centre import BATCH

    ids = sorted(set(centre_ids))
    spec = REGISTRY[name]
    batch = BATCH.get(name)
    if batch is not None and ids and start < end:
        memo = memo if memo is not None else {}
        ctx = IndicatorContext(
            centre_ids=frozenset(ids),
            start=start,
            end=end,
            params=MappingProxyType(dict(params)),
            memo=memo,
            all_centres=len(ids) == _centres_there_are(memo),
        )
        found = batch(ctx)
        if found is not None:
            return {pk: found[pk] for pk in ids}
    return {
        pk: spec.compute(
            IndicatorContext(centre_ids=frozenset([pk]), start=start, end=end, params=MappingProxyType(dict(params)))
        )
        for pk in ids
    }


# --- Helpers --------------------------------------------------------------------------------


def _ids(ctx: IndicatorContext, path: str) -> dict[str, Any]:
    """The filter to the centres measured: none when they are every centre there is (a
    thousand ids in a query cost more than they filter)."""
    return {} if ctx.all_centres else {f"{path}__in": ctx.centre_ids}


def _model(app_label: str, name: str) -> Any:
    """The model, or None while the app that will hold it has not defined it yet."""
    from django.apps import apps

    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _has_fields(model: Any, *names: str) -> bool:
    concrete = {f.name for f in model._meta.get_fields()}
    return all(n in concrete for n in names)


NOT_BUILT = _("Forpost does not record this yet.")
MAX_EVIDENCE = 12


def _weeks(start: date, end: date) -> list[tuple[date, date]]:
    """The ISO weeks (Monday to Monday, half-open) lying wholly inside [start, end)."""
    from forpost.centres.hours import whole_weeks

    return [(monday, monday + timedelta(days=7)) for monday in whole_weeks(start, end)]


def local_midnight(day: date) -> datetime:
    """The start of `day` in the local time zone, as an aware datetime."""
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def _share(numerator: int, denominator: int, *, unit: str = Unit.SHARE, detail: str = "") -> IndicatorValue:
    if denominator == 0:
        return IndicatorValue.no_data(_("Nothing was registered in the period."), unit=unit)
    return IndicatorValue(value=numerator / denominator, unit=unit, parts=(numerator, denominator), detail=detail)


# --- Collaboration: activities, meetings, volunteer groups, rooms ---------------------------

ACTIVITY_TYPES = (
    "daycare_visit",
    "theme_event",
    "collaboration_meeting",
    "volunteer_meeting",
    "cross_city_meeting",
    "steering_group",
    "assessment_group",
    "outreach",
    "information_material",
    "volunteer_supervision",
    "cross_professional_group",
    "health_visitor_activity",
    # One type for each collaboration duty the 2010 paper names (collaboration migration 0006).
    "health_visitor_collaboration",
    "housing_collaboration",
    "socialcenter_collaboration",
    "outpost_collaboration",
    "family_unit_meeting",
)
PARTNER_TYPES = (
    "health_visitors",
    "daycare_school",
    "housing_social_work",
    "socialcenter",
    "volunteer_association",
    "other_outposts",
    "assessment_group",
    "other",
)


@register(
    "activity_count",
    label=_("Activities registered in the activity log"),
    params={
        "types": Param(list, required=False, item=str, choices=ACTIVITY_TYPES),
        "partner_types": Param(list, required=False, item=str, choices=PARTNER_TYPES),
    },
    one_of=("types", "partner_types"),
)
def activity_count(ctx: IndicatorContext) -> IndicatorValue:
    """Activities of the given types, and/or with a partner of the given kinds."""
    activity = _model("collaboration", "Activity")
    if activity is None:
        return IndicatorValue.no_data(NOT_BUILT)
    qs = activity.objects.filter(**_ids(ctx, "centre_id")).within_period(ctx.start, ctx.end)
    if ctx.param("types"):
        qs = qs.filter(type__code__in=ctx.param("types"))
    if ctx.param("partner_types"):
        qs = qs.filter(partners__type__in=ctx.param("partner_types"))
    qs = qs.distinct()
    first = qs.select_related("type").order_by("date", "pk")[:MAX_EVIDENCE]
    return IndicatorValue(value=qs.count(), evidence=tuple(Evidence(str(a.type), a.date) for a in first))


@register("cross_city_meetings_attended", label=_("Cross-city meetings the centre attended"))
def cross_city_meetings_attended(ctx: IndicatorContext) -> IndicatorValue:
    attendance = _model("collaboration", "Attendance")
    if attendance is None:
        return IndicatorValue.no_data(NOT_BUILT)
    rows = list(
        attendance.objects.filter(
            **_ids(ctx, "centre_id"), attended=True, meeting__date__gte=ctx.start, meeting__date__lt=ctx.end
        )
        .select_related("meeting")
        .order_by("meeting__date")
    )
    return IndicatorValue(
        value=len(rows),
        evidence=tuple(Evidence(r.meeting.topic or r.meeting.place, r.meeting.date) for r in rows[:MAX_EVIDENCE]),
    )


@register("cross_city_meetings_held", label=_("Cross-city meetings called by central staff"))
def cross_city_meetings_held(ctx: IndicatorContext) -> IndicatorValue:
    """Meetings in the municipalities of the given centres (a duty of central staff)."""
    meeting = _model("collaboration", "CrossCityMeeting")
    if meeting is None:
        return IndicatorValue.no_data(NOT_BUILT)
    from forpost.centres.models import Centre

    municipalities = Centre.objects.filter(**_ids(ctx, "pk")).values("municipality_id")
    rows = list(
        meeting.objects.filter(municipality_id__in=municipalities, date__gte=ctx.start, date__lt=ctx.end).order_by(
            "date"
        )
    )
    return IndicatorValue(
        value=len(rows), evidence=tuple(Evidence(m.topic or m.place, m.date) for m in rows[:MAX_EVIDENCE])
    )


@register(
    "volunteer_groups_active",
    label=_("Volunteer groups attached to the centre"),
    params={"target_group": Param(str, required=False, choices=("primary", "secondary"))},
)
def volunteer_groups_active(ctx: IndicatorContext) -> IndicatorValue:
    group = _model("collaboration", "VolunteerGroup")
    if group is None:
        return IndicatorValue.no_data(NOT_BUILT)
    from django.db.models import Q

    qs = group.objects.filter(**_ids(ctx, "centre_id"), active_from__lt=ctx.end).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=ctx.start)
    )
    if ctx.param("target_group"):
        qs = qs.filter(target_group=ctx.param("target_group"))
    rows = list(qs.order_by("name"))
    return IndicatorValue(value=len(rows), evidence=tuple(Evidence(g.name, None) for g in rows[:MAX_EVIDENCE]))


@register(
    "share_of_volunteer_groups",
    unit=Unit.SHARE,
    label=_("Share of the volunteer groups with a given target group"),
    params={"target_group": Param(str, choices=("primary", "secondary"))},
)
def share_of_volunteer_groups(ctx: IndicatorContext) -> IndicatorValue:
    group = _model("collaboration", "VolunteerGroup")
    if group is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)
    from django.db.models import Q

    qs = group.objects.filter(**_ids(ctx, "centre_id"), active_from__lt=ctx.end).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=ctx.start)
    )
    wanted = qs.filter(target_group=ctx.param("target_group")).count()
    return _share(wanted, qs.count())


@register("volunteer_room_bookings", label=_("Room bookings by volunteer groups and associations"))
def volunteer_room_bookings(ctx: IndicatorContext) -> IndicatorValue:
    """Bookings of the centres' rooms held by a volunteer group or a named association."""
    booking = _model("collaboration", "Booking")
    if booking is None:
        return IndicatorValue.no_data(NOT_BUILT)
    from django.db.models import Q

    qs = (
        booking.objects.current()
        .filter(**_ids(ctx, "room__centre_id"))
        .overlapping_period(local_midnight(ctx.start), local_midnight(ctx.end))
        .filter(Q(volunteer_group__isnull=False) | Q(partner__type="volunteer_association") | ~Q(holder_name=""))
        .select_related("volunteer_group", "partner")
        .order_by("starts_at")
    )
    count = qs.count()
    first = list(qs[:MAX_EVIDENCE])
    from django.utils import timezone

    return IndicatorValue(
        value=count, evidence=tuple(Evidence(b.holder, timezone.localtime(b.starts_at).date()) for b in first)
    )


@register(
    "group_referrals",
    label=_("Families referred between the centre and its volunteer groups"),
    params={"direction": Param(str, required=False, choices=("to_centre", "to_group"))},
)
def group_referrals(ctx: IndicatorContext) -> IndicatorValue:
    referral = _model("collaboration", "GroupReferral")
    if referral is None:
        return IndicatorValue.no_data(NOT_BUILT)
    from django.db.models import Sum

    qs = referral.objects.filter(**_ids(ctx, "group__centre_id"), date__gte=ctx.start, date__lt=ctx.end)
    if ctx.param("direction"):
        qs = qs.filter(direction=ctx.param("direction"))
    total = qs.aggregate(n=Sum("count"))["n"] or 0
    return IndicatorValue(value=total)


# --- Centres: opening hours, staff, budget ----------------------------------------------------


def weekly_counts(
    ctx: IndicatorContext,
    *,
    weeks: int,
    tally: Any,
    evidence: tuple[Evidence, ...] = (),
) -> IndicatorValue:
    """A weekly-hours value from a centre's `weeks` and their Tally (forpost.centres.weekly),
    judged as the concept file reads the weekly minimum: the first `excused_weeks` weeks of
    the period that a public holiday or an announced closure made short are excused; any
    later ones count as weeks below the minimum. The value is the weakest counted week; the
    parts are the weeks at the minimum of the weeks counted."""
    allowed = int(ctx.param("excused_weeks", 0))
    excused, beyond = tally.excusable[:allowed], tally.excusable[allowed:]
    lows = [float(h) for _monday, h in beyond]
    if tally.firm_min is not None:
        lows.append(float(tally.firm_min))
    n = weeks - len(excused)
    if not n or not lows:
        return IndicatorValue.no_data(_("No whole week to measure yet."), unit=Unit.HOURS_PER_WEEK)
    minimum = float(ctx.param("minimum", 6))
    detail = str(_("%(meeting)s of %(weeks)s weeks had at least %(minimum)s hours.")) % {
        "meeting": tally.meeting,
        "weeks": n,
        "minimum": _number(minimum),
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
    return IndicatorValue(
        value=min(lows), unit=Unit.HOURS_PER_WEEK, parts=(tally.meeting, n), detail=detail, evidence=evidence
    )


def _judge_weeks(ctx: IndicatorContext, weeks: list[Any], kind: str) -> IndicatorValue:
    """One centre's weeks (forpost.centres.weekly.Week) judged with their evidence: the
    counted weeks below the minimum, weakest first."""
    from forpost.centres import weekly

    if not weeks:
        return IndicatorValue.no_data(_("No whole week to measure yet."), unit=Unit.HOURS_PER_WEEK)
    if kind == "dropin" and not any(w.covered for w in weeks):
        return _no_opening_hours(len(weeks))
    minimum = float(ctx.param("minimum", 6))
    tally = weekly.tally(weeks, kind, minimum=minimum)
    excused = {monday for monday, _h in tally.excusable[: int(ctx.param("excused_weeks", 0))]}
    hours = sorted(
        (float(w.dropin if kind == "dropin" else w.staff), w.monday) for w in weeks if w.monday not in excused
    )
    evidence = tuple(
        Evidence(
            str(_("Week %(week)s: %(hours)s hours")) % {"week": monday.isocalendar().week, "hours": _number(h)},
            monday,
        )
        for h, monday in hours[:MAX_EVIDENCE]
        if h < minimum
    )
    return weekly_counts(ctx, weeks=len(weeks), tally=tally, evidence=evidence)


def _centre_weeks(ctx: IndicatorContext) -> list[Any]:
    """The one centre's whole weeks in the period: stored for a year from 1 January (the same
    arithmetic, computed once), else worked out from its calendar and staff allocations."""
    from forpost.centres import queries, weekly

    from .per_centre import hours_year

    (centre_id,) = ctx.centre_ids
    year = hours_year(ctx)
    if year is not None:
        return weekly.weeks(centre_id, year, end=ctx.end)
    mondays = [m for m, _end in _weeks(ctx.start, ctx.end)]
    if not mondays:
        return []
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    calendar = queries.calendars_for([centre_id], first, last)[centre_id]
    allocations = queries.allocations_for([centre_id], first, last)[centre_id]
    return weekly.compute_weeks(calendar, allocations, mondays)


def _no_opening_hours(weeks: int) -> IndicatorValue:
    return IndicatorValue(
        value=0.0,
        unit=Unit.HOURS_PER_WEEK,
        parts=(0, weeks),
        detail=str(_("No opening hours are recorded for the period.")),
    )


def _single_centre(ctx: IndicatorContext, unit: str) -> IndicatorValue | None:
    if len(ctx.centre_ids) != 1:
        return IndicatorValue.no_data(_("Measured for one centre at a time."), unit=unit)
    return None


@register(
    "dropin_hours_per_week",
    unit=Unit.HOURS_PER_WEEK,
    label=_("Open drop-in hours in the weakest week"),
    params=WeeklyParams,
)
def dropin_hours_per_week(ctx: IndicatorContext) -> IndicatorValue:
    """The fewest drop-in hours of any counted whole ISO week in the period.

    The value is the minimum, since "6 hours every week" is met only if the weakest week
    meets it; `parts` counts the weeks that did, so a scorecard can judge "partly met". A
    week in which a public holiday or an announced closure took away a drop-in slot may be
    excused, up to `excused_weeks` a year (the concept file's reading); a closed day that
    had only phone or appointment hours takes nothing away.
    """
    refused = _single_centre(ctx, Unit.HOURS_PER_WEEK)
    if refused:
        return refused
    return _judge_weeks(ctx, _centre_weeks(ctx), "dropin")


@register(
    "family_unit_staff_hours_per_week",
    unit=Unit.HOURS_PER_WEEK,
    label=_("Hours a week of staff from the family unit, in the weakest week"),
    params=WeeklyParams,
)
def family_unit_staff_hours_per_week(ctx: IndicatorContext) -> IndicatorValue:
    """As dropin_hours_per_week, for the family-unit staff's allocated hours: a holiday or
    closure on a working day takes that day's part of the allocation away and may excuse
    the week."""
    refused = _single_centre(ctx, Unit.HOURS_PER_WEEK)
    if refused:
        return refused
    return _judge_weeks(ctx, _centre_weeks(ctx), "staff")


@register(
    "budget_known",
    unit=Unit.YES_NO,
    label=_("The year's budget is recorded for the centre"),
    params={"confirmed": Param(bool, required=False)},
)
def budget_known(ctx: IndicatorContext) -> IndicatorValue:
    """1 when every centre has a budget for the period's year (confirmed known, if asked)."""
    budget = _model("centres", "Budget")
    if budget is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.YES_NO)
    qs = budget.objects.filter(**_ids(ctx, "centre_id"), year=ctx.start.year)
    if ctx.param("confirmed"):
        qs = qs.filter(confirmed_at__isnull=False)
    rows = list(qs.order_by("centre__name"))
    from django.utils import timezone

    evidence = tuple(
        Evidence(
            str(_("Budget %(year)s confirmed known")) % {"year": b.year}
            if ctx.param("confirmed")
            else str(_("Budget %(year)s entered")) % {"year": b.year},
            timezone.localtime(b.confirmed_at if ctx.param("confirmed") else b.entered_at).date(),
        )
        for b in rows
    )
    return IndicatorValue(value=1.0 if len(rows) == len(ctx.centre_ids) else 0.0, unit=Unit.YES_NO, evidence=evidence)


# --- Registrations: inquiries, courses, referrals ---------------------------------------------

# Referral destinations as the registrations app records them.
REFERRAL_DESTINATIONS = ("family_unit", "volunteer_group", "socialcenter", "health", "other")


def _year_facts(ctx: IndicatorContext) -> dict[str, dict[str, int]] | None:
    """The annual status's inquiry counts for the centres, when the period is whole calendar
    years (as in the status and the year wheel at year end); None for any other period.

    The counts are kept equal to the registrations by the registration services, so these
    give the same numbers as a scan of the registrations, at the cost of a few rows.
    """
    if ctx.start.month != 1 or ctx.start.day != 1 or ctx.end.month != 1 or ctx.end.day != 1:
        return None
    from django.db.models import Sum

    from forpost.reports.models import InquiryFact

    key = ("year_facts", ctx.centre_ids, ctx.start, ctx.end)
    if key in ctx.memo:  # several indicators of one page read the same counts
        memoised: dict[str, dict[str, int]] = ctx.memo[key]
        return memoised
    found: dict[str, dict[str, int]] = ctx.memo.setdefault(key, {})
    rows = (
        InquiryFact.objects.filter(**_ids(ctx, "centre_id"), year__gte=ctx.start.year, year__lt=ctx.end.year)
        .values("dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        found.setdefault(row["dimension"], {})[row["value"]] = row["n"]
    return found


def _inquiries(ctx: IndicatorContext) -> Any:
    inquiry = _model("registrations", "Inquiry")
    if inquiry is None:
        return None
    return inquiry.objects.filter(**_ids(ctx, "centre_id"), date__gte=ctx.start, date__lt=ctx.end)


@register(
    "registrations_count",
    label=_("Registrations in the period"),
    params={"kind": Param(str, choices=("inquiries", "courses"))},
)
def registrations_count(ctx: IndicatorContext) -> IndicatorValue:
    """Inquiries registered on days in the period, or courses started in it."""
    if ctx.param("kind") == "courses":
        course = _model("registrations", "Course")
        if course is None:
            return IndicatorValue.no_data(NOT_BUILT)
        year_facts = _year_facts(ctx)
        if year_facts is not None:  # whole years: the courses' counts (reports.facts)
            return IndicatorValue(value=year_facts.get("course_started", {}).get("", 0))
        n = course.objects.filter(**_ids(ctx, "centre_id"), started_on__gte=ctx.start, started_on__lt=ctx.end).count()
        return IndicatorValue(value=n)
    year_facts = _year_facts(ctx)
    if year_facts is not None:
        return IndicatorValue(value=year_facts.get("total", {}).get("", 0))
    qs = _inquiries(ctx)
    if qs is None:
        return IndicatorValue.no_data(NOT_BUILT)
    return IndicatorValue(value=qs.count())


@register(
    "inquiry_channels_used",
    label=_("How many of the given channels were used"),
    params={"channels": Param(list, item=str)},
)
def inquiry_channels_used(ctx: IndicatorContext) -> IndicatorValue:
    """How many of the listed channels (codes of the registrations' channel list) had an inquiry."""
    qs = _inquiries(ctx)
    if qs is None:
        return IndicatorValue.no_data(NOT_BUILT)
    from django.db.models import Count

    wanted = list(ctx.param("channels"))
    year_facts = _year_facts(ctx)
    if year_facts is not None:
        channel_model = _model("registrations", "Channel")
        codes = dict(channel_model.objects.filter(code__in=wanted).values_list("pk", "code")) if channel_model else {}
        counts = {codes[int(pk)]: n for pk, n in year_facts.get("channel", {}).items() if pk and int(pk) in codes}
    else:
        counts = {
            row["channel__code"]: row["n"]
            for row in qs.filter(channel__code__in=wanted).values("channel__code").annotate(n=Count("pk"))
        }
    used = [c for c in wanted if counts.get(c)]
    channel = _model("registrations", "Channel")
    names = {c.code: str(c) for c in channel.objects.filter(code__in=wanted)} if channel else {}
    return IndicatorValue(
        value=len(used),
        parts=(len(used), len(wanted)),
        evidence=tuple(
            Evidence(str(_("%(channel)s: %(count)s inquiries")) % {"channel": names.get(c, c), "count": counts[c]})
            for c in used
        ),
    )


# Lower and upper age of the registrations' children's age bands ("expected": not yet born).
AGE_BANDS = {"expected": (0, 0), "0-2": (0, 2), "3-5": (3, 5), "6-9": (6, 9), "10-12": (10, 12), "13-17": (13, 17)}


def bands_within(low: int, high: int) -> list[str]:
    """The age bands inside an age range. An expected child is not born: it has no age and is
    inside no range (it still counts among the children), as in the status's key figure
    "about a child aged 0–12" (forpost.reports.facts.CHILD_AGES_0_12)."""
    return [band for band, (lo, hi) in AGE_BANDS.items() if band != "expected" and lo >= low and hi <= high]


def without_case(cases: Mapping[str, int]) -> tuple[int, int, int]:
    """The one definition of "families without a case at the family unit": (without, known,
    not known) from counts by answer. The share is without/known; "don't know" is left out
    and said so, wherever the number is shown (key figure, scorecard, theory of change)."""
    no = cases.get("no", 0)
    known = no + cases.get("yes", 0)
    return no, known, sum(n for k, n in cases.items() if k not in ("yes", "no"))


@register(
    "share_of_children_aged",
    unit=Unit.SHARE,
    label=_("Share of the children in inquiries within an age range"),
    params={"min_age": Param(int), "max_age": Param(int)},
)
def share_of_children_aged(ctx: IndicatorContext) -> IndicatorValue:
    child = _model("registrations", "Child")
    if child is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)
    from django.db.models import Count

    low, high = ctx.param("min_age"), ctx.param("max_age")
    inside = bands_within(low, high)
    year_facts = _year_facts(ctx)
    if year_facts is not None:
        counts = dict(year_facts.get("child_age", {}))
    else:
        rows = (
            child.objects.filter(
                **_ids(ctx, "inquiry__centre_id"), inquiry__date__gte=ctx.start, inquiry__date__lt=ctx.end
            )
            .values("age_band")
            .annotate(n=Count("pk"))
        )
        counts = {r["age_band"]: r["n"] for r in rows}
    total = sum(n for band, n in counts.items() if band in AGE_BANDS)
    return _share(sum(counts.get(b, 0) for b in inside), total)


@register(
    "share_of_inquiries_without_case",
    unit=Unit.SHARE,
    label=_("Share of inquiries from families without a case at the family unit"),
)
def share_of_inquiries_without_case(ctx: IndicatorContext) -> IndicatorValue:
    """Among inquiries where it is known whether the family has a case ("don't know" left out)."""
    qs = _inquiries(ctx)
    if qs is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)
    from django.db.models import Count, Q

    year_facts = _year_facts(ctx)
    if year_facts is not None:
        no, known, unknown = without_case(year_facts.get("has_case", {}))
        counts = {"no": no, "known": known, "unknown": unknown}
    else:
        counts = qs.aggregate(
            no=Count("pk", filter=Q(has_case="no")),
            known=Count("pk", filter=Q(has_case__in=["yes", "no"])),
            unknown=Count("pk", filter=~Q(has_case__in=["yes", "no"])),
        )
    detail = ""
    if counts["unknown"]:
        detail = str(_("%(n)s inquiries where it was not known were left out.")) % {"n": counts["unknown"]}
    return _share(counts["no"], counts["known"], detail=detail)


@register(
    "share_of_inquiries_referred_by",
    unit=Unit.SHARE,
    label=_("Share of inquiries that came on a referral from the given sources"),
    params={"sources": Param(list, item=str)},
)
def share_of_inquiries_referred_by(ctx: IndicatorContext) -> IndicatorValue:
    """Among inquiries with a known source ("found us through"), those from the listed codes."""
    qs = _inquiries(ctx)
    if qs is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)
    from django.db.models import Count, Q

    year_facts = _year_facts(ctx)
    if year_facts is not None:
        source = _model("registrations", "ReferralSource")
        wanted_pks = {
            str(pk) for pk in source.objects.filter(code__in=list(ctx.param("sources"))).values_list("pk", flat=True)
        }
        sources = year_facts.get("referral_source", {})
        counts = {
            "wanted": sum(n for k, n in sources.items() if k in wanted_pks),
            "known": sum(n for k, n in sources.items() if k),
        }
    else:
        counts = qs.aggregate(
            wanted=Count("pk", filter=Q(referral_source__code__in=list(ctx.param("sources")))),
            known=Count("pk", filter=Q(referral_source__isnull=False)),
        )
    return _share(counts["wanted"], counts["known"])


def _referrals(ctx: IndicatorContext) -> Any:
    referral = _model("registrations", "Referral")
    if referral is None:
        return None
    qs = referral.objects.filter(**_ids(ctx, "centre_id"), made_on__gte=ctx.start, made_on__lt=ctx.end)
    if ctx.param("to"):
        qs = qs.filter(destination__in=list(ctx.param("to")))
    return qs


@register(
    "referral_count",
    label=_("Referrals the centre made"),
    params={"to": Param(list, required=False, item=str, choices=REFERRAL_DESTINATIONS)},
)
def referral_count(ctx: IndicatorContext) -> IndicatorValue:
    qs = _referrals(ctx)
    if qs is None:
        return IndicatorValue.no_data(NOT_BUILT)
    rows = list(qs.order_by("made_on", "pk")[:MAX_EVIDENCE])
    year_facts = _year_facts(ctx)
    if year_facts is not None:  # whole years: the referrals' counts (reports.facts)
        to = set(ctx.param("to") or ())
        n = sum(v for k, v in year_facts.get("referral_to", {}).items() if not to or k in to)
    else:
        n = qs.count()
    return IndicatorValue(value=n, evidence=tuple(Evidence(str(r), r.made_on) for r in rows))


@register(
    "share_of_referrals_with_contact",
    unit=Unit.SHARE,
    label=_("Share of referrals to the family unit that led to contact"),
    params={"to": Param(list, required=False, item=str, choices=("family_unit",))},
)
def share_of_referrals_with_contact(ctx: IndicatorContext) -> IndicatorValue:
    """Referrals to the family unit whose bridge reached "contact made" or "case opened"."""
    qs = _referrals(ctx)
    if qs is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)
    year_facts = _year_facts(ctx)
    if year_facts is not None:  # whole years: the bridge's counts (reports.facts)
        bridge = year_facts.get("referral_bridge", {})
        return _share(bridge.get("contact_made", 0) + bridge.get("case_opened", 0), sum(bridge.values()))
    qs = qs.filter(destination="family_unit")
    return _share(qs.filter(bridge_status__in=["contact_made", "case_opened"]).count(), qs.count())


@register(
    "share_of_courses_with_reliable_improvement",
    unit=Unit.SHARE,
    label=_("Share of ended courses with reliable improvement"),
)
def share_of_courses_with_reliable_improvement(ctx: IndicatorContext) -> IndicatorValue:
    """Among courses ended in the period with two or more outcome scores (ORS)."""
    course = _model("registrations", "Course")
    if course is None:
        return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)
    year_facts = _year_facts(ctx)
    if year_facts is not None:
        # Over whole years the status's counts hold each course's outcome (reports.facts).
        return _share(year_facts.get("course_improved", {}).get("", 0), year_facts.get("course_ors_n", {}).get("", 0))
    from forpost.registrations.queries import with_score_edges

    # First and last ORS of each course come from the database: one row per course.
    rows = (
        with_score_edges(  # type: ignore[misc]  # annotated by with_score_edges
            course.objects.filter(**_ids(ctx, "centre_id"), ended_on__gte=ctx.start, ended_on__lt=ctx.end)
        )
        .filter(n_ors__gte=2)
        .values_list("first_ors", "last_ors", "score_norm__reliable_change")
    )
    measured = list(rows)
    improved = sum(1 for first, last, reliable in measured if last - first >= reliable)
    return _share(improved, len(measured))


def _the_batch_for_one_centre(ctx: IndicatorContext, name: str, unit: str) -> IndicatorValue:
    """An indicator written only for many centres at once (forpost.concepts.per_centre):
    one centre's value is the batch's result for that centre."""
    from .per_centre import BATCH

    refused = _single_centre(ctx, unit)
    if refused:
        return refused
    found = BATCH[name](ctx)
    assert found is not None
    return found[next(iter(ctx.centre_ids))]


@register(
    "share_of_inquiries_by_channel",
    unit=Unit.SHARE,
    label=_("Share of inquiries that came by the given channels"),
    params=ChannelParams,
)
def share_of_inquiries_by_channel(ctx: IndicatorContext) -> IndicatorValue:
    return _the_batch_for_one_centre(ctx, "share_of_inquiries_by_channel", Unit.SHARE)


@register(
    "share_of_ended_courses_with_scores",
    unit=Unit.SHARE,
    label=_("Share of ended courses with the score registered at the start and the end"),
    params=ScoreParams,
)
def share_of_ended_courses_with_scores(ctx: IndicatorContext) -> IndicatorValue:
    return _the_batch_for_one_centre(ctx, "share_of_ended_courses_with_scores", Unit.SHARE)


class SessionScoreParams(Params):
    score: Literal["scaling", "ors", "srs"] = Field(description="The score registered in the session.")


@register(
    "share_of_sessions_with_score",
    unit=Unit.SHARE,
    label=_("Share of the sessions with the score registered"),
    params=SessionScoreParams,
)
def share_of_sessions_with_score(ctx: IndicatorContext) -> IndicatorValue:
    return _the_batch_for_one_centre(ctx, "share_of_sessions_with_score", Unit.SHARE)


@register(
    "underrepresented_groups",
    label=_("Population groups under-represented among the centre's inquiries"),
    params=RepresentationParams,
)
def underrepresented_groups(ctx: IndicatorContext) -> IndicatorValue:
    """Groups (by the contacting parent's origin or sex) whose whole 95 % interval of share of
    inquiries ÷ share of the adults in the districts served lies below `tolerance`."""
    from . import representation

    return representation.underrepresented_groups(ctx)


# --- The annual status (issue 6, part 3) ------------------------------------------------------


@register("centre_status_written", unit=Unit.YES_NO, label=_("The centre's own text for the annual status"))
def centre_status_written(ctx: IndicatorContext) -> IndicatorValue:
    """1 when every centre's coordinator has written the centre's text for the year."""
    from forpost.reports.models import StatusText

    texts = [t for t in StatusText.objects.filter(**_ids(ctx, "centre_id"), year=ctx.start.year) if not t.is_empty]
    written = {t.centre_id for t in texts}
    return IndicatorValue(
        value=1.0 if written >= set(ctx.centre_ids) else 0.0,
        unit=Unit.YES_NO,
        evidence=tuple(
            Evidence(str(_("Text for %(year)s written")) % {"year": t.year}, timezone.localdate(t.updated_at))
            for t in texts
        ),
    )


@register("city_status_published", unit=Unit.YES_NO, label=_("The annual status across the city is published"))
def city_status_published(ctx: IndicatorContext) -> IndicatorValue:
    """The paper's "årlig status på tværs af byen" is done when central staff publish it
    (forpost.reports.publication), and by nothing else: exporting the status as a PDF or
    workbook is not that act, since anyone with access may export a draft. The version being
    made counts too, so that a publication's own scorecard reads the act it is part of."""
    from forpost.reports.models import Publication, PublicationStatus

    year = ctx.start.year
    found = (
        Publication.objects.filter(year=year, status__in=[PublicationStatus.DONE, PublicationStatus.RUNNING])
        .order_by("number")
        .first()
    )
    if found is None:
        return IndicatorValue(
            value=0.0,
            unit=Unit.YES_NO,
            detail=str(_("The city's status for %(year)s is not published.")) % {"year": year},
        )
    day = timezone.localdate(found.published_at or found.started_at)
    return IndicatorValue(
        value=1.0,
        unit=Unit.YES_NO,
        detail=str(_("The city's status for %(year)s is published.")) % {"year": year},
        evidence=(Evidence(str(_("Version %(number)s published")) % {"number": found.number}, day),),
    )


def weeks_in(start: date, end: date) -> list[tuple[date, date]]:
    return _weeks(start, end)


def ceil_share(threshold: float, k: int, n: int) -> float:
    """The part of a yearly threshold due by the k-th of n due dates (4 meetings: 1, 2, 3, 4)."""
    return math.ceil(threshold * k / n - 1e-9)


__all__ = [
    "REGISTRY",
    "Evidence",
    "IndicatorContext",
    "IndicatorSpec",
    "IndicatorValue",
    "Param",
    "Unit",
    "compute",
    "get",
    "register",
]
