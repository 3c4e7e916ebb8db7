"""Token authentication and rate limiting for /api/v1.

The limit counts per user, across all of that user's tokens (and the browsable docs' session),
and per client address for calls without a token. The counters are rows in the database, so
every app server counts against the same limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBearer

from forpost.accounts.services import address_key, count_call, find_api_token, note_token_use

# Calls are counted per minute.
RATE_WINDOW_SECONDS = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Rate limit reached; retry after {retry_after} s.")
        self.retry_after = retry_after


def user_key(user: Any) -> str:
    return f"api:user:{user.pk}"


def limit_per_minute() -> int:
    return int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120))


def check_rate(key: str) -> None:
    """Count one call of `key`; RateLimited when its minute's calls are used up."""
    retry_after = count_call(key=key, limit=limit_per_minute(), window=RATE_WINDOW_SECONDS)
    if retry_after:
        raise RateLimited(retry_after)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fp_…`. The request then acts as the token's user, with that user's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_api_token(token)
        if found is None:
            return None
        check_rate(user_key(found.user))
        note_token_use(found)
        request.user = found.user
        return found.user


class ApiRateLimitMiddleware:
    """Counts the API calls that TokenAuth does not: those without a token, per address, and
    those of a signed-in session (the browsable docs), per user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and not request.headers.get("Authorization"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                key = user_key(user)
            else:
                key = address_key("api", get_client_ip_address(request))
            try:
                check_rate(key)
            except RateLimited as limited:
                from .api import rate_limited

                return rate_limited(request, limited)
        return self.get_response(request)
