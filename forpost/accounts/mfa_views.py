"""Pages of the second factor (forpost.accounts.mfa): enrol, verify, recovery codes, reset."""

from __future__ import annotations

import secrets
from typing import Any, cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn import views as webauthn_views

from forpost.core import idempotency
from forpost.core.locking import Conflict

from . import mfa, services
from .forms import ActiveForm, RecoveryCodesForm, SecondFactorForm, TotpEnrolForm
from .models import AuditAction, User
from .scoping import ADMINISTER, role_required
from .views import _create_once

# The shared key of an authenticator app being set up: in the session, never in a page's form,
# until the first right code proves the app holds it.
TOTP_KEY = "forpost_totp_key"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _no_store(response: HttpResponse) -> HttpResponse:
    # Keys and codes must not linger in any cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    """The user's own second factors: what is enrolled, and how to add one."""
    user = cast(User, request.user)
    context = {
        **mfa.factors(user),
        "owed": mfa.owed(request),
        "required": mfa.role_requires(user),
        "sso": mfa.signed_in_by_sso(request),
        "next": _next(request),
        "codes_form": RecoveryCodesForm(
            initial={"submission_token": idempotency.issue(user=user, purpose="recovery_codes")}
        ),
    }
    return render(request, "accounts/mfa.html", context)


@login_required
def enrol_totp(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, _("You already have an authenticator app."))
        return redirect("accounts:mfa")
    key = bytes.fromhex(request.session.setdefault(TOTP_KEY, secrets.token_bytes(20).hex()))
    initial = {"submission_token": idempotency.issue(user=user, purpose="mfa_totp")}
    form = TotpEnrolForm(request.POST or None, initial=initial if request.method != "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = _next(request) or resolve_url("accounts:mfa")

        def create() -> TOTPDevice:
            device = services.enrol_totp(actor=user, key=key, code=form.cleaned_data["code"])
            otp_login(request, device)  # the right code proves the app: this session is verified
            return device

        response = _create_once(request, form, purpose="mfa_totp", create=create, done=lambda _device: done)
        if response is not None:
            request.session.pop(TOTP_KEY, None)
            messages.success(request, _("Your authenticator app is set up. Now make your recovery codes."))
            return response
    # An unsaved device only to build the address the app reads from the QR code.
    address = TOTPDevice(user=user, key=key.hex()).config_url
    context = {
        "form": form,
        "qr": segno.make(address, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(_base32(key)[i : i + 4] for i in range(0, 32, 4)),
        "next": _next(request),
        "owed": mfa.owed(request),
    }
    return _no_store(render(request, "accounts/mfa_totp.html", context))


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode()


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = RecoveryCodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date. Look again and repeat."))
        return redirect("accounts:mfa")
    try:
        with transaction.atomic():
            claim = idempotency.claim(token=form.cleaned_data["submission_token"], user=user, purpose="recovery_codes")
            codes = services.make_recovery_codes(actor=user)
            claim.complete(user)
    except idempotency.AlreadySubmitted:
        messages.info(
            request,
            _(
                "These recovery codes were made already and are not shown again. Make new ones if you did not keep them."
            ),
        )
        return redirect("accounts:mfa")
    except idempotency.TokenError:
        messages.error(request, _("The page was out of date. Look again and repeat."))
        return redirect("accounts:mfa")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:mfa")
    return _no_store(render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next(request)}))


@login_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the second factor of a user who has one."""
    user = cast(User, request.user)
    done = _next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    if cast(Any, user).is_verified() or not mfa.is_enrolled(user):
        return redirect(done)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.throttled(user):
            # django-otp makes each try after a failure wait longer; a try now would not count.
            form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
            return render(request, "accounts/mfa_verify.html", _verify_context(user, form, request))
        device = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            left = mfa.factors(user)["recovery_left"]
            if device.persistent_id.startswith("otp_static") and left is not None and left < 4:
                text = ngettext(
                    "You have %(count)s recovery code left. Make new ones.",
                    "You have %(count)s recovery codes left. Make new ones.",
                    left,
                )
                messages.warning(request, text % {"count": left})
            return redirect(done)
        form.add_error("code", _("The code is not right. Try again, or use a recovery code."))
    return render(request, "accounts/mfa_verify.html", _verify_context(user, form, request))


def _verify_context(user: User, form: SecondFactorForm, request: HttpRequest) -> dict[str, Any]:
    factors = mfa.factors(user)
    return {"form": form, "next": _next(request), "has_passkey": bool(factors["passkeys"]), **factors}


@role_required(ADMINISTER)
@require_POST
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date. Look again and repeat."))
        return redirect(user)
    try:
        services.reset_second_factor(
            actor=cast(User, request.user), user=user, expected_version=form.cleaned_data["version"]
        )
    except Conflict:
        messages.error(request, _("Someone else changed this user meanwhile. Look again and repeat."))
    else:
        messages.success(request, _("The second factor is reset. The user sets up a new one at the next login."))
    return redirect(user)


# --- Passkeys: django-otp-webauthn's endpoints, logged in only, with the audit added ---------


@method_decorator(login_required, name="dispatch")
class BeginRegistration(webauthn_views.BeginCredentialRegistrationView):
    pass


@method_decorator(login_required, name="dispatch")
class CompleteRegistration(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            user = cast(User, self.request.user)
            services.record_second_factor(actor=user, user=user, action=AuditAction.CREATE, kind="passkey")
        return response


@method_decorator(login_required, name="dispatch")
class BeginAuthentication(webauthn_views.BeginCredentialAuthenticationView):
    pass


@method_decorator(login_required, name="dispatch")
class CompleteAuthentication(webauthn_views.CompleteCredentialAuthenticationView):
    def post(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            user = cast(User, self.request.user)
            services.record_second_factor(actor=user, user=user, action=AuditAction.LOGIN, second_factor="passkey")
        return response

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, webauthn_errors.OTPWebAuthnApiError):
            user = cast(User, self.request.user)
            services.record_second_factor(actor=user, user=user, action=AuditAction.REFUSE, second_factor="passkey")
        return super().handle_exception(exc)


# Named as the package names them: its template tags reverse "otp_webauthn:…".
webauthn_urlpatterns = [
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", BeginAuthentication.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn", "forpost.accounts"]),
        name="js-i18n-catalog",
    ),
]
