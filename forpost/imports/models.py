"""Imports of the spreadsheets centres kept before Forpost: the file, its column mapping
(remembered per centre), and one row per imported inquiry with its fingerprint."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.files import upload_path


class ColumnMapping(models.Model):
    """The last column mapping a centre used: file header → Forpost field."""

    centre = models.OneToOneField(
        "centres.Centre", on_delete=models.CASCADE, related_name="+", verbose_name=_("centre")
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.centre_id)


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    IMPORTED = "imported", _("Imported")


class ImportFile(models.Model):
    """An uploaded file of inquiries for one centre, kept under MEDIA_ROOT."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to=upload_path)
    filename = models.CharField(_("file name"), max_length=200)
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # The last dry run (see services.check); a large file's runs in the background.
    check_result = models.JSONField(_("result of the check"), default=dict, blank=True)
    check_job = models.UUIDField(_("check in the background"), null=True, blank=True)
    imported = models.PositiveIntegerField(_("imported"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("import file")
        verbose_name_plural = _("import files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:check", kwargs={"pk": self.pk})


class ImportedRow(models.Model):
    """One imported row: its fingerprint makes a second import of the same row a no-op."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    import_file = models.ForeignKey(
        ImportFile, on_delete=models.SET_NULL, null=True, related_name="imported_rows", verbose_name=_("import file")
    )
    inquiry = models.ForeignKey(
        "registrations.Inquiry", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("inquiry")
    )
    row_number = models.PositiveIntegerField(_("row"))

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [models.UniqueConstraint(fields=["centre", "fingerprint"], name="imported_row_once")]

    def __str__(self) -> str:
        return self.fingerprint[:12]
