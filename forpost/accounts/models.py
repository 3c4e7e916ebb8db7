"""Users, their dated memberships (who may do what where), and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.locking import VersionField


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor")
    COORDINATOR = "coordinator", _("Coordinator")
    CENTRAL_STAFF = "central_staff", _("Central staff")
    MANAGEMENT = "management", _("Management")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles held at a centre; the others are city-wide and have no centre.
CENTRE_ROLES = frozenset({Role.COUNSELLOR, Role.COORDINATOR})
CITY_ROLES = frozenset({Role.CENTRAL_STAFF, Role.MANAGEMENT, Role.ADMINISTRATOR})


class User(AbstractUser):
    """A member of staff. Citizens never have users: counselling is anonymous."""

    # "<provider>:<subject>" for a user signed in through single sign-on; the IdP's subject is
    # stable where user names and e-mail addresses are not, so it is what a login is matched on.
    external_id = models.CharField(_("single sign-on id"), max_length=255, unique=True, null=True, blank=True)
    # Set when the identity provider took the access away, so that it may give it back; a user
    # an administrator deactivated stays deactivated whatever the identity provider says.
    deactivated_by_idp = models.BooleanField(_("deactivated by the identity provider"), default=False)
    version = VersionField()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user_detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: date) -> MembershipQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def active(self) -> MembershipQuerySet:
        return self.active_on(timezone.localdate())


class Membership(models.Model):
    """A user's role, at one centre or city-wide, for a dated period (valid_to inclusive)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        "centres.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("centre"),
        help_text=_("Required for counsellors and coordinators; empty for city-wide roles."),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day; empty means open-ended."))
    # The identity-provider mapping that granted the membership; such memberships follow the
    # identity provider at each sign-in, the others are kept by administrators.
    mapping = models.ForeignKey(
        "IdpMapping",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("granted by mapping"),
    )
    version = VersionField()

    objects = MembershipQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__username", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in CENTRE_ROLES), centre__isnull=False)
                    | Q(role__in=sorted(r.value for r in CITY_ROLES), centre__isnull=True)
                ),
                name="membership_centre_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_period",
            ),
        ]

    def __str__(self) -> str:
        where = self.centre or _("city-wide")
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role in CENTRE_ROLES and not self.centre_id:
            raise ValidationError({"centre": _("Counsellors and coordinators belong to a centre.")})
        if self.role in CITY_ROLES and self.centre_id:
            raise ValidationError({"centre": _("City-wide roles have no centre.")})
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})


class IdpMappingQuerySet(models.QuerySet["IdpMapping"]):
    def active_on(self, day: date) -> IdpMappingQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class IdpMapping(models.Model):
    """An identity provider's group or claim value that gives a role (at a centre), for a period."""

    value = models.CharField(
        _("group or claim value"),
        max_length=255,
        help_text=_("Exactly as the identity provider sends it, e.g. the group's name or object id."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        "centres.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
        help_text=_("Required for counsellors and coordinators; empty for city-wide roles."),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day; empty means open-ended."))
    version = VersionField()

    objects = IdpMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("single sign-on mapping")
        verbose_name_plural = _("single sign-on mappings")
        ordering = ["value", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in CENTRE_ROLES), centre__isnull=False)
                    | Q(role__in=sorted(r.value for r in CITY_ROLES), centre__isnull=True)
                ),
                name="idpmapping_centre_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="idpmapping_valid_period",
            ),
        ]

    def __str__(self) -> str:
        where = self.centre or _("city-wide")
        return f"{self.value} → {self.get_role_display()} · {where}"

    def clean(self) -> None:
        Membership.clean(self)  # type: ignore[arg-type]  # the same rules for role, centre and dates


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    READ = "read", _("Read")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased (retention)")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    PURGE = "purge", _("Purged audit entries")
    REFUSE = "refuse", _("Refused sign-in")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def older_than(self, moment) -> AuditEntryQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(at__lt=moment)


class AuditEntry(models.Model):
    """One line of the audit trail. Written only by forpost.accounts.audit; never edited."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The name is kept beside the key so the trail still reads after a user is removed.
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    centre_id = models.BigIntegerField(_("centre"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    # Scoping: audit entries are read only by central staff and administrators (see views).
    centre_path: ClassVar[str] = "centre_id"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is for, e.g. the system using it."))
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to recognise the token."))
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class ApiRateWindow(models.Model):
    """Calls per token per minute, counted in the database so that every app server shares the limit."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "window_start"], name="api_rate_window_unique")]

    def __str__(self) -> str:
        return f"{self.token_id} {self.window_start:%H:%M}: {self.calls}"


class FormStash(models.Model):
    """A form posted after the session timed out, kept until its author logs in again.

    Bound to the user whose session timed out (read from that session, never from the
    post) and reached only by an unguessable key carried through the login page. Deleted
    when restored, and at most an hour after it was kept (forpost.accounts.services).
    The data is what the person typed, unchecked: it is never logged or audited.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.path} {self.created_at:%Y-%m-%d %H:%M}"


def centre_model() -> Any:
    """The centre model, as the memberships' foreign key names it ("centres.Centre").

    Accounts sits below centres in the layers (centres import accounts, never the reverse), so
    it names the centre model only in that key and reaches it through the key, the way Django's
    own apps reach the user model through a setting."""
    return Membership._meta.get_field("centre").related_model
