"""Centres: public and read-only; no token needed (the same facts as the public pages)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from ninja import Router

from forpost.centres.models import Centre

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
