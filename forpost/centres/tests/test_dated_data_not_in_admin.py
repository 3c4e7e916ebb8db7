"""Hours, closures, staffing, budgets and the roster are dated: their services refuse a write
into a closed year and check overlaps. The Django admin would write past those checks, so it
only shows them, even to an administrator."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from forpost.centres.models import Budget, Closure, HolidayOverride, OpeningHoursPattern, RosterEntry, StaffAllocation

DATED = [OpeningHoursPattern, Closure, HolidayOverride, StaffAllocation, Budget, RosterEntry]


@pytest.mark.django_db
@pytest.mark.parametrize("model", DATED, ids=lambda m: m.__name__)
def test_the_admin_cannot_add_change_or_delete_dated_centre_data(model, cast):
    request = RequestFactory().get("/admin/")
    request.user = cast.grace  # an administrator: the one role that may delete in the admin
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
