"""Forpost's REST API, /api/v1: OpenAPI at /api/v1/openapi.json, browsable docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from forpost.accounts.scoping import access_for

from . import centres, messages, registrations, schemas, statistics
from .auth import RateLimited, TokenAuth


class ForpostAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Ninja's schema, completed with what a client generator and a reader need to know."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["info"]["license"] = {"name": settings.API_LICENSE}
        retry_after = {
            "description": "Seconds until the caller (the token's user, or the address without a token) may call again.",
            "schema": {"type": "integer", "minimum": 1},
        }
        error = {"$ref": "#/components/schemas/Error"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                # Ninja leaves `security` out of public operations, which OpenAPI reads as "the
                # document's default"; say outright that they need no token.
                operation.setdefault("security", [])
                # Every call counts against a limit, with a token or without (forpost.api.auth).
                too_many = operation.setdefault("responses", {}).setdefault(
                    429,
                    {
                        "description": "Too Many Requests",
                        "content": {"application/json": {"schema": error}},
                    },
                )
                too_many.setdefault("headers", {})["Retry-After"] = retry_after
        return schema


api = ForpostAPI(
    title="Forpost API",
    version="1",
    description=(
        "Registrations, centres and statistics of the family counselling centres. "
        "Authenticate with a personal token (`Authorization: Bearer fp_…`, created under "
        "*API tokens* in the app); a token has exactly its owner's access. Centres are public "
        "(no token). Every call is audit-logged; published numbers are small-cell suppressed.\n\n"
        "Messages (`detail` and the field errors) are in Danish, or in English with "
        "`Accept-Language: en`. `POST /inquiries` takes an `Idempotency-Key` header: a retry "
        "with the same key (within 48 hours) returns the first result instead of registering twice."
    ),
    servers=[{"url": settings.SITE_URL.rstrip("/"), "description": settings.SITE_NAME}],
    # A token for other systems; a logged-in session (with CSRF) for the browsable docs.
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("", centres.router)
api.add_router("", registrations.router)
api.add_router("", statistics.router)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    detail = _("Rate limit reached; try again in %(seconds)s seconds.") % {"seconds": exc.retry_after}
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own texts are English; ours are translated where they are raised.
    return api.create_response(request, {"detail": messages.translate_detail(str(exc))}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {"detail": _("Invalid input."), "errors": messages.field_errors(exc.errors)}
    return api.create_response(request, body, status=422)


@api.get("/me", response={200: schemas.Me, 401: schemas.Error}, tags=["account"], summary="The token's user and scope")
def me(request: HttpRequest) -> dict[str, object]:
    access = access_for(request.user)
    return {
        "username": request.user.get_username(),
        "memberships": [{"role": m.role, "centre": m.centre.slug if m.centre else None} for m in access.memberships],
        "centres": [c.slug for c in access.centres()],
    }
