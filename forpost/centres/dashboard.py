from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from forpost.accounts.scoping import access_for
from forpost.core.dashboard import NavItem, Panel


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    centres = list(access.centres().select_related("district"))
    return [
        Panel(
            title=_("Centres") if access.is_city_wide() else _("Your centres"),
            template="centres/panel_centres.html",
            context={"centres": centres, "memberships": access.memberships},
            order=10,
        )
    ]


def nav(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("Centres"), reverse("centres:list"), order=10)]
