"""Requests carrying a NUL character are refused before any view sees them.

No text Forpost keeps may hold NUL (PostgreSQL's text cannot), and nobody types one: it comes
from a broken client or a probe. Our forms refuse it beside the field (forpost.core.forms), but
a slug in a query string or a JSON body would reach the database and fail there as a server
error.
This answers 400 (the API: 422, as for any invalid input) in the user's language instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
        return True
    # Form posts are left to the forms: they show the error beside the field and keep
    # everything else the user typed (forpost.core.forms).
    content_type = request.content_type or ""
    # The API reads every body as JSON whatever its declared content type (text/plain,
    # form-encoded, octet-stream …), so there every body is checked, raw and escaped.
    if content_type.endswith("json") or request.path.startswith("/api/"):
        return b"\\u0000" in request.body.lower() or b"\x00" in request.body
    return False


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The request contains a NUL character, which Forpost does not accept.")
            if request.path.startswith("/api/"):
                # The API documents invalid input as 422 with messages by field.
                return JsonResponse({"detail": message, "errors": {}}, status=422)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
