"""Background jobs: long reports and exports run in a worker and leave a stored file."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.files import job_file_path
from forpost.core.locking import VersionField
from forpost.registrations.models import InquiryFact  # the counts live beside their services

__all__ = ["InquiryFact", "Job", "JobQuerySet", "JobStatus", "StatusText"]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet["Job"]):
    def owned_by(self, user: Any) -> JobQuerySet:
        return self.filter(created_by=user)


class Job(models.Model):
    """One piece of long work for one user. Only its creator may see it or fetch its file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("created by")
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, help_text=_("Per cent done."))
    message = models.CharField(_("message"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # The date of the oldest registration whose free text the file holds: the nightly
    # retention deletes the file when it erases that text (forpost.core.files).
    notes_from = models.DateField(_("holds notes from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


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
        verbose_name = _("the centre's text for the year")
        verbose_name_plural = _("the centres' texts for the year")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="status_text_unique")]

    def __str__(self) -> str:
        return f"{self.centre} {self.year}"

    @property
    def is_empty(self) -> bool:
        return not (self.highlights or self.local_focus or self.challenges)


class Foreword(models.Model):
    """Central staff's foreword to the city's annual status for a year: it opens the PDF, on the
    cover, in the words of those who put the status before the city council."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    text = models.TextField(_("foreword"), blank=True, max_length=4000)
    signed = models.CharField(_("signed by"), blank=True, max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = VersionField(_("version"))

    class Meta:
        verbose_name = _("foreword of the annual status")
        verbose_name_plural = _("forewords of the annual status")

    def __str__(self) -> str:
        return str(self.year)
