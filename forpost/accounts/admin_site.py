"""The admin is where central staff keep reference data. Access follows Forpost's roles,
not Django's staff flag, and every save and delete writes the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction, Role
from forpost.accounts.scoping import CENTRAL, access_for


class ForpostAdminSite(admin.AdminSite):
    site_header = _("Forpost administration")
    site_title = _("Forpost")
    index_title = _("Reference data")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and access_for(user).has_role(CENTRAL))


class RolePermissions:
    """Admin permissions from Forpost's roles: central staff and administrators edit; only
    administrators delete."""

    edit_roles = CENTRAL
    delete_roles = frozenset({Role.ADMINISTRATOR})

    def _can(self, request: HttpRequest, roles: frozenset[Role]) -> bool:
        return request.user.is_authenticated and access_for(request.user).has_role(roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._can(request, self.edit_roles)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, self.edit_roles)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, self.edit_roles)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, self.edit_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, self.delete_roles)


class AuditedInline(RolePermissions, admin.TabularInline):
    """An inline whose rows are audited by the AuditedAdmin that holds it."""


class AuditedAdmin(RolePermissions, admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=AuditAction.CHANGE if change else AuditAction.CREATE,
            obj=obj,
            changes=audit.diff(before, audit.snapshot(obj)),
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit.record(
            actor=request.user, action=AuditAction.DELETE, obj=obj, changes=audit.snapshot(obj), request=request
        )
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. a user's memberships) are audited like the object itself."""
        before = {
            f.instance.pk: audit.snapshot(type(f.instance)._default_manager.get(pk=f.instance.pk))
            for f in formset.forms
            if f.instance.pk and f.has_changed()
        }
        # The admin runs this in one transaction, so deletions are recorded before they happen.
        for f in formset.deleted_forms:
            if f.instance.pk:
                audit.record(
                    actor=request.user,
                    action=AuditAction.DELETE,
                    obj=f.instance,
                    changes=audit.snapshot(f.instance),
                    request=request,
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(
                actor=request.user, action=AuditAction.CREATE, obj=obj, changes=audit.snapshot(obj), request=request
            )
        for obj, _fields in formset.changed_objects:
            audit.record(
                actor=request.user,
                action=AuditAction.CHANGE,
                obj=obj,
                changes=audit.diff(before.get(obj.pk, {}), audit.snapshot(obj)),
                request=request,
            )

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
