from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.core.files import delete_stored
from forpost.core.locking import Conflict

from .jobs import is_job_kind, job_function
from .models import Foreword, Job, JobStatus, StatusText

log = logging.getLogger(__name__)


@transaction.atomic
def start_job(*, actor: Any, kind: str, title: str, params: dict[str, Any]) -> Job:
    """Queue a job; the worker starts it once this transaction has committed."""
    if not is_job_kind(kind):
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title[:200], params=params, created_by=actor)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=job, changes={"kind": kind, "params": params})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def run(job_id: str) -> None:
    """Run a queued job to the end; called by the task worker."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), progress=0)
    last = {"at": 0.0}

    def progress(done: int, total: int) -> None:
        now = timezone.now().timestamp()
        if total and now - last["at"] >= 0.5:
            last["at"] = now
            Job.objects.filter(pk=job.pk).update(progress=min(99, int(done * 100 / total)))

    try:
        output = job_function(job.kind)(job, progress)
    except Exception as exc:
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), message=str(exc)[:300]
        )
        return
    with transaction.atomic():
        job.refresh_from_db()
        job.file.save(output.filename, ContentFile(output.content), save=False)
        job.filename = output.filename
        job.content_type = output.content_type
        job.rows = output.rows
        job.notes_from = output.notes_from
        job.status = JobStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save()


@transaction.atomic
def save_status_text(
    *,
    actor: Any,
    centre: Any,
    year: int,
    highlights: str,
    local_focus: str,
    challenges: str,
    expected_version: int | None = None,
) -> StatusText:
    """Write the centre's text for `year`, if nobody saved it since the editor loaded
    `expected_version` (0: there was none yet); else locking.Conflict. Not once the year is
    closed (forpost.centres.closing): the text is part of the year's status."""
    from forpost.centres.closing import ensure_open

    ensure_open(day=date(year, 12, 31), centre=centre)
    text, created = StatusText.objects.select_for_update().get_or_create(centre=centre, year=year)
    stored = 0 if created else text.version
    if expected_version is not None and expected_version != stored:
        raise Conflict(current=text, expected_version=expected_version, current_version=stored)
    before = {} if created else audit.snapshot(text)
    text.highlights, text.local_focus, text.challenges = highlights, local_focus, challenges
    text.updated_by, text.updated_at = actor, timezone.now()
    text.version = stored + 1  # the row is locked: nobody else counts in between
    text.full_clean()
    text.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=text,
        changes=audit.diff(before, audit.snapshot(text, ["highlights", "local_focus", "challenges"])),
    )
    return text


@dataclass(frozen=True)
class FilesPurged:
    jobs: int
    task_results: int


def purge_old_jobs(*, actor: Any, before: datetime, notes_before: date, dry_run: bool = False) -> FilesPurged:
    """Delete jobs (and their files) made before `before`, and at once any whose file holds
    notes of registrations dated before `notes_before` (the notes' own retention); then the
    task queue's finished results made before `before`. One audit entry says what went."""
    from django_tasks_db.models import DBTaskResult

    jobs = Job.objects.filter(Q(created_at__lt=before) | Q(notes_from__lt=notes_before))
    results = DBTaskResult.objects.finished().filter(finished_at__lt=before)
    if dry_run:
        return FilesPurged(jobs=jobs.count(), task_results=results.count())
    deleted = 0
    for job in jobs.iterator():
        with transaction.atomic():
            name = job.file.name
            job.delete()
            # The row goes first: a file left by a crash is deleted by the next run's sweep.
            transaction.on_commit(lambda name=name: delete_stored(Job.file.field.storage, name))  # type: ignore[misc]
        deleted += 1
    task_results, _ = results.delete()
    if deleted or task_results:
        audit.record(
            actor=actor,
            action=AuditAction.ERASE,
            object_type="reports.job",
            changes={"jobs": deleted, "task_results": task_results, "before": before, "notes_before": notes_before},
        )
    return FilesPurged(jobs=deleted, task_results=task_results)


@transaction.atomic
def save_foreword(*, actor: Any, year: int, text: str, signed: str, expected_version: int | None = None) -> Foreword:
    """Write central staff's foreword to the city's status for `year`, if nobody saved it since
    the editor loaded `expected_version` (0: there was none yet); else locking.Conflict."""
    foreword, created = Foreword.objects.select_for_update().get_or_create(year=year)
    stored = 0 if created else foreword.version
    if expected_version is not None and expected_version != stored:
        raise Conflict(current=foreword, expected_version=expected_version, current_version=stored)
    before = {} if created else audit.snapshot(foreword)
    foreword.text, foreword.signed = text, signed
    foreword.updated_by, foreword.updated_at = actor, timezone.now()
    foreword.version = stored + 1
    foreword.full_clean()
    foreword.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=foreword,
        changes=audit.diff(before, audit.snapshot(foreword, ["text", "signed"])),
    )
    return foreword
