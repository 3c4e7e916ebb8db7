"""Token authentication and per-token rate limiting for /api/v1."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from forpost.accounts.services import count_api_call, find_api_token

# count_api_call counts calls per minute: a limited client may call again within this.
RATE_WINDOW_SECONDS = 60


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fp_…`. The request then acts as the token's user, with that user's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_api_token(token)
        if found is None:
            return None
        if not count_api_call(token=found, limit=getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120)):
            raise RateLimited
        request.user = found.user
        return found.user
