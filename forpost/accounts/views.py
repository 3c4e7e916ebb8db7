from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forpost.core import idempotency
from forpost.core.locking import Conflict

from . import audit, mfa, services, sso
from .forms import (
    ActiveForm,
    ApiTokenForm,
    AuditSearchForm,
    InviteForm,
    MappingForm,
    MembershipForm,
    MembershipPeriodForm,
    SetPasswordForm,
    UserForm,
)
from .models import ApiToken, AuditAction, IdpMapping, Membership, Role, User
from .queries import search_audit, search_users
from .scoping import ADMINISTER, CENTRAL, get_scoped_or_404, role_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(password_login=settings.PASSWORD_LOGIN, oidc=sso.oidc_enabled(), saml=sso.saml_enabled())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_LOGIN:
            # Switched off: only the identity provider signs people in.
            context = self.get_context_data(form=self.get_form_class()(request))
            context["password_refused"] = True
            return render(request, self.template_name, context, status=403)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=form.get_user(), action=AuditAction.LOGIN, request=self.request)
        return response


@require_POST
@login_required
def keepalive(request: HttpRequest) -> HttpResponse:
    """'Stay logged in': this request extends the session.

    forpost/session.js posts it in the background and gets 204; without script the form
    posts normally and comes back to the page it was on."""
    # Other requests write the session at most once a minute (forpost.accounts.sessions);
    # this one is the user asking to stay, so its expiry is always written.
    request.session.modified = True
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:dashboard")
    return redirect(target)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = sso.oidc_logout_url(request)
        if request.user.is_authenticated:
            audit.record(actor=request.user, action=AuditAction.LOGOUT, request=request)
        response = super().post(request, *args, **kwargs)
        if provider_logout:
            return HttpResponseRedirect(provider_logout)
        return response


def sso_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", status=403)


@role_required(CENTRAL)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    entries = search_audit(criteria).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Reading the trail is itself an access to logged personal data, so it is logged too.
    audit.record_search(
        request,
        object_type="accounts.auditentry",
        criteria={k: (v.pk if hasattr(v, "pk") else v) for k, v in criteria.items()},
        count=page.paginator.count,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_trail.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own tokens. A new token is shown once, in the response that creates it."""
    user = cast(User, request.user)
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.create_api_token(actor=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user)
    response = render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})
    # The raw token must not linger in any cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.revoke_api_token(actor=user, token=token)
    messages.success(request, _("The token is revoked and can no longer be used."))
    return redirect("accounts:api_tokens")


# --- User administration ----------------------------------------------------------------------


def _create_once(
    request: HttpRequest, form: forms.BaseForm, *, purpose: str, create: Callable[[], Any], done: Callable[[Any], str]
) -> HttpResponse | None:
    """Run `create` once per submission token; a redirect when it ran or was run before,
    None when the form must be shown again (with its errors, and everything typed kept)."""
    try:
        with transaction.atomic():
            claim = idempotency.claim(
                token=form.cleaned_data.get("submission_token", ""), user=request.user, purpose=purpose
            )
            obj = create()
            claim.complete(obj)
        return redirect(done(obj))
    except idempotency.AlreadySubmitted as replay:
        messages.info(request, _("This form was already saved; here is what it saved."))
        return redirect(done(replay.obj) if replay.obj is not None else "accounts:users")
    except idempotency.TokenError:
        data: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["submission_token"] = idempotency.issue(user=request.user, purpose=purpose)
        form.data = data
        form.add_error(None, _("The form was open too long or was already used. Check it and save again."))
    except ValidationError as exc:
        _errors_on_form(form, exc)
    except (smtplib.SMTPException, OSError):
        form.add_error(None, _("The e-mail could not be sent, so nothing was saved. Try again in a moment."))
    return None


def _errors_on_form(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _conflicted(form: forms.BaseForm, conflict: Conflict) -> None:
    """Keep what the user typed; the next save is made knowing the other change."""
    data: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
    data["version"] = str(conflict.current_version)
    form.data = data
    form.add_error(
        None,
        _(
            "Someone else saved a change while you were editing. Your changes are kept below: "
            "check them against the page as it is now and save again."
        ),
    )


def _token(request: HttpRequest, purpose: str) -> dict[str, str]:
    return {"submission_token": idempotency.issue(user=request.user, purpose=purpose)}


@role_required(ADMINISTER)
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    users = search_users(query).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active_on(timezone.localdate()).select_related("centre"),
            to_attr="current_memberships",
        )
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    audit.record_search(request, object_type="accounts.user", criteria={"q": query}, count=page.paginator.count)
    return render(
        request, "accounts/user_list.html", {"page": page, "q": query, "query": f"q={query}" if query else ""}
    )


@role_required(ADMINISTER)
def user_invite(request: HttpRequest) -> HttpResponse:
    if not settings.PASSWORD_LOGIN:
        # A password could not be used: people are created at their first single sign-on.
        return render(request, "accounts/user_invite.html", {"password_login": False})
    actor = cast(User, request.user)
    form = InviteForm(request.POST or None, initial=_token(request, "invite") if request.method != "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _create_once(
            request,
            form,
            purpose="invite",
            create=lambda: services.invite_user(
                actor=actor,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=Role(data["role"]),
                centre=data["centre"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            ),
            done=lambda user: user.get_absolute_url(),
        )
        if response is not None:
            messages.success(request, _("The invitation is sent to %(email)s.") % {"email": data["email"]})
            return response
    return render(request, "accounts/user_invite.html", {"form": form, "password_login": True})


@role_required(ADMINISTER)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, user=user, initial=_user_initial(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_user(
                actor=cast(User, request.user),
                user=user,
                expected_version=form.cleaned_data["version"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
            )
        except Conflict as conflict:
            _conflicted(form, conflict)
            user.refresh_from_db()
        except ValidationError as exc:
            _errors_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(user)
    if request.method != "POST":
        audit.record_read(request, user)
    memberships = Membership.objects.filter(user=user).select_related("centre", "mapping").order_by("-valid_from")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "form": form,
            "memberships": memberships,
            "today": timezone.localdate(),
            "active_form": ActiveForm(initial={"version": user.version}),
            "factors": mfa.factors(user),
        },
    )


def _user_initial(user: User) -> dict[str, Any]:
    return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email, "version": user.version}


@role_required(ADMINISTER)
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = ActiveForm(request.POST)
    active = request.POST.get("active") == "1"
    if not form.is_valid():
        messages.error(request, _("The page was out of date. Look again and repeat."))
        return redirect(user)
    try:
        services.set_user_active(
            actor=cast(User, request.user), user=user, active=active, expected_version=form.cleaned_data["version"]
        )
    except Conflict:
        messages.error(request, _("Someone else changed this user meanwhile. Look again and repeat."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The user is active again.") if active else _("The user is deactivated."))
    return redirect(user)


@role_required(ADMINISTER)
@require_POST
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if user.has_usable_password() or user.external_id or not user.email or not user.is_active:
        messages.error(request, _("Only an active user who has not set a password yet can be invited again."))
    else:
        try:
            services.resend_invitation(actor=cast(User, request.user), user=user)
        except (smtplib.SMTPException, OSError):
            messages.error(request, _("The e-mail could not be sent, so nothing was saved. Try again in a moment."))
        else:
            messages.success(request, _("The invitation is sent to %(email)s.") % {"email": user.email})
    return redirect(user)


@role_required(ADMINISTER)
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = MembershipForm(
        request.POST or None, initial=_token(request, "membership") if request.method != "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _create_once(
            request,
            form,
            purpose="membership",
            create=lambda: services.grant_membership(
                actor=request.user,
                user=user,
                role=Role(data["role"]),
                centre=data["centre"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            ),
            done=lambda membership: membership.user.get_absolute_url(),
        )
        if response is not None:
            messages.success(request, _("Saved."))
            return response
    return render(request, "accounts/membership_form.html", {"form": form, "subject": user, "membership": None})


@role_required(ADMINISTER)
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_scoped_or_404(
        Membership.objects.select_related("user", "centre"), request.user, roles=ADMINISTER, pk=pk
    )
    initial = {"valid_from": membership.valid_from, "valid_to": membership.valid_to, "version": membership.version}
    form = MembershipPeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_membership(
                actor=cast(User, request.user),
                membership=membership,
                expected_version=form.cleaned_data["version"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
            )
        except Conflict as conflict:
            _conflicted(form, conflict)
        except ValidationError as exc:
            _errors_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(membership.user)
    return render(
        request, "accounts/membership_form.html", {"form": form, "subject": membership.user, "membership": membership}
    )


@role_required(ADMINISTER)
def mapping_list(request: HttpRequest) -> HttpResponse:
    mappings = IdpMapping.objects.select_related("centre")
    return render(
        request,
        "accounts/mapping_list.html",
        {"mappings": mappings, "today": timezone.localdate(), "claim": settings.SSO_GROUPS_CLAIM},
    )


def _mapping_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": data["value"],
        "role": Role(data["role"]),
        "centre": data["centre"],
        "valid_from": data["valid_from"],
        "valid_to": data["valid_to"],
    }


@role_required(ADMINISTER)
def mapping_create(request: HttpRequest) -> HttpResponse:
    form = MappingForm(
        request.POST or None, initial=_token(request, "idp_mapping") if request.method != "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        response = _create_once(
            request,
            form,
            purpose="idp_mapping",
            create=lambda: services.create_idp_mapping(
                actor=cast(User, request.user), **_mapping_kwargs(form.cleaned_data)
            ),
            done=lambda _mapping: "accounts:mappings",
        )
        if response is not None:
            messages.success(request, _("Saved."))
            return response
    return render(request, "accounts/mapping_form.html", {"form": form, "mapping": None})


@role_required(ADMINISTER)
def mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_object_or_404(IdpMapping, pk=pk)
    initial = {
        "value": mapping.value,
        "role": mapping.role,
        "centre": mapping.centre_id,
        "valid_from": mapping.valid_from,
        "valid_to": mapping.valid_to,
        "version": mapping.version,
    }
    form = MappingForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_idp_mapping(
                actor=cast(User, request.user),
                mapping=mapping,
                expected_version=form.cleaned_data["version"],
                **_mapping_kwargs(form.cleaned_data),
            )
        except Conflict as conflict:
            _conflicted(form, conflict)
        except ValidationError as exc:
            _errors_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:mappings")
    return render(request, "accounts/mapping_form.html", {"form": form, "mapping": mapping})


@never_cache
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invitation's link: the invited person chooses their own password, once."""
    try:
        user: User | None = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not settings.PASSWORD_LOGIN or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password.html", {"invalid": True}, status=410 if user else 404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password_from_invitation(user=user, password=form.cleaned_data["new_password1"])
        messages.success(
            request, _("Your password is set. Log in with your user name %(username)s.") % {"username": user.username}
        )
        return redirect("accounts:login")
    response = render(request, "accounts/set_password.html", {"form": form, "subject": user})
    response["Referrer-Policy"] = "no-referrer"
    return response
