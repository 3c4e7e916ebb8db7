from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import MANAGE, access_for
from forpost.core.dashboard import NavItem, Panel

from . import queries


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    centres = list(access.centres().select_related("district"))
    found = [
        Panel(
            title=_("Centres") if access.is_city_wide() else _("Your centres"),
            template="centres/panel_centres.html",
            context={"centres": centres, "memberships": access.memberships},
            order=10,
        )
    ]
    # Coordinators see their own centres' standing; city-wide readers see the centres that
    # fall short, so a calm city shows a short panel.
    managed = list(access.centres(MANAGE)) if access.has_role(MANAGE) else []
    if managed:
        checks = queries.concept_checks(managed, timezone.localdate())
        found.append(
            Panel(
                title=_("The concept's minimums"),
                template="centres/panel_concept.html",
                context={"checks": checks, "several": len(checks) > 1},
                order=15,
            )
        )
    elif access.is_city_wide() and centres:
        checks = [c for c in queries.concept_checks(centres, timezone.localdate()) if not c.all_well]
        found.append(
            Panel(
                title=_("Centres below the concept's minimums"),
                template="centres/panel_concept.html",
                context={"checks": checks, "several": True},
                order=15,
            )
        )
    return found


def nav(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("Centres"), reverse("centres:list"), order=10)]
