from django.contrib import admin

from forpost.core.admin import AuditedAdmin

from .models import Centre, District, FamilyUnit, Municipality, PopulationFigure


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
class CentreAdmin(AuditedAdmin):
    list_display = ["name", "code", "district", "family_unit", "active_from", "active_to"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["districts_served"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(AuditedAdmin):
    list_display = ["year", "district", "age_band", "sex", "origin", "count", "is_sample"]
    list_filter = ["year", "district", "is_sample"]
