from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from forpost.accounts.admin_site import AuditedAdmin, AuditedInline

from .models import AuditEntry, Membership, Role, User

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


class MembershipInline(AuditedInline):
    model = Membership
    edit_roles = ADMINISTRATORS
    delete_roles = ADMINISTRATORS
    extra = 0
    autocomplete_fields = ["centre"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    edit_roles = ADMINISTRATORS
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    # Users are invited in the app (accounts:user_invite) and choose their own password; here
    # nobody creates a user or types another person's password.
    fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "email", "is_active")}),)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        raise PermissionDenied


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    edit_roles = ADMINISTRATORS
    list_display = ["user", "role", "centre", "valid_from", "valid_to"]
    list_filter = ["role", "centre"]
    autocomplete_fields = ["user", "centre"]
    search_fields = ["user__username"]


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedAdmin):
    """Readable, never changeable: the trail is evidence."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id", "centre_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
