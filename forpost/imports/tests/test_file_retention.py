"""Generated files and uploads: random names, never served as static files, and deleted by
the nightly retention after FILE_RETENTION_DAYS, or when the notes they hold are erased."""

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import clear_url_caches, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.imports.models import ImportFile
from forpost.imports.testing import make_import_file
from forpost.registrations.testing import make_inquiry
from forpost.reports.models import Job, JobStatus
from forpost.reports.services import start_job


@pytest.fixture
def development_urls(settings):  # type: ignore[no-untyped-def]
    """The URLs as `make run` builds them (DEBUG on)."""
    import forpost.urls

    settings.DEBUG = True
    importlib.reload(forpost.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(forpost.urls)
    clear_url_caches()


def _export(reference, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            actor=reference.alice,
            kind="imports.export_inquiries",
            title="Eksport",
            params={"format": "csv", "language": "da"},
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    return job


def test_an_export_is_not_downloadable_without_login_in_development(
    client, reference, development_urls, django_capture_on_commit_callbacks
):
    make_inquiry(reference.norrebro, note="Mor bekymret")
    _export(reference, django_capture_on_commit_callbacks)
    # The fixed name an earlier version stored every export under, and the real one.
    old = Path(default_storage.location) / "jobs" / "2026" / "11" / "henvendelser.csv"
    old.parent.mkdir(parents=True)
    old.write_text("Mor bekymret")
    assert client.get("/media/jobs/2026/11/henvendelser.csv").status_code == 404
    assert client.get(f"/media/{Job.objects.get().file.name}").status_code == 404


def test_an_upload_is_not_downloadable_without_login_in_development(client, reference, development_urls):
    upload = make_import_file(reference.norrebro, actor=reference.alice, name="gammel.csv")
    assert client.get(f"/media/{upload.file.name}").status_code == 404


def test_generated_files_and_uploads_get_random_names(reference, django_capture_on_commit_callbacks):
    make_inquiry(reference.norrebro)
    job = _export(reference, django_capture_on_commit_callbacks)
    upload = make_import_file(reference.norrebro, actor=reference.alice, name="familien-hansen.csv")
    for name, given in ((job.file.name, "henvendelser"), (upload.file.name, "familien-hansen")):
        _folder, stem = name.rsplit("/", 1)
        assert given not in name
        assert len(stem.removesuffix(".csv")) >= 43  # 256 random bits
        assert stem.endswith(".csv")
    assert job.filename == "henvendelser.csv"  # the name the download is given


def test_the_file_leaves_only_through_the_audited_download_of_its_owner(
    client_for, reference, django_capture_on_commit_callbacks
):
    make_inquiry(reference.norrebro, note="Mor bekymret")
    job = _export(reference, django_capture_on_commit_callbacks)
    url = reverse("reports:job_download", args=[job.pk])
    assert client_for(reference.bob).get(url).status_code == 404
    response = client_for(reference.alice).get(url)
    assert response.status_code == 200
    assert "Mor bekymret" in b"".join(response.streaming_content).decode("utf-8-sig")
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=reference.alice).exists()


def test_retention_deletes_files_uploads_and_task_results_after_thirty_days(
    reference, django_capture_on_commit_callbacks
):
    make_inquiry(reference.norrebro)
    old_job = _export(reference, django_capture_on_commit_callbacks)
    new_job = _export(reference, django_capture_on_commit_callbacks)
    old_upload = make_import_file(reference.norrebro, actor=reference.alice)
    new_upload = make_import_file(reference.norrebro, actor=reference.alice)
    long_ago = timezone.now() - timedelta(days=31)
    Job.objects.filter(pk=old_job.pk).update(created_at=long_ago)
    ImportFile.objects.filter(pk=old_upload.pk).update(created_at=long_ago)
    for job, finished in ((old_job, long_ago), (new_job, timezone.now())):
        DBTaskResult.objects.create(
            status="SUCCESSFUL",
            args_kwargs={"args": [str(job.pk)], "kwargs": {}},
            task_path="forpost.reports.tasks.run_job",
            backend_name="default",
            run_after=finished,
            finished_at=finished,
        )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention")

    assert list(Job.objects.all()) == [new_job]
    assert list(ImportFile.objects.all()) == [new_upload]
    assert not default_storage.exists(old_job.file.name)
    assert not default_storage.exists(old_upload.file.name)
    assert default_storage.exists(new_job.file.name)
    assert default_storage.exists(new_upload.file.name)
    assert DBTaskResult.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.ERASE, object_type="reports.job").exists()


def test_the_retention_is_configurable(reference, settings, django_capture_on_commit_callbacks):
    settings.FILE_RETENTION_DAYS = 60
    make_inquiry(reference.norrebro)
    job = _export(reference, django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=31))
    call_command("retention")
    assert Job.objects.filter(pk=job.pk).exists()


def test_an_export_holding_notes_goes_when_its_notes_are_erased(reference, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    old = make_inquiry(reference.norrebro, date=today - timedelta(days=400), note="Mor bekymret")
    job = _export(reference, django_capture_on_commit_callbacks)  # made today, holds a note due for erasure
    assert job.notes_from == old.date
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention")
    old.refresh_from_db()
    assert old.note == ""
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file.name)


def test_an_export_of_recent_notes_stays_until_its_time(reference, django_capture_on_commit_callbacks):
    make_inquiry(reference.norrebro, date=timezone.localdate() - timedelta(days=30), note="Far ringede")
    job = _export(reference, django_capture_on_commit_callbacks)
    call_command("retention")
    assert Job.objects.filter(pk=job.pk).exists()


def test_an_upload_that_brought_in_old_notes_goes_with_them(reference, django_capture_on_commit_callbacks):
    from forpost.imports.models import ImportedRow

    upload = make_import_file(reference.norrebro, actor=reference.alice)
    old = make_inquiry(reference.norrebro, date=timezone.localdate() - timedelta(days=400), note="Mor bekymret")
    ImportedRow.objects.create(
        centre=reference.norrebro, fingerprint="x" * 64, import_file=upload, inquiry=old, row_number=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention")
    assert not ImportFile.objects.filter(pk=upload.pk).exists()
    assert not default_storage.exists(upload.file.name)


def test_retention_sweeps_files_that_no_record_names(reference):
    stray = Path(default_storage.location) / "jobs" / "2025" / "10" / "henvendelser.csv"
    stray.parent.mkdir(parents=True)
    stray.write_text("note")
    import os

    past = (timezone.now() - timedelta(days=40)).timestamp()
    os.utime(stray, (past, past))
    call_command("retention")
    assert not stray.exists()
