from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, services
from .forms import ApiTokenForm, AuditSearchForm
from .models import ApiToken, AuditAction, User
from .queries import search_audit
from .scoping import CENTRAL, role_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=form.get_user(), action=AuditAction.LOGIN, request=self.request)
        return response


@require_POST
@login_required
def keepalive(request: HttpRequest) -> HttpResponse:
    """'Stay logged in': this request itself extends the session (SESSION_SAVE_EVERY_REQUEST).

    forpost/session.js posts it in the background and gets 204; without script the form
    posts normally and comes back to the page it was on."""
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
        if request.user.is_authenticated:
            audit.record(actor=request.user, action=AuditAction.LOGOUT, request=request)
        return super().post(request, *args, **kwargs)


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
