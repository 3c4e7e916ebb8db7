"""Indicators of the annual status itself, and of representativeness (forpost.concepts.representation)."""

from __future__ import annotations

from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from pydantic import Field

from .base import Combine, Ctx, Evidence, IndicatorValue, Params, PerCentre, Unit, indicator


def _texts(ctx: Ctx) -> list[Any]:
    from forpost.concepts.models import StatusText

    return [t for t in StatusText.objects.filter(ctx.scope.q(), year=ctx.period.start.year) if not t.is_empty]


@indicator("centre_status_written", unit=Unit.YES_NO, label=_("The centre's own text for the annual status"))
def centre_status_written(ctx: Ctx) -> PerCentre:
    """Yes when the centre's coordinator has written the centre's text for the year."""
    written = {t.centre_id for t in _texts(ctx)}
    return {pk: IndicatorValue(value=1.0 if pk in written else 0.0, unit=Unit.YES_NO) for pk in ctx.centres}


@centre_status_written.evidence
def _written_evidence(ctx: Ctx, centre_id: int) -> list[Evidence]:
    return [
        Evidence(_gettext("Text for %(year)s written") % {"year": t.year}, timezone.localdate(t.updated_at))
        for t in _texts(ctx)
        if t.centre_id == centre_id
    ]


@indicator(
    "city_status_published",
    unit=Unit.YES_NO,
    label=_("The annual status across the city is published"),
    combine=Combine.SAME,
)
def city_status_published(ctx: Ctx) -> PerCentre:
    """The paper's "årlig status på tværs af byen" is done when central staff publish it
    (forpost.reports.publication), and by nothing else: exporting the status as a PDF or
    workbook is not that act, since anyone with access may export a draft. The version being
    made counts too, so that a publication's own scorecard reads the act it is part of. One
    value for every centre."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    year = ctx.period.start.year
    # The act of publication lives in the reports app, a layer above: the settings name the
    # function that tells (forpost.reports.publication.first_publication).
    found = import_string(settings.STATUS_PUBLICATION_READER)(year)
    if found is None:
        value = IndicatorValue(
            value=0.0,
            unit=Unit.YES_NO,
            detail=_gettext("The city's status for %(year)s is not published.") % {"year": year},
        )
    else:
        number, day = found
        value = IndicatorValue(
            value=1.0,
            unit=Unit.YES_NO,
            detail=_gettext("The city's status for %(year)s is published.") % {"year": year},
            evidence=(Evidence(_gettext("Version %(number)s published") % {"number": number}, day),),
        )
    return dict.fromkeys(ctx.centres, value)


class RepresentationParams(Params):
    """Which groups to compare, and the reading of "i et vist omfang"."""

    dimensions: list[Literal["origin", "sex"]] = Field(min_length=1, description="origin and/or sex")
    tolerance: float = Field(
        gt=0,
        le=1,
        description="A group is under-represented when its whole 95 % interval of the ratio lies below this.",
    )


@indicator(
    "underrepresented_groups",
    params=RepresentationParams,
    label=_("Population groups under-represented among the centre's inquiries"),
    combine=Combine.ONE_AT_A_TIME,
)
def underrepresented_groups(ctx: Ctx) -> PerCentre:
    """Groups (by the contacting parent's origin or sex) whose whole 95 % interval of share of
    inquiries ÷ share of the adults in the districts served lies below `tolerance`."""
    from forpost.concepts import representation

    return {pk: representation.judged(ctx, found) for pk, found in representation.ratios_by_centre(ctx).items()}


@underrepresented_groups.evidence
def _flagged_groups(ctx: Ctx, centre_id: int) -> list[Evidence]:
    from forpost.concepts import representation

    found = representation.ratios_by_centre(ctx)[centre_id]
    return representation.flagged_evidence(ctx, found)


INDICATORS = (centre_status_written, city_status_published, underrepresented_groups)
