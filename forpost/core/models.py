"""The core keeps no domain data: only what the servers need to know about each other, and
counts of how the app is used that name no one."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
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


class PersonalHintCount(models.Model):
    """How often a day a form's free-text field was warned of a likely name or street address
    (forpost.core.anonymity), and how often the text was then saved as it was. Never the text."""

    day = models.DateField(_("day"))
    form = models.CharField(_("form"), max_length=120)
    field = models.CharField(_("field"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10)
    warned = models.PositiveIntegerField(_("warned"), default=0)
    confirmed = models.PositiveIntegerField(_("confirmed"), default=0)

    class Meta:
        verbose_name = _("warning of personal data")
        verbose_name_plural = _("warnings of personal data")
        constraints = [
            models.UniqueConstraint(fields=["day", "form", "field", "kind"], name="personal_hint_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.form}.{self.field} {self.kind}: {self.warned}/{self.confirmed}"

    @classmethod
    @transaction.atomic
    def count(cls, *, form: type[Any], hints: dict[str, list[str]], confirmed: bool) -> None:
        label = f"{form.__module__.split('.')[1]}.{form.__name__}"
        day = timezone.localdate()
        for field, kinds in hints.items():
            for kind in kinds:
                cls.objects.get_or_create(day=day, form=label, field=field, kind=kind)
                column = "confirmed" if confirmed else "warned"
                cls.objects.filter(day=day, form=label, field=field, kind=kind).update(**{column: F(column) + 1})


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


class VersionedObject(models.Model):
    """A computed object (pickled) kept for one data version, such as a whole annual status:
    read back only while the data is unchanged (forpost.core.dataversion.cached_object)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    version = models.BigIntegerField(_("version"), db_index=True)
    value = models.BinaryField(_("value"))

    class Meta:
        verbose_name = _("cached object")
        verbose_name_plural = _("cached objects")

    def __str__(self) -> str:
        return f"{self.key}@{self.version}"


class Generation(models.Model):
    """A mark that every write of rarely changed data (the reference lists, the closed years)
    replaces with a new random number (forpost.core.generation), so that
    each process can keep that data in memory and know, from one value read with the
    request's first queries, whether its copy is still the database's."""

    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("generation of reference data")
        verbose_name_plural = _("generations of reference data")

    def __str__(self) -> str:
        return str(self.value)
