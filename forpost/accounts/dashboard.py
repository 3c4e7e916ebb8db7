from django.http import HttpRequest
from django.utils.translation import gettext as _

from forpost.accounts.scoping import CENTRAL, access_for
from forpost.core.dashboard import Panel

from .models import AuditEntry


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    if not access.has_role(CENTRAL):
        return []
    recent = list(AuditEntry.objects.select_related(None)[:8])
    return [Panel(title=_("Audit trail"), template="accounts/panel_audit.html", context={"entries": recent}, order=90)]
