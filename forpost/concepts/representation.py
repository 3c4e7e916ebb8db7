"""Does a centre's clientele mirror its districts' population? (2010 concept, Målgruppe:
"skal i et vist omfang afspejle befolkningssammensætningen i forhold til etnicitet, køn mv.")

One yardstick, used by the scorecard (the indicator `underrepresented_groups`) and the annual
status's section alike: the residents aged 18–64 of the districts the centre serves, in the
latest year of population figures up to the year measured. An inquiry registers the origin
and the sex of the parent who made contact, so that parent is set against the adults of
parenting age with the same categories. The children are no yardstick for the parent's
origin: Statistics Denmark counts an immigrant's child born here as a descendant, so
immigrant parents would look over-represented and descendants under-represented by
construction.

For each group its share of the inquiries gets a 95 % Wilson interval; the ratio to the
group's share of the population gets the interval divided by that share. "I et vist omfang"
(to some extent) is read with a tolerance stated in the concept file: a group is
under-represented only when the whole interval lies below the tolerance.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .indicators import Ctx, Evidence, IndicatorValue

Z95 = 1.959963984540054
# The population the clientele is set against: adults of parenting age.
ADULT_BANDS = ("18-29", "30-39", "40-49", "50-64")
# The registered sex of the contacting parent, as the population figures' sex.
PARENT_SEX = {"female": "female", "male": "male"}
# Each dimension: the inquiry counts it reads (registrations.counts) and the population field.
DIMENSIONS = {"origin": ("origin", "origin"), "sex": ("parent_sex", "sex")}


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (0, 0 when n is 0)."""
    if n <= 0:
        return (0.0, 0.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class GroupRatio:
    dimension: str
    group: str
    label: str
    count: int
    n: int
    population_share: float
    ratio: float
    low: float
    high: float

    def under_represented(self, tolerance: float) -> bool:
        """The whole 95 % interval of the ratio lies below the tolerance."""
        return self.high < tolerance

    def over_represented(self) -> bool:
        return self.low > 1.0


def ratios(counts: Counter[str], population: Counter[str], labels: dict[str, str], dimension: str) -> list[GroupRatio]:
    n = sum(counts.values())
    people = sum(population.values())
    if n == 0 or people == 0:
        return []
    result = []
    for group, size in sorted(population.items()):
        share = size / people
        if share == 0:
            continue
        low, high = wilson(counts.get(group, 0), n)
        result.append(
            GroupRatio(
                dimension=dimension,
                group=group,
                label=labels.get(group, group),
                count=counts.get(group, 0),
                n=n,
                population_share=share,
                ratio=(counts.get(group, 0) / n) / share,
                low=low / share,
                high=high / share,
            )
        )
    return result


def population_year(years: set[int], year: int) -> int | None:
    """The latest year of population figures up to `year` (None: none that early)."""
    return max((y for y in years if y <= year), default=None)


def tolerance_for(year: int) -> float | None:
    """The concept file's reading of "i et vist omfang" for the version in force in `year`."""
    from .definitions import IndicatorMeasure
    from .loader import concept_for_year

    concept = concept_for_year(year)
    for requirement in concept.requirements if concept else ():
        measure = requirement.measure
        if isinstance(measure, IndicatorMeasure) and measure.name == "underrepresented_groups":
            return float(measure.params["tolerance"])
    return None


def _labels() -> dict[str, dict[str, str]]:
    from forpost.centres.models import Origin, Sex

    return {"origin": {o.value: str(o.label) for o in Origin}, "sex": {s.value: str(s.label) for s in Sex}}


def _inquiry_counts(ctx: Ctx) -> dict[int, dict[str, dict[str, int]]]:
    """{centre: {count dimension: {value: inquiries}}} (forpost.registrations.counts)."""
    origin, sex = ctx.counts("origin"), ctx.counts("parent_sex")
    return {pk: {"origin": origin.get(pk, {}), "parent_sex": sex.get(pk, {})} for pk in ctx.scope.ids}


def ratios_by_centre(ctx: Ctx) -> dict[int, list[GroupRatio] | str]:
    """Each centre's group ratios for the dimensions asked, or why there are none."""
    from forpost.centres.models import Centre, PopulationFigure

    from .indicators.base import params_key

    key = ("group_ratios", ctx.scope, ctx.period, params_key(ctx.params))
    if key in ctx.memo:
        memoised: dict[int, list[GroupRatio] | str] = ctx.memo[key]
        return memoised
    dimensions = tuple(ctx.params.dimensions)
    counts = _inquiry_counts(ctx)
    served: dict[int, set[int]] = defaultdict(set)
    for pk, district in Centre.districts_served.through.objects.filter(ctx.scope.q()).values_list(
        "centre_id", "district_id"
    ):
        served[pk].add(district)
    # {district: {year: {(dimension, group): people}}}
    people: dict[int, dict[int, Counter[tuple[str, str]]]] = defaultdict(lambda: defaultdict(Counter))
    districts = set().union(*served.values()) if served else set()
    figures = PopulationFigure.objects.filter(Q(district_id__in=districts), age_band__in=ADULT_BANDS)
    for row in figures.values("district_id", "year", "origin", "sex").annotate(n=Sum("count")).order_by():
        people[row["district_id"]][row["year"]][("origin", row["origin"])] += row["n"]
        people[row["district_id"]][row["year"]][("sex", row["sex"])] += row["n"]
    labels = _labels()
    result: dict[int, list[GroupRatio] | str] = {}
    for pk in sorted(ctx.scope.ids):
        year = population_year({y for d in served[pk] for y in people[d]}, ctx.period.start.year)
        if year is None:
            result[pk] = _("No population figures for the districts the centre serves.")
            continue
        population: Counter[tuple[str, str]] = Counter()
        for district in served[pk]:
            population.update(people[district].get(year, Counter()))
        found: list[GroupRatio] = []
        for dimension in dimensions:
            fact, _field = DIMENSIONS[dimension]
            stated = Counter({k: n for k, n in counts[pk].get(fact, {}).items() if k in labels[dimension] and n})
            groups = Counter({g: n for (dim, g), n in population.items() if dim == dimension})
            found += ratios(stated, groups, labels[dimension], dimension)
        result[pk] = found or _("No inquiries with a stated origin or sex in the period.")
    ctx.memo[key] = result
    return result


def _decimal(value: float) -> str:
    """Two decimals as the reader's language writes them (0,50 in Danish, 0.50 in English)."""
    from django.utils import formats

    return formats.number_format(value, 2)


def judged(ctx: Ctx, found: list[GroupRatio] | str) -> IndicatorValue:
    """The indicator's value for one centre: the groups under-represented beyond the tolerance."""
    from .indicators import IndicatorValue

    if isinstance(found, str):
        return IndicatorValue.no_data(found)
    tolerance = float(ctx.params.tolerance)
    flagged = [g for g in found if g.under_represented(tolerance)]
    return IndicatorValue(
        value=len(flagged),
        parts=(len(found) - len(flagged), len(found)),
        detail=_("A group counts as under-represented when its whole 95 %% interval lies below %(tolerance)s.")
        % {"tolerance": _decimal(tolerance)},
    )


def flagged_evidence(ctx: Ctx, found: list[GroupRatio] | str) -> list[Evidence]:
    """The groups flagged, with their ratio and interval: the evidence of one centre."""
    from .indicators import Evidence

    if isinstance(found, str):
        return []
    tolerance = float(ctx.params.tolerance)
    return [
        Evidence(
            _("%(group)s: ratio %(ratio)s (95 %% interval %(low)s–%(high)s)")
            % {"group": g.label, "ratio": _decimal(g.ratio), "low": _decimal(g.low), "high": _decimal(g.high)}
        )
        for g in found
        if g.under_represented(tolerance)
    ]
