from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from forpost.accounts.scoping import REGISTER, access_for
from forpost.core.dashboard import NavItem, Panel


def panels(request: HttpRequest) -> list[Panel]:
    return []


def nav(request: HttpRequest) -> list[NavItem]:
    if not access_for(request.user).has_role(REGISTER):
        return []
    return [NavItem(_("Import inquiries"), reverse("imports:upload"), order=23)]
