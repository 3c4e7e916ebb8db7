"""What an indicator is: one batch function for every centre in scope, its parameters as a
pydantic model, and its evidence read only when one centre is shown.

    @indicator("share_of_referrals_with_contact", unit=Unit.SHARE, params=ReferralParams)
    def share_of_referrals_with_contact(ctx: Ctx) -> PerCentre:
        bridge = ctx.counts("referral_bridge")                  # {centre: {value: n}}
        return {pk: share(b.get("contact_made", 0) + b.get("case_opened", 0), sum(b.values()))
                for pk, b in bridge.items()}

One centre's value is the batch's result for that centre; nothing computes it a second way.
Several centres together (the city) get the batch run over their counts added up
(`Combine.TOGETHER`) or their values summed up as the unit says (see `combine`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, ValidationError

from forpost.core.periods import CentreScope, Period


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

MAX_EVIDENCE = 12
# The registrations' counts the indicators read (Ctx.counts reads them all in one query).
COUNTED = frozenset(
    {
        "total",
        "channel",
        "child_age",
        "has_case",
        "referral_source",
        "referral_to",
        "referral_bridge",
        "course_started",
        "course_ended",
        "course_improved",
        "course_ors_n",
        "course_scaling_n",
        "origin",
        "parent_sex",
    }
)
# The key of the one result when several centres are measured together.
TOGETHER = 0


@dataclass(frozen=True)
class Evidence:
    """One thing that counts for an indicator: an activity, a meeting, a booking…"""

    label: str
    on: date | None = None


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
    def no_data(cls, reason: str | Promise, unit: str = Unit.COUNT) -> IndicatorValue:
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
            return str(_("%(hours)s hours a week") % {"hours": number(self.value)})
        return number(self.value)


PerCentre = dict[int, IndicatorValue]


def number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def share(numerator: int, denominator: int, *, unit: str = Unit.SHARE, detail: str = "") -> IndicatorValue:
    if denominator == 0:
        return IndicatorValue.no_data(_("Nothing was registered in the period."), unit=unit)
    return IndicatorValue(value=numerator / denominator, unit=unit, parts=(numerator, denominator), detail=detail)


class Params(BaseModel):
    """An indicator's parameters as one pydantic model: the declaration validates the concept
    file's values, types them and documents them (each field's description)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class NoParams(Params):
    """The indicator takes no parameters."""


@dataclass(frozen=True)
class Ctx:
    """What to measure: these centres over this period, with these parameters. `memo` is
    shared by the indicators of one page (never across requests), so they read the counts
    and other grouped rows once. `together`: the centres are measured as one (keys are
    TOGETHER), for the city's value of an indicator that reads counts."""

    scope: CentreScope
    period: Period
    params: Any = field(default_factory=NoParams)
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    together: bool = False

    @property
    def centres(self) -> list[int]:
        """The keys of the result: each centre, or TOGETHER."""
        return [TOGETHER] if self.together else sorted(self.scope.ids)

    def counts(self, dimension: str) -> dict[int, dict[str, int]]:
        """{key: {value: n}} of one of the registrations' counts for each centre (or all of
        them together), read once a page (forpost.registrations.counts)."""
        from forpost.registrations.counts import counts_by_centre

        if dimension not in COUNTED:
            raise ValueError(f"Add {dimension!r} to COUNTED.")
        key = ("counts", self.scope, self.period)
        if key not in self.memo:  # the dimensions the indicators read, in one query
            self.memo[key] = counts_by_centre(self.scope, self.period, COUNTED)
        found: dict[int, dict[str, dict[str, int]]] = self.memo[key]
        by_centre = {pk: by.get(dimension, {}) for pk, by in found.items()}
        if not self.together:
            return by_centre
        summed: dict[str, int] = {}
        for values in by_centre.values():
            for value, n in values.items():
                summed[value] = summed.get(value, 0) + n
        return {TOGETHER: summed}

    def each(self, found: Mapping[int, Any], make: Callable[[Any], IndicatorValue], empty: Any) -> PerCentre:
        return {pk: make(found.get(pk, empty)) for pk in self.centres}


class Combine(StrEnum):
    """How several centres' value is had from the batch."""

    TOGETHER = "together"  # the batch over the centres' counts added up (exact)
    BY_UNIT = "by_unit"  # counts and shares summed; yes if every centre; the weakest week
    SAME = "same"  # one value for every centre (the city's own duties)
    ONE_AT_A_TIME = "one_at_a_time"  # measured for one centre only


Batch = Callable[[Ctx], PerCentre]
EvidenceFn = Callable[[Ctx, int], list[Evidence]]


@dataclass
class Indicator:
    name: str
    batch: Batch
    params: type[Params]
    unit: str
    label: Promise | str
    combine: Combine = Combine.BY_UNIT
    evidence_of: EvidenceFn | None = None

    def evidence(self, function: EvidenceFn) -> EvidenceFn:
        """Decorate the function that reads one centre's evidence (only when it is shown)."""
        self.evidence_of = function
        return function

    def validate(self, params: Mapping[str, Any] | Params | None) -> Params:
        if isinstance(params, Params):
            return params
        # The loaded concept holds its parameters frozen (tuples); the model reads lists.
        thawed = {k: list(v) if isinstance(v, tuple) else v for k, v in dict(params or {}).items()}
        return self.params.model_validate(thawed)

    def check_params(self, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(parameter path, problem) for every way `params` does not fit this indicator."""
        try:
            self.validate(params)
        except ValidationError as error:
            problems = []
            for e in error.errors():
                key = ".".join(str(part) for part in e["loc"])
                if e["type"] == "missing":
                    problems.append((key, "is required"))
                elif e["type"] == "extra_forbidden":
                    known = ", ".join(sorted(self.params.model_fields)) or "none"
                    problems.append((key, f"unknown parameter of {self.name} (known: {known})"))
                else:
                    problems.append((key, e["msg"]))
            return problems
        return []

    def __call__(self, ctx: Ctx) -> PerCentre:
        """The value for each centre of the scope (no evidence), from the batch."""
        if ctx.period.empty:
            return {pk: IndicatorValue.no_data(_("The period has not begun."), unit=self.unit) for pk in ctx.centres}
        return self.batch(ctx)


def indicator(
    name: str,
    *,
    unit: str = Unit.COUNT,
    params: type[Params] = NoParams,
    label: Promise | str = "",
    combine: Combine = Combine.BY_UNIT,
) -> Callable[[Batch], Indicator]:
    """Make an Indicator of a batch function. Nothing is registered: the package lists them."""

    def decorator(function: Batch) -> Indicator:
        return Indicator(name=name, batch=function, params=params, unit=unit, label=label or name, combine=combine)

    return decorator


def params_key(params: Any) -> str:
    if isinstance(params, Params):
        return params.model_dump_json()
    return json.dumps(dict(params or {}), sort_keys=True, default=str)
