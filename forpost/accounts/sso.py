"""Single sign-on through the municipality's identity provider.

OpenID Connect (Microsoft Entra ID, AD FS) runs on mozilla-django-oidc and SAML 2.0 (KOMBIT's
Fælleskommunal Adgangsstyring, AD FS) on djangosaml2/pysaml2. Both are off until configured
(README, "Single sign-on"). Whatever the protocol, the identity provider's answer becomes an
`IdpIdentity` and `services.sign_in_from_idp` decides: the groups it names are mapped to roles
and centres through the administrators' `IdpMapping`s, or the sign-in is refused.
"""

from __future__ import annotations

import base64
import shutil
from typing import Any
from urllib.parse import urlencode

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from djangosaml2.backends import Saml2Backend
from djangosaml2.views import AssertionConsumerServiceView, LoginView, MetadataView
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh as OIDCSessionRefresh
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT

from . import audit, services
from .models import AuditAction


def oidc_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def saml_enabled() -> bool:
    return bool(settings.SAML_IDP_METADATA)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _first(values: Any) -> str:
    items = _as_list(values)
    return items[0] if items else ""


# --- OpenID Connect --------------------------------------------------------------------------


class OIDCBackend(OIDCAuthenticationBackend):
    """Signs in whom the OpenID provider vouches for, matched on the provider's `sub`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The parent reads the provider's endpoints and refuses to start without them; an
        # unconfigured site still lists this backend, so it must construct quietly.
        if oidc_enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not oidc_enabled() or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        identity = services.IdpIdentity(
            provider="oidc",
            subject=str(payload["sub"]),
            username=str(claims.get("preferred_username") or claims.get("email") or payload["sub"]),
            email=str(claims.get("email") or ""),
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            groups=tuple(_as_list(claims.get(settings.SSO_GROUPS_CLAIM))),
        )
        return services.sign_in_from_idp(identity=identity)

    def get_user(self, user_id: Any) -> Any:
        # The parent returns deactivated users too; Django's check ends their sessions.
        return ModelBackend.get_user(self, user_id)


class SessionRefresh(OIDCSessionRefresh):
    """Asks the provider again, silently, every OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS: a person
    the municipality has removed or taken out of Forpost's groups loses the open session too,
    not only the next sign-in. Idle for users who signed in any other way."""

    # The parent keeps these from start-up; read them from the settings at each request.
    OIDC_OP_AUTHORIZATION_ENDPOINT = property(
        lambda self: settings.OIDC_OP_AUTHORIZATION_ENDPOINT, lambda self, value: None
    )
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID, lambda self, value: None)

    @cached_property
    def exempt_urls(self) -> set[str]:
        names = ["oidc_start", "oidc_callback", "logout", "login", "sso_refused"]
        return {reverse(f"accounts:{name}") for name in names}

    def process_request(self, request: HttpRequest) -> Any:
        # htmx fetches fragments; a redirect to the provider cannot be followed there, so the
        # check waits for the next full page.
        if not oidc_enabled() or request.headers.get("HX-Request"):
            return None
        return super().process_request(request)


# What the provider answers a silent check when its own session has ended: not a refusal.
SESSION_ENDED = frozenset({"login_required", "interaction_required", "consent_required"})


def _refused(request: HttpRequest, *, status: int = 403) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", status=status)


def oidc_start(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


class _OIDCCallback(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        error = self.request.GET.get("error")
        if error in SESSION_ENDED:
            # The silent check found no session at the provider (the parent has logged the
            # user out here): sign in again, as after any ended session.
            return redirect_to_login(self.request.session.pop("oidc_login_next", "") or reverse("core:dashboard"))
        if error:
            # The provider itself said no (an unknown or blocked account, a cancelled login).
            audit.record(
                actor=None,
                action=AuditAction.REFUSE,
                object_type="accounts.user",
                changes={"provider": "oidc", "error": error[:100]},
            )
        return _refused(self.request)


def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404
    return _OIDCCallback.as_view()(request)


def oidc_logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session address, so signing out of Forpost also ends the single
    sign-on session there (else the next visit would sign straight back in)."""
    id_token = request.session.get("oidc_id_token")
    if not (oidc_enabled() and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return None
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL)),
    }
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(query)}"


# --- SAML 2.0 --------------------------------------------------------------------------------


def _privileges(value: str) -> list[str] | None:
    """The privileges of an OIOSAML Basic Privilege Profile list (base64-encoded XML), as
    KOMBIT's Adgangsstyring sends them in dk:gov:saml:attribute:Privileges_intermediate; None
    when the value is a plain group name."""
    try:
        xml = base64.b64decode(value, validate=True)
        root = DefusedET.fromstring(xml)
    except (ValueError, DefusedET.ParseError, DefusedXmlException):
        return None
    if not root.tag.endswith("PrivilegeList"):
        return None
    return [e.text.strip() for e in root.iter() if e.tag.endswith("Privilege") and e.text and e.text.strip()]


def _saml_groups(values: Any) -> tuple[str, ...]:
    groups: list[str] = []
    for value in _as_list(values):
        privileges = _privileges(value)
        groups += privileges if privileges is not None else [value]
    return tuple(groups)


class SAMLBackend(Saml2Backend):
    """Signs in whom the SAML identity provider vouches for, matched on the persistent NameID."""

    def authenticate(self, request: Any, session_info: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        if not saml_enabled() or not session_info or "ava" not in session_info:
            return None
        ava = session_info["ava"]
        name_id = session_info.get("name_id")
        subject = getattr(name_id, "text", None) or _first(ava.get("uid"))
        if not subject:
            return None
        identity = services.IdpIdentity(
            provider="saml",
            subject=f"{session_info.get('issuer', '')}|{subject}",
            username=_first(ava.get("uid")) or _first(ava.get("mail")) or subject,
            email=_first(ava.get("mail")),
            first_name=_first(ava.get("givenName")),
            last_name=_first(ava.get("sn")),
            groups=_saml_groups(ava.get(settings.SSO_GROUPS_CLAIM)),
        )
        return services.sign_in_from_idp(identity=identity)

    def get_user(self, user_id: Any) -> Any:
        return ModelBackend.get_user(self, user_id)


def saml_config(request: HttpRequest | None = None) -> SPConfig:
    """The service provider's pysaml2 configuration, built from the settings (djangosaml2's
    SAML_CONFIG_LOADER), so that it follows SITE_URL and the identity provider's metadata."""
    base = settings.SITE_URL.rstrip("/")
    source = settings.SAML_IDP_METADATA
    metadata: dict[str, list[Any]] = (
        {"remote": [{"url": source}]} if source.startswith(("http://", "https://")) else {"local": [source]}
    )
    config: dict[str, Any] = {
        "entityid": settings.SAML_SP_ENTITY_ID or base + reverse("accounts:saml_metadata"),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "metadata": metadata,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": settings.SITE_NAME,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
                "endpoints": {
                    "assertion_consumer_service": [(base + reverse("accounts:saml_acs"), BINDING_HTTP_POST)],
                    "single_logout_service": [(base + reverse("accounts:saml_acs"), BINDING_HTTP_REDIRECT)],
                },
                "authn_requests_signed": bool(settings.SAML_KEY_FILE),
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
            }
        },
    }
    if settings.SAML_KEY_FILE:
        config["key_file"] = settings.SAML_KEY_FILE
        config["cert_file"] = settings.SAML_CERT_FILE
        config["encryption_keypairs"] = [{"key_file": settings.SAML_KEY_FILE, "cert_file": settings.SAML_CERT_FILE}]
    conf = SPConfig()
    conf.load(config)
    return conf


class _SAMLLogin(LoginView):
    pass


class _SAMLAcs(AssertionConsumerServiceView):
    def handle_acs_failure(self, request: HttpRequest, exception: Any = None, status: int = 403, **kwargs: Any) -> Any:
        if "session_info" not in kwargs:
            # Refusals by Forpost are audited by the sign-in service; this is the IdP's own no.
            audit.record(
                actor=None,
                action=AuditAction.REFUSE,
                object_type="accounts.user",
                changes={"provider": "saml", "error": type(exception).__name__},
                request=request,
            )
        return _refused(request, status=status)


def _saml_view(view: Any) -> Any:
    def handler(request: HttpRequest) -> HttpResponse:
        if not saml_enabled():
            raise Http404
        return view(request)

    # The identity provider posts the assertion from its own site: no CSRF token can come with it.
    handler.csrf_exempt = True  # type: ignore[attr-defined]
    return handler


saml_login = _saml_view(_SAMLLogin.as_view())
saml_acs = _saml_view(_SAMLAcs.as_view())
saml_metadata = _saml_view(MetadataView.as_view())
