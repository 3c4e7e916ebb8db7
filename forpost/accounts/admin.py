from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from forpost.accounts.admin_site import AuditedAdmin, AuditedInline

from . import audit
from .models import AuditAction, AuditEntry, Membership, Role, User

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

    # Reading the trail is itself recorded: it shows who read which registration.
    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            criteria = {k: request.GET.get(k) for k in request.GET}
            audit.record_search(request, object_type=AuditEntry._meta.label_lower, criteria=criteria)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            audit.record(
                actor=request.user,
                action=AuditAction.READ,
                object_type=AuditEntry._meta.label_lower,
                object_id=object_id,
                request=request,
            )
        return response

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
