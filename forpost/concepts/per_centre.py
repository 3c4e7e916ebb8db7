"""Indicators for many centres at once: one grouped query instead of one query a centre.

The city's scorecard judges every requirement for every centre: 39 requirements at a
thousand centres would be tens of thousands of queries one centre at a time. A function
registered here with `@per_centre(name)` computes the indicator of the same name for each of
`ctx.centre_ids` separately, with a constant number of queries, and returns
{centre id: IndicatorValue}.

The promise, proved by forpost/concepts/tests/test_per_centre.py: each centre's value,
unit, parts, detail and no-data reason are exactly those of `indicators.compute()` for that
centre alone. Only the evidence (the dated list behind a value) is left out: it is read when
one centre is shown. A function may return None for a period it cannot batch; the caller
then computes centre by centre.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from .indicators import (
    AGE_BANDS,
    NOT_BUILT,
    IndicatorContext,
    IndicatorValue,
    Unit,
    _model,
    _share,
    bands_within,
    local_midnight,
)

PerCentre = dict[int, IndicatorValue]
BATCH: dict[str, Callable[[IndicatorContext], PerCentre | None]] = {}


def per_centre(name: str) -> Callable[[Callable[[IndicatorContext], PerCentre | None]], Any]:
    def decorator(function: Callable[[IndicatorContext], PerCentre | None]) -> Any:
        BATCH[name] = function
        return function

    return decorator


def _in(ctx: IndicatorContext, path: str) -> Q:
    """The rows of the centres measured. When they are all the centres there are (the city's
    status), no condition: a thousand ids in every query cost more than they filter."""
    return Q() if ctx.all_centres else Q(**{f"{path}__in": ctx.centre_ids})


def _each(
    ctx: IndicatorContext, values: dict[int, Any], make: Callable[[Any], IndicatorValue], empty: Any
) -> PerCentre:
    return {pk: make(values.get(pk, empty)) for pk in ctx.centre_ids}


def _counts(ctx: IndicatorContext, rows: Any, key: str = "centre_id") -> PerCentre:
    found = {row[key]: row["n"] or 0 for row in rows}
    return _each(ctx, found, lambda n: IndicatorValue(value=n), 0)


def _not_built(ctx: IndicatorContext, unit: str = Unit.COUNT) -> PerCentre:
    return {pk: IndicatorValue.no_data(NOT_BUILT, unit=unit) for pk in ctx.centre_ids}


def _whole_years(ctx: IndicatorContext) -> bool:
    return (ctx.start.month, ctx.start.day, ctx.end.month, ctx.end.day) == (1, 1, 1, 1)


# The counts the per-centre indicators read (see forpost.reports.facts).
FACT_DIMENSIONS = (
    "total",
    "child_sex",
    "origin",
    "parent_sex",
    "referral_to",
    "referral_bridge",
    "course_improved",
    "course_ors_n",
    "course_started",
    "course_ended",
    "course_scaling_n",
)


def year_facts_by_centre(ctx: IndicatorContext, *dimensions: str) -> dict[int, dict[str, dict[str, int]]] | None:
    """{centre: {dimension: {value: count}}} from the status's counts over whole calendar
    years; None for any other period (then the registrations are scanned)."""
    unknown = set(dimensions) - set(FACT_DIMENSIONS)
    if unknown:
        raise ValueError(f"Add {sorted(unknown)} to FACT_DIMENSIONS.")
    if not _whole_years(ctx):
        return None
    from forpost.registrations.models import InquiryFact

    key = ("facts_by_centre", ctx.centre_ids, ctx.start, ctx.end)
    if key in ctx.memo:  # the page's indicators share one read of the counts
        memoised: dict[int, dict[str, dict[str, int]]] = ctx.memo[key]
        return memoised
    found: dict[int, dict[str, dict[str, int]]] = ctx.memo.setdefault(key, {pk: {} for pk in ctx.centre_ids})
    rows = (
        InquiryFact.objects.filter(
            _in(ctx, "centre_id"),
            year__gte=ctx.start.year,
            year__lt=ctx.end.year,
            dimension__in=FACT_DIMENSIONS,
        )
        .values("centre_id", "dimension", "value")
        .annotate(n=Sum("count"))
        .values_list("centre_id", "dimension", "value", "n")
        .order_by()
    )
    for centre, dimension, value, n in rows:
        found[centre].setdefault(dimension, {})[value] = n
    return found


def year_sums_by_centre(ctx: IndicatorContext, dimension: str, **sums: Q) -> dict[int, dict[str, int]] | None:
    """{centre: {name: count}} summed by the database from the status's counts of one
    dimension over whole years, one sum per name (its Q on `value`); None for any other
    period. A few numbers a centre instead of every value of the dimension."""
    if not _whole_years(ctx):
        return None
    from django.db.models.functions import Coalesce

    from forpost.registrations.models import InquiryFact

    rows = (
        InquiryFact.objects.filter(
            _in(ctx, "centre_id"), year__gte=ctx.start.year, year__lt=ctx.end.year, dimension=dimension
        )
        .values("centre_id")
        .annotate(**{name: Coalesce(Sum("count", filter=q), 0) for name, q in sums.items()})
        .values_list("centre_id", *sums)
        .order_by()
    )
    empty = dict.fromkeys(sums, 0)
    found = dict.fromkeys(ctx.centre_ids, empty)
    for centre, *values in rows:
        found[centre] = dict(zip(sums, values, strict=True))
    return found


def _inquiries(ctx: IndicatorContext) -> Any:
    inquiry = _model("registrations", "Inquiry")
    if inquiry is None:
        return None
    return inquiry.objects.filter(_in(ctx, "centre_id"), date__gte=ctx.start, date__lt=ctx.end)


# --- Collaboration -----------------------------------------------------------------------------


@per_centre("activity_count")
def activity_count(ctx: IndicatorContext) -> PerCentre:
    activity = _model("collaboration", "Activity")
    if activity is None:
        return _not_built(ctx)
    qs = activity.objects.filter(_in(ctx, "centre_id")).within_period(ctx.start, ctx.end)
    if ctx.param("types") and not ctx.param("partner_types"):
        # An activity has one type: the page's activity indicators share one count by type.
        key = ("activities_by_type", ctx.centre_ids, ctx.start, ctx.end)
        if key not in ctx.memo:
            by_centre: dict[int, dict[str, int]] = defaultdict(dict)
            for row in qs.values("centre_id", "type__code").annotate(n=Count("pk")).order_by():
                by_centre[row["centre_id"]][row["type__code"]] = row["n"]
            ctx.memo[key] = by_centre
        by_type, types = ctx.memo[key], set(ctx.param("types"))
        return {pk: IndicatorValue(value=sum(by_type[pk].get(t, 0) for t in types)) for pk in ctx.centre_ids}
    if ctx.param("partner_types"):
        # The page's activity indicators by partner share one read of the activities that
        # have partners: (centre, activity, type, partner type), counted here per activity.
        key = ("activities_with_partners", ctx.centre_ids, ctx.start, ctx.end)
        if key not in ctx.memo:
            found: dict[int, dict[int, tuple[str, set[str]]]] = defaultdict(dict)
            for centre, pk, code, partner in (
                qs.filter(partners__isnull=False)
                .values_list("centre_id", "pk", "type__code", "partners__type")
                .order_by()
            ):
                found[centre].setdefault(pk, (code, set()))[1].add(partner)
            ctx.memo[key] = found
        activities = ctx.memo[key]
        types, partners = set(ctx.param("types") or ()), set(ctx.param("partner_types"))
        return {
            pk: IndicatorValue(
                value=sum(
                    1 for code, kinds in activities[pk].values() if (not types or code in types) and kinds & partners
                )
            )
            for pk in ctx.centre_ids
        }
    if ctx.param("types"):
        qs = qs.filter(type__code__in=ctx.param("types"))
    return _counts(ctx, qs.values("centre_id").annotate(n=Count("pk", distinct=True)).order_by())


@per_centre("cross_city_meetings_attended")
def cross_city_meetings_attended(ctx: IndicatorContext) -> PerCentre:
    attendance = _model("collaboration", "Attendance")
    if attendance is None:
        return _not_built(ctx)
    rows = (
        attendance.objects.filter(
            _in(ctx, "centre_id"), attended=True, meeting__date__gte=ctx.start, meeting__date__lt=ctx.end
        )
        .values("centre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _counts(ctx, rows)


@per_centre("cross_city_meetings_held")
def cross_city_meetings_held(ctx: IndicatorContext) -> PerCentre:
    meeting = _model("collaboration", "CrossCityMeeting")
    if meeting is None:
        return _not_built(ctx)
    from forpost.centres.models import Centre

    municipality = dict(Centre.objects.filter(_in(ctx, "pk")).values_list("pk", "municipality_id"))
    held = {
        row["municipality_id"]: row["n"]
        for row in meeting.objects.filter(
            municipality_id__in=set(municipality.values()), date__gte=ctx.start, date__lt=ctx.end
        )
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return {pk: IndicatorValue(value=held.get(municipality.get(pk), 0)) for pk in ctx.centre_ids}


def _active_groups(ctx: IndicatorContext) -> Any:
    group = _model("collaboration", "VolunteerGroup")
    if group is None:
        return None
    return group.objects.filter(_in(ctx, "centre_id"), active_from__lt=ctx.end).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=ctx.start)
    )


@per_centre("volunteer_groups_active")
def volunteer_groups_active(ctx: IndicatorContext) -> PerCentre:
    qs = _active_groups(ctx)
    if qs is None:
        return _not_built(ctx)
    if ctx.param("target_group"):
        qs = qs.filter(target_group=ctx.param("target_group"))
    return _counts(ctx, qs.values("centre_id").annotate(n=Count("pk")).order_by())


@per_centre("share_of_volunteer_groups")
def share_of_volunteer_groups(ctx: IndicatorContext) -> PerCentre:
    qs = _active_groups(ctx)
    if qs is None:
        return _not_built(ctx, Unit.SHARE)
    rows = qs.values("centre_id").annotate(
        wanted=Count("pk", filter=Q(target_group=ctx.param("target_group"))), n=Count("pk")
    )
    found = {row["centre_id"]: (row["wanted"], row["n"]) for row in rows.order_by()}
    return _each(ctx, found, lambda pair: _share(*pair), (0, 0))


@per_centre("volunteer_room_bookings")
def volunteer_room_bookings(ctx: IndicatorContext) -> PerCentre:
    booking = _model("collaboration", "Booking")
    if booking is None:
        return _not_built(ctx)
    rows = (
        booking.objects.current()
        .filter(_in(ctx, "room__centre_id"))
        .overlapping_period(local_midnight(ctx.start), local_midnight(ctx.end))
        .filter(Q(volunteer_group__isnull=False) | Q(partner__type="volunteer_association") | ~Q(holder_name=""))
        .values("room__centre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _counts(ctx, rows, key="room__centre_id")


@per_centre("group_referrals")
def group_referrals(ctx: IndicatorContext) -> PerCentre:
    referral = _model("collaboration", "GroupReferral")
    if referral is None:
        return _not_built(ctx)
    qs = referral.objects.filter(_in(ctx, "group__centre_id"), date__gte=ctx.start, date__lt=ctx.end)
    if ctx.param("direction"):
        qs = qs.filter(direction=ctx.param("direction"))
    return _counts(ctx, qs.values("group__centre_id").annotate(n=Sum("count")).order_by(), key="group__centre_id")


# --- Centres: hours, staff and budget ------------------------------------------------------------


def hours_year(ctx: IndicatorContext) -> int | None:
    """The year when the period starts on 1 January and ends within that year (the whole
    year, or the year so far): its whole weeks are the first of the year's stored weeks."""
    start, end = ctx.start, ctx.end
    if (start.month, start.day) == (1, 1) and start < end <= start.replace(year=start.year + 1):
        return start.year
    return None


def _hours_per_centre(ctx: IndicatorContext, kind: str) -> PerCentre | None:
    """Each centre's weeks summed up by the database (forpost.centres.weekly): the weeks
    meeting the minimum, the weakest firm week and the few excusable weeks, without reading
    the weeks themselves; judged by the function the single centre uses."""
    from forpost.centres import weekly

    from .indicators import _no_opening_hours, weekly_counts

    year = hours_year(ctx)
    if year is None:
        return None
    checked = ("weekly_hours_ensured", ctx.centre_ids, year)
    if checked not in ctx.memo:  # drop-in and staff on one page check the inputs once
        weekly.ensure(ctx.centre_ids, year)
        ctx.memo[checked] = True
    minimum = float(ctx.param("minimum", 6))
    summed = ("weekly_summaries", ctx.centre_ids, year, ctx.end, minimum)
    if summed not in ctx.memo:  # one query gives drop-in and staff alike
        ctx.memo[summed] = weekly.summaries(
            ctx.centre_ids, year, end=ctx.end, dropin_minimum=minimum, staff_minimum=minimum, ensured=True
        )
    found = ctx.memo[summed]
    result = {}
    for pk, summary in found.items():
        if not summary.weeks:
            result[pk] = IndicatorValue.no_data(_("No whole week to measure yet."), unit=Unit.HOURS_PER_WEEK)
        elif kind == "staff":
            result[pk] = weekly_counts(ctx, weeks=summary.weeks, tally=summary.staff)
        elif not summary.covered:
            result[pk] = _no_opening_hours(summary.weeks)
        else:
            result[pk] = weekly_counts(ctx, weeks=summary.weeks, tally=summary.dropin)
    return result


@per_centre("dropin_hours_per_week")
def dropin_hours_per_week(ctx: IndicatorContext) -> PerCentre | None:
    return _hours_per_centre(ctx, "dropin")


@per_centre("family_unit_staff_hours_per_week")
def family_unit_staff_hours_per_week(ctx: IndicatorContext) -> PerCentre | None:
    return _hours_per_centre(ctx, "staff")


@per_centre("budget_known")
def budget_known(ctx: IndicatorContext) -> PerCentre:
    budget = _model("centres", "Budget")
    if budget is None:
        return _not_built(ctx, Unit.YES_NO)
    qs = budget.objects.filter(_in(ctx, "centre_id"), year=ctx.start.year)
    if ctx.param("confirmed"):
        qs = qs.filter(confirmed_at__isnull=False)
    known = set(qs.values_list("centre_id", flat=True))
    return {pk: IndicatorValue(value=1.0 if pk in known else 0.0, unit=Unit.YES_NO) for pk in ctx.centre_ids}


# --- Registrations -----------------------------------------------------------------------------


@per_centre("registrations_count")
def registrations_count(ctx: IndicatorContext) -> PerCentre:
    if ctx.param("kind") == "courses":
        course = _model("registrations", "Course")
        if course is None:
            return _not_built(ctx)
        started = year_facts_by_centre(ctx, "course_started")
        if started is not None:
            return {pk: IndicatorValue(value=started[pk].get("course_started", {}).get("", 0)) for pk in ctx.centre_ids}
        rows = (
            course.objects.filter(_in(ctx, "centre_id"), started_on__gte=ctx.start, started_on__lt=ctx.end)
            .values("centre_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return _counts(ctx, rows)
    facts = year_facts_by_centre(ctx, "total")
    if facts is not None:
        return {pk: IndicatorValue(value=facts[pk].get("total", {}).get("", 0)) for pk in ctx.centre_ids}
    qs = _inquiries(ctx)
    if qs is None:
        return _not_built(ctx)
    return _counts(ctx, qs.values("centre_id").annotate(n=Count("pk")).order_by())


@per_centre("inquiry_channels_used")
def inquiry_channels_used(ctx: IndicatorContext) -> PerCentre:
    qs = _inquiries(ctx)
    if qs is None:
        return _not_built(ctx)
    wanted = list(ctx.param("channels"))
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ctx.centre_ids}
    channel_model = _model("registrations", "Channel")
    codes = dict(channel_model.objects.filter(code__in=wanted).values_list("code", "pk"))
    sums = year_sums_by_centre(ctx, "channel", **{f"c{i}": Q(value=str(codes.get(c))) for i, c in enumerate(wanted)})
    if sums is not None:
        for pk in ctx.centre_ids:
            counts[pk] = {c: sums[pk][f"c{i}"] for i, c in enumerate(wanted) if c in codes}
    else:
        for row in qs.filter(channel__code__in=wanted).values("centre_id", "channel__code").annotate(n=Count("pk")):
            counts[row["centre_id"]][row["channel__code"]] = row["n"]
    result = {}
    for pk in ctx.centre_ids:
        used = [c for c in wanted if counts[pk].get(c)]
        result[pk] = IndicatorValue(value=len(used), parts=(len(used), len(wanted)))
    return result


@per_centre("share_of_children_aged")
def share_of_children_aged(ctx: IndicatorContext) -> PerCentre:
    low, high = ctx.param("min_age"), ctx.param("max_age")
    inside = bands_within(low, high)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ctx.centre_ids}
    sums = year_sums_by_centre(ctx, "child_age", inside=Q(value__in=inside), all=Q(value__in=list(AGE_BANDS)))
    if sums is not None:
        return {pk: _share(sums[pk]["inside"], sums[pk]["all"]) for pk in ctx.centre_ids}
    else:
        child = _model("registrations", "Child")
        if child is None:
            return _not_built(ctx, Unit.SHARE)
        for row in (
            child.objects.filter(
                _in(ctx, "inquiry__centre_id"), inquiry__date__gte=ctx.start, inquiry__date__lt=ctx.end
            )
            .values("inquiry__centre_id", "age_band")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[row["inquiry__centre_id"]][row["age_band"]] = row["n"]
    result = {}
    for pk in ctx.centre_ids:
        total = sum(n for band, n in counts[pk].items() if band in AGE_BANDS)
        result[pk] = _share(sum(counts[pk].get(b, 0) for b in inside), total)
    return result


@per_centre("share_of_inquiries_without_case")
def share_of_inquiries_without_case(ctx: IndicatorContext) -> PerCentre:
    from django.utils.translation import gettext as _

    qs = _inquiries(ctx)
    if qs is None:
        return _not_built(ctx, Unit.SHARE)
    counts: dict[int, dict[str, int]] = {}
    known = Q(value__in=["yes", "no"])
    sums = year_sums_by_centre(ctx, "has_case", no=Q(value="no"), known=known, unknown=~known)
    if sums is not None:
        counts = sums
    else:
        for row in (
            qs.values("centre_id")
            .annotate(
                no=Count("pk", filter=Q(has_case="no")),
                known=Count("pk", filter=Q(has_case__in=["yes", "no"])),
                unknown=Count("pk", filter=~Q(has_case__in=["yes", "no"])),
            )
            .order_by()
        ):
            counts[row["centre_id"]] = row
    result = {}
    for pk in ctx.centre_ids:
        c = counts.get(pk, {"no": 0, "known": 0, "unknown": 0})
        detail = ""
        if c["unknown"]:
            detail = str(_("%(n)s inquiries where it was not known were left out.")) % {"n": c["unknown"]}
        result[pk] = _share(c["no"], c["known"], detail=detail)
    return result


@per_centre("share_of_inquiries_referred_by")
def share_of_inquiries_referred_by(ctx: IndicatorContext) -> PerCentre:
    qs = _inquiries(ctx)
    if qs is None:
        return _not_built(ctx, Unit.SHARE)
    sources = list(ctx.param("sources"))
    counts: dict[int, tuple[int, int]] = {}
    source = _model("registrations", "ReferralSource")
    wanted_pks = [str(pk) for pk in source.objects.filter(code__in=sources).values_list("pk", flat=True)]
    sums = year_sums_by_centre(ctx, "referral_source", wanted=Q(value__in=wanted_pks), known=~Q(value=""))
    if sums is not None:
        counts = {pk: (sums[pk]["wanted"], sums[pk]["known"]) for pk in ctx.centre_ids}
    else:
        for row in (
            qs.values("centre_id")
            .annotate(
                wanted=Count("pk", filter=Q(referral_source__code__in=sources)),
                known=Count("pk", filter=Q(referral_source__isnull=False)),
            )
            .order_by()
        ):
            counts[row["centre_id"]] = (row["wanted"], row["known"])
    return _each(ctx, counts, lambda pair: _share(*pair), (0, 0))


def _referrals(ctx: IndicatorContext) -> Any:
    referral = _model("registrations", "Referral")
    if referral is None:
        return None
    qs = referral.objects.filter(_in(ctx, "centre_id"), made_on__gte=ctx.start, made_on__lt=ctx.end)
    if ctx.param("to"):
        qs = qs.filter(destination__in=list(ctx.param("to")))
    return qs


@per_centre("referral_count")
def referral_count(ctx: IndicatorContext) -> PerCentre:
    qs = _referrals(ctx)
    if qs is None:
        return _not_built(ctx)
    facts = year_facts_by_centre(ctx, "referral_to")
    if facts is not None:
        to = set(ctx.param("to") or ())
        return {
            pk: IndicatorValue(value=sum(n for k, n in facts[pk].get("referral_to", {}).items() if not to or k in to))
            for pk in ctx.centre_ids
        }
    return _counts(ctx, qs.values("centre_id").annotate(n=Count("pk")).order_by())


@per_centre("share_of_referrals_with_contact")
def share_of_referrals_with_contact(ctx: IndicatorContext) -> PerCentre:
    qs = _referrals(ctx)
    if qs is None:
        return _not_built(ctx, Unit.SHARE)
    facts = year_facts_by_centre(ctx, "referral_bridge")
    if facts is not None and (not ctx.param("to") or "family_unit" in ctx.param("to")):
        result = {}
        for pk in ctx.centre_ids:
            bridge = facts[pk].get("referral_bridge", {})
            contact = bridge.get("contact_made", 0) + bridge.get("case_opened", 0)
            result[pk] = _share(contact, sum(bridge.values()))
        return result
    rows = (
        qs.filter(destination="family_unit")
        .values("centre_id")
        .annotate(contact=Count("pk", filter=Q(bridge_status__in=["contact_made", "case_opened"])), n=Count("pk"))
        .order_by()
    )
    found = {row["centre_id"]: (row["contact"], row["n"]) for row in rows}
    return _each(ctx, found, lambda pair: _share(*pair), (0, 0))


@per_centre("share_of_courses_with_reliable_improvement")
def share_of_courses_with_reliable_improvement(ctx: IndicatorContext) -> PerCentre:
    course = _model("registrations", "Course")
    if course is None:
        return _not_built(ctx, Unit.SHARE)
    facts = year_facts_by_centre(ctx, "course_improved", "course_ors_n")
    if facts is not None:
        return {
            pk: _share(facts[pk].get("course_improved", {}).get("", 0), facts[pk].get("course_ors_n", {}).get("", 0))
            for pk in ctx.centre_ids
        }
    from forpost.registrations.queries import with_score_edges

    rows = (
        with_score_edges(  # type: ignore[misc]  # annotated by with_score_edges
            course.objects.filter(_in(ctx, "centre_id"), ended_on__gte=ctx.start, ended_on__lt=ctx.end)
        )
        .filter(n_ors__gte=2)
        .values_list("centre_id", "first_ors", "last_ors", "score_norm__reliable_change")
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, first, last, reliable in rows:
        found[pk][1] += 1
        found[pk][0] += last - first >= reliable
    return {pk: _share(*found.get(pk, (0, 0))) for pk in ctx.centre_ids}


@per_centre("share_of_inquiries_by_channel")
def share_of_inquiries_by_channel(ctx: IndicatorContext) -> PerCentre:
    """Among all inquiries, those that came by the given channels (e.g. home visits)."""
    channel = _model("registrations", "Channel")
    wanted = list(ctx.param("channels"))
    pks = [str(pk) for pk in channel.objects.filter(code__in=wanted).values_list("pk", flat=True)]
    sums = year_sums_by_centre(ctx, "channel", wanted=Q(value__in=pks), all=Q(value__isnull=False))
    if sums is not None:
        return {pk: _share(sums[pk]["wanted"], sums[pk]["all"]) for pk in ctx.centre_ids}
    rows = (
        _inquiries(ctx)
        .values("centre_id")
        .annotate(wanted=Count("pk", filter=Q(channel__code__in=wanted)), n=Count("pk"))
        .values_list("centre_id", "wanted", "n")
        .order_by()
    )
    found = {pk: (wanted_n, n) for pk, wanted_n, n in rows}
    return _each(ctx, found, lambda pair: _share(*pair), (0, 0))


# The status's count of ended courses with a score at two sessions or more, by score.
SCORE_FACTS = {"scaling": "course_scaling_n", "ors": "course_ors_n"}


@per_centre("share_of_ended_courses_with_scores")
def share_of_ended_courses_with_scores(ctx: IndicatorContext) -> PerCentre:
    """Among courses ended in the period, those with the score (scaling or ORS) registered at
    two sessions or more: at the start and at the end."""
    score = ctx.param("score")
    facts = year_facts_by_centre(ctx, "course_ended", SCORE_FACTS[score])
    if facts is not None:
        return {
            pk: _share(facts[pk].get(SCORE_FACTS[score], {}).get("", 0), facts[pk].get("course_ended", {}).get("", 0))
            for pk in ctx.centre_ids
        }
    from forpost.registrations.queries import with_score_edges

    course = _model("registrations", "Course")
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, n_scaling, n_ors in with_score_edges(  # type: ignore[misc]  # annotated by with_score_edges
        course.objects.filter(_in(ctx, "centre_id"), ended_on__gte=ctx.start, ended_on__lt=ctx.end)
    ).values_list("centre_id", "n_scaling", "n_ors"):
        found[pk][1] += 1
        found[pk][0] += (n_scaling if score == "scaling" else n_ors) >= 2
    return {pk: _share(*found.get(pk, (0, 0))) for pk in ctx.centre_ids}


# The session field holding each score.
SESSION_SCORES = {"scaling": "scaling", "ors": "ors_total", "srs": "srs_total"}


@per_centre("share_of_sessions_with_score")
def share_of_sessions_with_score(ctx: IndicatorContext) -> PerCentre:
    """Among the sessions held in the period, those where the score was registered."""
    session = _model("registrations", "Session")
    field = SESSION_SCORES[ctx.param("score")]
    rows = (
        session.objects.filter(_in(ctx, "course__centre_id"), date__gte=ctx.start, date__lt=ctx.end)
        .values("course__centre_id")
        .annotate(scored=Count("pk", filter=Q(**{f"{field}__isnull": False})), n=Count("pk"))
        .values_list("course__centre_id", "scored", "n")
        .order_by()
    )
    found = {pk: (scored, n) for pk, scored, n in rows}
    return _each(ctx, found, lambda pair: _share(*pair), (0, 0))


@per_centre("underrepresented_groups")
def underrepresented_groups(ctx: IndicatorContext) -> PerCentre:
    """The single centre's function is this batch for one centre (forpost.concepts.representation)."""
    from .representation import underrepresented_by_centre

    return underrepresented_by_centre(ctx)


# --- The annual status ---------------------------------------------------------------------------


@per_centre("centre_status_written")
def centre_status_written(ctx: IndicatorContext) -> PerCentre:
    from forpost.reports.models import StatusText

    written = {
        t.centre_id for t in StatusText.objects.filter(_in(ctx, "centre_id"), year=ctx.start.year) if not t.is_empty
    }
    return {pk: IndicatorValue(value=1.0 if pk in written else 0.0, unit=Unit.YES_NO) for pk in ctx.centre_ids}


@per_centre("city_status_published")
def city_status_published(ctx: IndicatorContext) -> PerCentre:
    """The city's status is one for all centres: computed once and given to each."""
    from .indicators import REGISTRY

    value = REGISTRY["city_status_published"].function(ctx)
    bare = IndicatorValue(value=value.value, unit=value.unit, parts=value.parts, detail=value.detail)
    return dict.fromkeys(ctx.centre_ids, bare)
