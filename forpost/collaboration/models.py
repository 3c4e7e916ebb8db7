"""The centre's collaboration work: partners, the activity log, volunteer groups,
cross-city meetings, rooms and their bookings.

Nothing here holds data about a citizen. Contact fields belong to organisations and
associations (their phone, their e-mail, a contact's work role), and referrals are counts.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.centres.models import OfferKind
from forpost.core.anonymity import ANONYMOUS_TEXT_VALIDATORS, validate_anonymous_text
from forpost.core.anonymity import HINT as ANONYMITY_HINT
from forpost.core.locking import VersionField


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
    # The 2010 strategy for early intervention: Familiehuse, Familierådgivninger and
    # ungerådgivninger side by side. Context for the centres, not a duty (see the report).
    FAMILY_HOUSE = "family_house", _("Family house (Familiehus)")
    YOUTH_COUNSELLING = "youth_counselling", _("Youth counselling (ungerådgivning)")
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

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="partner_unique_name_per_centre")]

    def __str__(self) -> str:
        return self.name


# --- The directory of offers ----------------------------------------------------------------


class OfferQuerySet(models.QuerySet["Offer"]):
    def active(self) -> OfferQuerySet:
        return self.filter(active=True)

    def visible_to_centre(self, centre_id: int) -> OfferQuerySet:
        """The city's offers and the centre's own."""
        return self.filter(Q(centre__isnull=True) | Q(centre_id=centre_id))


class Offer(models.Model):
    """A local offer a counsellor can guide a family to: public, private or voluntary
    (the 2010 paper). Kept by central staff (city-wide, no centre) and by coordinators (their
    centre's own). Organisation contact only."""

    centre = models.ForeignKey(
        "centres.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("centre"),
        help_text=_("Empty: an offer for the whole city, kept by central staff."),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    target_group = models.CharField(
        _("target group"),
        max_length=200,
        help_text=_("Who the offer is for, e.g. 'parents of children 0–6'."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )
    district = models.ForeignKey(
        "centres.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("district"),
        help_text=_("Empty: the whole city."),
    )
    contact = models.CharField(
        _("how to get in touch"),
        max_length=200,
        help_text=_("The offer's own phone, e-mail or web address, never a citizen's."),
    )
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("The languages the offer works in, e.g. 'da, en, ar'.")
    )
    follow_up_agreed = models.BooleanField(
        _("agrees to follow-up"),
        default=False,
        help_text=_("The offer has agreed that the centre may later learn whether the family made contact."),
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Former offers stay on old referrals."))

    objects = OfferQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]

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
    description = models.TextField(_("what the group does"), max_length=1000, validators=ANONYMOUS_TEXT_VALIDATORS)
    target_group = models.CharField(
        _("target group"), max_length=10, choices=TargetGroup.choices, default=TargetGroup.PRIMARY
    )
    meets_weekday = models.PositiveSmallIntegerField(_("meets on"), choices=Weekday.choices, null=True, blank=True)
    meets_from = models.TimeField(_("from"), null=True, blank=True)
    meets_to = models.TimeField(_("to"), null=True, blank=True)
    meets_frequency = models.CharField(
        _("how often"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 'every week' or 'first Tuesday of the month'"),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active to"), null=True, blank=True, help_text=_("Last day; empty while active."))

    objects = VolunteerGroupQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("volunteer group")
        verbose_name_plural = _("volunteer groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="volunteer_group_active_period",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def association_display(self) -> str:
        return self.association.name if self.association_id and self.association else self.association_name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
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
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="group_referral_positive_count",
                violation_error_message=_("The number must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.date} {self.get_direction_display()} {self.count}"


# --- The activity log ---------------------------------------------------------------------


class ActivityTypeQuerySet(models.QuerySet["ActivityType"]):
    def active(self) -> ActivityTypeQuerySet:
        return self.filter(active=True)


class ActivityType(models.Model):
    """Reference data kept by central staff in the admin; retired, never deleted, once used."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Given per language as name_da, name_en, … (translation.py); name_da is required.
    name = models.CharField(_("name"), max_length=150)
    in_concept_2006 = models.BooleanField(_("from the 2006 concept"), default=False)
    in_concept_2010 = models.BooleanField(_("from the 2010 concept"), default=False)
    yearly_minimum = models.PositiveSmallIntegerField(
        _("yearly duty"),
        null=True,
        blank=True,
        help_text=_("How many a centre should hold each year under the concept; empty when no number is set."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("active"), default=True, help_text=_("Retired types stay on old activities."))

    objects = ActivityTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        # The name in the active language, or the Danish one (modeltranslation's fallback).
        return self.name


# The types the code itself needs to know (seeded by a data migration).
CROSS_CITY_MEETING_TYPE = "cross_city_meeting"
LOCAL_RESPONSE_TYPE = "local_response"


class ActivityQuerySet(models.QuerySet["Activity"]):
    def within_period(self, start: date, end: date) -> ActivityQuerySet:
        """Activities on days in the half-open range [start, end)."""
        return self.filter(date__gte=start, date__lt=end)


class Activity(models.Model):
    """A dated piece of the centre's collaboration work."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="activities", verbose_name=_("centre")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("type"))
    partners = models.ManyToManyField(Partner, blank=True, related_name="activities", verbose_name=_("partners"))
    participants = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    note = models.CharField(
        _("short note"),
        max_length=300,
        blank=True,
        help_text=ANONYMITY_HINT,
        validators=[validate_anonymous_text],
    )
    # A local response ("rykket ud", the 2010 paper): where, and which professionals were
    # informed so they could step in. What happened is the note.
    district = models.ForeignKey(
        "centres.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    informed = models.JSONField(
        _("professionals informed"),
        default=list,
        blank=True,
        help_text=_("The kinds of professional the centre informed (partner types)."),
    )
    # Set when the activity was written by recording attendance at a cross-city meeting.
    cross_city_meeting = models.ForeignKey(
        "CrossCityMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("cross-city meeting"),
    )

    objects = ActivityQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "cross_city_meeting"], name="activity_one_per_cross_city_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.type}"

    def clean(self) -> None:
        # A local response ("rykket ud") says what happened and where; the professionals
        # informed are optional (the centre may have solved it itself).
        if self.type_id and self.type.code == LOCAL_RESPONSE_TYPE:
            errors = {}
            if not (self.note or "").strip():
                errors["note"] = _("Say briefly what happened and what the centre did.")
            if self.district_id is None:
                errors["district"] = _("Choose the district where it happened.")
            if errors:
                raise ValidationError(errors)
        unknown = set(self.informed or []) - set(PartnerType.values)
        if unknown:
            raise ValidationError({"informed": _("Choose the professionals from the list.")})

    def get_informed_display(self) -> list[str]:
        labels = dict(PartnerType.choices)
        return [str(labels.get(code, code)) for code in self.informed or []]


# --- Cross-city meetings ------------------------------------------------------------------


class CrossCityMeeting(models.Model):
    """One of the 4 yearly meetings of all centres, called by central staff (BFCK Stab)."""

    municipality = models.ForeignKey(
        "centres.Municipality",
        on_delete=models.PROTECT,
        related_name="cross_city_meetings",
        verbose_name=_("municipality"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, validators=ANONYMOUS_TEXT_VALIDATORS)
    topic = models.CharField(_("topic"), max_length=200, blank=True, validators=ANONYMOUS_TEXT_VALIDATORS)

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("cross-city meeting")
        verbose_name_plural = _("cross-city meetings")
        ordering = ["-date", "-start_time"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic or self.place}"


class Attendance(models.Model):
    """Whether a centre took part in a cross-city meeting, recorded by its coordinator."""

    meeting = models.ForeignKey(
        CrossCityMeeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("centre")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True, help_text=_("Empty until recorded."))
    attendees = models.PositiveSmallIntegerField(_("number attending"), default=0, validators=[MaxValueValidator(50)])
    roles = models.CharField(
        _("who attended"),
        max_length=150,
        blank=True,
        help_text=_("Roles, e.g. 'coordinator and one counsellor'."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )

    centre_path: ClassVar[str] = "centre"

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "centre__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "centre"], name="attendance_once_per_centre")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.centre}"


# --- Rooms and bookings -------------------------------------------------------------------


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Room(models.Model):
    """A room of a centre that volunteer groups and partners may book."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="rooms", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)], help_text=_("Number of people.")
    )
    accessibility = models.TextField(
        _("accessibility"),
        max_length=1000,
        blank=True,
        help_text=_("Step-free access, lift, toilet, hearing loop…"),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )
    # What an association needs once a request is approved; sent in the approval e-mail.
    # Given per public language (translation.py); Danish is the fallback.
    access = models.TextField(
        _("how to get in"),
        max_length=1000,
        blank=True,
        help_text=_("Door, key or code, who opens, which floor."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who the association calls about the room, e.g. the coordinator and a phone number."),
    )
    house_rules = models.TextField(
        _("house rules"),
        max_length=2000,
        blank=True,
        help_text=_("Tidying, locking up, keys, noise, food."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )
    active = models.BooleanField(_("may be booked"), default=True)
    # The calendar feed is reached by this secret, not by login (calendar programs cannot
    # log in); see views.room_feed for why the feed is not simply public.
    feed_token = models.CharField(_("calendar feed key"), max_length=64, unique=True, default=new_feed_token)

    centre_path: ClassVar[str] = "centre"

    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["centre__name", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="room_unique_name_per_centre")]

    def __str__(self) -> str:
        return f"{self.name} ({self.centre})"


class BookingHolder(models.Model):
    """Who holds a booking: a volunteer group, a partner, or an association named on a request."""

    volunteer_group = models.ForeignKey(
        VolunteerGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("volunteer group"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("partner")
    )
    holder_name = models.CharField(
        _("association"), max_length=150, blank=True, help_text=_("An association that is neither group nor partner.")
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, validators=ANONYMOUS_TEXT_VALIDATORS)
    version = VersionField(_("version"))

    class Meta:
        abstract = True

    @property
    def holder(self) -> str:
        if self.volunteer_group_id and self.volunteer_group:
            return self.volunteer_group.name
        if self.partner_id and self.partner:
            return self.partner.name
        return self.holder_name

    @classmethod
    def one_holder(cls, name: str) -> models.CheckConstraint:
        group, partner, named = Q(volunteer_group__isnull=False), Q(partner__isnull=False), ~Q(holder_name="")
        return models.CheckConstraint(
            condition=(group & ~partner & ~named) | (~group & partner & ~named) | (~group & ~partner & named),
            name=name,
            violation_error_message=_("Choose one volunteer group, one partner, or type one association's name."),
        )


class BookingSeries(BookingHolder):
    """A weekly booking; its occurrences are Booking rows, in local (Copenhagen) wall-clock time."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series", verbose_name=_("room"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    starts_on = models.DateField(_("first week"))
    ends_on = models.DateField(_("last day"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    centre_path: ClassVar[str] = "room__centre"

    class Meta:
        verbose_name = _("weekly booking")
        verbose_name_plural = _("weekly bookings")
        ordering = ["room", "weekday", "start_time"]
        constraints = [
            BookingHolder.one_holder("booking_series_one_holder"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="booking_series_times",
                violation_error_message=_("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="booking_series_dates",
                violation_error_message=_("The last day is before the first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class BookingQuerySet(models.QuerySet["Booking"]):
    def current(self) -> BookingQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def overlapping_period(self, start: datetime, end: datetime) -> BookingQuerySet:
        """Bookings that share any moment with the half-open range [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Booking(BookingHolder):
    """One booking of a room: once, or one occurrence of a weekly series."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("weekly booking"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    centre_path: ClassVar[str] = "room__centre"

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "room"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [
            BookingHolder.one_holder("booking_one_holder"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="booking_times",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.room.name} {local:%Y-%m-%d %H:%M} {self.holder}"


# --- Room requests from associations (public form) ----------------------------------------


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class RequestKind(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")


class RoomRequestQuerySet(models.QuerySet["RoomRequest"]):
    def pending(self) -> RoomRequestQuerySet:
        return self.filter(status=RequestStatus.PENDING)


class RoomRequest(models.Model):
    """An association asks for a room.

    The contact e-mail and phone are the association's contact, who is not a citizen
    seeking counselling. They are kept only to answer the request: the request is deleted
    6 months after the decision (or after it was sent, if never decided) by the
    `purge_room_requests` command; the booking it led to keeps only the association's name.
    """

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="requests", verbose_name=_("room"))
    association_name = models.CharField(_("association"), max_length=150)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Where we send the answer. Preferably the association's own address.")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    purpose = models.CharField(_("what the room is for"), max_length=300, validators=ANONYMOUS_TEXT_VALIDATORS)
    participants = models.PositiveSmallIntegerField(
        _("expected number of people"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    kind = models.CharField(_("how often"), max_length=10, choices=RequestKind.choices, default=RequestKind.ONCE)
    first_date = models.DateField(_("date"), help_text=_("For a weekly booking: the first day."))
    last_date = models.DateField(_("last day"), null=True, blank=True, help_text=_("For a weekly booking only."))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    answer = models.CharField(
        _("answer to the association"), max_length=500, blank=True, validators=ANONYMOUS_TEXT_VALIDATORS
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("booking")
    )
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("weekly booking"),
    )
    # The public form's one-time token (forpost.core.idempotency.issue_anonymous): a double
    # submit finds its request already made instead of making a second.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    # The language of the page the request was sent from: the answer is written in it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="da")
    # The association's personal link to see and cancel its bookings, sent with the approval.
    # Only a hash is kept: a copy of the database does not open anyone's bookings.
    link_hash = models.CharField(_("personal link (hash)"), max_length=64, unique=True, null=True, blank=True)
    link_expires_at = models.DateTimeField(_("personal link expires"), null=True, blank=True)

    objects = RoomRequestQuerySet.as_manager()

    centre_path: ClassVar[str] = "room__centre"

    class Meta:
        verbose_name = _("room request")
        verbose_name_plural = _("room requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="room_request_times",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association_name} · {self.room} · {self.first_date:%Y-%m-%d}"

    @property
    def weekday(self) -> int:
        return self.first_date.weekday()

    def link_is_valid(self, now: datetime) -> bool:
        return bool(self.link_hash) and self.link_expires_at is not None and now < self.link_expires_at
