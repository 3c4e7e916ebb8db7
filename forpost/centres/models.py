"""The organisation: municipality → district → centre, and district population figures."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import ANONYMOUS_TEXT_VALIDATORS
from forpost.core.formats.values import long_date
from forpost.core.locking import VersionField


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

    def active_during(self, first: date, last: date) -> CentreQuerySet:
        """Centres open on at least one day from `first` to `last` (both included)."""
        return self.filter(Q(active_from__lte=last), Q(active_to__isnull=True) | Q(active_to__gte=first))

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
    # Where the centre is, for "use my location" on the public pages (WGS 84, as phones give it).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("e.g. 55.694100; with the longitude, lets citizens sort the centres by distance."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("e.g. 12.540700"),
    )
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    # The 2006 paper: the centre "kan huse ungerådgivningen". Context for the status, no duty.
    houses_youth_counselling = models.BooleanField(
        _("houses a youth counselling service"),
        default=False,
        help_text=_("The youth counselling service (ungerådgivning) works from the centre's premises."),
    )

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
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="centre_coordinates_both_or_neither",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street_address}, {self.postcode} {self.city}"


class PostcodeAreaQuerySet(models.QuerySet["PostcodeArea"]):
    def containing(self, postcode: int) -> PostcodeAreaQuerySet:
        return self.filter(first__lte=postcode, last__gte=postcode)


class PostcodeArea(models.Model):
    """Postcodes and the districts they lie in, so a citizen finds the centre for their
    postcode. A row holds one postcode or a run of them (1000–1499 København K). Some
    postcodes cross district borders (2300 København S is Amager Vest and Amager Øst), so a
    row can name several districts. Reference data, kept by central staff in the admin."""

    first = models.PositiveSmallIntegerField(
        _("first postcode"), validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )
    last = models.PositiveSmallIntegerField(
        _("last postcode"),
        validators=[MinValueValidator(1000), MaxValueValidator(9999)],
        help_text=_("The same as the first postcode for a single postcode."),
    )
    name = models.CharField(_("post town"), max_length=60, help_text=_("e.g. København N"))
    districts = models.ManyToManyField(District, related_name="postcode_areas", verbose_name=_("districts"))

    objects = PostcodeAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        ordering = ["first"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last__gte=models.F("first")),
                name="postcode_area_range",
                violation_error_message=_("The last postcode is before the first."),
            ),
            models.UniqueConstraint(fields=["first", "last"], name="postcode_area_unique_range"),
        ]

    def __str__(self) -> str:
        codes = str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        return f"{codes} {self.name}"


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


# --- Opening hours -----------------------------------------------------------------------------


class SlotKind(models.TextChoices):
    DROP_IN = "drop_in", _("Open drop-in (anonymous counselling)")
    APPOINTMENT = "appointment", _("By appointment")
    PHONE = "phone", _("Phone hours")


class Weekday(models.IntegerChoices):
    """ISO weekdays counted from 0, as date.weekday() does."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def _in_force_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _overlapping(first: date, last: date | None) -> Q:
    """Rows whose inclusive [valid_from, valid_to] meets the inclusive [first, last]."""
    condition = Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    if last is not None:
        condition &= Q(valid_from__lte=last)
    return condition


class OpeningHoursPatternQuerySet(models.QuerySet["OpeningHoursPattern"]):
    def in_force_on(self, day: date) -> OpeningHoursPatternQuerySet:
        return self.filter(_in_force_on(day))

    def overlapping_period(self, first: date, last: date | None) -> OpeningHoursPatternQuerySet:
        return self.filter(_overlapping(first, last))


class OpeningHoursPattern(models.Model):
    """A centre's weekly opening hours, valid from one date to another (valid_to inclusive)."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="hours_patterns", verbose_name=_("centre")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day; empty means open-ended."))

    version = VersionField(_("version"))
    objects = OpeningHoursPatternQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("opening hours pattern")
        verbose_name_plural = _("opening hours patterns")
        ordering = ["centre__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="hours_pattern_valid_period",
                violation_error_message=_("The last day is before the first day."),
            )
        ]

    def __str__(self) -> str:
        last = long_date(self.valid_to) if self.valid_to else "…"
        return f"{self.centre} {long_date(self.valid_from)} – {last}"


class OpeningSlot(models.Model):
    """One weekly slot of a pattern, in wall-clock time in Europe/Copenhagen."""

    pattern = models.ForeignKey(
        OpeningHoursPattern, on_delete=models.CASCADE, related_name="slots", verbose_name=_("pattern")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    kind = models.CharField(_("kind"), max_length=12, choices=SlotKind.choices, default=SlotKind.DROP_IN)

    centre_path: ClassVar[str] = "pattern__centre"

    class Meta:
        verbose_name = _("opening slot")
        verbose_name_plural = _("opening slots")
        ordering = ["weekday", "starts_at", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="opening_slot_order",
                violation_error_message=_("A time slot must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.get_kind_display()}"


class ClosureQuerySet(models.QuerySet["Closure"]):
    def overlapping_period(self, first: date, last: date) -> ClosureQuerySet:
        return self.filter(starts_on__lte=last, ends_on__gte=first)


class Closure(models.Model):
    """Days a centre is closed (summer, Christmas, a course day), both ends inclusive."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="closures", verbose_name=_("centre"))
    starts_on = models.DateField(_("first day closed"))
    ends_on = models.DateField(_("last day closed"))
    reason = models.CharField(
        _("reason"),
        max_length=120,
        help_text=_("Shown on the public pages, e.g. Summer holiday."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )

    objects = ClosureQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["centre__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="closure_period",
                violation_error_message=_("The last day closed is before the first day closed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {long_date(self.starts_on)} – {long_date(self.ends_on)}: {self.reason}"


class HolidayOverride(models.Model):
    """A public holiday on which the centre keeps its usual hours after all."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="holiday_overrides", verbose_name=_("centre")
    )
    date = models.DateField(_("date"))
    open_anyway = models.BooleanField(_("open anyway"), default=True)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["centre__name", "date"]
        constraints = [models.UniqueConstraint(fields=["centre", "date"], name="holiday_override_unique_day")]

    def __str__(self) -> str:
        return f"{self.centre} {long_date(self.date)}"


# --- Staff from the family unit and budget -----------------------------------------------------


class StaffRole(models.TextChoices):
    FAMILY_CONSULTANT = "family_consultant", _("Family consultant")
    CASEWORKER = "caseworker", _("Caseworker")
    FAMILY_THERAPIST = "family_therapist", _("Family therapist")
    OTHER = "other", _("Other")


class StaffAllocationQuerySet(models.QuerySet["StaffAllocation"]):
    def in_force_on(self, day: date) -> StaffAllocationQuerySet:
        return self.filter(_in_force_on(day))

    def overlapping_period(self, first: date, last: date | None) -> StaffAllocationQuerySet:
        return self.filter(_overlapping(first, last))


class StaffAllocation(models.Model):
    """Hours a week that the family unit (BFE) puts into the centre, for a dated period."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="staff_allocations", verbose_name=_("centre")
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day; empty means open-ended."))
    note = models.CharField(
        _("note"),
        max_length=120,
        blank=True,
        help_text=_("For example the team the hours come from."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )

    version = VersionField(_("version"))
    objects = StaffAllocationQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("staff allocation")
        verbose_name_plural = _("staff allocations")
        ordering = ["centre__name", "valid_from", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="staff_allocation_valid_period",
                violation_error_message=_("The last day is before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=168),
                name="staff_allocation_hours",
                violation_error_message=_("Hours a week must be more than 0 and at most 168."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.get_role_display()} {self.hours_per_week} h"


# --- The centre's own staff ------------------------------------------------------------------


class RosterRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    COUNSELLOR = "counsellor", _("Counsellor")
    OTHER = "other", _("Other")


class RosterEntryQuerySet(models.QuerySet["RosterEntry"]):
    def in_force_on(self, day: date) -> RosterEntryQuerySet:
        return self.filter(_in_force_on(day))

    def overlapping_period(self, first: date, last: date | None) -> RosterEntryQuerySet:
        return self.filter(_overlapping(first, last))


class RosterEntry(models.Model):
    """One person who works at the centre, with a role and hours, for a dated period.

    The centre's own staff, not the family unit's hours (StaffAllocation). A name only, so
    colleagues know who is meant; it is never shown outside the app. The 2006 paper wants a
    centre "mindre sårbar": the status flags a centre with one coordinator or none."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="roster", verbose_name=_("centre"))
    name = models.CharField(_("name"), max_length=100, help_text=_("Seen by staff only, never published."))
    role = models.CharField(_("role"), max_length=20, choices=RosterRole.choices)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day; empty means open-ended."))

    version = VersionField(_("version"))
    objects = RosterEntryQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("person on the roster")
        verbose_name_plural = _("the centre's staff")
        ordering = ["centre__name", "role", "name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="roster_entry_valid_period",
                violation_error_message=_("The last day is before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=80),
                name="roster_entry_hours",
                violation_error_message=_("Hours a week must be more than 0 and at most 80."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Budget(models.Model):
    """A centre's budget for a year, announced by management; the coordinator confirms knowing it."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("centre"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (DKK)"), max_digits=12, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    confirmed_known_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed known by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["centre__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="budget_unique_year"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_amount_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.year}: {self.amount} DKK"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class WeeklyHoursYear(models.Model):
    """Derived, never edited: that a centre's weeks of a calendar year are stored in
    `WeeklyHours`, and a digest of exactly the inputs they were computed from.

    Computed by `forpost.centres.weekly` from the opening hours, closures, holiday overrides
    and staff allocations. When any input changes — through a service, the admin or a bulk
    load — the digest no longer matches and the next read computes the year again, so the
    stored weeks can never be stale.
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    year = models.PositiveSmallIntegerField(_("year"))
    digest = models.CharField(_("digest of the inputs"), max_length=64)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("weekly hours of a year (computed)")
        verbose_name_plural = _("weekly hours of a year (computed)")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="weekly_hours_year_unique")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.year}"


class WeeklyHours(models.Model):
    """Derived, never edited: a centre's drop-in and family-unit staff hours in one whole ISO
    week of a calendar year (see WeeklyHoursYear), in hundredths of an hour, so that the
    status asks the database for each centre's weakest week and the weeks that met the
    minimum, instead of reading every week."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    year = models.PositiveSmallIntegerField(_("year"))
    monday = models.DateField(_("Monday"))
    dropin = models.IntegerField(_("drop-in hours (hundredths)"))
    ordinary = models.BooleanField(
        _("ordinary week"), help_text=_("No public holiday or closure took away a scheduled drop-in day.")
    )
    staff = models.IntegerField(_("family-unit staff hours (hundredths)"))
    covered = models.BooleanField(_("opening hours recorded"), help_text=_("A pattern covers a day of the week."))
    staff_ordinary = models.BooleanField(
        _("ordinary week for staff"),
        default=True,
        help_text=_("No public holiday or closure took away allocated family-unit staff hours."),
    )

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("weekly hours (computed)")
        verbose_name_plural = _("weekly hours (computed)")
        constraints = [models.UniqueConstraint(fields=["centre", "monday"], name="weekly_hours_unique")]
        indexes = [models.Index(fields=["year", "centre"])]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.monday}"


class ClosedYear(models.Model):
    """A year central staff review and close (forpost.centres.closing): its deadline, and once
    closed, everything dated in it is read-only except through an approved correction."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by_name = models.CharField(_("closed by (name)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("closing of a year")
        verbose_name_plural = _("closings of years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class CorrectionStatus(models.TextChoices):
    REQUESTED = "requested", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Correction(models.Model):
    """A change to a closed year of one centre: asked for with a reason by the coordinator,
    approved by central staff, and then open for a short while (`open_until`)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(_("reason"), max_length=500, validators=ANONYMOUS_TEXT_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_by_name = models.CharField(_("requested by"), max_length=150, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    open_until = models.DateTimeField(_("open until"), null=True, blank=True)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.centre} {self.year}"


class OfferKind(models.TextChoices):
    """The kinds of offer a centre guides families to (the offers directory in collaboration, the
    referrals in registrations: both read it from here). The 2010 paper: guide the family "til relevante tilbud – det være sig offentlige,
    private og frivillige"."""

    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    VOLUNTARY = "voluntary", _("Voluntary")
