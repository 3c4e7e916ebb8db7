from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import audit
from .forms import AuditSearchForm
from .models import AuditAction
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
