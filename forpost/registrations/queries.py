"""Reads: list searches, a course's outcome, and the numbers on the dashboard panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import Course, Inquiry, Session


def search_inquiries(qs: QuerySet[Inquiry], criteria: dict[str, Any]) -> QuerySet[Inquiry]:
    """Inquiries matching the list filters (period bounds half-open, end day included)."""
    if criteria.get("centre"):
        qs = qs.filter(centre=criteria["centre"])
    if criteria.get("date_from"):
        qs = qs.filter(date__gte=criteria["date_from"])
    if criteria.get("date_to"):
        qs = qs.filter(date__lt=criteria["date_to"] + timedelta(days=1))
    if criteria.get("channel"):
        qs = qs.filter(channel=criteria["channel"])
    if criteria.get("theme"):
        qs = qs.filter(inquirytheme__theme=criteria["theme"])
    if criteria.get("action"):
        qs = qs.filter(inquiryaction__action=criteria["action"])
    # Course.objects: a voided course is no course.
    if criteria.get("course") == "open":
        qs = qs.filter(pk__in=Course.objects.open().values("inquiry_id"))
    elif criteria.get("course") == "closed":
        qs = qs.filter(pk__in=Course.objects.closed().values("inquiry_id"))
    elif criteria.get("course") == "none":
        qs = qs.exclude(pk__in=Course.objects.values("inquiry_id"))
    return _voided(qs, criteria).distinct()


def _voided(qs: Any, criteria: dict[str, Any]) -> Any:
    """Voided registrations are left out unless the filter asks for them."""
    if criteria.get("voided") == "include":
        return qs
    return qs.filter(voided_at__isnull=criteria.get("voided") != "only")


def search_courses(qs: Any, criteria: dict[str, Any]) -> QuerySet[Course]:
    if criteria.get("centre"):
        qs = qs.filter(centre=criteria["centre"])
    start = criteria.get("date_from") or date.min
    date_to = criteria.get("date_to")
    end = date_to + timedelta(days=1) if date_to else date.max
    if criteria.get("date_from") or criteria.get("date_to"):
        qs = qs.within_period(start, end)
    if criteria.get("status") == "open":
        qs = qs.open()
    elif criteria.get("status") == "closed":
        qs = qs.closed()
    if criteria.get("theme"):
        qs = qs.filter(inquiry__inquirytheme__theme=criteria["theme"])
    if criteria.get("channel"):
        qs = qs.filter(inquiry__channel=criteria["channel"])
    if criteria.get("action"):
        qs = qs.filter(inquiry__inquiryaction__action=criteria["action"])
    if criteria.get("result"):
        qs = qs.filter(result=criteria["result"])
    return _voided(qs, criteria).distinct()


@dataclass(frozen=True)
class CourseOutcome:
    sessions: int
    first_scaling: int | None
    last_scaling: int | None
    first_ors: Decimal | None
    last_ors: Decimal | None
    ors_cutoff: Decimal
    reliable_change_value: Decimal

    @property
    def scaling_change(self) -> int | None:
        if self.first_scaling is None or self.last_scaling is None:
            return None
        return self.last_scaling - self.first_scaling

    @property
    def ors_change(self) -> Decimal | None:
        if self.first_ors is None or self.last_ors is None:
            return None
        return self.last_ors - self.first_ors

    @property
    def reliable_change(self) -> bool | None:
        """The ORS total moved by the reliable-change value or more (either way)."""
        change = self.ors_change
        return None if change is None else abs(change) >= self.reliable_change_value

    @property
    def reliable_improvement(self) -> bool | None:
        change = self.ors_change
        return None if change is None else change >= self.reliable_change_value

    @property
    def recovered(self) -> bool | None:
        """Started below the clinical cut-off and ended at or above it."""
        if self.first_ors is None or self.last_ors is None:
            return None
        return self.first_ors < self.ors_cutoff <= self.last_ors


def course_outcome(course: Course, sessions: list[Session] | None = None) -> CourseOutcome:
    rows = sessions if sessions is not None else list(course.sessions.order_by("date", "id"))
    rows = [s for s in rows if s.voided_at is None]  # a voided session counts for nothing
    scalings = [s.scaling for s in rows if s.scaling is not None]
    ors = [s.ors_total for s in rows if s.ors_total is not None]
    two_ors = len(ors) >= 2
    return CourseOutcome(
        sessions=len(rows),
        first_scaling=scalings[0] if len(scalings) >= 2 else None,
        last_scaling=scalings[-1] if len(scalings) >= 2 else None,
        first_ors=ors[0] if two_ors else None,
        last_ors=ors[-1] if two_ors else None,
        ors_cutoff=course.score_norm.ors_cutoff,
        reliable_change_value=course.score_norm.reliable_change,
    )


@dataclass(frozen=True)
class DeskNumbers:
    registered_today: int
    open_courses: int
    flagged_sessions: list[Session]


def desk_numbers(*, inquiries: QuerySet[Inquiry], courses: Any, sessions: Any) -> DeskNumbers:
    """Today's registrations, open courses and recent SRS-flagged sessions (all pre-scoped)."""
    today = timezone.localdate()
    since = today - timedelta(days=60)
    flagged = (
        sessions.srs_flagged()
        .filter(course__ended_on__isnull=True, date__gte=since)
        .select_related("course", "course__score_norm")
        .order_by("-date")[:8]
    )
    return DeskNumbers(
        registered_today=inquiries.filter(date=today).count(),
        open_courses=courses.open().count(),
        flagged_sessions=list(flagged),
    )


def with_score_edges(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Courses annotated with their first and last scaling and ORS total, and how many
    sessions (with a scaling, with an ORS) they have, all computed in the database, so
    reports read one row per course instead of every session."""
    from django.db.models import Count, OuterRef, Q, Subquery

    def edge(field: str, *, last: bool) -> Subquery:
        order = ("-date", "-id") if last else ("date", "id")
        return Subquery(
            Session.objects.filter(course=OuterRef("pk"), **{f"{field}__isnull": False})
            .order_by(*order)
            .values(field)[:1]
        )

    # A voided session counts for nothing (the subqueries read Session.objects, which leaves
    # them out; the join below must say so itself).
    counted = Q(sessions__voided_at__isnull=True)
    return courses.annotate(
        n_sessions=Count("sessions", filter=counted),
        n_scaling=Count("sessions", filter=counted & Q(sessions__scaling__isnull=False)),
        n_ors=Count("sessions", filter=counted & Q(sessions__ors_total__isnull=False)),
        first_scaling=edge("scaling", last=False),
        last_scaling=edge("scaling", last=True),
        first_ors=edge("ors_total", last=False),
        last_ors=edge("ors_total", last=True),
    )
