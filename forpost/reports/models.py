"""Background jobs: long reports and exports run in a worker and leave a stored file."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.concepts.models import StatusText  # the concept asks for it: it lives beside the requirements
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


class PublicationStatus(models.TextChoices):
    RUNNING = "running", _("Being made")
    DONE = "done", _("Published")
    FAILED = "failed", _("Failed")


class PublicationQuerySet(models.QuerySet["Publication"]):
    def published(self) -> PublicationQuerySet:
        return self.filter(status=PublicationStatus.DONE)

    def for_year(self, year: int) -> PublicationQuerySet:
        return self.filter(year=year)


class Publication(models.Model):
    """One published version of a year's status: the city's and each centre's, as files that
    never change afterwards (forpost.reports.publication). Publishing again makes the next
    version, which lists the published values that changed since the one before."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.RUNNING
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("published by")
    )
    published_by_name = models.CharField(_("published by (name)"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The moment the numbers were read: what was registered until then is in the files.
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    concept_id = models.CharField(_("concept version"), max_length=60, blank=True)
    # The SHA-256 of the concept text the year was judged by (a shipped file or an adopted revision).
    concept_sha256 = models.CharField(_("concept text (SHA-256)"), max_length=64, blank=True)
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    # {key: {"label": …, "value": …}}: every value of the city's status as published.
    values = models.JSONField(_("published values"), default=dict, blank=True)
    # [{"key", "label", "before", "after"}]: the values that changed since the version before.
    changes = models.JSONField(_("changes since the version before"), default=list, blank=True)
    # [{"model", "id", "centre", "reason", "approved_by", "approved_at"}]: corrections to the
    # closed year approved since the version before (forpost.core.closing).
    corrections = models.JSONField(_("corrections since the version before"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="publication_number_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} v{self.number}"


class FileKind(models.TextChoices):
    HTML = "html", _("Web page (HTML)")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Workbook (Excel)")
    JSON = "json", _("Data (JSON)")


class PublishedFile(models.Model):
    """One stored file of a publication, with the SHA-256 of its bytes as published."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="files", verbose_name=_("publication")
    )
    # Empty: the city's status; else that centre's.
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=FileKind.choices)
    file = models.FileField(_("file"), upload_to="publications/%Y/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("published file")
        verbose_name_plural = _("published files")
        ordering = ["publication", "centre__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "centre", "kind"],
                name="published_file_once",
            )
        ]

    def __str__(self) -> str:
        return self.filename
