"""Writes to a centre's opening hours, closures, holiday overrides, staffing and budget.

Each is atomic and writes its audit row in the same transaction, with the actor explicit.
Checks that span rows (overlapping patterns) run inside the transaction after the centre's
row is locked, so two coordinators saving at once cannot both slip past them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.core.locking import save_versioned

from . import hours
from .closing import ensure_open, ensure_period_change_open, ensure_span_open
from .models import (
    Budget,
    Centre,
    Closure,
    HolidayOverride,
    OpeningHoursPattern,
    OpeningSlot,
    StaffAllocation,
)

# Hours and amounts are stored with two decimals; the audit trail shows them the same way.
CENTS = Decimal("0.01")


def _lock(centre: Centre) -> None:
    # PostgreSQL: a row lock on the centre serialises writers of its hours. SQLite takes
    # the database's write lock when the (IMMEDIATE) transaction begins.
    Centre.objects.select_for_update().filter(pk=centre.pk).first()


def _date(day: date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else "…"


def overlap_message(other: OpeningHoursPattern | hours.Pattern) -> str:
    return _(
        "These dates overlap the opening hours valid %(first)s – %(last)s. A centre has one pattern at a time: "
        "end that pattern the day before, or choose other dates."
    ) % {"first": _date(other.valid_from), "last": _date(other.valid_to)}


def find_overlapping_pattern(
    centre: Centre, valid_from: date, valid_to: date | None, *, exclude: OpeningHoursPattern | None = None
) -> OpeningHoursPattern | None:
    others = OpeningHoursPattern.objects.filter(centre=centre).overlapping_period(valid_from, valid_to)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    return others.order_by("valid_from").first()


def _describe_slots(pattern: OpeningHoursPattern) -> list[str]:
    # Queried afresh: a prefetched `pattern.slots` would still hold the slots before a save.
    slots = OpeningSlot.objects.filter(pattern=pattern).order_by("weekday", "starts_at", "kind")
    return [f"{s.weekday} {s.starts_at:%H:%M}-{s.ends_at:%H:%M} {s.kind}" for s in slots]


def _slot_texts(slots: Sequence[hours.WeeklySlot]) -> list[str]:
    """The slots as _describe_slots writes them, to tell whether a save changes them."""
    ordered = sorted(slots, key=lambda s: (s.weekday, s.starts_at, s.kind))
    return [f"{s.weekday} {s.starts_at:%H:%M}-{s.ends_at:%H:%M} {s.kind}" for s in ordered]


def check_slots(slots: Sequence[hours.WeeklySlot]) -> None:
    problems = []
    for slot in slots:
        if slot.ends_at <= slot.starts_at:
            problems.append(_("A time slot must end after it starts."))
            break
    if hours.clashing_slots(slots):
        problems.append(_("Two time slots of the same kind overlap on the same day. Join them into one."))
    if problems:
        raise ValidationError(problems)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    # The version counts saves; the audit shows what the person changed.
    return {k: v for k, v in audit.diff(before, after).items() if k != "version"}


@transaction.atomic
def save_hours_pattern(
    *,
    actor: Any,
    centre: Centre,
    valid_from: date,
    valid_to: date | None,
    slots: Sequence[hours.WeeklySlot],
    pattern: OpeningHoursPattern | None = None,
    expected_version: int | None = None,
) -> OpeningHoursPattern:
    """Create a pattern, or replace `pattern`'s period and slots. Refuses overlapping periods.

    A replacement is written only if nobody saved `pattern` since `expected_version`
    (else locking.Conflict)."""
    _lock(centre)
    if pattern is not None and pattern.centre_id != centre.pk:
        raise ValidationError(_("This pattern belongs to another centre."))
    check_slots(slots)
    other = find_overlapping_pattern(centre, valid_from, valid_to, exclude=pattern)
    if other is not None:
        raise ValidationError(overlap_message(other), code="overlap")
    creating = pattern is None
    if pattern is None:
        pattern = OpeningHoursPattern(centre=centre)
        before: dict[str, Any] = {}
    else:
        before = {**audit.snapshot(pattern), "slots": _describe_slots(pattern)}
    # The hours of a closed year are read-only; the period's other days stay open.
    stored = OpeningHoursPattern.objects.filter(pk=pattern.pk).first() if pattern.pk else None
    ensure_period_change_open(
        before=(stored.valid_from, stored.valid_to) if stored else None,
        after=(valid_from, valid_to),
        centre=centre,
        same_content=stored is not None and before.get("slots") == _slot_texts(slots),
    )
    pattern.valid_from = valid_from
    pattern.valid_to = valid_to
    pattern.full_clean()
    if creating:
        pattern.save()
    else:
        version = pattern.version if expected_version is None else expected_version
        save_versioned(pattern, expected_version=version, fields=["valid_from", "valid_to"])
    OpeningSlot.objects.filter(pattern=pattern).delete()
    OpeningSlot.objects.bulk_create(
        [
            OpeningSlot(pattern=pattern, weekday=s.weekday, starts_at=s.starts_at, ends_at=s.ends_at, kind=s.kind)
            for s in sorted(slots, key=lambda s: (s.weekday, s.starts_at))
        ]
    )
    after = {**audit.snapshot(pattern), "slots": _describe_slots(pattern)}
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        obj=pattern,
        changes=_changes(before, after),
    )
    return pattern


@transaction.atomic
def delete_hours_pattern(*, actor: Any, pattern: OpeningHoursPattern) -> None:
    ensure_span_open(first=pattern.valid_from, last=pattern.valid_to, centre=pattern.centre_id)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=pattern,
        changes={**audit.snapshot(pattern), "slots": _describe_slots(pattern)},
    )
    pattern.delete()


@transaction.atomic
def add_closure(
    *, actor: Any, centre: Centre, starts_on: date, ends_on: date, reason: str, **translations: str
) -> Closure:
    """`reason` is the Danish text; `translations` the optional others (reason_en, reason_ar, …)."""
    unknown = set(translations) - {f"reason_{code}" for code, _name in settings.LANGUAGES if code != "da"}
    if unknown:
        raise TypeError(f"add_closure() got unexpected arguments {sorted(unknown)}")
    # Named per language: a bare reason= would land in the column of the staff member's language.
    texts = {name: text.strip() for name, text in translations.items()}
    ensure_span_open(first=starts_on, last=ends_on, centre=centre)
    closure = Closure(centre=centre, starts_on=starts_on, ends_on=ends_on, **texts, reason_da=reason.strip())
    closure.full_clean()
    closure.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=closure, changes=audit.snapshot(closure))
    return closure


@transaction.atomic
def delete_closure(*, actor: Any, closure: Closure) -> None:
    ensure_span_open(first=closure.starts_on, last=closure.ends_on, centre=closure.centre_id)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=closure, changes=audit.snapshot(closure))
    closure.delete()


@transaction.atomic
def set_holiday_override(*, actor: Any, centre: Centre, day: date, open_anyway: bool) -> HolidayOverride | None:
    """Keep `centre` open on the public holiday `day` (or, with open_anyway=False, closed as usual)."""
    if not hours.holiday_name(day):
        raise ValidationError(
            _("%(day)s is not a Danish public holiday. To close on an ordinary day, add a closure.")
            % {"day": _date(day)}
        )
    ensure_open(day=day, centre=centre)
    existing = HolidayOverride.objects.filter(centre=centre, date=day).first()
    if not open_anyway:
        if existing is not None:
            audit.record(actor=actor, action=AuditAction.DELETE, obj=existing, changes=audit.snapshot(existing))
            existing.delete()
        return None
    if existing is not None:
        return existing
    override = HolidayOverride.objects.create(centre=centre, date=day, open_anyway=True)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=override, changes=audit.snapshot(override))
    return override


@transaction.atomic
def save_staff_allocation(
    *,
    actor: Any,
    centre: Centre,
    role: str,
    hours_per_week: Decimal,
    valid_from: date,
    valid_to: date | None,
    note: str = "",
    allocation: StaffAllocation | None = None,
    expected_version: int | None = None,
) -> StaffAllocation:
    """Add an allocation, or change `allocation` if nobody saved it since `expected_version`
    (else locking.Conflict)."""
    if allocation is not None and allocation.centre_id != centre.pk:
        raise ValidationError(_("This allocation belongs to another centre."))
    creating = allocation is None
    allocation = allocation or StaffAllocation(centre=centre)
    before = {} if creating else audit.snapshot(allocation)
    stored = StaffAllocation.objects.filter(pk=allocation.pk).first() if allocation.pk else None
    ensure_period_change_open(
        before=(stored.valid_from, stored.valid_to) if stored else None,
        after=(valid_from, valid_to),
        centre=centre,
        same_content=stored is not None
        and (stored.role, stored.hours_per_week, stored.note)
        == (role, Decimal(hours_per_week).quantize(CENTS), note.strip()),
    )
    allocation.role = role
    allocation.hours_per_week = Decimal(hours_per_week).quantize(CENTS)
    allocation.valid_from = valid_from
    allocation.valid_to = valid_to
    allocation.note = note.strip()
    allocation.full_clean()
    if creating:
        allocation.save()
    else:
        version = allocation.version if expected_version is None else expected_version
        save_versioned(
            allocation,
            expected_version=version,
            fields=["role", "hours_per_week", "valid_from", "valid_to", "note"],
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        obj=allocation,
        changes=_changes(before, audit.snapshot(allocation)),
    )
    return allocation


@transaction.atomic
def delete_staff_allocation(*, actor: Any, allocation: StaffAllocation) -> None:
    ensure_span_open(first=allocation.valid_from, last=allocation.valid_to, centre=allocation.centre_id)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=allocation, changes=audit.snapshot(allocation))
    allocation.delete()


@transaction.atomic
def set_budget(*, actor: Any, centre: Centre, year: int, amount: Decimal) -> Budget:
    """Management announces (or corrects) a centre's budget for a year.

    A changed amount is a new announcement: the coordinator's earlier confirmation no
    longer says the centre knows the budget, so it is cleared."""
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Give a year between 2000 and 2100."))
    ensure_open(day=date(year, 1, 1), centre=centre)
    budget = Budget.objects.select_for_update().filter(centre=centre, year=year).first()
    creating = budget is None
    if budget is None:
        budget = Budget(centre=centre, year=year)
        before: dict[str, Any] = {}
    else:
        before = audit.snapshot(budget)
        if budget.amount == amount:
            return budget
    budget.amount = Decimal(amount).quantize(CENTS)
    budget.entered_by = actor
    budget.entered_at = timezone.now()
    budget.confirmed_known_by = None
    budget.confirmed_at = None
    budget.full_clean()
    budget.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        obj=budget,
        changes=audit.diff(before, audit.snapshot(budget)),
    )
    return budget


@transaction.atomic
def confirm_budget_known(*, actor: Any, budget: Budget, amount_seen: Decimal | None = None) -> Budget:
    """The coordinator confirms that the centre knows its budget; the date is kept.

    `amount_seen` is the amount the coordinator had in front of them: if management has
    changed it since, the confirmation is refused rather than given for an unseen amount."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    ensure_open(day=date(budget.year, 1, 1), centre=budget.centre_id)
    if amount_seen is not None and amount_seen != budget.amount:
        raise ValidationError(_("The budget was changed while you were looking at it. Check the new amount."))
    if budget.confirmed_at is not None:
        return budget
    before = audit.snapshot(budget)
    budget.confirmed_known_by = actor
    budget.confirmed_at = timezone.now()
    budget.save(update_fields=["confirmed_known_by", "confirmed_at"])
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=budget, changes=audit.diff(before, audit.snapshot(budget)))
    return budget


# --- The centre's own staff (issue 19) ---------------------------------------------------------


@transaction.atomic
def save_roster_entry(
    *, actor: Any, centre: Any, entry: Any = None, expected_version: int | None = None, **fields: Any
) -> Any:
    """Add a person to the centre's roster, or change one (a leaver gets a last day, and
    stays on the roster of the years they worked)."""
    from .models import RosterEntry

    if entry is None:
        entry = RosterEntry(centre=centre, **fields)
        ensure_span_open(first=entry.valid_from, last=entry.valid_to, centre=centre)
        entry.full_clean()
        entry.save()
        audit.record(actor=actor, action=AuditAction.CREATE, obj=entry, changes=audit.snapshot(entry))
        return entry
    before = audit.snapshot(entry)
    stored = RosterEntry.objects.get(pk=entry.pk)
    # The name may be spelt right in a closed year; its role, hours and days counted there may not.
    ensure_period_change_open(
        before=(stored.valid_from, stored.valid_to),
        after=(fields.get("valid_from", stored.valid_from), fields.get("valid_to", stored.valid_to)),
        centre=stored.centre_id,
        same_content=all(fields.get(n, getattr(stored, n)) == getattr(stored, n) for n in ("role", "hours_per_week")),
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean(exclude=["version"])
    save_versioned(entry, expected_version=expected_version or 0, fields=list(fields))
    changes = {k: v for k, v in audit.diff(before, audit.snapshot(entry)).items() if k != "version"}
    if changes:
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=entry, changes=changes)
    return entry
