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
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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
    def no_data(cls, reason: str, unit: str = Unit.COUNT) -> IndicatorValue:
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


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    function: Callable[[IndicatorContext], IndicatorValue]
    params: Mapping[str, Param]
    unit: str
    label: Promise | str
    one_of: tuple[str, ...] = ()

    def check_params(self, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(parameter path, problem) for every way `params` does not fit this indicator."""
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
    params: Mapping[str, Param] | None = None,
    unit: str = Unit.COUNT,
    label: Promise | str = "",
    one_of: Iterable[str] = (),
) -> Callable[[Callable[[IndicatorContext], IndicatorValue]], Callable[[IndicatorContext], IndicatorValue]]:
    def decorator(function: Callable[[IndicatorContext], IndicatorValue]) -> Callable[[IndicatorContext], IndicatorValue]:
        if name in REGISTRY:
            raise ValueError(f"Indicator {name!r} is registered twice.")
        REGISTRY[name] = IndicatorSpec(
            name=name,
            function=function,
            params=MappingProxyType(dict(params or {})),
            unit=unit,
            label=label or name,
            one_of=tuple(one_of),
        )
        return function

    return decorator


def get(name: str) -> IndicatorSpec:
    return REGISTRY[name]


def compute(name: str, *, centre_ids: Iterable[int], start: date, end: date, params: Mapping[str, Any]) -> IndicatorValue:
    ctx = IndicatorContext(
        centre_ids=frozenset(centre_ids), start=start, end=end, params=MappingProxyType(dict(params))
    )
    return REGISTRY[name].compute(ctx)


# --- Helpers --------------------------------------------------------------------------------


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
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks = []
    while monday + timedelta(days=7) <= end:
        weeks.append((monday, monday + timedelta(days=7)))
        monday += timedelta(days=7)
    return weeks


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
    qs = activity.objects.filter(centre_id__in=ctx.centre_ids).within_period(ctx.start, ctx.end)
    if ctx.param("types"):
        qs = qs.filter(type__code__in=ctx.param("types"))
    if ctx.param("partner_types"):
        qs = qs.filter(partners__type__in=ctx.param("partner_types"))
    rows = list(qs.select_related("type").order_by("date", "pk").distinct())
    return IndicatorValue(
        value=len(rows),
        evidence=tuple(Evidence(str(a.type), a.date) for a in rows[:MAX_EVIDENCE]),
    )


@register("cross_city_meetings_attended", label=_("Cross-city meetings the centre attended"))
def cross_city_meetings_attended(ctx: IndicatorContext) -> IndicatorValue:
    attendance = _model("collaboration", "Attendance")
    if attendance is None:
        return IndicatorValue.no_data(NOT_BUILT)
    rows = list(
        attendance.objects.filter(
            centre_id__in=ctx.centre_ids, attended=True, meeting__date__gte=ctx.start, meeting__date__lt=ctx.end
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

    municipalities = Centre.objects.filter(pk__in=ctx.centre_ids).values("municipality_id")
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

    qs = group.objects.filter(centre_id__in=ctx.centre_ids, active_from__lt=ctx.end).filter(
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

    qs = group.objects.filter(centre_id__in=ctx.centre_ids, active_from__lt=ctx.end).filter(
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
        .filter(room__centre_id__in=ctx.centre_ids)
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

    qs = referral.objects.filter(group__centre_id__in=ctx.centre_ids, date__gte=ctx.start, date__lt=ctx.end)
    if ctx.param("direction"):
        qs = qs.filter(direction=ctx.param("direction"))
    total = qs.aggregate(n=Sum("count"))["n"] or 0
    return IndicatorValue(value=total)


# --- Centres: opening hours, staff, budget ----------------------------------------------------


@register("dropin_hours_per_week", unit=Unit.HOURS_PER_WEEK, label=_("Drop-in hours in the weakest week"))
def dropin_hours_per_week(ctx: IndicatorContext) -> IndicatorValue:
    """The fewest drop-in hours of any whole week in the period, and how many weeks met the rest.

    The value is the minimum (a concept that says "every week" is met only if the weakest
    week meets it); `parts` counts the weeks, so a scorecard can say "partly met".
    """
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.HOURS_PER_WEEK)


@register(
    "family_unit_staff_hours_per_week",
    unit=Unit.HOURS_PER_WEEK,
    label=_("Hours a week of staff from the family unit"),
)
def family_unit_staff_hours_per_week(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.HOURS_PER_WEEK)


@register("budget_known", unit=Unit.YES_NO, label=_("The year's budget is recorded for the centre"))
def budget_known(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.YES_NO)


# --- Registrations: inquiries, courses, referrals ---------------------------------------------

INQUIRY_CHANNELS = ("drop_in", "phone", "home_visit", "email", "appointment", "outreach", "other")
REFERRAL_DESTINATIONS = ("family_unit", "socialcenter", "volunteers", "health_visitors", "other_public", "private")


@register(
    "registrations_count",
    label=_("Registrations in the period"),
    params={"kind": Param(str, choices=("inquiries", "courses"))},
)
def registrations_count(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT)


@register(
    "inquiry_channels_used",
    label=_("How many of the given channels were used"),
    params={"channels": Param(list, item=str, choices=INQUIRY_CHANNELS)},
)
def inquiry_channels_used(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT)


@register(
    "share_of_children_aged",
    unit=Unit.SHARE,
    label=_("Share of the children in inquiries within an age range"),
    params={"min_age": Param(int), "max_age": Param(int)},
)
def share_of_children_aged(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)


@register(
    "share_of_inquiries_without_case",
    unit=Unit.SHARE,
    label=_("Share of inquiries from families without a case at the family unit"),
)
def share_of_inquiries_without_case(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)


@register(
    "share_of_inquiries_referred_by",
    unit=Unit.SHARE,
    label=_("Share of inquiries that came on a referral from the given sources"),
    params={"sources": Param(list, item=str)},
)
def share_of_inquiries_referred_by(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)


@register(
    "referral_count",
    label=_("Referrals the centre made"),
    params={"to": Param(list, required=False, item=str, choices=REFERRAL_DESTINATIONS)},
)
def referral_count(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT)


@register(
    "share_of_referrals_with_contact",
    unit=Unit.SHARE,
    label=_("Share of referrals that led to contact"),
    params={"to": Param(list, required=False, item=str, choices=REFERRAL_DESTINATIONS)},
)
def share_of_referrals_with_contact(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)


@register(
    "share_of_courses_with_reliable_improvement",
    unit=Unit.SHARE,
    label=_("Share of ended courses with reliable improvement"),
)
def share_of_courses_with_reliable_improvement(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.SHARE)


@register(
    "underrepresented_groups",
    label=_("Population groups under-represented among the centre's inquiries"),
    params={"dimensions": Param(list, item=str, choices=("origin", "sex", "age_band"))},
)
def underrepresented_groups(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT)


# --- The annual status (issue 6, part 3) ------------------------------------------------------


@register("centre_status_written", unit=Unit.YES_NO, label=_("The centre's own text for the annual status"))
def centre_status_written(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.YES_NO)


@register("city_status_published", unit=Unit.YES_NO, label=_("The annual status across the city is made"))
def city_status_published(ctx: IndicatorContext) -> IndicatorValue:
    return IndicatorValue.no_data(NOT_BUILT, unit=Unit.YES_NO)


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
