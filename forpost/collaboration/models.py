"""The centre's collaboration work: partners, the activity log, volunteer groups,
cross-city meetings, rooms and their bookings.

Nothing here holds data about a citizen. Contact fields belong to organisations and
associations (their phone, their e-mail, a contact's work role), and referrals are counts.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# --- Partners -------------------------------------------------------------------------------


class PartnerType(models.TextChoices):
    """The kinds of partner the concept papers name (2006 and 2010)."""

    HEALTH_VISITORS = "health_visitors", _("Health visitors")
    DAYCARE_SCHOOL = "daycare_school", _("Daycare institution, school or after-school club")
    HOUSING_SOCIAL_WORK = "housing_social_work", _("Housing social work")
    SOCIALCENTER = "socialcenter", _("Socialcenter København")
    VOLUNTEER_ASSOCIATION = "volunteer_association", _("Volunteer association")
    OTHER_OUTPOSTS = "other_outposts", _("Youth counselling, school social worker or street-level team")
    ASSESSMENT_GROUP = "assessment_group", _("The family unit's assessment group")
    OTHER = "other", _("Other")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def active(self) -> PartnerQuerySet:
        return self.filter(active=True)

    def volunteer_associations(self) -> PartnerQuerySet:
        return self.filter(type=PartnerType.VOLUNTEER_ASSOCIATION)


class Partner(models.Model):
    """A professional or volunteer partner of one centre. Organisation contact only."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="partners", verbose_name=_("centre")
    )
    type = models.CharField(_("type"), max_length=30, choices=PartnerType.choices)
    name = models.CharField(_("name"), max_length=150)
    district = models.ForeignKey(
        "centres.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("district"),
    )
    contact_role = models.CharField(
        _("contact's role"),
        max_length=100,
        blank=True,
        help_text=_("The work role of the organisation's contact, e.g. 'head of the institution'. Never a citizen."),
    )
    phone = models.CharField(
        _("organisation's phone"),
        max_length=30,
        blank=True,
        help_text=_("The organisation's own phone number, never a citizen's."),
    )
    email = models.EmailField(
        _("organisation's e-mail"), blank=True, help_text=_("The organisation's own address, never a citizen's.")
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Former partners stay in the activity log."))

    objects = PartnerQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="partner_unique_name_per_centre")]

    def __str__(self) -> str:
        return self.name


# --- Volunteer groups ---------------------------------------------------------------------


class TargetGroup(models.TextChoices):
    """The 2010 concept: primarily families with special needs, secondarily the wider target groups."""

    PRIMARY = "primary", _("Primary: families with children with special needs")
    SECONDARY = (
        "secondary",
        _(
            "Secondary: the social services' wider target groups (people with disabilities, "
            "people with mental illness, adults with special needs)"
        ),
    )


class VolunteerGroupQuerySet(models.QuerySet["VolunteerGroup"]):
    def active_on(self, day: date) -> VolunteerGroupQuerySet:
        return self.filter(Q(active_from__lte=day), Q(active_to__isnull=True) | Q(active_to__gte=day))


class VolunteerGroup(models.Model):
    """A volunteer activity attached to a centre, usually meeting in one of its rooms."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="volunteer_groups", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=150)
    association = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_groups",
        verbose_name=_("association"),
        help_text=_("A volunteer association among the centre's partners."),
    )
    association_name = models.CharField(
        _("association's name"),
        max_length=150,
        blank=True,
        help_text=_("Only when the association is not among the centre's partners."),
    )
    description = models.TextField(_("what the group does"), max_length=1000)
    target_group = models.CharField(
        _("target group"), max_length=10, choices=TargetGroup.choices, default=TargetGroup.PRIMARY
    )
    meets_weekday = models.PositiveSmallIntegerField(_("meets on"), choices=Weekday.choices, null=True, blank=True)
    meets_from = models.TimeField(_("from"), null=True, blank=True)
    meets_to = models.TimeField(_("to"), null=True, blank=True)
    meets_frequency = models.CharField(
        _("how often"), max_length=100, blank=True, help_text=_("e.g. 'every week' or 'first Tuesday of the month'")
    )
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active to"), null=True, blank=True, help_text=_("Last day; empty while active."))

    objects = VolunteerGroupQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("volunteer group")
        verbose_name_plural = _("volunteer groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="volunteer_group_active_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def association_display(self) -> str:
        return self.association.name if self.association_id and self.association else self.association_name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.association_id and not self.association_name.strip():
            errors["association"] = _("Choose the association or type its name.")
        if self.association_id and self.association:
            if self.association.type != PartnerType.VOLUNTEER_ASSOCIATION:
                errors["association"] = _("The partner is not a volunteer association.")
            elif self.centre_id and self.association.centre_id != self.centre_id:
                errors["association"] = _("The association is a partner of another centre.")
        if self.active_to and self.active_to < self.active_from:
            errors["active_to"] = _("The end date is before the start date.")
        if self.meets_from and self.meets_to and self.meets_to <= self.meets_from:
            errors["meets_to"] = _("The end time must be after the start time.")
        if errors:
            raise ValidationError(errors)


class ReferralDirection(models.TextChoices):
    TO_CENTRE = "to_centre", _("From the group to the centre")
    TO_GROUP = "to_group", _("From the centre to the group")


class GroupReferral(models.Model):
    """Referrals between a volunteer group and the centre: a dated count, no person."""

    group = models.ForeignKey(
        VolunteerGroup, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("volunteer group")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    direction = models.CharField(_("direction"), max_length=10, choices=ReferralDirection.choices)
    count = models.PositiveSmallIntegerField(
        _("number of families"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    centre_path: ClassVar[str] = "group__centre"

    class Meta:
        verbose_name = _("group referral")
        verbose_name_plural = _("group referrals")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="group_referral_positive_count")]

    def __str__(self) -> str:
        return f"{self.group} {self.date} {self.get_direction_display()} {self.count}"
