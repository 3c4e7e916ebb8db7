"""The core keeps no domain data; only what the servers need to know about each other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """When a background worker last polled the task queue (one row: any worker will do).

    In the database, not in a process: /healthz on any app server reads it.
    """

    beat_at = models.DateTimeField(_("last poll"))
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class DataVersion(models.Model):
    """The changes folded so far (forpost.core.dataversion): the data version is this value plus
    the rows of DataChange not yet folded. Only the fold writes this row, so no write of the
    data waits on it.

    In the database, not in a process: every app server sees the same."""

    value = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return str(self.value)


class DataChange(models.Model):
    """One write of the data: a row appended in the writer's own transaction (never updated,
    so concurrent writers never queue on one row), folded into DataVersion by the worker."""

    class Meta:
        verbose_name = _("data change")
        verbose_name_plural = _("data changes")

    def __str__(self) -> str:
        return str(self.pk)


class VersionedValue(models.Model):
    """A computed value kept for one data version: read back only while the data is unchanged."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    version = models.BigIntegerField(_("version"))
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("cached value")
        verbose_name_plural = _("cached values")

    def __str__(self) -> str:
        return f"{self.key}@{self.version}"
