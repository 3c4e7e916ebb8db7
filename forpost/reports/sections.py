"""Sections of the annual status that belong to no single app."""

from __future__ import annotations

from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from forpost.centres.models import Centre, Origin, PopulationFigure

from .status import Section, StatusContext, count_table, section


@section("population", order=25)
def district_population(ctx: StatusContext) -> Section:
    """Who lives in the districts the centres serve: the yardstick for representativeness."""
    districts = list(Centre.objects.filter(pk__in=ctx.centre_ids).values_list("districts_served", flat=True).distinct())
    figures = PopulationFigure.objects.filter(district__in=districts, year__lte=ctx.year)
    latest = figures.aggregate(year=Max("year"))["year"]
    title = _("Population of the districts served")
    if latest is None:
        return Section(key="population", title=title, no_data=True, intro=_("No population figures are imported."))
    rows = figures.filter(year=latest).values("origin").annotate(n=Sum("count"))
    counts = {o.value: 0 for o in Origin}
    for row in rows:
        counts[row["origin"]] = row["n"]
    sample = figures.filter(year=latest, is_sample=True).exists()
    # Population figures are public statistics, not registrations: they need no suppression.
    table, chart = count_table(
        ctx.__class__(ctx.year, ctx.centre_ids, ctx.city_wide, False, ctx.threshold),
        key="population_origin",
        title=_("Residents by origin, %(year)s") % {"year": latest},
        label=_("Origin"),
        counts=counts,
        labels={o.value: str(o.label) for o in Origin},
        count_label=_("Residents"),
        share_label=_("Share"),
        total_label=_("Total"),
        note=_("Sample figures for the demonstration, not statistics.") if sample else "",
    )
    return Section(
        key="population",
        title=title,
        intro=_("The centres' clientele should mirror the population of the districts they serve."),
        tables=(table,),
        charts=(chart,),
    )
