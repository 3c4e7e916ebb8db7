"""The organisation: municipality → district → centre, and district population figures."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("municipality code"), max_length=3, unique=True, help_text=_("e.g. 101 for Copenhagen"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A bydel. Districts are reference data and are kept by central staff."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="districts", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=60)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name"),
            models.UniqueConstraint(fields=["municipality", "slug"], name="district_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class FamilyUnit(models.Model):
    """A børnefamilieenhed (BFE): holds the formal cases; the centres are its outposts."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="family_units", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("family unit")
        verbose_name_plural = _("family units")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="family_unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class CentreQuerySet(models.QuerySet["Centre"]):
    def active_on(self, day: date) -> CentreQuerySet:
        return self.filter(Q(active_from__lte=day), Q(active_to__isnull=True) | Q(active_to__gte=day))

    def active(self) -> CentreQuerySet:
        return self.active_on(timezone.localdate())

    def serving(self, district: District) -> CentreQuerySet:
        return self.filter(districts_served=district)


class Centre(models.Model):
    """A family counselling centre (familierådgivning). Its contact data is the centre's own."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="centres", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address name"), max_length=60, unique=True, help_text=_("Used in web addresses."))
    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        help_text=_("Short code used in course labels, e.g. NØR."),
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="centres", verbose_name=_("district"))
    districts_served = models.ManyToManyField(
        District, related_name="served_by", verbose_name=_("districts served"), blank=True
    )
    family_unit = models.ForeignKey(
        FamilyUnit, on_delete=models.PROTECT, related_name="centres", verbose_name=_("family unit")
    )
    street_address = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=60)
    directions = models.TextField(_("how to get there"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("public description"), blank=True)
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active to"), null=True, blank=True)

    objects = CentreQuerySet.as_manager()

    centre_path: ClassVar[str] = "pk"

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="centre_active_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street_address}, {self.postcode} {self.city}"


class AgeBand(models.TextChoices):
    """Population age bands. The children's bands match those registered on inquiries."""

    A0_2 = "0-2", _("0–2 years")
    A3_5 = "3-5", _("3–5 years")
    A6_9 = "6-9", _("6–9 years")
    A10_12 = "10-12", _("10–12 years")
    A13_17 = "13-17", _("13–17 years")
    A18_29 = "18-29", _("18–29 years")
    A30_39 = "30-39", _("30–39 years")
    A40_49 = "40-49", _("40–49 years")
    A50_64 = "50-64", _("50–64 years")
    A65 = "65+", _("65 years and over")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Origin(models.TextChoices):
    """Statistics Denmark's categories of origin (herkomst)."""

    DANISH = "danish", _("Danish origin")
    IMMIGRANT_WESTERN = "immigrant_western", _("Immigrant, Western country")
    IMMIGRANT_NON_WESTERN = "immigrant_non_western", _("Immigrant, non-Western country")
    DESCENDANT_WESTERN = "descendant_western", _("Descendant, Western country")
    DESCENDANT_NON_WESTERN = "descendant_non_western", _("Descendant, non-Western country")


class PopulationFigure(models.Model):
    """How many people of one group live in a district in a year (imported from CSV)."""

    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="population", verbose_name=_("district")
    )
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    origin = models.CharField(_("origin"), max_length=24, choices=Origin.choices)
    count = models.PositiveIntegerField(_("count"))
    is_sample = models.BooleanField(
        _("sample figures"), default=False, help_text=_("Invented figures for demonstration, not statistics.")
    )

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["year", "district__name", "age_band", "sex", "origin"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district", "age_band", "sex", "origin"], name="population_unique_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.district} {self.age_band} {self.sex} {self.origin}: {self.count}"
