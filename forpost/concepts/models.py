"""What the concepts app stores: the coordinator's yearly attestations and action plans, the
reminders sent, and the concept texts central staff adopted in the app.

The concept versions shipped with Forpost are files (data/*.yaml); a version or a changed
reading adopted in the app is a ConceptRevision row, read by the loader beside the files.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import validate_anonymous_text
from forpost.core.locking import VersionField

COMMENT_MAX_LENGTH = 500


class AttestationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("attested, awaiting approval")
    APPROVED = "approved", _("attested and approved")
    RETURNED = "returned", _("returned")


class AttestationQuerySet(models.QuerySet["Attestation"]):
    def for_year(self, year: int) -> AttestationQuerySet:
        return self.filter(year=year)

    def awaiting_approval(self) -> AttestationQuerySet:
        return self.filter(status=AttestationStatus.SUBMITTED)


class Attestation(models.Model):
    """The coordinator attests that a centre met a requirement in a year, where nothing
    registered can show it (e.g. "works from an appreciative, solution-focused approach").

    It says what was done (the comment), may point at the activities that show it, and speaks
    for a period that has begun. Central staff approve it, or return it with a reason; only an
    approved attestation fulfils the requirement."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="attestations", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    concept_id = models.CharField(_("concept version"), max_length=60)
    requirement_id = models.CharField(_("requirement"), max_length=80)
    # The statement exactly as the coordinator saw it: the file may be edited later.
    statement = models.TextField(_("statement attested"))
    comment = models.TextField(
        _("what was done"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[validate_anonymous_text],
        help_text=_("What the centre did. No names, CPR numbers, addresses or phone numbers of citizens."),
    )
    # The days the statement speaks for; empty on attestations made before periods were kept.
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    activities = models.ManyToManyField(
        "collaboration.Activity", blank=True, related_name="attestations", verbose_name=_("activities")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AttestationStatus.choices, default=AttestationStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_by_name = models.CharField(_("reviewed by (name)"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(
        _("reason for returning"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[validate_anonymous_text],
    )
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("attested by"),
    )
    attested_by_name = models.CharField(_("attested by (name)"), max_length=150, blank=True)
    attested_at = models.DateTimeField(_("attested at"), default=timezone.now)

    objects = AttestationQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["centre__name", "-year", "requirement_id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year", "requirement_id"], name="attestation_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.year} {self.requirement_id}"

    @property
    def approved(self) -> bool:
        return self.status == AttestationStatus.APPROVED

    @property
    def covers_whole_year(self) -> bool:
        return self.period_start is None or (
            (self.period_start.month, self.period_start.day) == (1, 1)
            and self.period_end is not None
            and (self.period_end.month, self.period_end.day) == (12, 31)
        )


class ReminderSent(models.Model):
    """A reminder e-mailed about one due date of one duty, so it is never sent twice.

    No centre: a duty held once for the whole city (central staff call the cross-city meetings)."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    requirement_id = models.CharField(_("requirement"), max_length=80)
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("number of recipients"), default=0)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "requirement_id", "due_on"], name="reminder_once_per_due_date"
            ),
            # NULLs never clash in a unique index: the city's reminders need their own.
            models.UniqueConstraint(
                fields=["year", "requirement_id", "due_on"],
                condition=Q(centre__isnull=True),
                name="city_reminder_once_per_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre or '–'} {self.requirement_id} {self.due_on:%Y-%m-%d}"


class StatusText(models.Model):
    """The coordinator's own words for a centre's year: the concept lets methods and focus
    vary between centres, so the status gives each centre room to say how it worked."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, related_name="status_texts", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    highlights = models.TextField(_("highlights of the year"), blank=True, max_length=3000)
    local_focus = models.TextField(_("local focus"), blank=True, max_length=3000)
    challenges = models.TextField(_("challenges"), blank=True, max_length=3000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = VersionField(_("version"))

    centre_path: ClassVar[str] = "centre"

    class Meta:
        db_table = "reports_statustext"  # kept where the texts were first stored
        verbose_name = _("the centre's text for the year")
        verbose_name_plural = _("the centres' texts for the year")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="status_text_unique")]

    def __str__(self) -> str:
        return f"{self.centre} {self.year}"

    @property
    def is_empty(self) -> bool:
        return not (self.highlights or self.local_focus or self.challenges)


ACTION_TEXT_MAX_LENGTH = 1000


class ActionOutcome(models.TextChoices):
    """The verdicts that call for an action plan (forpost.concepts.evaluation.Outcome's values)."""

    NOT_MET = "not_met", _("not met")
    PARTLY_MET = "partly_met", _("partly met")
    NOT_ATTESTED = "not_attested", _("not attested")


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def open(self) -> ActionPlanQuerySet:
        return self.filter(done_on__isnull=True)

    def done(self) -> ActionPlanQuerySet:
        return self.filter(done_on__isnull=False)

    def overdue(self, today: date) -> ActionPlanQuerySet:
        return self.open().filter(due_on__lt=today)

    def for_year(self, year: int) -> ActionPlanQuerySet:
        return self.filter(year=year)


class ActionPlan(models.Model):
    """What a centre will do about a requirement it did not meet, or met only partly, in a year:
    what, by whom (a role or a title, never a citizen) and by when; later marked done with a note.

    `year` is the status year whose verdict the action answers; the action itself is planning for
    the year after, and the next year's status shows it beside the requirement's verdict then.
    So closing `year` does not stop it (what happened in `year` is not changed by it); closing
    the year after does, because that year's status shows it (forpost.concepts.services)."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    concept_id = models.CharField(_("concept version"), max_length=60)
    requirement_id = models.CharField(_("requirement"), max_length=80)
    # The verdict the action answers, as it stood when the action was recorded.
    outcome = models.CharField(_("verdict"), max_length=20, choices=ActionOutcome.choices)
    what = models.TextField(
        _("what will be done"),
        max_length=ACTION_TEXT_MAX_LENGTH,
        validators=[validate_anonymous_text],
        help_text=_("What the centre will do. No names, CPR numbers, addresses or phone numbers of citizens."),
    )
    responsible = models.CharField(
        _("by whom"),
        max_length=120,
        validators=[validate_anonymous_text],
        help_text=_("A role or a title, e.g. “the coordinator” or “the counsellors”. Never a citizen."),
    )
    due_on = models.DateField(_("by when"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(
        _("what was done"),
        blank=True,
        max_length=ACTION_TEXT_MAX_LENGTH,
        validators=[validate_anonymous_text],
        help_text=_("How it went. No names, CPR numbers, addresses or phone numbers of citizens."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_by_name = models.CharField(_("made by (name)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    version = VersionField(_("version"))

    objects = ActionPlanQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["centre", "year"], name="actionplan_centre_year"),
            models.Index(fields=["done_on", "due_on"], name="actionplan_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.year} {self.requirement_id}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.due_on and self.year and self.due_on < date(self.year, 1, 1):
            errors["due_on"] = _("The date is before the year the action answers (%(year)s).") % {"year": self.year}
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("An action is done on a day that has come, today at the latest.")
        if self.done_on and self.year and self.done_on < date(self.year, 1, 1):
            errors["done_on"] = _("The date is before the year the action answers (%(year)s).") % {"year": self.year}
        if self.done_note.strip() and self.done_on is None:
            errors["done_on"] = _("Say when it was done, or leave the note on what was done empty.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today


class ConceptRevision(models.Model):
    """A concept text central staff adopted in the app: a new concept version, or a changed
    reading (threshold, excused weeks, what makes "partly met") of a version, from a date.

    Rows are only ever added: the text of each change stays as it was adopted, with its
    SHA-256, so any status can be traced to the exact text it was measured against. The
    loader (forpost.concepts.loader) uses the newest row in force on a day, else the file."""

    concept_id = models.CharField(_("concept version"), max_length=60)
    text = models.TextField(_("concept file (YAML)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    valid_from = models.DateField(_("in force from"))
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[validate_anonymous_text],
        help_text=_("Why the concept changes, e.g. the decision behind it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    created_by_name = models.CharField(_("adopted by (name)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("adopted at"), default=timezone.now)

    class Meta:
        verbose_name = _("concept change")
        verbose_name_plural = _("concept changes")
        ordering = ["valid_from", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.concept_id} {self.valid_from:%Y-%m-%d} ({self.sha256[:12]})"
