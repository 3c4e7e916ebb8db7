"""Collaboration on the dashboard: requests waiting, the week's bookings, the year's duties,
the next cross-city meeting; and for central staff, attendance across the centres."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import ALL_ROLES, CENTRAL, CITY_READERS, MANAGE, access_for, scoped
from forpost.core.dashboard import NavItem, Panel
from forpost.core.metrics import label

from . import queries
from .models import RoomRequest


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    if not access.has_role(ALL_ROLES):
        return []
    year = timezone.localdate().year
    found: list[Panel] = []
    if access.has_role(MANAGE):
        centre_ids = sorted(access.centre_ids(MANAGE) or ())
        found.append(
            Panel(
                title=_("Rooms"),
                template="collaboration/panel_rooms.html",
                context={
                    "pending": scoped(RoomRequest, request.user, roles=MANAGE).filter(status="pending").count(),
                    "upcoming": queries.upcoming_bookings(centre_ids),
                },
                order=40,
            )
        )
        found.append(
            Panel(
                title=_("Activities %(year)s against the concept") % {"year": year},
                template="collaboration/panel_duties.html",
                context={
                    "counts": queries.activities_by_type(centre_ids, year),
                    "year": year,
                    # The status's names for these numbers (forpost.core.metrics).
                    "labels": {key: label(key) for key in ("activities", "activity_minimum")},
                },
                order=41,
            )
        )
    if access.has_role(CITY_READERS | CENTRAL):
        found.append(
            Panel(
                title=_("Cross-city meetings %(year)s") % {"year": year},
                template="collaboration/panel_meetings.html",
                context={"rows": queries.meetings_with_attendance(year), "year": year},
                order=42,
            )
        )
    else:
        municipalities = list(access.centres().values_list("municipality_id", flat=True).distinct())
        found.append(
            Panel(
                title=_("Next cross-city meeting"),
                template="collaboration/panel_next_meeting.html",
                context={"meeting": queries.next_meeting(municipalities)},
                order=43,
            )
        )
    return found


def nav(request: HttpRequest) -> list[NavItem]:
    if not access_for(request.user).has_role(ALL_ROLES):
        return []
    return [
        NavItem(_("Activities"), reverse("collaboration:activity_list"), order=40),
        NavItem(_("Rooms"), reverse("collaboration:room_list"), order=41),
        NavItem(_("Collaboration"), reverse("collaboration:index"), order=42),
    ]
