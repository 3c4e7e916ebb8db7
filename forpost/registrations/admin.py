"""Central staff keep the reference lists here. An item in use can be retired, never deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from forpost.accounts.admin_site import AuditedAdmin

from . import services
from .models import Action, Channel, ReferenceItem, ReferralSource, ScoreNorm, Theme


# TranslationAdmin shows one name field per language (name_da, name_en, …) for the one name.
class ReferenceAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["name_da", "name_en", "code", "sort_order", "is_active"]
    list_editable = ["sort_order"]
    search_fields = ["name_da", "name_en", "code"]
    ordering = ["sort_order", "name_da"]

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, obj: ReferenceItem) -> bool:
        return obj.retired_at is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_in_use():
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code identifies the item in statistics; once used it stays.
        return ["code"] if obj is not None and obj.is_in_use() else []


@admin.register(Channel)
class ChannelAdmin(ReferenceAdmin):
    pass


@admin.register(Theme)
class ThemeAdmin(ReferenceAdmin):
    pass


@admin.register(ReferralSource)
class ReferralSourceAdmin(ReferenceAdmin):
    pass


@admin.register(Action)
class ActionAdmin(ReferenceAdmin):
    list_display = [*ReferenceAdmin.list_display, "kind", "referral_destination"]


@admin.register(ScoreNorm)
class ScoreNormAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["name_da", "code", "ors_cutoff", "reliable_change", "srs_cutoff"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service: the courses judged by the norm are recounted in the same
        # transaction, and it writes the audit entry.
        changed = {name: getattr(obj, name) for name in form.changed_data if name in services.SCORE_NORM_FIELDS}
        services.change_score_norm(actor=request.user, norm=obj, **changed)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.courses.exists():
            return False
        return super().has_delete_permission(request, obj)
