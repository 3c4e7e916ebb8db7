from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts.scoping import REGISTER, access_for, scoped
from forpost.core.dashboard import NavItem, Panel

from .models import Course, Inquiry, Session
from .queries import desk_numbers


def panels(request: HttpRequest) -> list[Panel]:
    access = access_for(request.user)
    if not access.has_role(REGISTER):
        return []
    user = request.user
    numbers = desk_numbers(
        inquiries=scoped(Inquiry, user, roles=REGISTER),
        courses=scoped(Course, user, roles=REGISTER),
        sessions=scoped(Session, user, roles=REGISTER),
    )
    return [
        Panel(
            title=_("At the desk"),
            template="registrations/panel_desk.html",
            context={"numbers": numbers, "can_register": True, "today": timezone.localdate()},
            order=5,
        )
    ]


def nav(request: HttpRequest) -> list[NavItem]:
    access = access_for(request.user)
    items = [
        NavItem(_("Inquiries"), reverse("registrations:inquiry_list"), order=20),
        NavItem(_("Courses"), reverse("registrations:course_list"), order=21),
    ]
    if access.has_role(REGISTER):
        items.insert(0, NavItem(_("Register inquiry"), reverse("registrations:inquiry_create"), order=19))
    return items
