"""Forpost's REST API, /api/v1: OpenAPI at /api/v1/openapi.json, browsable docs at /api/v1/docs."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from forpost.accounts.scoping import access_for

from . import centres, registrations, schemas, statistics
from .auth import RateLimited, TokenAuth

api = NinjaAPI(
    title="Forpost API",
    version="1",
    description=(
        "Registrations, centres and statistics of the family counselling centres. "
        "Authenticate with a personal token (`Authorization: Bearer fp_…`, created under "
        "*API tokens* in the app); a token has exactly its owner's access. Centres are public. "
        "Every call is audit-logged; published numbers are small-cell suppressed."
    ),
    # A token for other systems; a logged-in session (with CSRF) for the browsable docs.
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("", centres.router)
api.add_router("", registrations.router)
api.add_router("", statistics.router)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": "Rate limit reached; try again in a minute."}, status=429)
    response["Retry-After"] = "60"
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "A valid API token is required."}, status=401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Invalid input.", "errors": exc.errors}, status=422)


@api.get("/me", response={200: schemas.Me, 401: schemas.Error}, tags=["account"], summary="The token's user and scope")
def me(request: HttpRequest) -> dict[str, object]:
    access = access_for(request.user)
    return {
        "username": request.user.get_username(),
        "memberships": [{"role": m.role, "centre": m.centre.slug if m.centre else None} for m in access.memberships],
        "centres": [c.slug for c in access.centres()],
    }
