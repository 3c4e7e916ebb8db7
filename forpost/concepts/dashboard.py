"""The year wheel on the dashboard (coordinators: their centres' next and overdue duties;
city-wide readers: a link to all centres side by side) and the concept in the menu."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import CENTRAL, CITY_READERS, MANAGE, access_for
from forpost.core.dashboard import NavItem, Panel

from .evaluation import IndicatorCache
from .yearwheel import wheel_for


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    today = timezone.localdate()
    if access.is_city_wide(CITY_READERS):
        return [
            Panel(
                title=_("Year wheel"),
                template="concepts/panel_wheel.html",
                context={"wheels": [], "city_year": today.year},
                order=40,
            )
        ]
    if not access.has_role(MANAGE):
        return []
    cache = IndicatorCache()
    wheels = [wheel_for(c, today.year, today=today, cache=cache) for c in access.centres(MANAGE)]
    return [Panel(title=_("Year wheel"), template="concepts/panel_wheel.html", context={"wheels": wheels}, order=40)]


def nav(request: HttpRequest) -> list[NavItem]:
    items = [
        NavItem(_("Year wheel"), reverse("concepts:wheel_start"), order=60),
        NavItem(_("Concept"), reverse("concepts:list"), order=70),
    ]
    if access_for(request.user).is_city_wide(CENTRAL):
        items.append(NavItem(_("Attestations"), reverse("concepts:review"), order=65))
    return items
