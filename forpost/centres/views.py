from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forpost.accounts.models import Membership
from forpost.accounts.scoping import get_scoped_or_404, scoped

from .models import Centre


@login_required
def centre_list(request: HttpRequest) -> HttpResponse:
    centres = (
        scoped(Centre, request.user).select_related("district", "family_unit").prefetch_related("districts_served")
    )
    return render(request, "centres/centre_list.html", {"centres": centres})


@login_required
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre = get_scoped_or_404(
        Centre.objects.select_related("district", "family_unit", "municipality"), request.user, slug=slug
    )
    members = (
        Membership.objects.active().filter(centre=centre).select_related("user").order_by("role", "user__username")
    )
    return render(request, "centres/centre_detail.html", {"centre": centre, "members": members})
