"""Inquiries, courses and sessions, the reference lists they use, and submission tokens.

Anonymous by design: no field here can hold a citizen's name, CPR number, address, phone
or e-mail. Families are described only in statistical categories; a course carries a
generated pseudonymous label; the few free-text fields are short, guarded by
forpost.core.anonymity and erased by `manage.py retention`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forpost.centres.models import OfferKind, Origin
from forpost.core.anonymity import ANONYMOUS_TEXT_VALIDATORS
from forpost.core.locking import VersionField

NOT_STATED = "not_stated"
_M = TypeVar("_M", bound=models.Model)
NOTE_MAX_LENGTH = 500

# --- Reference lists, kept by central staff in the admin ------------------------------------


class ReferenceQuerySet(models.QuerySet[Any]):
    def active(self) -> ReferenceQuerySet:
        return self.filter(retired_at__isnull=True)


class ReferenceItem(models.Model):
    """An item of a list kept by central staff. Once used it can be retired, never deleted."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Given per language as name_da, name_en, … (translation.py); name_da is required.
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    retired_at = models.DateTimeField(
        _("retired"), null=True, blank=True, help_text=_("A retired item is no longer offered but still counts.")
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_da"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # "|" separates several names in one cell of an export, which must import back.
        bad = {f: _("A name may not contain “|”.") for f in ("name_da", "name_en") if "|" in getattr(self, f)}
        if bad:
            raise ValidationError(bad)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def is_in_use(self) -> bool:
        """True when any registration refers to this item (it may then only be retired)."""
        for rel in self._meta.related_objects:
            related: Any = rel.related_model
            # The base manager: a voided registration still refers to the item.
            if rel.one_to_many and related._base_manager.filter(**{rel.field.name: self}).exists():
                return True
        return False


class Channel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class Theme(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class ReferralSource(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("referral source")
        verbose_name_plural = _("referral sources")


class Method(ReferenceItem):
    """A method or programme a course (or one of its sessions) works by. The 2006 paper names
    samtaler med børn og forældre, netværksmøder, familierådslagning, familiebehandling and
    "Familien i Centrum"; the 2010 concept lets the methods vary between centres."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("method")
        verbose_name_plural = _("methods")


class ReferralDestination(models.TextChoices):
    FAMILY_UNIT = "family_unit", _("The family unit")
    VOLUNTEER_GROUP = "volunteer_group", _("A volunteer group")
    SOCIALCENTER = "socialcenter", _("Socialcenter København")
    HEALTH = "health", _("Health services")
    OTHER = "other", _("Other")
    OFFER = "offer", _("An offer in the directory")


class OfferContact(models.TextChoices):
    """Whether the family reached the offer, as the counsellor later learns it."""

    MADE = "made", _("Contact made")
    NOT_MADE = "not_made", _("Contact not made")
    UNKNOWN = "unknown", _("Unknown")


class ActionKind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    COURSE = "course", _("Course started")
    REFERRAL = "referral", _("Referral")
    CONCERN = "concern", _("Report of concern")
    OTHER = "other", _("Other")


class Action(ReferenceItem):
    """What the counsellor did. A referral action makes a Referral; a report-of-concern action
    records only the date the report was made."""

    kind = models.CharField(_("kind"), max_length=10, choices=ActionKind.choices, default=ActionKind.ADVICE)
    referral_destination = models.CharField(
        _("referral to"), max_length=20, choices=ReferralDestination.choices, blank=True
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="referral", referral_destination__gt="")
                | (~Q(kind="referral") & Q(referral_destination="")),
                name="action_referral_has_destination",
            )
        ]


class ScoreNorm(models.Model):
    """Cut-offs for the Outcome and Session Rating Scales, for one group of respondents."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    # Given per language as name_da, name_en, … (translation.py); name_da is required.
    name = models.CharField(_("name"), max_length=120)
    ors_cutoff = models.DecimalField(_("ORS clinical cut-off"), max_digits=4, decimal_places=1)
    reliable_change = models.DecimalField(_("ORS reliable change"), max_digits=4, decimal_places=1)
    srs_cutoff = models.DecimalField(_("SRS flag below"), max_digits=4, decimal_places=1, default=Decimal(36))
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("score norm")
        verbose_name_plural = _("score norms")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


# --- Categories fixed by the concept and by Statistics Denmark ------------------------------


class ContactPerson(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    BOTH_PARENTS = "both_parents", _("Both parents")
    OTHER_FAMILY = "other_family", _("Other family member")
    CHILD = "child", _("Child or young person")
    PROFESSIONAL = "professional", _("Professional")
    OTHER = "other", _("Other")


class FamilyType(models.TextChoices):
    TOGETHER = "together", _("Parents together")
    SEPARATED = "separated", _("Separated or divorced")
    SINGLE = "single", _("Single parent")
    OTHER = "other", _("Other")
    NOT_STATED = NOT_STATED, _("Not stated")


class ParentSex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_STATED = NOT_STATED, _("Not stated")


ORIGIN_CHOICES = [*Origin.choices, (NOT_STATED, _("Not stated"))]


class Residence(models.TextChoices):
    DISTRICT = "district", _("In a district of the municipality")
    OUTSIDE = "outside", _("Outside the municipality")
    NOT_STATED = NOT_STATED, _("Not stated")


class HasCase(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DONT_KNOW = "dont_know", _("Don't know")


class ChildAge(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    A0_2 = "0-2", _("0–2 years")
    A3_5 = "3-5", _("3–5 years")
    A6_9 = "6-9", _("6–9 years")
    A10_12 = "10-12", _("10–12 years")
    A13_17 = "13-17", _("13–17 years")


class ChildSex(models.TextChoices):
    GIRL = "girl", _("Girl")
    BOY = "boy", _("Boy")
    NOT_STATED = NOT_STATED, _("Not stated")


# --- Voiding ---------------------------------------------------------------------------------


class Voidable(models.Model):
    """A registration made by mistake is voided with a reason, never deleted: it stays visible
    to its centre, marked, and leaves every count (see forpost.registrations.services)."""

    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.CharField(
        _("reason for voiding"), max_length=200, blank=True, db_default="", validators=ANONYMOUS_TEXT_VALIDATORS
    )

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class CountedManager(models.Manager[_M]):
    """The default manager of every registration model: only rows that count, i.e. not voided
    and not part of a voided registration (`COUNTED` on the model says which). Statistics,
    indicators, exports and the API read through it, so none of them can count a voided row;
    the centre's own lists and pages read `all_objects`, which keeps them, marked."""

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(self.model.COUNTED)  # type: ignore[attr-defined]


class EveryRowManager(models.Manager[_M]):
    """Every row, voided ones too (`all_objects`)."""


# --- Inquiry --------------------------------------------------------------------------------


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def within_period(self, start: Any, end: Any) -> InquiryQuerySet:
        """Inquiries on days in [start, end)."""
        return self.filter(date__gte=start, date__lt=end)

    def for_centre(self, centre: Any) -> InquiryQuerySet:
        return self.filter(centre=centre)


CountedInquiryManager = CountedManager.from_queryset(InquiryQuerySet)


class Inquiry(Voidable):
    """A henvendelse: one contact from a family, registered anonymously."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("centre")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("channel"))
    contact_person = models.CharField(
        _("who made contact"), max_length=20, choices=ContactPerson.choices, default=ContactPerson.MOTHER
    )
    family_type = models.CharField(
        _("family type"), max_length=20, choices=FamilyType.choices, default=FamilyType.NOT_STATED
    )
    parent_sex = models.CharField(
        _("the contacting parent's sex"), max_length=20, choices=ParentSex.choices, default=ParentSex.NOT_STATED
    )
    origin = models.CharField(_("origin"), max_length=24, choices=ORIGIN_CHOICES, default=NOT_STATED)
    residence = models.CharField(_("residence"), max_length=20, choices=Residence.choices, default=Residence.NOT_STATED)
    district = models.ForeignKey(
        "centres.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district of residence"),
    )
    has_case = models.CharField(
        _("case at the family unit"), max_length=10, choices=HasCase.choices, default=HasCase.DONT_KNOW
    )
    referral_source = models.ForeignKey(
        ReferralSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("found us through"),
    )
    themes: models.ManyToManyField[Theme, InquiryTheme] = models.ManyToManyField(
        Theme, through="InquiryTheme", related_name="+", verbose_name=_("themes")
    )
    actions: models.ManyToManyField[Action, InquiryAction] = models.ManyToManyField(
        Action, through="InquiryAction", related_name="+", verbose_name=_("actions")
    )
    concern_reported_on = models.DateField(_("report of concern made on"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes used"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=ANONYMOUS_TEXT_VALIDATORS)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = VersionField(_("version"))
    # When the registration was reduced to what statistics need (see manage.py retention).
    slimmed_at = models.DateTimeField(_("reduced for statistics"), null=True, blank=True)

    objects = CountedInquiryManager()
    all_objects = InquiryQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"
    COUNTED: ClassVar[Q] = Q(voided_at__isnull=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-date", "-time", "-id"]
        indexes = [models.Index(fields=["centre", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(residence="district", district__isnull=False)
                | (~Q(residence="district") & Q(district__isnull=True)),
                name="inquiry_district_matches_residence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre.code} {self.date:%Y-%m-%d} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registrations:inquiry_detail", kwargs={"pk": self.pk})


class InquiryTheme(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, verbose_name=_("inquiry"))
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="uses", verbose_name=_("theme"))

    objects = CountedManager()
    all_objects = EveryRowManager()

    COUNTED: ClassVar[Q] = Q(inquiry__voided_at__isnull=True)

    class Meta:
        verbose_name = _("theme of an inquiry")
        verbose_name_plural = _("themes of inquiries")
        constraints = [models.UniqueConstraint(fields=["inquiry", "theme"], name="inquiry_theme_once")]

    def __str__(self) -> str:
        return str(self.theme)


class InquiryAction(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, verbose_name=_("inquiry"))
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="uses", verbose_name=_("action"))

    objects = CountedManager()
    all_objects = EveryRowManager()

    COUNTED: ClassVar[Q] = Q(inquiry__voided_at__isnull=True)

    class Meta:
        verbose_name = _("action of an inquiry")
        verbose_name_plural = _("actions of inquiries")
        constraints = [models.UniqueConstraint(fields=["inquiry", "action"], name="inquiry_action_once")]

    def __str__(self) -> str:
        return str(self.action)


class Child(models.Model):
    """A child the inquiry concerns: an age band and a sex, nothing more."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="children", verbose_name=_("inquiry"))
    age_band = models.CharField(_("age"), max_length=10, choices=ChildAge.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=ChildSex.choices, default=ChildSex.NOT_STATED)

    objects = CountedManager()
    all_objects = EveryRowManager()

    centre_path: ClassVar[str] = "inquiry__centre"
    COUNTED: ClassVar[Q] = Q(inquiry__voided_at__isnull=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_age_band_display()}, {self.get_sex_display()}"


# --- Course and sessions ---------------------------------------------------------------------


class CourseResult(models.TextChoices):
    GOAL_REACHED = "reached", _("Goal reached")
    PARTLY = "partly", _("Goal partly reached")
    NOT_REACHED = "not_reached", _("Goal not reached")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    REFERRED_ON = "referred_on", _("Referred on")


class CourseQuerySet(models.QuerySet["Course"]):
    def open(self) -> CourseQuerySet:
        return self.filter(ended_on__isnull=True)

    def closed(self) -> CourseQuerySet:
        return self.filter(ended_on__isnull=False)

    def within_period(self, start: Any, end: Any) -> CourseQuerySet:
        """Courses running at some time in [start, end)."""
        return self.filter(Q(started_on__lt=end), Q(ended_on__isnull=True) | Q(ended_on__gte=start))


CountedCourseManager = CountedManager.from_queryset(CourseQuerySet)


class Course(Voidable):
    """A forløb of sessions, started from an inquiry, known only by its generated label."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="courses", verbose_name=_("centre")
    )
    label = models.CharField(_("label"), max_length=20, unique=True, editable=False)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="courses", verbose_name=_("inquiry"))
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counsellor"),
    )
    started_on = models.DateField(_("started"), default=timezone.localdate)
    score_norm = models.ForeignKey(
        ScoreNorm,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("ORS version"),
        help_text=_("Who fills in the Outcome Rating Scale: sets the clinical cut-off."),
    )
    goals = models.TextField(_("goals"), blank=True, max_length=NOTE_MAX_LENGTH, validators=ANONYMOUS_TEXT_VALIDATORS)
    method = models.ForeignKey(
        Method,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("method or programme"),
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=CourseResult.choices, blank=True)
    version = VersionField(_("version"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CountedCourseManager()
    all_objects = CourseQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"
    COUNTED: ClassVar[Q] = Q(voided_at__isnull=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, result="") | Q(ended_on__isnull=False, result__gt=""),
                name="course_end_has_result",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="course_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registrations:course_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class LabelCounter(models.Model):
    """The last sequence number of course labels per centre and year (see services)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("course label counter")
        verbose_name_plural = _("course label counters")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="label_counter_once")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.year}: {self.last}"


class Place(models.TextChoices):
    CENTRE = "centre", _("At the centre")
    HOME = "home", _("In the home")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class Participant(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CHILD = "child", _("Child or young person")
    OTHER_FAMILY = "other_family", _("Other family member")
    PROFESSIONAL = "professional", _("Professional")


SCORE_ITEM = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))]


class SessionQuerySet(models.QuerySet["Session"]):
    def srs_flagged(self) -> SessionQuerySet:
        """Sessions whose SRS total is below the course's norm's flag value."""
        return self.filter(srs_total__isnull=False, srs_total__lt=models.F("course__score_norm__srs_cutoff"))


CountedSessionManager = CountedManager.from_queryset(SessionQuerySet)


class Session(Voidable):
    """A samtale in a course, with its scaling score and optional ORS and SRS."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course"))
    date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True, validators=[MaxValueValidator(600)])
    place = models.CharField(_("place"), max_length=10, choices=Place.choices, default=Place.CENTRE)
    # Empty: the course's method. Set only where this session worked differently.
    method = models.ForeignKey(
        Method,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("method, where it differs from the course's"),
    )
    participants = models.JSONField(_("who took part"), default=list, blank=True)
    scaling = models.PositiveSmallIntegerField(
        _("scaling (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    ors_1 = models.DecimalField(
        _("ORS individually"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    ors_2 = models.DecimalField(
        _("ORS interpersonally"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    ors_3 = models.DecimalField(
        _("ORS socially"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    ors_4 = models.DecimalField(
        _("ORS overall"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    ors_total = models.DecimalField(
        _("ORS total"), max_digits=3, decimal_places=1, null=True, blank=True, editable=False
    )
    srs_1 = models.DecimalField(
        _("SRS relationship"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    srs_2 = models.DecimalField(
        _("SRS goals and topics"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    srs_3 = models.DecimalField(
        _("SRS approach or method"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    srs_4 = models.DecimalField(
        _("SRS overall"), max_digits=3, decimal_places=1, null=True, blank=True, validators=SCORE_ITEM
    )
    srs_total = models.DecimalField(
        _("SRS total"), max_digits=3, decimal_places=1, null=True, blank=True, editable=False
    )
    concern_reported_on = models.DateField(_("report of concern made on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=ANONYMOUS_TEXT_VALIDATORS)
    version = VersionField(_("version"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CountedSessionManager()
    all_objects = SessionQuerySet.as_manager()

    centre_path: ClassVar[str] = "course__centre"
    COUNTED: ClassVar[Q] = Q(voided_at__isnull=True, course__voided_at__isnull=True)

    ORS_ITEMS: ClassVar[tuple[str, ...]] = ("ors_1", "ors_2", "ors_3", "ors_4")
    SRS_ITEMS: ClassVar[tuple[str, ...]] = ("srs_1", "srs_2", "srs_3", "srs_4")

    class Meta:
        verbose_name = pgettext_lazy("counselling", "session")
        verbose_name_plural = pgettext_lazy("counselling", "sessions")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.course.label} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.course.get_absolute_url()

    @property
    def srs_flagged(self) -> bool:
        return self.srs_total is not None and self.srs_total < self.course.score_norm.srs_cutoff

    def get_participants_display(self) -> list[str]:
        labels = dict(Participant.choices)
        return [str(labels.get(code, code)) for code in self.participants or []]


# --- Referrals out ---------------------------------------------------------------------------


class BridgeStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    CONTACT_MADE = "contact_made", _("Contact made")
    CASE_OPENED = "case_opened", _("Case opened")


class Referral(models.Model):
    """A family referred on from an inquiry or a course. To the family unit it carries the
    status of the bridge the centre builds."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("centre")
    )
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="referrals", verbose_name=_("inquiry")
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="referrals", verbose_name=_("course")
    )
    destination = models.CharField(_("referred to"), max_length=20, choices=ReferralDestination.choices)
    made_on = models.DateField(_("date"), default=timezone.localdate)
    bridge_status = models.CharField(_("status of the bridge"), max_length=20, choices=BridgeStatus.choices, blank=True)
    # To an offer in the directory: the offer, its kind as it was when the family was guided
    # there (the directory may change), and, where the offer agreed to follow-up, whether
    # contact was made (empty until the counsellor knows).
    offer = models.ForeignKey(
        "collaboration.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("offer"),
    )
    # Database defaults too, so a loader writing plain rows (demo_scale) need not name them.
    offer_kind = models.CharField(
        _("kind of offer"), max_length=10, choices=OfferKind.choices, blank=True, default="", db_default=""
    )
    offer_contact = models.CharField(
        _("contact with the offer"),
        max_length=10,
        choices=OfferContact.choices,
        blank=True,
        default="",
        db_default="",
    )
    version = VersionField(_("version"))

    objects = CountedManager()
    all_objects = EveryRowManager()

    centre_path: ClassVar[str] = "centre"
    # A referral made from a voided inquiry or course does not count either.
    COUNTED: ClassVar[Q] = Q(inquiry__voided_at__isnull=True, course__voided_at__isnull=True)
    BRIDGE_CHOICES: ClassVar[list[tuple[str, Any]]] = BridgeStatus.choices
    OFFER_CONTACT_CHOICES: ClassVar[list[tuple[str, Any]]] = OfferContact.choices

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-made_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inquiry__isnull=False) | Q(course__isnull=False), name="referral_has_origin"
            ),
            models.CheckConstraint(
                condition=Q(destination="family_unit", bridge_status__gt="")
                | (~Q(destination="family_unit") & Q(bridge_status="")),
                name="referral_bridge_only_to_family_unit",
            ),
            models.CheckConstraint(
                condition=Q(destination="offer", offer__isnull=False, offer_kind__gt="")
                | (~Q(destination="offer") & Q(offer__isnull=True, offer_kind="", offer_contact="")),
                name="referral_offer_only_to_offer",
            ),
        ]

    def __str__(self) -> str:
        where = str(self.offer) if self.offer_id else self.get_destination_display()
        return f"{where} {self.made_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        origin = self.course or self.inquiry
        return origin.get_absolute_url() if origin is not None else ""


# --- Submission tokens ------------------------------------------------------------------------


class SubmissionToken(models.Model):
    """A one-time token for a create form (see forpost.core.idempotency)."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=40)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class InquiryFact(models.Model):
    """How many inquiries (or courses, for the `course_*` dimensions, or referrals) of a
    centre and year have one value of one dimension: the sum of the `count` of every row of
    the key.

    The annual status reads these counts instead of scanning the registrations: about a
    hundred rows a centre and year, whatever the number of inquiries. The registration
    services append each change's differences as new rows in the change's transaction, and
    the worker folds a key's rows into one (forpost.registrations.counts), so no count row
    is ever updated in place by a registration: counsellors never queue on one another.
    """

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(_("dimension"), max_length=24)
    value = models.CharField(_("value"), max_length=48, blank=True)
    count = models.IntegerField(_("count"), default=0)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        db_table = "reports_inquiryfact"  # kept where the counts were first stored
        verbose_name = _("inquiry count")
        verbose_name_plural = _("inquiry counts")
        indexes = [
            # Covering: the city's status sums a year's counts from the index alone.
            models.Index(fields=["year", "dimension", "value", "centre", "count"], name="inquiry_fact_year_cover"),
            # One centre's counts, and folding a key's rows.
            models.Index(fields=["centre", "year", "dimension", "value"], name="inquiry_fact_key"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.year} {self.dimension}={self.value}: {self.count}"
