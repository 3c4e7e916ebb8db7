"""Judging one requirement for some centres over a period: the shared core of the year wheel
and the annual status's scorecard.

    evaluate(requirement, centre_ids=..., start=..., end=..., attested=...)  -> Evaluation

An indicator requirement is met, partly met or not met by its computed value, or has no data;
an attested requirement is attested or not. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from forpost.centres.queries import centre_scope
from forpost.core.periods import CentreScope, Period

from . import indicators
from .definitions import AttestedMeasure, IndicatorMeasure, Requirement, Strength
from .indicators import IndicatorValue


class Outcome(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    ATTESTED = "attested"
    # Attested by the coordinator, not yet approved by central staff: not fulfilled yet.
    ATTESTED_PENDING = "attested_pending"
    NOT_ATTESTED = "not_attested"
    NO_DATA = "no_data"
    # A "kan" (may) item is an option, never a duty left undone: used or not used.
    USED = "used"
    NOT_USED = "not_used"

    @property
    def label(self) -> Promise:
        return OUTCOME_LABELS[self]

    @property
    def fulfils(self) -> bool:
        return self in (Outcome.MET, Outcome.ATTESTED, Outcome.USED)


OUTCOME_LABELS: dict[Outcome, Promise] = {
    Outcome.MET: _("met"),
    Outcome.PARTLY_MET: _("partly met"),
    Outcome.NOT_MET: _("not met"),
    Outcome.ATTESTED: _("attested and approved"),
    Outcome.ATTESTED_PENDING: _("attested, awaiting approval"),
    Outcome.NOT_ATTESTED: _("not attested"),
    Outcome.NO_DATA: _("no data"),
    Outcome.USED: _("used"),
    Outcome.NOT_USED: _("not used"),
}


def outcome_of(
    measure: IndicatorMeasure,
    value: IndicatorValue,
    threshold: float | None = None,
    strength: Strength = Strength.SHALL,
) -> Outcome:
    """Met / partly met / not met / no data for an indicator value against a threshold, as
    the concept file reads the requirement: with `partly_met_share`, "partly met" needs that
    share of the parts (e.g. of the weeks) at the threshold, never none; a "kan" item is
    used or not used."""
    if value.value is None:
        return Outcome.NO_DATA
    met = measure.met(value.value, threshold)
    if strength == Strength.MAY:
        return Outcome.USED if met else Outcome.NOT_USED
    if met:
        return Outcome.MET
    if measure.partly_met_share is not None:
        if (
            value.parts is not None
            and value.parts[0] > 0
            and value.parts[0] >= measure.partly_met_share * value.parts[1]
        ):
            return Outcome.PARTLY_MET
        return Outcome.NOT_MET
    if measure.comparison in (">=", ">") and value.value > 0:
        return Outcome.PARTLY_MET
    if value.parts is not None and value.parts[0] > 0:
        return Outcome.PARTLY_MET
    return Outcome.NOT_MET


def attested_outcome(attestation: Any) -> Outcome:
    """An attestation fulfils its requirement once central staff approved it; one that awaits
    approval is told apart; a returned one counts as none."""
    if attestation is None:
        return Outcome.NOT_ATTESTED
    status = getattr(attestation, "status", "approved")
    if status == "approved":
        return Outcome.ATTESTED
    if status == "submitted":
        return Outcome.ATTESTED_PENDING
    return Outcome.NOT_ATTESTED


class IndicatorCache:
    """Computes each (indicator, parameters, centres, period) once, e.g. for one page. Every
    value comes from an indicator's batch (forpost.concepts.indicators): a centre shown on
    its own is the batch's result for it, with its evidence read then."""

    def __init__(self, *, evidence: bool = True) -> None:
        # A page that shows many centres' outcomes but no centre's evidence (the city's year
        # wheel) says so, and reads no evidence at all.
        self.evidence = evidence
        self._values: dict[Any, Any] = {}
        self._memo: dict[Any, Any] = {}  # the indicators' shared reads (counts, activities, weeks)
        self._scopes: dict[frozenset[int], CentreScope] = {}
        # The batches computed, by (indicator, parameters, period): a centre asked for alone
        # later is the batch's result for it.
        self._batches: dict[Any, list[dict[int, IndicatorValue]]] = {}

    def _scope(self, centre_ids: Iterable[int]) -> CentreScope:
        ids = frozenset(centre_ids)
        if ids not in self._scopes:
            self._scopes[ids] = centre_scope(ids)
        return self._scopes[ids]

    def value(self, name: str, params: Any, *, centre_ids: Iterable[int], start: date, end: date) -> IndicatorValue:
        """The value of these centres: one centre's with its evidence, several taken together."""
        scope, period = self._scope(centre_ids), Period(start, end)
        key = (name, indicators.params_key(params), scope.ids, period)
        if key not in self._values:
            batch = None
            if len(scope) == 1:
                # A centre already measured with others keeps the value it had there.
                batches = self._batches.get((name, key[1], period), [])
                batch = next((found for found in batches if scope.ids <= found.keys()), None)
            if batch is not None and not self.evidence:
                self._values[key] = batch[next(iter(scope.ids))]
            else:
                self._values[key] = indicators.value(name, params, scope, period, memo=self._memo, batch=batch)
        found: IndicatorValue = self._values[key]
        return found

    def per_centre(
        self, name: str, params: Any, *, centre_ids: Iterable[int], start: date, end: date
    ) -> dict[int, IndicatorValue]:
        """The indicator for each centre on its own, from one batch (no evidence)."""
        scope, period = self._scope(centre_ids), Period(start, end)
        key = ("per_centre", (name, indicators.params_key(params)), scope.ids, period)
        if key not in self._values:
            self._values[key] = indicators.values(name, params, scope, period, memo=self._memo)
            self._batches.setdefault((name, key[1][1], period), []).append(self._values[key])
        result: dict[int, IndicatorValue] = self._values[key]
        return result

    def prime(self, name: str, params: Any, *, centre_ids: Iterable[int], start: date, end: date) -> None:
        """Compute the indicator for each centre at once, so that each centre asked for alone
        later is the batch's result for it (its evidence is read then)."""
        self.per_centre(name, params, centre_ids=centre_ids, start=start, end=end)


@dataclass(frozen=True)
class Evaluation:
    requirement: Requirement
    outcome: Outcome
    value: IndicatorValue | None = None
    # The attestation row (forpost.concepts.models.Attestation) when there is one.
    attestation: Any = None
    evidence: tuple[indicators.Evidence, ...] = field(default=())
    # For an attested requirement: what Forpost's data says beside the statement, as
    # (what it shows, its value), read when one centre is shown.
    data: tuple[tuple[str, IndicatorValue], ...] = field(default=())

    @property
    def fulfilled(self) -> bool:
        return self.outcome.fulfils


def evaluate(
    requirement: Requirement,
    *,
    centre_ids: Iterable[int],
    start: date,
    end: date,
    attestation: Any = None,
    cache: IndicatorCache | None = None,
    threshold: float | None = None,
) -> Evaluation:
    """How `requirement` stands for the centres over [start, end).

    `attestation` is the coordinator's attestation for the year, if any (only read for
    attested requirements). `threshold` overrides the file's, e.g. 2 of 4 meetings by June.
    """
    measure = requirement.measure
    cache = cache or IndicatorCache()
    if isinstance(measure, AttestedMeasure):
        outcome = attested_outcome(attestation)
        data = tuple(
            (str(ref.label), cache.value(ref.name, ref.params, centre_ids=centre_ids, start=start, end=end))
            for ref in measure.data
        )
        return Evaluation(requirement, outcome, attestation=attestation, data=data)
    value = cache.value(measure.name, measure.params, centre_ids=centre_ids, start=start, end=end)
    outcome = outcome_of(measure, value, threshold, requirement.strength)
    return Evaluation(requirement, outcome, value=value, evidence=value.evidence)


def evaluate_year(
    centre: Any, year: int, *, as_of: date | None = None, cache: IndicatorCache | None = None
) -> list[Evaluation]:
    """Every centre requirement of the version in force in `year`, judged for one centre over
    the whole year (or up to `as_of`). The annual status's scorecard starts here."""
    from .definitions import Scope
    from .loader import concept_for_year
    from .models import Attestation

    version = concept_for_year(year)
    if version is None:
        return []
    period = Period.year_until(year, as_of)
    start, end = period.start, period.end
    attested = {a.requirement_id: a for a in Attestation.objects.filter(centre=centre, year=year)}
    cache = cache or IndicatorCache()
    return [
        evaluate(r, centre_ids=[centre.pk], start=start, end=end, attestation=attested.get(r.id), cache=cache)
        for r in version.requirements
        if r.scope == Scope.CENTRE
    ]


def evaluate_per_centre(
    requirement: Requirement,
    *,
    centre_ids: Iterable[int],
    start: date,
    end: date,
    attestations: Mapping[int, Any] | None = None,
    cache: IndicatorCache | None = None,
) -> dict[int, Evaluation]:
    """How `requirement` stands for each centre on its own, with a constant number of
    queries however many centres there are. `attestations` maps centre id to the centre's
    attestation of this requirement for the year."""
    attestations = attestations or {}
    ids = sorted(set(centre_ids))
    measure = requirement.measure
    if isinstance(measure, AttestedMeasure):
        return {
            pk: Evaluation(
                requirement,
                attested_outcome(attestations.get(pk)),
                attestation=attestations.get(pk),
            )
            for pk in ids
        }
    cache = cache or IndicatorCache()
    values = cache.per_centre(measure.name, measure.params, centre_ids=ids, start=start, end=end)
    return {
        pk: Evaluation(
            requirement,
            outcome_of(measure, values[pk], strength=requirement.strength),
            value=values[pk],
            evidence=values[pk].evidence,
        )
        for pk in ids
    }
