"""Activity types are reference data kept by central staff in the admin.

A type that activities use is retired (unticked "active"), never deleted: the old
activities keep their type, and the annual status can still count them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from forpost.accounts.admin_site import AuditedAdmin

from .models import ActivityType


@admin.register(ActivityType)
# TranslationAdmin shows one name field per language (name_da, name_en, …).
class ActivityTypeAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["name_da", "name_en", "in_concept_2006", "in_concept_2010", "yearly_minimum", "position", "active"]
    list_filter = ["active", "in_concept_2006", "in_concept_2010"]
    list_editable = ["position", "active"]
    search_fields = ["name_da", "name_en", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is how the program knows a type (e.g. cross-city meetings); it never changes.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.activities.exists():
            return False
        return super().has_delete_permission(request, obj)
