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
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .indicators import IndicatorContext, IndicatorValue

Z95 = 1.959963984540054
# The population the clientele is set against: adults of parenting age.
ADULT_BANDS = ("18-29", "30-39", "40-49", "50-64")
# The registered sex of the contacting parent, as the population figures' sex.
PARENT_SEX = {"female": "female", "male": "male"}
# Each dimension: the inquiry counts it reads (reports.facts) and the population field.
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


def _inquiry_counts(ctx: IndicatorContext) -> dict[int, dict[str, dict[str, int]]]:
    """{centre: {fact dimension: {value: inquiries}}}: the status's counts over whole years,
    else the registrations grouped by centre."""
    from forpost.registrations.models import Inquiry

    from .per_centre import _in, year_facts_by_centre

    found = year_facts_by_centre(ctx, "origin", "parent_sex")
    if found is not None:
        return found
    found = {pk: {"origin": {}, "parent_sex": {}} for pk in ctx.centre_ids}
    inquiries = Inquiry.objects.filter(_in(ctx, "centre_id"), date__gte=ctx.start, date__lt=ctx.end)
    for field in ("origin", "parent_sex"):
        for pk, value, n in inquiries.values_list("centre_id", field).annotate(n=Count("pk")).order_by():
            found[pk][field][value] = n
    return found


def ratios_by_centre(ctx: IndicatorContext) -> dict[int, list[GroupRatio] | str]:
    """Each centre's group ratios for the dimensions asked, or why there are none."""
    from forpost.centres.models import Centre, PopulationFigure

    from .per_centre import _in

    dimensions = tuple(ctx.param("dimensions") or ())
    counts = _inquiry_counts(ctx)
    served: dict[int, set[int]] = defaultdict(set)
    for pk, district in Centre.districts_served.through.objects.filter(_in(ctx, "centre_id")).values_list(
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
    for pk in ctx.centre_ids:
        year = population_year({y for d in served[pk] for y in people[d]}, ctx.start.year)
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
    return result


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def judged(ctx: IndicatorContext, found: list[GroupRatio] | str, *, evidence: bool) -> IndicatorValue:
    """The indicator's value for one centre: the groups under-represented beyond the tolerance."""
    from .indicators import Evidence, IndicatorValue

    if isinstance(found, str):
        return IndicatorValue.no_data(found)
    tolerance = float(ctx.param("tolerance", 1))
    flagged = [g for g in found if g.under_represented(tolerance)]
    return IndicatorValue(
        value=len(flagged),
        parts=(len(found) - len(flagged), len(found)),
        detail=_("A group counts as under-represented when its whole 95 %% interval lies below %(tolerance)s.")
        % {"tolerance": _decimal(tolerance)},
        evidence=tuple(
            Evidence(
                _("%(group)s: ratio %(ratio)s (95 %% interval %(low)s–%(high)s)")
                % {"group": g.label, "ratio": _decimal(g.ratio), "low": _decimal(g.low), "high": _decimal(g.high)}
            )
            for g in flagged
        )
        if evidence
        else (),
    )


def underrepresented_groups(ctx: IndicatorContext) -> IndicatorValue:
    """One centre's value: the batch's result for it, with the flagged groups as evidence."""
    from .indicators import IndicatorValue

    if len(ctx.centre_ids) != 1:
        return IndicatorValue.no_data(_("Measured for one centre at a time."))
    ((_pk, found),) = ratios_by_centre(ctx).items()
    return judged(ctx, found, evidence=True)


def underrepresented_by_centre(ctx: IndicatorContext) -> dict[int, Any]:
    return {pk: judged(ctx, found, evidence=False) for pk, found in ratios_by_centre(ctx).items()}
