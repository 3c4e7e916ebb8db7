"""Centres: public and read-only; no token needed (the same facts as the public pages)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from forpost.centres import hours
from forpost.centres.models import Centre
from forpost.centres.queries import calendar_for

from . import schemas

router = Router(tags=["centres"])


def _centre_out(centre: Centre) -> dict[str, object]:
    try:
        url = reverse("public:centre", kwargs={"slug": centre.slug})
    except NoReverseMatch:
        url = ""
    return {
        "slug": centre.slug,
        "name": centre.name,
        "code": centre.code,
        "district": centre.district,
        "districts_served": list(centre.districts_served.all()),
        "street_address": centre.street_address,
        "postcode": centre.postcode,
        "city": centre.city,
        "phone": centre.phone,
        "email": centre.email,
        "description": centre.description,
        "url": url,
    }


def _public_centres():  # type: ignore[no-untyped-def]
    return Centre.objects.active().select_related("district").prefetch_related("districts_served")


@router.get("/centres", response=list[schemas.Centre], auth=None, summary="The active centres")
def list_centres(request: HttpRequest) -> list[dict[str, object]]:
    return [_centre_out(c) for c in _public_centres()]


@router.get(
    "/centres/{slug}",
    response={200: schemas.Centre, 404: schemas.Error},
    auth=None,
    summary="One centre",
)
def get_centre(request: HttpRequest, slug: str) -> dict[str, object]:
    return _centre_out(get_object_or_404(_public_centres(), slug=slug))


@router.get(
    "/centres/{slug}/opening-hours",
    response={200: schemas.OpeningHours, 404: schemas.Error, 422: schemas.Error},
    auth=None,
    summary="A centre's opening hours, day by day, for this week and the next weeks",
)
def opening_hours(request: HttpRequest, slug: str, weeks: int = 2) -> Any:
    """Drop-in, by-appointment and phone hours from Monday of this week, with closures and
    public holidays (closed days say why). Times are ISO 8601 with their UTC offset."""
    if not 1 <= weeks <= 8:
        return Status(422, {"detail": _("weeks must be between 1 and 8.")})
    centre = get_object_or_404(_public_centres(), slug=slug)
    monday = hours.monday_of(timezone.localdate())
    last = monday + timedelta(days=7 * weeks - 1)
    calendar = calendar_for(centre, monday, last)
    return {
        "centre": centre.slug,
        "time_zone": settings.TIME_ZONE,
        "days": [
            {
                "date": day.date,
                "closed": day.closed,
                "reason": day.reason,
                "intervals": [{"kind": i.kind, "start": i.local_start, "end": i.local_end} for i in day.intervals],
            }
            for day in calendar.days(monday, last)
        ],
    }
