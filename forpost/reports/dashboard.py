from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from forpost.accounts.scoping import CENTRAL, CITY_READERS, access_for
from forpost.core.dashboard import NavItem


def nav(request: HttpRequest) -> list[NavItem]:
    access = access_for(request.user)
    if access.has_role(CITY_READERS):
        items = [NavItem(_("Annual status"), reverse("reports:city"), order=70)]
        if access.is_city_wide(CENTRAL):
            items.append(NavItem(_("Publications"), reverse("reports:publications"), order=72))
            items.append(NavItem(_("Closing the year"), reverse("centres:closing"), order=73))
        return items
    centres = list(access.centres())
    if len(centres) == 1:
        return [NavItem(_("Annual status"), reverse("reports:centre", args=[centres[0].slug]), order=70)]
    return []
