"""The indicators a concept file may name, and what each computes.

Each indicator is written once, for every centre in scope at once (see base.py): `values()`
gives {centre: value}, one centre's value is that batch's result for the centre, and its
evidence is read separately, only when one centre is shown (`value()` for one centre).
Several centres together (the city's value) come from the same batch (see base.Combine).

The indicators are the plain ordered list INDICATORS below; nothing registers itself by
being imported. The concept files are validated against it when the app starts, so a file
cannot name an indicator that does not exist or pass it parameters it does not take (each
indicator's parameters are a pydantic model).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from forpost.centres.queries import centre_scope
from forpost.core.periods import CentreScope, Period

from . import centres, collaboration, registrations, status
from .base import (
    MAX_EVIDENCE,
    TOGETHER,
    UNIT_LABELS,
    Combine,
    Ctx,
    Evidence,
    Indicator,
    IndicatorValue,
    Params,
    PerCentre,
    Unit,
    number,
    params_key,
    share,
)
from .centres import WeeklyParams
from .registrations import AGE_BANDS, REFERRAL_DESTINATIONS, bands_within, without_case
from .status import RepresentationParams

INDICATORS: tuple[Indicator, ...] = (
    *collaboration.INDICATORS,
    *centres.INDICATORS,
    *registrations.INDICATORS,
    *status.INDICATORS,
)
BY_NAME: Mapping[str, Indicator] = {i.name: i for i in INDICATORS}
assert len(BY_NAME) == len(INDICATORS), "two indicators share a name"


def get(name: str) -> Indicator:
    return BY_NAME[name]


def _ctx(
    indicator: Indicator, params: Any, scope: CentreScope, period: Period, memo: dict[Any, Any] | None, **kw: Any
) -> Ctx:
    return Ctx(scope=scope, period=period, params=indicator.validate(params), memo={} if memo is None else memo, **kw)


def values(
    name: str, params: Any, scope: CentreScope, period: Period, *, memo: dict[Any, Any] | None = None
) -> PerCentre:
    """{centre: value} for every centre of the scope, without evidence: one batch."""
    indicator = BY_NAME[name]
    return indicator(_ctx(indicator, params, scope, period, memo))


def evidence(
    name: str, params: Any, centre_id: int, period: Period, *, memo: dict[Any, Any] | None = None
) -> tuple[Evidence, ...]:
    """What one centre's value rests on (read only when that centre is shown)."""
    indicator = BY_NAME[name]
    if indicator.evidence_of is None or period.empty:
        return ()
    ctx = _ctx(indicator, params, CentreScope.one(centre_id), period, memo)
    return tuple(indicator.evidence_of(ctx, centre_id)[:MAX_EVIDENCE])


def value(
    name: str,
    params: Any,
    scope: CentreScope,
    period: Period,
    *,
    memo: dict[Any, Any] | None = None,
    batch: PerCentre | None = None,
) -> IndicatorValue:
    """The value of the scope's centres: for one centre, the batch's result for it with its
    evidence; for several, the centres taken together as the indicator says (`batch`: the
    values of the scope's centres, when the caller has them already)."""
    indicator = BY_NAME[name]
    if len(scope) == 1:
        (pk,) = scope.ids
        found = (batch if batch is not None else values(name, params, scope, period, memo=memo))[pk]
        return replace(found, evidence=evidence(name, params, pk, period, memo=memo))
    if not scope.ids:
        if indicator.combine == Combine.SAME:  # a duty of the city itself, whatever its centres
            return indicator(_ctx(indicator, params, scope, period, memo, together=True))[TOGETHER]
        return IndicatorValue.no_data(_("No centre is measured."), unit=indicator.unit)
    if indicator.combine == Combine.ONE_AT_A_TIME:
        return IndicatorValue.no_data(_("Measured for one centre at a time."), unit=indicator.unit)
    if indicator.combine == Combine.TOGETHER:
        return indicator(_ctx(indicator, params, scope, period, memo, together=True))[TOGETHER]
    each = batch if batch is not None else values(name, params, scope, period, memo=memo)
    return combine(indicator, list(each.values()))


def combine(indicator: Indicator, each: list[IndicatorValue]) -> IndicatorValue:
    """Several centres' values as one, by the indicator's unit: counts and shares are summed
    (a share from its summed parts), yes only when every centre says yes, the weakest week
    of any centre with the weeks at the minimum of all weeks; one value for all (SAME)."""
    unit = indicator.unit
    measured = [v for v in each if v.value is not None]
    if not measured:
        return each[0] if each else IndicatorValue.no_data(_("No centre is measured."), unit=unit)
    if indicator.combine == Combine.SAME:
        return measured[0]
    parts = None
    counted = [v.parts for v in measured if v.parts is not None]
    if len(counted) == len(measured):
        parts = (sum(p[0] for p in counted), sum(p[1] for p in counted))
    if unit == Unit.SHARE:
        return share(*parts) if parts else IndicatorValue.no_data(_("Nothing was registered in the period."), unit=unit)
    if unit == Unit.YES_NO:
        return IndicatorValue(value=float(all(v.value for v in each if v.value is not None)), unit=unit)
    if unit == Unit.HOURS_PER_WEEK:
        return IndicatorValue(value=min(v.value for v in measured if v.value is not None), unit=unit, parts=parts)
    return IndicatorValue(value=sum(v.value for v in measured if v.value is not None), unit=unit, parts=parts)


def compute(
    name: str,
    *,
    centre_ids: Iterable[int],
    start: date,
    end: date,
    params: Any,
    memo: dict[Any, Any] | None = None,
) -> IndicatorValue:
    """The value of these centres over [start, end) (see `value`)."""
    return value(name, params, centre_scope(centre_ids), Period(start, end), memo=memo)


def compute_per_centre(
    name: str,
    *,
    centre_ids: Iterable[int],
    start: date,
    end: date,
    params: Any,
    memo: dict[Any, Any] | None = None,
) -> PerCentre:
    """{centre: value} for each of the centres on its own (see `values`)."""
    return values(name, params, centre_scope(centre_ids), Period(start, end), memo=memo)


def ceil_share(threshold: float, k: int, n: int) -> float:
    """The part of a yearly threshold due by the k-th of n due dates (4 meetings: 1, 2, 3, 4)."""
    return math.ceil(threshold * k / n - 1e-9)


__all__ = [
    "AGE_BANDS",
    "BY_NAME",
    "INDICATORS",
    "MAX_EVIDENCE",
    "REFERRAL_DESTINATIONS",
    "UNIT_LABELS",
    "Combine",
    "Ctx",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "Params",
    "PerCentre",
    "RepresentationParams",
    "Unit",
    "WeeklyParams",
    "bands_within",
    "ceil_share",
    "combine",
    "compute",
    "compute_per_centre",
    "evidence",
    "get",
    "number",
    "params_key",
    "share",
    "value",
    "values",
    "without_case",
]
