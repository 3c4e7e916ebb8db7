"""The annual status as JSON: always small-cell suppressed, since these numbers leave the app."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from forpost.accounts import audit
from forpost.accounts.scoping import CITY_READERS, access_for
from forpost.reports.queries import centre_status, city_status, status_years
from forpost.reports.render import as_json

from . import schemas

router = Router(tags=["statistics"])
RESPONSES: dict[int, Any] = {
    200: schemas.AnnualStatus,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    422: schemas.InvalidInput,
    429: schemas.Error,
}


def _year(year: schemas.Year) -> int:
    if year not in status_years():
        raise Http404
    return year


def _logged(request: HttpRequest, data: dict[str, Any], criteria: dict[str, Any]) -> dict[str, Any]:
    audit.record_export(
        request, actor=request.user, object_type="reports.annual_status", criteria=criteria, rows=0, fmt="json"
    )
    return data


@router.get("/status/{year}", response=RESPONSES, summary="The city's annual status (suppressed)")
def city(request: HttpRequest, year: schemas.Year) -> dict[str, Any]:
    if not access_for(request.user).has_role(CITY_READERS):
        raise HttpError(403, _("The city's status is for central staff, management and administrators."))
    status = city_status(user=request.user, year=_year(year))
    return _logged(request, as_json(status), {"year": year})


@router.get("/status/{year}/{slug}", response=RESPONSES, summary="A centre's annual status (suppressed)")
def centre(request: HttpRequest, year: schemas.Year, slug: str) -> dict[str, Any]:
    status = centre_status(user=request.user, slug=slug, year=_year(year), force_suppress=True)
    return _logged(request, as_json(status), {"year": year, "centre": slug})
