"""The counts behind the annual status (see InquiryFact).

`inquiry_facts(inquiry)` lists what one inquiry adds to its centre's year, and
`course_row_facts()` what one course adds to its start year and its end year (results,
sessions, length and the outcome-score sums). A registration service takes the facts before
and after a change and calls `apply_change()` inside its transaction, so the counts are
always those of the registrations: starting a course counts the inquiry's new action,
voiding takes a registration out of every count, and a changed score norm recounts the
courses it judges (registrations.services.change_score_norm). `recount()` computes them with
one grouped query per dimension and one pass over the courses; `rebuild()` stores that (after
a bulk load or a repair) and `differences()` compares it with the kept counts (`manage.py
verify_counts`, nightly).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay, ExtractMonth, ExtractYear

from .models import InquiryFact

Facts = Counter[tuple[str, str]]

CHILD_AGES_0_12 = ("0-2", "3-5", "6-9", "10-12")

# Dimensions counted once per inquiry from a plain field: dimension → field.
FIELD_DIMENSIONS = {
    "contact": "contact_person",
    "family": "family_type",
    "parent_sex": "parent_sex",
    "origin": "origin",
    "has_case": "has_case",
}


def inquiry_facts(inquiry: Any) -> Facts:
    """What one saved inquiry (with its themes, actions and children) counts for."""
    facts: Facts = Counter()
    facts[("total", "")] += 1
    facts[("month", str(inquiry.date.month))] += 1
    facts[("weekday", str(inquiry.date.isoweekday()))] += 1
    facts[("channel", str(inquiry.channel_id))] += 1
    for dimension, field in FIELD_DIMENSIONS.items():
        facts[(dimension, getattr(inquiry, field))] += 1
    facts[("district", str(inquiry.district_id) if inquiry.district_id else inquiry.residence)] += 1
    facts[("referral_source", str(inquiry.referral_source_id or ""))] += 1
    for theme_id in inquiry.themes.values_list("pk", flat=True):
        facts[("theme", str(theme_id))] += 1
    for action_id in inquiry.actions.values_list("pk", flat=True):
        facts[("action", str(action_id))] += 1
    children = list(inquiry.children.values_list("age_band", "sex"))
    for age, sex in children:
        facts[("child_age", age)] += 1
        facts[("child_sex", sex)] += 1
    facts[("children", "")] += len(children)
    facts[("child_0_12", "yes" if any(age in CHILD_AGES_0_12 for age, _sex in children) else "no")] += 1
    if inquiry.concern_reported_on:
        facts[("concern", "")] += 1
    if inquiry.minutes:
        facts[("minutes", "")] += inquiry.minutes
        facts[("minutes_n", "")] += 1
    return facts


# Courses by sessions and by length in days: (key, lowest, highest), both inclusive.
SESSION_BUCKETS = (("0", 0, 0), ("1", 1, 1), ("2-3", 2, 3), ("4-6", 4, 6), ("7+", 7, 10_000))
LENGTH_BUCKETS = (("lt1", 0, 30), ("1-3", 31, 91), ("3-6", 92, 182), ("gt6", 183, 100_000))


def _bucket(buckets: tuple[tuple[str, int, int], ...], n: int) -> str:
    return next(key for key, low, high in buckets if low <= n <= high)


def course_row_facts(
    centre_id: int,
    started_on: Any,
    ended_on: Any,
    result: str,
    n_sessions: int,
    n_scaling: int,
    n_ors: int,
    first_scaling: Any,
    last_scaling: Any,
    first_ors: Any,
    last_ors: Any,
    ors_cutoff: Any,
    reliable_change: Any,
) -> list[tuple[int, int, Facts]]:
    """What one course counts for: its start year, and once ended its end year, with the
    numbers the status's course section and the reliable-improvement indicator read.

    Sums of changes are kept as whole numbers: scaling is whole, ORS in tenths."""
    started: Facts = Counter({("course_started", ""): 1})
    counted = [(centre_id, started_on.year, started)]
    if ended_on is None:
        return counted
    ended: Facts = Counter()
    ended[("course_ended", "")] += 1
    ended[("course_result", result)] += 1
    ended[("course_sessions", _bucket(SESSION_BUCKETS, n_sessions))] += 1
    ended[("course_length", _bucket(LENGTH_BUCKETS, (ended_on - started_on).days))] += 1
    if n_scaling >= 2:
        ended[("course_scaling_n", "")] += 1
        ended[("course_scaling_change", "")] += int(last_scaling - first_scaling)
    if n_ors >= 2:
        change = last_ors - first_ors
        ended[("course_ors_n", "")] += 1
        ended[("course_ors_change_tenths", "")] += round(change * 10)
        ended[("course_improved", "")] += int(change >= reliable_change)
        if first_ors < ors_cutoff:
            ended[("course_below_cutoff", "")] += 1
            ended[("course_recovered", "")] += int(last_ors >= ors_cutoff)
    counted.append((centre_id, ended_on.year, ended))
    return counted


COURSE_EDGES = (
    "centre_id",
    "started_on",
    "ended_on",
    "result",
    "n_sessions",
    "n_scaling",
    "n_ors",
    "first_scaling",
    "last_scaling",
    "first_ors",
    "last_ors",
    "score_norm__ors_cutoff",
    "score_norm__reliable_change",
)


def course_facts_of(course: Any | None) -> list[tuple[int, int, Facts]] | None:
    """What a saved course counts for as it stands in the database now (None: no course)."""
    if course is None or course.pk is None:
        return None
    from forpost.registrations.models import Course
    from forpost.registrations.queries import with_score_edges

    row = with_score_edges(Course.objects.filter(pk=course.pk)).values_list(*COURSE_EDGES).first()
    return None if row is None else course_row_facts(*row)


def referral_facts_of(referral: Any | None) -> tuple[int, int, Facts] | None:
    """What one referral counts for: its destination, and for the family unit the bridge."""
    if referral is None or referral.pk is None:
        return None
    counted: Facts = Counter({("referral_to", referral.destination): 1})
    if referral.destination == "family_unit":
        counted[("referral_bridge", referral.bridge_status or "offered")] += 1
    if referral.destination == "offer":
        counted[("referral_offer", offer_fact(referral.offer_kind, referral.offer_contact))] += 1
    return referral.centre_id, referral.made_on.year, counted


def offer_fact(kind: str, contact: str) -> str:
    """A referral to an offer counts by the offer's kind and whether contact was made
    ("public|made"; "private|" while not yet known)."""
    return f"{kind}|{contact}"


def facts_of(inquiry: Any | None) -> tuple[int, int, Facts] | None:
    """(centre id, year, facts) of an inquiry as it is now, or None for no inquiry (or a
    voided one, which counts for nothing)."""
    if inquiry is None or inquiry.pk is None or getattr(inquiry, "voided_at", None) is not None:
        return None
    return inquiry.centre_id, inquiry.date.year, inquiry_facts(inquiry)


Counted = tuple[int, int, Facts] | list[tuple[int, int, Facts]] | None


def _each(counted: Counted) -> list[tuple[int, int, Facts]]:
    if counted is None:
        return []
    return counted if isinstance(counted, list) else [counted]


def apply_change(before: Counted, after: Counted) -> None:
    """Move the counts from `before` to `after` (either may be None: a create or a delete).
    Each is what `facts_of()` or `course_facts_of()` gave: (centre, year, facts), or a list."""
    deltas: Counter[tuple[int, int, str, str]] = Counter()
    for centre, year, facts in _each(before):
        for (dimension, value), n in facts.items():
            deltas[(centre, year, dimension, value)] -= n
    for centre, year, facts in _each(after):
        for (dimension, value), n in facts.items():
            deltas[(centre, year, dimension, value)] += n
    with transaction.atomic():
        # Sorted, so concurrent changes take the row locks in the same order (no deadlock).
        for (centre, year, dimension, value), n in sorted(deltas.items()):
            if n == 0:
                continue
            row = InquiryFact.objects.filter(centre_id=centre, year=year, dimension=dimension, value=value)
            if row.update(count=F("count") + n):
                continue
            try:
                # A savepoint: if another transaction inserted the same count row meanwhile,
                # the unique constraint refuses ours and we add to theirs instead.
                with transaction.atomic():
                    InquiryFact.objects.create(centre_id=centre, year=year, dimension=dimension, value=value, count=n)
            except IntegrityError:
                row.update(count=F("count") + n)


def rebuild(*, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None) -> int:
    """Recompute the counts from the registrations; returns the number of count rows."""
    rows = recount(centre_ids=centre_ids, years=years)
    with transaction.atomic():
        existing = InquiryFact.objects.all()
        if centre_ids is not None:
            existing = existing.filter(centre_id__in=list(centre_ids))
        if years is not None:
            existing = existing.filter(year__in=list(years))
        existing.delete()
        InquiryFact.objects.bulk_create(
            [
                InquiryFact(centre_id=c, year=y, dimension=d, value=v, count=n)
                for (c, y, d, v), n in sorted(rows.items())
                if n
            ],
            batch_size=2000,
        )
    return sum(1 for n in rows.values() if n)


def differences(
    *, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> list[tuple[tuple[int, int, str, str], int, int]]:
    """Where the kept counts differ from a recount: ((centre, year, dimension, value), kept,
    recounted), sorted. Empty when the services kept every count in step."""
    recounted = recount(centre_ids=centre_ids, years=years)
    stored = InquiryFact.objects.all()
    if centre_ids is not None:
        stored = stored.filter(centre_id__in=list(centre_ids))
    if years is not None:
        stored = stored.filter(year__in=list(years))
    kept: Counter[tuple[int, int, str, str]] = Counter()
    for c, y, d, v, n in stored.values_list("centre_id", "year", "dimension", "value", "count").iterator():
        kept[(c, y, d, v)] += n
    return [
        (key, kept[key], recounted[key]) for key in sorted(set(kept) | set(recounted)) if kept[key] != recounted[key]
    ]


def recount(
    *, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> Counter[tuple[int, int, str, str]]:
    """Every count from the registrations, one grouped query per dimension (voided
    registrations leave out: the registration models' default managers count only the rest)."""
    from forpost.registrations.models import Child, Inquiry, InquiryAction, InquiryTheme, Referral

    inquiries = Inquiry.objects.all()
    scope = Q()
    if centre_ids is not None:
        scope &= Q(centre_id__in=list(centre_ids))
    if years is not None:
        scope &= Q(year__in=list(years))
    inquiries = inquiries.annotate(year=ExtractYear("date")).filter(scope)

    rows: Counter[tuple[int, int, str, str]] = Counter()

    def add(dimension: str, qs: Any, value_expr: str | None, count: Any = None) -> None:
        keys = ["centre_id", "year"] + ([value_expr] if value_expr else [])
        for row in qs.values(*keys).annotate(n=count or Count("pk")).order_by():
            value = "" if value_expr is None else row[value_expr]
            if row["n"]:
                rows[(row["centre_id"], row["year"], dimension, "" if value is None else str(value))] += row["n"]

    add("total", inquiries, None)
    add("month", inquiries.annotate(m=ExtractMonth("date")), "m")
    add("weekday", inquiries.annotate(w=ExtractIsoWeekDay("date")), "w")
    add("channel", inquiries, "channel_id")
    for dimension, field in FIELD_DIMENSIONS.items():
        add(dimension, inquiries, field)
    add("district", inquiries.filter(district__isnull=False), "district_id")
    add("district", inquiries.filter(district__isnull=True), "residence")
    add("referral_source", inquiries, "referral_source_id")
    add("concern", inquiries.filter(concern_reported_on__isnull=False), None)
    add("minutes", inquiries.filter(minutes__gt=0), None, Sum("minutes"))
    add("minutes_n", inquiries.filter(minutes__gt=0), None)

    def related(model: Any) -> Any:
        return model.objects.annotate(year=ExtractYear("inquiry__date"), centre_id=F("inquiry__centre_id")).filter(
            scope
        )

    add("theme", related(InquiryTheme), "theme_id")
    add("action", related(InquiryAction), "action_id")
    children = related(Child)
    add("child_age", children, "age_band")
    add("child_sex", children, "sex")
    add("children", children, None)
    # Inquiries about at least one child aged 0-12 (the concept's main target group).
    young = (
        inquiries.filter(children__age_band__in=CHILD_AGES_0_12)  # type: ignore[misc]
        .values("centre_id", "year")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    young_by = {(r["centre_id"], r["year"]): r["n"] for r in young}
    for (c, y, d, _v), n in list(rows.items()):
        if d == "total":
            rows[(c, y, "child_0_12", "yes")] += young_by.get((c, y), 0)
            rows[(c, y, "child_0_12", "no")] += n - young_by.get((c, y), 0)

    referrals = Referral.objects.annotate(year=ExtractYear("made_on")).filter(scope)
    add("referral_to", referrals, "destination")
    for row in (
        referrals.filter(destination="family_unit")
        .values("centre_id", "year", "bridge_status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[(row["centre_id"], row["year"], "referral_bridge", row["bridge_status"] or "offered")] += row["n"]
    for row in (
        referrals.filter(destination="offer")
        .values("centre_id", "year", "offer_kind", "offer_contact")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        value = offer_fact(row["offer_kind"], row["offer_contact"])
        rows[(row["centre_id"], row["year"], "referral_offer", value)] += row["n"]

    for centre, year, counted in _course_facts(centre_ids, years):
        for (dimension, value), n in counted.items():
            rows[(centre, year, dimension, value)] += n
    return rows


def _course_facts(centre_ids: Iterable[int] | None, years: Iterable[int] | None) -> list[tuple[int, int, Facts]]:
    """Every course's counts (one row per course, its session edges from the database)."""
    from forpost.registrations.models import Course
    from forpost.registrations.queries import with_score_edges

    courses = Course.objects.all()
    wanted = set(years) if years is not None else None
    if centre_ids is not None:
        courses = courses.filter(centre_id__in=list(centre_ids))
    if wanted is not None:
        courses = courses.filter(Q(started_on__year__in=wanted) | Q(ended_on__year__in=wanted))
    found = []
    for row in with_score_edges(courses).values_list(*COURSE_EDGES).order_by().iterator(chunk_size=5000):
        found += [c for c in course_row_facts(*row) if wanted is None or c[1] in wanted]
    return found
