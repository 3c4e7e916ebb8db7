from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from forpost.accounts.admin_site import AuditedAdmin, AuditedInline

from .models import (
    Budget,
    Centre,
    Closure,
    District,
    FamilyUnit,
    HolidayOverride,
    Municipality,
    OpeningHoursPattern,
    OpeningSlot,
    PopulationFigure,
    PostcodeArea,
    RosterEntry,
    StaffAllocation,
)


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["name", "municipality", "slug"]
    search_fields = ["name"]


@admin.register(FamilyUnit)
class FamilyUnitAdmin(AuditedAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name"]


@admin.register(Centre)
# TranslationAdmin: the description and directions are given in each public language.
class CentreAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["name", "code", "district", "family_unit", "active_from", "active_to"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["districts_served"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(AuditedAdmin):
    list_display = ["__str__", "name"]
    search_fields = ["name", "first", "last"]
    filter_horizontal = ["districts"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(AuditedAdmin):
    list_display = ["year", "district", "age_band", "sex", "origin", "count", "is_sample"]
    list_filter = ["year", "district", "is_sample"]


class ReadOnlyInAdmin(AuditedAdmin):
    """Hours, closures, staffing, budgets and the roster are kept in the staff pages, whose
    services check them (overlapping patterns, who confirmed a budget, a closed year); the admin
    only shows them: adding, changing or deleting here would write past those checks."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OpeningSlotInline(AuditedInline):
    model = OpeningSlot
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OpeningHoursPattern)
class OpeningHoursPatternAdmin(ReadOnlyInAdmin):
    list_display = ["centre", "valid_from", "valid_to"]
    list_filter = ["centre"]
    inlines = [OpeningSlotInline]


@admin.register(Closure)
class ClosureAdmin(ReadOnlyInAdmin):
    list_display = ["centre", "starts_on", "ends_on", "reason"]
    list_filter = ["centre"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(ReadOnlyInAdmin):
    list_display = ["centre", "date", "open_anyway"]
    list_filter = ["centre"]


@admin.register(StaffAllocation)
class StaffAllocationAdmin(ReadOnlyInAdmin):
    list_display = ["centre", "role", "hours_per_week", "valid_from", "valid_to"]
    list_filter = ["centre", "role"]


@admin.register(Budget)
class BudgetAdmin(ReadOnlyInAdmin):
    list_display = ["centre", "year", "amount", "entered_at", "confirmed_at"]
    list_filter = ["year", "centre"]


@admin.register(RosterEntry)
class RosterEntryAdmin(ReadOnlyInAdmin):
    """The centre's own staff (issue 19): dated, roles and hours, a name staff can see."""

    list_display = ["name", "centre", "role", "hours_per_week", "valid_from", "valid_to"]
    list_filter = ["centre", "role"]
