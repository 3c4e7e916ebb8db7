"""The counts behind the annual status, kept beside the services that change what they count.

Write side. A registration service takes the facts of what it changes before and after
(`facts_of`, `course_facts_of`, `referral_facts_of`; the feedback card's `feedback_facts`,
kept by forpost.feedback) and calls `apply_change()` inside its transaction. That *appends*
the differences as rows of `InquiryFact` (one INSERT for the whole change), it never
updates a count in place: twenty counsellors registering at one
centre at once insert twenty sets of rows and wait for no one, where updating a kept
(centre, year, "total") row would make each wait for the one before to commit. Every
reader sums the rows of a key, so an appended row counts exactly once from the moment its
transaction commits. `fold()` (the worker, `manage.py fold_counts`) replaces the rows of a
key by their sum in one transaction: the total is unchanged, and a fold that races another
fold or a rebuild deletes fewer rows than it read and rolls back.

Read side. `counts(scope, period, dimension)` is the one place that chooses: whole years
read the kept counts (a few rows a centre, whatever the number of inquiries); any other
period is answered by a grouped scan of the registrations, written once per dimension in
`_tally()`, which `recount()` also uses. `rebuild()` stores a recount (after a bulk load or a
repair) and is safe while registrations keep coming (see `rebuild`); `differences()`
compares the kept counts with a recount (`manage.py verify_counts`, nightly).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractIsoWeekDay, ExtractMonth, ExtractYear

from forpost.core.dataversion import bump
from forpost.core.periods import CentreScope, Period

from .models import InquiryFact

Facts = Counter[tuple[str, str]]
Key = tuple[int, int, str, str]  # centre, year, dimension, value

CHILD_AGES_0_12 = ("0-2", "3-5", "6-9", "10-12")

# Dimensions counted once per inquiry from a plain field: dimension → field.
FIELD_DIMENSIONS = {
    "contact": "contact_person",
    "family": "family_type",
    "parent_sex": "parent_sex",
    "origin": "origin",
    "has_case": "has_case",
}

# --- What one registration counts for --------------------------------------------------------


def inquiry_facts(
    inquiry: Any,
    *,
    themes: Iterable[int] | None = None,
    actions: Iterable[int] | None = None,
    children: Iterable[tuple[str, str]] | None = None,
) -> Facts:
    """What one saved inquiry (with its themes, actions and children) counts for. A service
    that has just written the relations passes them, so nothing is read back."""
    facts: Facts = Counter()
    facts[("total", "")] += 1
    facts[("month", str(inquiry.date.month))] += 1
    facts[("weekday", str(inquiry.date.isoweekday()))] += 1
    facts[("channel", str(inquiry.channel_id))] += 1
    for dimension, field in FIELD_DIMENSIONS.items():
        facts[(dimension, getattr(inquiry, field))] += 1
    facts[("district", str(inquiry.district_id) if inquiry.district_id else inquiry.residence)] += 1
    facts[("referral_source", str(inquiry.referral_source_id or ""))] += 1
    for theme_id in set(inquiry.themes.values_list("pk", flat=True) if themes is None else themes):
        facts[("theme", str(theme_id))] += 1
    for action_id in set(inquiry.actions.values_list("pk", flat=True) if actions is None else actions):
        facts[("action", str(action_id))] += 1
    found = list(inquiry.children.values_list("age_band", "sex") if children is None else children)
    for age, sex in found:
        facts[("child_age", age)] += 1
        facts[("child_sex", sex)] += 1
    facts[("children", "")] += len(found)
    facts[("child_0_12", "yes" if any(age in CHILD_AGES_0_12 for age, _sex in found) else "no")] += 1
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


def _course_facts_on(
    centre_id: int,
    started_on: date,
    ended_on: date | None,
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
    method_id: int | None = None,
) -> list[tuple[int, date, Facts]]:
    """What one course counts for, by the day it counts on: its start, and once ended its
    end, with the numbers the status's course section, the outcome indicators and the
    methods section (by the course's method, "" when none is stated) read.

    Sums of changes are kept as whole numbers: scaling is whole, ORS in tenths."""
    method = str(method_id or "")
    counted = [(centre_id, started_on, Counter({("course_started", ""): 1, ("course_method", method): 1}))]
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
        ended[("ors_method", method)] += 1
        ended[("ors_method_change_tenths", method)] += round(change * 10)
        ended[("ors_method_improved", method)] += int(change >= reliable_change)
        if first_ors < ors_cutoff:
            ended[("course_below_cutoff", "")] += 1
            ended[("course_recovered", "")] += int(last_ors >= ors_cutoff)
    counted.append((centre_id, ended_on, ended))
    return counted


def course_row_facts(*row: Any) -> list[tuple[int, int, Facts]]:
    """What one course (a row of COURSE_EDGES) counts for, by year."""
    return [(centre, day.year, counted) for centre, day, counted in _course_facts_on(*row)]


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
    "method_id",
)


def course_facts_of(course: Any | None) -> list[tuple[int, int, Facts]] | None:
    """What a saved course counts for as it stands in the database now (None: no course):
    its start and end (course_row_facts), and its sessions the family rated (SRS) by the
    year of each session."""
    if course is None or course.pk is None:
        return None
    from .models import Course, Session
    from .queries import with_score_edges

    row = with_score_edges(Course.objects.filter(pk=course.pk)).values_list(*COURSE_EDGES).first()
    if row is None:
        return None
    rated = (
        Session.objects.filter(course_id=course.pk, srs_total__isnull=False)
        .annotate(y=ExtractYear("date"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [*course_row_facts(*row), *((row[0], y, Counter({("srs_rated", ""): n})) for y, n in rated)]


def feedback_facts(centre_id: int, answered_on: date, answers: Iterable[tuple[int, str]]) -> tuple[int, int, Facts]:
    """What one feedback card (forpost.feedback) counts for: one card answered, and each
    answer by its question's id and the value given ("12|yes"). The question's id, not its
    code: a code may be edited, and the status reads the codes when it shows the counts."""
    counted: Facts = Counter({("feedback_cards", ""): 1})
    for question_id, value in answers:
        counted[("feedback_answer", answer_fact(question_id, value))] += 1
    return centre_id, answered_on.year, counted


def answer_fact(question_id: int, value: str) -> str:
    return f"{question_id}|{value}"


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


def facts_of(inquiry: Any | None, **relations: Any) -> tuple[int, int, Facts] | None:
    """(centre id, year, facts) of an inquiry as it is now, or None for no inquiry (or a
    voided one, which counts for nothing). `relations` as for inquiry_facts()."""
    if inquiry is None or inquiry.pk is None or getattr(inquiry, "voided_at", None) is not None:
        return None
    return inquiry.centre_id, inquiry.date.year, inquiry_facts(inquiry, **relations)


Counted = tuple[int, int, Facts] | list[tuple[int, int, Facts]] | None


def _each(counted: Counted) -> list[tuple[int, int, Facts]]:
    if counted is None:
        return []
    return counted if isinstance(counted, list) else [counted]


def apply_change(before: Counted, after: Counted, *, version_raised: bool = False) -> None:
    """Move the counts from `before` to `after` (either may be None: a create or a delete):
    the differences are appended, in one INSERT, to the transaction the caller is in.
    `version_raised`: the caller's own write (a model saved, with its signal) has already
    raised the data version in this transaction, so a second raise would say nothing more."""
    deltas: Counter[Key] = Counter()
    for centre, year, facts in _each(before):
        for (dimension, value), n in facts.items():
            deltas[(centre, year, dimension, value)] -= n
    for centre, year, facts in _each(after):
        for (dimension, value), n in facts.items():
            deltas[(centre, year, dimension, value)] += n
    if any(deltas.values()) and not version_raised:
        bump()  # the counts are written in bulk, without model signals: the data version says so
    InquiryFact.objects.bulk_create(
        [
            InquiryFact(centre_id=c, year=y, dimension=d, value=v, count=n)
            for (c, y, d, v), n in sorted(deltas.items())
            if n
        ]
    )


# --- Folding the appended rows ---------------------------------------------------------------


def fold(*, limit: int = 2000) -> int:
    """Replace the rows of up to `limit` keys that have more than one row by one row with
    their sum (none when it is zero). Returns how many rows went. Exactly once under any
    concurrency: the rows read are deleted by id in the same transaction as their sum is
    written, and if another fold or a rebuild took some of them first the delete finds fewer
    and the whole fold rolls back (the caller may simply run it again)."""
    keys = list(
        InquiryFact.objects.values("centre_id", "year", "dimension", "value")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("centre_id", "year", "dimension", "value")
        .order_by()[:limit]
    )
    if not keys:
        return 0
    wanted: set[Key] = set(keys)
    centres = {k[0] for k in keys}
    years = {k[1] for k in keys}
    dimensions = {k[2] for k in keys}
    with transaction.atomic():
        rows = [
            r
            for r in InquiryFact.objects.filter(centre_id__in=centres, year__in=years, dimension__in=dimensions)
            .values_list("pk", "centre_id", "year", "dimension", "value", "count")
            .order_by("pk")
            if (r[1], r[2], r[3], r[4]) in wanted
        ]
        sums: Counter[Key] = Counter()
        for _pk, c, y, d, v, n in rows:
            sums[(c, y, d, v)] += n
        ids = [r[0] for r in rows]
        gone = sum(InquiryFact.objects.filter(pk__in=ids[at : at + 900]).delete()[0] for at in range(0, len(ids), 900))
        if gone != len(rows):
            raise FoldRaced(f"{len(rows) - gone} of the rows folded were taken by another fold or a rebuild.")
        InquiryFact.objects.bulk_create(
            [
                InquiryFact(centre_id=c, year=y, dimension=d, value=v, count=n)
                for (c, y, d, v), n in sorted(sums.items())
                if n
            ]
        )
    return len(rows)


class FoldRaced(DatabaseError):
    """Another fold or a rebuild folded some of the same rows first: nothing was changed."""


def fold_all(*, attempts: int = 5) -> int:
    """Fold until every key has one row (the worker's and `fold_counts`'s loop)."""
    folded = 0
    while attempts:
        try:
            n = fold()
        except (FoldRaced, DatabaseError):
            attempts -= 1
            continue
        if not n:
            break
        folded += n
    return folded


# --- Recounting -------------------------------------------------------------------------------


def _scope_q(centre_ids: Iterable[int] | None, years: Iterable[int] | None, year: str = "year") -> Q:
    q = Q()
    if centre_ids is not None:
        q &= Q(centre_id__in=list(centre_ids))
    if years is not None:
        q &= Q(**{f"{year}__in": list(years)})
    return q


def rebuild(*, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None) -> int:
    """Recompute the counts from the registrations; returns the number of count rows.

    Safe while registrations keep coming. The recount and the count rows it replaces are
    those of one snapshot (SQLite: the transaction holds the write lock from its start;
    PostgreSQL: a REPEATABLE READ transaction, whose DELETE sees only the snapshot's rows): a
    change committed after the snapshot is in neither, so its appended rows stay and count once.
    On PostgreSQL writers only insert, so they never wait on the rebuild, nor it on them (no
    deadlock); a fold racing it makes one of the two roll back, and the rebuild tries again."""
    centre_ids = None if centre_ids is None else list(centre_ids)
    years = None if years is None else list(years)
    for attempt in range(5):
        try:
            with _snapshot(), transaction.atomic():
                bump()
                rows = recount(centre_ids=centre_ids, years=years)
                # Only the rows of the snapshot: at REPEATABLE READ a DELETE does not see rows
                # committed after it began (SQLite: there are none, the lock is held).
                InquiryFact.objects.filter(_scope_q(centre_ids, years)).delete()
                InquiryFact.objects.bulk_create(
                    [
                        InquiryFact(centre_id=c, year=y, dimension=d, value=v, count=n)
                        for (c, y, d, v), n in sorted(rows.items())
                        if n
                    ],
                    batch_size=2000,
                )
            return sum(1 for n in rows.values() if n)
        except DatabaseError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@contextmanager
def _snapshot() -> Iterator[None]:
    """The next transaction on this connection sees one snapshot for all its reads. SQLite
    transactions start IMMEDIATE (settings), holding the one write lock throughout; on
    PostgreSQL the transaction runs at REPEATABLE READ (set on the driver's connection for
    this transaction only, no SQL)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    before = raw.isolation_level
    raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    try:
        yield
    finally:
        if connection.connection is raw and not raw.closed:
            raw.isolation_level = before


def differences(
    *, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> list[tuple[Key, int, int]]:
    """Where the kept counts differ from a recount: ((centre, year, dimension, value), kept,
    recounted), sorted. Empty when the services kept every count in step."""
    centre_ids = None if centre_ids is None else list(centre_ids)
    years = None if years is None else list(years)
    with _snapshot(), transaction.atomic():
        recounted = recount(centre_ids=centre_ids, years=years)
        kept: Counter[Key] = Counter()
        stored = InquiryFact.objects.filter(_scope_q(centre_ids, years))
        for c, y, d, v, n in stored.values_list("centre_id", "year", "dimension", "value", "count").iterator():
            kept[(c, y, d, v)] += n
    return [
        (key, kept[key], recounted[key]) for key in sorted(set(kept) | set(recounted)) if kept[key] != recounted[key]
    ]


def recount(*, centre_ids: Iterable[int] | None = None, years: Iterable[int] | None = None) -> Counter[Key]:
    """Every count from the registrations, by centre and year."""
    scope = CentreScope(frozenset(centre_ids)) if centre_ids is not None else CentreScope(frozenset(), every=True)
    return _tally(scope, years=None if years is None else set(years))


# The dimensions `_tally` counts from one grouped query each, and those of the courses' pass.
COURSE_DIMENSIONS = frozenset(
    {
        "course_started",
        "course_ended",
        "course_result",
        "course_sessions",
        "course_length",
        "course_scaling_n",
        "course_scaling_change",
        "course_ors_n",
        "course_ors_change_tenths",
        "course_improved",
        "course_below_cutoff",
        "course_recovered",
        "course_method",
        "ors_method",
        "ors_method_change_tenths",
        "ors_method_improved",
    }
)


def _tally(
    scope: CentreScope,
    *,
    years: set[int] | None = None,
    period: Period | None = None,
    dimensions: Iterable[str] | None = None,
) -> Counter[Key]:
    """The grouped scan behind both `recount` (by year: `years`, or every year) and
    `counts` for a period that is not whole years (`period`: year 0 stands for the period).
    One grouped query per dimension; voided registrations count for nothing (the default
    managers leave them out). Only `dimensions`, if given."""
    from django.apps import apps

    from .models import Child, Inquiry, InquiryAction, InquiryTheme, Referral, Session

    wanted = None if dimensions is None else set(dimensions)

    def want(*names: str) -> bool:
        return wanted is None or bool(wanted & set(names))

    rows: Counter[Key] = Counter()

    def filtered(qs: QuerySet[Any], day: str, centre: str) -> QuerySet[Any]:
        qs = qs.annotate(cid=F(centre)).filter(scope.q(centre))
        if period is not None:
            return qs.filter(period.q(day)).annotate(y=Value(0, output_field=IntegerField()))
        qs = qs.annotate(y=ExtractYear(day))
        return qs if years is None else qs.filter(y__in=years)

    def add(dimension: str, qs: QuerySet[Any], value_expr: str | None, count: Any = None) -> None:
        if not want(dimension):
            return
        keys = ["cid", "y"] + ([value_expr] if value_expr else [])
        for row in qs.values(*keys).annotate(n=count or Count("pk")).order_by():
            value = "" if value_expr is None else row[value_expr]
            if row["n"]:
                rows[(row["cid"], row["y"], dimension, "" if value is None else str(value))] += row["n"]

    inquiries = filtered(Inquiry.objects.all(), "date", "centre_id")
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

    add("theme", filtered(InquiryTheme.objects.all(), "inquiry__date", "inquiry__centre_id"), "theme_id")
    add("action", filtered(InquiryAction.objects.all(), "inquiry__date", "inquiry__centre_id"), "action_id")
    children = filtered(Child.objects.all(), "inquiry__date", "inquiry__centre_id")
    add("child_age", children, "age_band")
    add("child_sex", children, "sex")
    add("children", children, None)
    if want("child_0_12"):
        # Inquiries about at least one child aged 0-12 (the concept's main target group).
        totals = Counter(
            {(r["cid"], r["y"]): r["n"] for r in inquiries.values("cid", "y").annotate(n=Count("pk")).order_by()}
        )
        young = (
            inquiries.filter(children__age_band__in=CHILD_AGES_0_12)
            .values("cid", "y")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        young_by = {(r["cid"], r["y"]): r["n"] for r in young}
        for (c, y), n in totals.items():
            rows[(c, y, "child_0_12", "yes")] += young_by.get((c, y), 0)
            rows[(c, y, "child_0_12", "no")] += n - young_by.get((c, y), 0)

    referrals = filtered(Referral.objects.all(), "made_on", "centre_id")
    add("referral_to", referrals, "destination")
    if want("referral_bridge"):
        for row in (
            referrals.filter(destination="family_unit").values("cid", "y", "bridge_status").annotate(n=Count("pk"))
        ).order_by():
            rows[(row["cid"], row["y"], "referral_bridge", row["bridge_status"] or "offered")] += row["n"]
    if want("referral_offer"):
        for row in (
            referrals.filter(destination="offer")
            .values("cid", "y", "offer_kind", "offer_contact")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            rows[(row["cid"], row["y"], "referral_offer", offer_fact(row["offer_kind"], row["offer_contact"]))] += row[
                "n"
            ]

    # Sessions the family rated (SRS), by the session's day and its course's centre.
    add("srs_rated", filtered(Session.objects.filter(srs_total__isnull=False), "date", "course__centre_id"), None)

    # The feedback cards (forpost.feedback, an app above this one: read by name, not imported)
    # and their answers by question and value.
    add(
        "feedback_cards",
        filtered(apps.get_model("feedback", "Response").objects.all(), "answered_on", "centre_id"),
        None,
    )
    if want("feedback_answer"):
        answers = filtered(
            apps.get_model("feedback", "Answer").objects.all(), "response__answered_on", "response__centre_id"
        )
        for row in answers.values("cid", "y", "question_id", "value").annotate(n=Count("pk")).order_by():
            rows[(row["cid"], row["y"], "feedback_answer", answer_fact(row["question_id"], row["value"]))] += row["n"]

    if wanted is None or wanted & COURSE_DIMENSIONS:
        for centre, year, counted in _course_facts(scope, years, period):
            for (dimension, value), n in counted.items():
                if want(dimension):
                    rows[(centre, year, dimension, value)] += n
    return rows


def _course_facts(scope: CentreScope, years: set[int] | None, period: Period | None) -> list[tuple[int, int, Facts]]:
    """Every course's counts (one row per course, its session edges from the database), by
    year, or with year 0 for the days of `period`."""
    from .models import Course
    from .queries import with_score_edges

    courses = Course.objects.filter(scope.q())
    if period is not None:
        courses = courses.filter(period.q("started_on") | period.q("ended_on"))
    elif years is not None:
        courses = courses.filter(Q(started_on__year__in=years) | Q(ended_on__year__in=years))
    found = []
    for row in with_score_edges(courses).values_list(*COURSE_EDGES).order_by().iterator(chunk_size=5000):
        for centre, day, counted in _course_facts_on(*row):
            if period is not None:
                if period.start <= day < period.end:
                    found.append((centre, 0, counted))
            elif years is None or day.year in years:
                found.append((centre, day.year, counted))
    return found


# --- Reading ----------------------------------------------------------------------------------


def counts_by_centre(
    scope: CentreScope, period: Period, dimensions: Iterable[str]
) -> dict[int, dict[str, dict[str, int]]]:
    """{centre: {dimension: {value: n}}} for every centre of the scope, from one read: the
    kept counts for whole years, a grouped scan of the registrations for any other period."""
    dimensions = sorted(set(dimensions))
    found: dict[int, dict[str, dict[str, int]]] = {pk: {} for pk in sorted(scope.ids)}
    if period.empty:
        return found
    years = period.whole_years
    if years is not None:
        rows: Iterable[tuple[int, str, str, int]] = (
            InquiryFact.objects.filter(scope.q(), year__gte=years.start, year__lt=years.stop, dimension__in=dimensions)
            .values("centre_id", "dimension", "value")
            .annotate(n=Sum("count"))
            .values_list("centre_id", "dimension", "value", "n")
            .order_by()
        )
    else:
        rows = ((c, d, v, n) for (c, _y, d, v), n in _tally(scope, period=period, dimensions=dimensions).items())
    for centre, dimension, value, n in rows:
        if n and centre in found:
            found[centre].setdefault(dimension, {})[value] = found[centre].get(dimension, {}).get(value, 0) + n
    return found


def counts(scope: CentreScope, period: Period, dimension: str) -> dict[int, dict[str, int]]:
    """{centre: {value: n}} of one dimension for every centre of the scope."""
    return {pk: by.get(dimension, {}) for pk, by in counts_by_centre(scope, period, [dimension]).items()}


def totals(scope: CentreScope, period: Period, dimensions: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """{dimension: {value: n}} summed over the scope's centres (every dimension, if none are
    named), from one grouped query over whole years or a scan of the registrations."""
    wanted = sorted(set(dimensions))
    found: dict[str, dict[str, int]] = defaultdict(dict)
    if period.empty:
        return {}
    years = period.whole_years
    if years is not None:
        qs = InquiryFact.objects.filter(scope.q(), year__gte=years.start, year__lt=years.stop)
        if wanted:
            qs = qs.filter(dimension__in=wanted)
        for d, v, n in (
            qs.values("dimension", "value").annotate(n=Sum("count")).values_list("dimension", "value", "n").order_by()
        ):
            if n:
                found[d][v] = n
        return dict(found)
    for (_c, _y, d, v), n in _tally(scope, period=period, dimensions=wanted or None).items():
        if n:
            found[d][v] = found[d].get(v, 0) + n
    return dict(found)
