"""Closing a year: one guard that every write dated in a year calls first.

    ensure_open(day=..., centre=...)      raises YearClosed for a day of a closed year
    ensure_span_open / ensure_period_change_open   the same for what holds over a period (hours)
    close_year / set_deadline             central staff
    request_correction / decide_correction
    approved_corrections(year=, since=)   what the next publication lists

Central staff set a deadline (by default 31 January of the next year) and close the year. From
then on registrations, activities, hours and attestations dated in it are read-only, through
the forms, the API and the import alike, because they all write through services that call
`ensure_open`. A later change is a correction: the coordinator asks with a reason, central staff
approve, and the centre's year is open for CORRECTION_HOURS; every change made then is audited
as usual, and the approved correction is listed in the next published version.

Action plans (forpost.concepts) answer a year's verdicts but plan the year after, whose status
shows them: closing the year they answer leaves them open; closing the year after makes them
read-only, like everything dated in it (forpost.concepts.services).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.core import generation

from .models import ClosedYear, Correction, CorrectionStatus

CORRECTION_HOURS = 24


class YearClosed(ValidationError):
    """A write dated in a closed year, without an approved correction open for the centre."""


def default_deadline(year: int) -> date:
    return date(year + 1, 1, 31)


def _closed_years() -> frozenset[int]:
    return frozenset(ClosedYear.objects.filter(closed_at__isnull=False).values_list("year", flat=True))


def is_closed(year: int) -> bool:
    # Asked at every registration and changed once a year: kept in the process's memory while
    # it is the database's (forpost.core.generation watches ClosedYear).
    return year in generation.cached("centres.closed_years", _closed_years)


def correction_open(*, centre: Any, year: int, now: Any = None) -> bool:
    # Asked only of a closed year, so read from the database each time.
    centre_id = getattr(centre, "pk", centre)
    return Correction.objects.filter(
        centre_id=centre_id, year=year, status=CorrectionStatus.APPROVED, open_until__gt=now or timezone.now()
    ).exists()


def ensure_open(*, day: date | None, centre: Any) -> None:
    """Refuse a write dated `day` at `centre` when its year is closed and no approved
    correction is open for the centre (None: nothing dated, nothing to refuse)."""
    if day is None or not is_closed(day.year):
        return
    if centre is not None and correction_open(centre=centre, year=day.year):
        return
    raise YearClosed(
        _("%(year)s is closed: what is dated in it can only be changed by a correction approved by central staff.")
        % {"year": day.year}
    )


def closed_years_within(first: date, last: date | None) -> list[int]:
    """The closed years that the days [first, last] touch (None: open-ended)."""
    years = ClosedYear.objects.filter(closed_at__isnull=False, year__gte=first.year)
    if last is not None:
        years = years.filter(year__lte=last.year)
    return sorted(years.values_list("year", flat=True))


def ensure_span_open(*, first: date | None, last: date | None, centre: Any) -> None:
    """Refuse a write that changes what holds on the days [first, last] (last None: from
    `first` on) when one of them lies in a closed year: hours, closures and staffing are
    dated by a period, not by a day."""
    if first is None:
        return
    for year in closed_years_within(first, last):
        ensure_open(day=date(year, 12, 31), centre=centre)


def ensure_period_change_open(
    *,
    before: tuple[date, date | None] | None,
    after: tuple[date, date | None] | None,
    centre: Any,
    same_content: bool,
) -> None:
    """Refuse changing a dated period (valid from, valid to) where the change reaches a closed
    year. Creating (`before` None) or deleting (`after` None) touches the whole period; a
    change of content (`same_content` False) touches both periods; moving only the dates
    touches just the days gained or lost, so that an open-ended pattern begun in a closed
    year can still be ended today."""
    if before is None or after is None or not same_content:
        try:
            for period in (before, after):
                if period is not None:
                    ensure_span_open(first=period[0], last=period[1], centre=centre)
        except YearClosed as closed:
            if before is None or after is None:
                raise
            # What to do instead: the closed year keeps its period, the new content gets its own.
            raise YearClosed(
                [
                    *closed.messages,
                    _("To change it from now on, end this period on the day before and add a new one from that day."),
                ]
            ) from closed
        return
    (old_from, old_to), (new_from, new_to) = before, after
    if old_from != new_from:
        ensure_span_open(first=min(old_from, new_from), last=max(old_from, new_from) - timedelta(days=1), centre=centre)
    if old_to != new_to:
        ends = [d for d in (old_to, new_to) if d is not None]
        ensure_span_open(
            first=min(ends) + timedelta(days=1),
            last=None if None in (old_to, new_to) else max(ends),
            centre=centre,
        )


@transaction.atomic
def set_deadline(*, actor: Any, year: int, deadline: date) -> ClosedYear:
    closing, created = ClosedYear.objects.select_for_update().get_or_create(year=year, defaults={"deadline": deadline})
    before = {} if created else audit.snapshot(closing, ["deadline"])
    closing.deadline = deadline
    closing.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=closing,
        changes=audit.diff(before, audit.snapshot(closing, ["deadline"])),
    )
    return closing


@transaction.atomic
def close_year(*, actor: Any, year: int, today: date | None = None) -> ClosedYear:
    """Close `year`: only once it is over, and only once."""
    today = today or timezone.localdate()
    if today <= date(year, 12, 31):
        raise ValidationError(_("A year can be closed only after it has ended."))
    closing, _created = ClosedYear.objects.select_for_update().get_or_create(
        year=year, defaults={"deadline": default_deadline(year)}
    )
    if closing.closed:
        raise ValidationError(_("%(year)s is closed already.") % {"year": year})
    closing.closed_at, closing.closed_by = timezone.now(), actor
    closing.closed_by_name = actor.get_username() if actor is not None else ""
    closing.save()
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=closing, changes={"closed": [False, True]})
    return closing


@transaction.atomic
def request_correction(*, actor: Any, centre: Any, year: int, reason: str) -> Correction:
    if not is_closed(year):
        raise ValidationError(_("%(year)s is not closed: change it as usual.") % {"year": year})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must be corrected and why.")})
    correction = Correction(
        centre=centre,
        year=year,
        reason=reason,
        requested_by=actor,
        requested_by_name=actor.get_username() if actor is not None else "",
    )
    correction.full_clean()
    correction.save()
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=correction, changes={"year": year, "reason_length": len(reason)}
    )
    return correction


@transaction.atomic
def decide_correction(*, actor: Any, correction: Correction, approve: bool) -> Correction:
    """Central staff approve (the centre's year opens for CORRECTION_HOURS) or reject."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.REQUESTED:
        raise ValidationError(_("This correction is decided already."))
    now = timezone.now()
    correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    correction.decided_by, correction.decided_at = actor, now
    correction.decided_by_name = actor.get_username() if actor is not None else ""
    correction.open_until = now + timedelta(hours=CORRECTION_HOURS) if approve else None
    correction.save()
    audit.record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=correction,
        changes={"status": [CorrectionStatus.REQUESTED.value, correction.status]},
    )
    return correction


def approved_corrections(*, year: int, since: Any) -> list[dict[str, Any]]:
    """The corrections to `year` approved after `since` (a publication's time), oldest first."""
    found = (
        Correction.objects.filter(year=year, status=CorrectionStatus.APPROVED, decided_at__gt=since)
        .select_related("centre")
        .order_by("decided_at", "pk")
    )
    return [
        {
            "id": c.pk,
            "centre": c.centre.name,
            "reason": c.reason,
            "requested_by": c.requested_by_name,
            "approved_by": c.decided_by_name,
            "approved_at": c.decided_at.isoformat() if c.decided_at else "",
        }
        for c in found
    ]
