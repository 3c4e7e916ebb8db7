from typing import Any

from django.conf import settings
from django.http import HttpRequest

from forpost.core.dashboard import nav_for

from .scoping import access_for


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    return {
        "SITE_NAME": settings.SITE_NAME,
        "STAFF_LANGUAGES": settings.STAFF_LANGUAGES,
        "access": access_for(user) if logged_in else None,
        # Computed lazily: public pages never render the staff menu.
        "nav_items": (lambda: nav_for(request)) if logged_in else list,
        # A form posted after the session timed out, given back after logging in again
        # (forpost.accounts.middleware); forpost/session.js fills it in.
        "restored_form": getattr(request, "restored_form", None),
        "SESSION_SECONDS": settings.SESSION_COOKIE_AGE,
    }
