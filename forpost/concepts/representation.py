"""Does a centre's clientele mirror its districts' population? (2010 concept, Målgruppe.)

For each group (an origin, or a sex), the group's share of the centre's inquiries is set
against its share of the children living in the districts the centre serves. The share of
inquiries gets a 95 % Wilson interval; the group is under-represented when even the upper
end of the interval, divided by the population share, stays below 1.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .indicators import IndicatorContext, IndicatorValue

Z95 = 1.959963984540054
CHILD_BANDS = ("0-2", "3-5", "6-9", "10-12", "13-17")
CHILD_SEX = {"girl": "female", "boy": "male"}


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

    @property
    def under_represented(self) -> bool:
        return self.high < 1.0


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


def group_ratios(ctx: IndicatorContext, dimensions: tuple[str, ...]) -> list[GroupRatio] | None:
    """Every group's ratio, or None when the data to compare is missing."""
    from django.apps import apps

    from .indicators import _ids

    try:
        inquiry = apps.get_model("registrations", "Inquiry")
        child = apps.get_model("registrations", "Child")
    except LookupError:
        return None
    from forpost.centres.models import Centre, Origin, PopulationFigure, Sex

    districts = list(
        Centre.districts_served.through.objects.filter(**_ids(ctx, "centre_id")).values_list("district_id", flat=True)
    )
    figures = PopulationFigure.objects.filter(district_id__in=districts, age_band__in=CHILD_BANDS)
    years = sorted(set(figures.values_list("year", flat=True)))
    if not years:
        return None
    year = max([y for y in years if y <= ctx.start.year] or [min(years)])
    figures = figures.filter(year=year)
    result: list[GroupRatio] = []
    if "origin" in dimensions:
        population = Counter({r["origin"]: r["n"] for r in figures.values("origin").annotate(n=Sum("count"))})
        rows = (
            inquiry.objects.filter(**_ids(ctx, "centre_id"), date__gte=ctx.start, date__lt=ctx.end)
            .filter(origin__in=[o.value for o in Origin])
            .values("origin")
            .annotate(n=Count("pk"))
        )
        counts = Counter({r["origin"]: r["n"] for r in rows})
        result += ratios(counts, population, {o.value: str(o.label) for o in Origin}, "origin")
    if "sex" in dimensions:
        population = Counter({r["sex"]: r["n"] for r in figures.values("sex").annotate(n=Sum("count"))})
        rows = (
            child.objects.filter(
                **_ids(ctx, "inquiry__centre_id"),
                inquiry__date__gte=ctx.start,
                inquiry__date__lt=ctx.end,
                sex__in=list(CHILD_SEX),
            )
            .values("sex")
            .annotate(n=Count("pk"))
        )
        counts = Counter({CHILD_SEX[r["sex"]]: r["n"] for r in rows})
        result += ratios(counts, population, {s.value: str(s.label) for s in Sex}, "sex")
    return result


def underrepresented_groups(ctx: IndicatorContext) -> IndicatorValue:
    from .indicators import Evidence, IndicatorValue

    found = group_ratios(ctx, tuple(ctx.param("dimensions") or ()))
    if found is None:
        return IndicatorValue.no_data(_("No population figures for the districts the centre serves."))
    if not found:
        return IndicatorValue.no_data(_("No inquiries with a stated origin or sex in the period."))
    flagged = [g for g in found if g.under_represented]
    return IndicatorValue(
        value=len(flagged),
        parts=(len(found) - len(flagged), len(found)),
        evidence=tuple(
            Evidence(
                _("%(group)s: ratio %(ratio)s (95 %% interval %(low)s–%(high)s)")
                % {
                    "group": g.label,
                    "ratio": f"{g.ratio:.2f}".replace(".", ","),
                    "low": f"{g.low:.2f}".replace(".", ","),
                    "high": f"{g.high:.2f}".replace(".", ","),
                }
            )
            for g in flagged
        ),
    )
