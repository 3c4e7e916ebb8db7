"""Which status a user may see, and with or without suppression."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import CITY_READERS, access_for, get_scoped_or_404, scoped
from forpost.centres.models import Centre
from forpost.core.suppression import applies_to

from .status import AnnualStatus, build_status

FIRST_YEAR = 2006  # the first concept (Servicebutikkerne) was adopted on 14 September 2006


def status_years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def parse_year(raw: str | None) -> int:
    """The requested year, or last year (the year a status is normally made for)."""
    default = timezone.localdate().year - 1
    try:
        year = int(raw or default)
    except (TypeError, ValueError):
        return default
    return year if year in status_years() else default


def city_status(*, user: Any, year: int, for_file: bool = False) -> AnnualStatus:
    """The whole city: numbers leave every centre, so they are always suppressed. A file
    (PDF, workbook) adds a page for each centre. A centre that was not open on any day of the
    year is not part of that year's status (no row of zeros, not counted among the outcomes)."""
    open_in_year = Centre.objects.active_during(date(year, 1, 1), date(year, 12, 31))
    centres = list(scoped(open_in_year, user, roles=CITY_READERS).order_by("name"))
    return build_status(
        year=year,
        centres=centres,
        city_wide=True,
        suppress=True,
        for_file=for_file,
        title=_("Annual status %(year)s for the family counselling centres") % {"year": year},
    )


def centre_status(*, user: Any, slug: str, year: int, force_suppress: bool = False) -> AnnualStatus:
    centre = get_scoped_or_404(Centre, user, slug=slug)
    own = access_for(user).centre_ids()
    return build_status(
        year=year,
        centres=[centre],
        city_wide=False,
        suppress=force_suppress or applies_to(own, [centre.pk]),
        title=_("Annual status %(year)s for %(centre)s") % {"year": year, "centre": centre.name},
    )
