"""Factories for the centres' hours, closures, staffing and budgets (tests and the URL walker)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .models import (
    Budget,
    Centre,
    Closure,
    HolidayOverride,
    OpeningHoursPattern,
    OpeningSlot,
    SlotKind,
    StaffAllocation,
    StaffRole,
)

# A plain week with 7 drop-in hours: Monday 14–17, Thursday 10–14; phone hours Tuesday 9–10.
DEFAULT_SLOTS: list[tuple[int, time, time, str]] = [
    (0, time(14), time(17), SlotKind.DROP_IN),
    (3, time(10), time(14), SlotKind.DROP_IN),
    (1, time(9), time(10), SlotKind.PHONE),
]


def make_pattern(
    centre: Centre,
    *,
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    slots: list[tuple[int, time, time, str]] | None = None,
) -> OpeningHoursPattern:
    pattern = OpeningHoursPattern.objects.create(centre=centre, valid_from=valid_from, valid_to=valid_to)
    for weekday, start, end, kind in DEFAULT_SLOTS if slots is None else slots:
        OpeningSlot.objects.create(pattern=pattern, weekday=weekday, starts_at=start, ends_at=end, kind=kind)
    return pattern


def make_closure(
    centre: Centre,
    *,
    starts_on: date = date(2030, 7, 1),
    ends_on: date = date(2030, 7, 31),
    reason: str = "Sommerferie",
) -> Closure:
    return Closure.objects.create(centre=centre, starts_on=starts_on, ends_on=ends_on, reason=reason)


def make_holiday_override(centre: Centre, day: date) -> HolidayOverride:
    return HolidayOverride.objects.create(centre=centre, date=day, open_anyway=True)


def make_allocation(
    centre: Centre,
    *,
    role: str = StaffRole.FAMILY_CONSULTANT,
    hours_per_week: Decimal | str = "6",
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    **fields: Any,
) -> StaffAllocation:
    return StaffAllocation.objects.create(
        centre=centre,
        role=role,
        hours_per_week=Decimal(hours_per_week),
        valid_from=valid_from,
        valid_to=valid_to,
        **fields,
    )


def make_budget(centre: Centre, *, year: int | None = None, amount: Decimal | str = "450000", **fields: Any) -> Budget:
    return Budget.objects.create(
        centre=centre,
        year=year or timezone.localdate().year,
        amount=Decimal(amount),
        entered_at=fields.pop("entered_at", timezone.now()),
        **fields,
    )
