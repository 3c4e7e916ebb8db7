"""The year wheel on the dashboard (coordinators: their centres' next and overdue duties;
city-wide readers: a link to all centres side by side), the open and overdue action plans, and
the concept and the action plans in the menu."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import CENTRAL, CITY_READERS, MANAGE, access_for, scoped
from forpost.core.dashboard import NavItem, Panel

from .evaluation import IndicatorCache
from .models import ActionPlan
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
            ),
            _actions_panel(request, roles=CITY_READERS, url=reverse("concepts:action_list")),
        ]
    if not access.has_role(MANAGE):
        return []
    cache = IndicatorCache()
    wheels = [wheel_for(c, today.year, today=today, cache=cache) for c in access.centres(MANAGE)]
    return [
        Panel(title=_("Year wheel"), template="concepts/panel_wheel.html", context={"wheels": wheels}, order=40),
        _actions_panel(request, roles=MANAGE, url=reverse("concepts:actions_start")),
    ]


def _actions_panel(request: HttpRequest, *, roles: frozenset[Any], url: str) -> Panel:
    """How many action plans are open, and how many of them overdue (the city's, or the centre's)."""
    today = timezone.localdate()
    actions = scoped(ActionPlan.objects.open(), request.user, roles=roles)
    counts = actions.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return Panel(
        title=_("Action plans"),
        template="concepts/panel_actions.html",
        context={"open": counts["open"], "overdue": counts["overdue"], "url": url},
        order=42,
    )


def nav(request: HttpRequest) -> list[NavItem]:
    items = [
        NavItem(_("Year wheel"), reverse("concepts:wheel_start"), order=60),
        NavItem(_("Concept"), reverse("concepts:list"), order=70),
        NavItem(_("Action plans"), reverse("concepts:actions_start"), order=66),
    ]
    if access_for(request.user).is_city_wide(CENTRAL):
        items.append(NavItem(_("Attestations"), reverse("concepts:review"), order=65))
    return items
