from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from forpost.accounts.scoping import ADMINISTER, CENTRAL, access_for
from forpost.core.dashboard import NavItem, Panel

from .models import AuditEntry


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    if not access.has_role(CENTRAL):
        return []
    recent = list(AuditEntry.objects.select_related(None)[:8])
    return [Panel(title=_("Audit trail"), template="accounts/panel_audit.html", context={"entries": recent}, order=90)]


def nav(request: HttpRequest) -> list[NavItem]:
    items = [
        NavItem(_("API tokens"), reverse("accounts:api_tokens"), order=99),
        NavItem(_("Second factor"), reverse("accounts:mfa"), order=98),
    ]
    if access_for(request.user).has_role(CENTRAL):
        items += [
            NavItem(_("Audit trail"), reverse("accounts:audit"), order=90),
            NavItem(_("Reference data"), reverse("admin:index"), order=95),
        ]
    if access_for(request.user).has_role(ADMINISTER):
        items.append(NavItem(_("Users"), reverse("accounts:users"), order=92))
    return sorted(items, key=lambda i: i.order)
