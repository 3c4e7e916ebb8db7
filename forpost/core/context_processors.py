from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from forpost.accounts.scoping import access_for

    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "STAFF_LANGUAGES": settings.STAFF_LANGUAGES,
        "access": access_for(user) if user is not None and user.is_authenticated else None,
    }
