"""A second factor after the password: an authenticator app (TOTP, django-otp), passkeys
(WebAuthn, django-otp-webauthn) and one-time recovery codes (django-otp's static tokens).

Who must: users holding a role in MFA_REQUIRED_ROLES today, and anyone who enrolled of their
own accord. Until such a user has verified a factor in this session, `RequireSecondFactor`
lets them reach only the pages to enrol or verify (and to log out). People signed in through
single sign-on are never asked: their identity provider asks for its own second factor.

The writes (enrolment, use, reset) are in services.py, each with its audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .models import Role, User
from .scoping import access_for

SSO_BACKENDS = frozenset({"forpost.accounts.sso.OIDCBackend", "forpost.accounts.sso.SAMLBackend"})

# What a user who still owes the second factor may reach, by URL name. The passkey endpoints
# (namespace otp_webauthn) guard themselves: a new passkey needs a verified session once
# another factor exists.
ENROL_VIEWS = frozenset({"accounts:mfa", "accounts:mfa_totp", "accounts:logout", "set_language"})
VERIFY_VIEWS = frozenset({"accounts:mfa_verify", "accounts:logout", "set_language"})


def signed_in_by_sso(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) in SSO_BACKENDS


def required_roles() -> frozenset[Role]:
    try:
        return frozenset(Role(name) for name in settings.MFA_REQUIRED_ROLES)
    except ValueError as exc:
        # A misspelt role must stop the site, not quietly spare that role the second factor.
        raise ImproperlyConfigured(f"MFA_REQUIRED_ROLES: {exc}; the roles are {', '.join(Role.values)}.") from exc


def role_requires(user: User) -> bool:
    # The roles of today, as the views' scoping reads them (computed once per request).
    roles = required_roles()
    return bool(roles) and access_for(user).has_role(roles)


def enrolled_expression(user_ref: str = "pk") -> Q:
    """Whether the user (the outer query's `user_ref`) has a factor of their own, as an
    expression another query can carry (the memberships' query does, once per request)."""
    return Q(Exists(TOTPDevice.objects.filter(user=OuterRef(user_ref), confirmed=True))) | Q(
        Exists(WebAuthnCredential.objects.filter(user=OuterRef(user_ref), confirmed=True))
    )


def is_enrolled(user: User, *, as_the_request_began: bool = False) -> bool:
    """A factor of its own: recovery codes alone are a spare key, not an enrolment.
    `as_the_request_began`: what the request's first query read will do (the middleware)."""
    if as_the_request_began:
        known = access_for(user).has_factor
        if known is not None:
            return known
    return User.objects.filter(pk=user.pk).filter(enrolled_expression()).exists()


def owed(request: HttpRequest, *, as_the_request_began: bool = False) -> str | None:
    """'verify' or 'enrol' when the signed-in user must still pass a second factor, else None."""
    user: Any = request.user
    if not user.is_authenticated or user.is_verified() or signed_in_by_sso(request):
        return None
    if is_enrolled(user, as_the_request_began=as_the_request_began):
        return "verify"
    return "enrol" if role_requires(user) else None


def _view_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return "otp_webauthn:*" if match.namespace == "otp_webauthn" else match.view_name


def _with_next(url: str, request: HttpRequest) -> str:
    # Only a page the user asked for is worth returning to; a form's POST is not.
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class RequireSecondFactor:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is signed in; not touching the session keeps the
        # public pages free of "Vary: Cookie" and of queries.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        step = owed(request, as_the_request_began=True)
        if step is None:
            return self.get_response(request)
        name = _view_name(request)
        allowed = VERIFY_VIEWS if step == "verify" else ENROL_VIEWS
        if name == "otp_webauthn:*" or name in allowed:
            return self.get_response(request)
        target = reverse("accounts:mfa_verify" if step == "verify" else "accounts:mfa")
        response: HttpResponse = HttpResponseRedirect(_with_next(target, request))
        if request.headers.get("HX-Request"):
            # htmx swaps a redirect's page into a fragment; it must load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
        return response


def factors(user: User) -> dict[str, Any]:
    """What the user has enrolled, for their own page and the administrators'."""
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return {
        "totp": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        "passkeys": list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
        "recovery_left": recovery.token_set.count() if recovery is not None else None,
    }
