from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from forpost.accounts.models import Role
from forpost.accounts.scoping import CENTRAL, CITY_READERS, access_for
from forpost.core.dashboard import NavItem, Panel


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


def panels(request: HttpRequest) -> list[Panel]:
    """Management's dashboard opens on the summary of last year's status: the headline numbers,
    the centre × requirement matrix and what needs attention, linking to the status itself."""
    from datetime import date

    from django.utils import timezone

    from forpost.accounts.scoping import scoped
    from forpost.centres.models import Centre
    from forpost.core.suppression import default_threshold

    from .status import StatusContext
    from .summary import summary

    access = access_for(request.user)
    if not access.has_role({Role.MANAGEMENT}):
        return []
    year = timezone.localdate().year - 1
    centres = scoped(
        Centre.objects.active_during(date(year, 1, 1), date(year, 12, 31)), request.user, roles=CITY_READERS
    )
    ctx = StatusContext(
        year=year,
        centre_ids=tuple(sorted(centres.values_list("pk", flat=True))),
        city_wide=True,
        suppress=True,
        threshold=default_threshold(),
    )
    return [
        Panel(
            title=_("The year %(year)s at a glance") % {"year": year},
            template="reports/panel_summary.html",
            context={
                "s": summary(ctx),
                "status": {"threshold": ctx.threshold, "year": year},
                "detail_url": f"{reverse('reports:city')}?year={year}",
            },
            order=1,
        )
    ]
