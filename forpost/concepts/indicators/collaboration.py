"""Indicators of the collaboration app: activities, cross-city meetings, volunteer groups,
room bookings, referrals between the centre and its groups."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field, model_validator

from .base import MAX_EVIDENCE, Combine, Ctx, Evidence, IndicatorValue, Params, PerCentre, Unit, indicator, share

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


def one_of(allowed: tuple[str, ...]) -> AfterValidator:
    def check(values: list[str]) -> list[str]:
        for value in values:
            if value not in allowed:
                raise ValueError(f"{value!r} must be one of {', '.join(allowed)}")
        return values

    return AfterValidator(check)


class ActivityParams(Params):
    types: Annotated[list[str], one_of(ACTIVITY_TYPES)] | None = Field(
        None, min_length=1, description="Activity types counted (codes of the activity log's types)."
    )
    partner_types: Annotated[list[str], one_of(PARTNER_TYPES)] | None = Field(
        None, min_length=1, description="Counted only with a partner of one of these kinds."
    )

    @model_validator(mode="after")
    def _types_or_partners(self) -> ActivityParams:
        if not self.types and not self.partner_types:
            raise ValueError("give at least one of: types, partner_types")
        return self


def _activities(ctx: Ctx) -> Any:
    from forpost.collaboration.models import Activity

    return Activity.objects.filter(ctx.scope.q()).within_period(ctx.period.start, ctx.period.end)


@indicator("activity_count", params=ActivityParams, label=_("Activities registered in the activity log"))
def activity_count(ctx: Ctx) -> PerCentre:
    """Activities of the given types, and/or with a partner of the given kinds. The page's
    activity indicators share one count by type and one read of the activities with partners."""
    p: ActivityParams = ctx.params
    types = set(p.types or ())
    if not p.partner_types:
        key = ("activities_by_type", ctx.scope, ctx.period)
        if key not in ctx.memo:
            by_centre: dict[int, dict[str, int]] = defaultdict(dict)
            for row in _activities(ctx).values("centre_id", "type__code").annotate(n=Count("pk")).order_by():
                by_centre[row["centre_id"]][row["type__code"]] = row["n"]
            ctx.memo[key] = by_centre
        by_type = ctx.memo[key]
        return {pk: IndicatorValue(value=sum(by_type[pk].get(t, 0) for t in types)) for pk in ctx.centres}
    key = ("activities_with_partners", ctx.scope, ctx.period)
    if key not in ctx.memo:
        found: dict[int, dict[int, tuple[str, set[str]]]] = defaultdict(dict)
        for centre, pk, code, partner in (
            _activities(ctx)
            .filter(partners__isnull=False)
            .values_list("centre_id", "pk", "type__code", "partners__type")
            .order_by()
        ):
            found[centre].setdefault(pk, (code, set()))[1].add(partner)
        ctx.memo[key] = found
    activities, partners = ctx.memo[key], set(p.partner_types)
    return {
        pk: IndicatorValue(
            value=sum(1 for code, kinds in activities[pk].values() if (not types or code in types) and kinds & partners)
        )
        for pk in ctx.centres
    }


@activity_count.evidence
def _activity_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    p: ActivityParams = ctx.params
    qs = _activities(ctx).filter(centre_id=centre_id)
    if p.types:
        qs = qs.filter(type__code__in=p.types)
    if p.partner_types:
        qs = qs.filter(partners__type__in=p.partner_types)
    first = qs.distinct().select_related("type").order_by("date", "pk")[:MAX_EVIDENCE]
    return [Evidence(str(a.type), a.date) for a in first]


def _counted(ctx: Ctx, rows: Any, key: str = "centre_id") -> PerCentre:
    found = {row[key]: row["n"] or 0 for row in rows}
    return ctx.each(found, lambda n: IndicatorValue(value=n), 0)


def _attendance(ctx: Ctx) -> Any:
    from forpost.collaboration.models import Attendance

    return Attendance.objects.filter(ctx.scope.q(), ctx.period.q("meeting__date"), attended=True)


@indicator("cross_city_meetings_attended", label=_("Cross-city meetings the centre attended"))
def cross_city_meetings_attended(ctx: Ctx) -> PerCentre:
    return _counted(ctx, _attendance(ctx).values("centre_id").annotate(n=Count("pk")).order_by())


@cross_city_meetings_attended.evidence
def _attended_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    rows = _attendance(ctx).filter(centre_id=centre_id).select_related("meeting").order_by("meeting__date")
    return [Evidence(r.meeting.topic or r.meeting.place, r.meeting.date) for r in rows[:MAX_EVIDENCE]]


def _meetings(ctx: Ctx, municipalities: Any) -> Any:
    from forpost.collaboration.models import CrossCityMeeting

    return CrossCityMeeting.objects.filter(ctx.period.q("date"), municipality_id__in=municipalities)


@indicator("cross_city_meetings_held", label=_("Cross-city meetings called by central staff"), combine=Combine.SAME)
def cross_city_meetings_held(ctx: Ctx) -> PerCentre:
    """Meetings in each centre's municipality (a duty of central staff)."""
    from forpost.centres.models import Centre

    municipality = dict(Centre.objects.filter(ctx.scope.q("pk")).values_list("pk", "municipality_id"))
    held = {
        row["municipality_id"]: row["n"]
        for row in _meetings(ctx, set(municipality.values()))
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return {pk: IndicatorValue(value=held.get(municipality.get(pk), 0)) for pk in ctx.centres}


@cross_city_meetings_held.evidence
def _held_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    from forpost.centres.models import Centre

    rows = _meetings(ctx, Centre.objects.filter(pk=centre_id).values("municipality_id")).order_by("date")
    return [Evidence(m.topic or m.place, m.date) for m in rows[:MAX_EVIDENCE]]


class TargetGroupParams(Params):
    target_group: Literal["primary", "secondary"] | None = Field(
        None, description="Only groups for this target group (the concept's primary or secondary)."
    )


class RequiredTargetGroupParams(Params):
    target_group: Literal["primary", "secondary"] = Field(description="The target group whose share is measured.")


def _active_groups(ctx: Ctx) -> Any:
    from forpost.collaboration.models import VolunteerGroup

    return VolunteerGroup.objects.filter(ctx.scope.q(), active_from__lt=ctx.period.end).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=ctx.period.start)
    )


@indicator("volunteer_groups_active", params=TargetGroupParams, label=_("Volunteer groups attached to the centre"))
def volunteer_groups_active(ctx: Ctx) -> PerCentre:
    qs = _active_groups(ctx)
    if ctx.params.target_group:
        qs = qs.filter(target_group=ctx.params.target_group)
    return _counted(ctx, qs.values("centre_id").annotate(n=Count("pk")).order_by())


@volunteer_groups_active.evidence
def _groups_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    qs = _active_groups(ctx).filter(centre_id=centre_id)
    if ctx.params.target_group:
        qs = qs.filter(target_group=ctx.params.target_group)
    return [Evidence(g.name, None) for g in qs.order_by("name")[:MAX_EVIDENCE]]


@indicator(
    "share_of_volunteer_groups",
    unit=Unit.SHARE,
    params=RequiredTargetGroupParams,
    label=_("Share of the volunteer groups with a given target group"),
)
def share_of_volunteer_groups(ctx: Ctx) -> PerCentre:
    rows = (
        _active_groups(ctx)
        .values("centre_id")
        .annotate(wanted=Count("pk", filter=Q(target_group=ctx.params.target_group)), n=Count("pk"))
        .order_by()
    )
    found = {row["centre_id"]: (row["wanted"], row["n"]) for row in rows}
    return ctx.each(found, lambda pair: share(*pair), (0, 0))


def _volunteer_bookings(ctx: Ctx) -> Any:
    from forpost.collaboration.models import Booking

    return (
        Booking.objects.current()
        .filter(ctx.scope.q("room__centre_id"))
        .overlapping_period(*ctx.period.moments())
        .filter(Q(volunteer_group__isnull=False) | Q(partner__type="volunteer_association") | ~Q(holder_name=""))
    )


@indicator("volunteer_room_bookings", label=_("Room bookings by volunteer groups and associations"))
def volunteer_room_bookings(ctx: Ctx) -> PerCentre:
    """Bookings of the centres' rooms held by a volunteer group or a named association."""
    rows = _volunteer_bookings(ctx).values("room__centre_id").annotate(n=Count("pk")).order_by()
    return _counted(ctx, rows, key="room__centre_id")


@volunteer_room_bookings.evidence
def _bookings_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    rows = (
        _volunteer_bookings(ctx)
        .filter(room__centre_id=centre_id)
        .select_related("volunteer_group", "partner")
        .order_by("starts_at")[:MAX_EVIDENCE]
    )
    return [Evidence(b.holder, timezone.localtime(b.starts_at).date()) for b in rows]


class DirectionParams(Params):
    direction: Literal["to_centre", "to_group"] | None = Field(None, description="Only referrals this way.")


@indicator(
    "group_referrals", params=DirectionParams, label=_("Families referred between the centre and its volunteer groups")
)
def group_referrals(ctx: Ctx) -> PerCentre:
    from forpost.collaboration.models import GroupReferral

    qs = GroupReferral.objects.filter(ctx.scope.q("group__centre_id"), ctx.period.q("date"))
    if ctx.params.direction:
        qs = qs.filter(direction=ctx.params.direction)
    return _counted(ctx, qs.values("group__centre_id").annotate(n=Sum("count")).order_by(), key="group__centre_id")


INDICATORS = (
    activity_count,
    cross_city_meetings_attended,
    cross_city_meetings_held,
    volunteer_groups_active,
    share_of_volunteer_groups,
    volunteer_room_bookings,
    group_referrals,
)
