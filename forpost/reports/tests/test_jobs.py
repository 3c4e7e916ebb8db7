import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.core.exports import Column, Sheet, write_xlsx
from forpost.reports.jobs import JobOutput
from forpost.reports.models import Job, JobStatus
from forpost.reports.services import start_job


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


SEEN: list[str] = []


def numbers(job, progress):
    rows = [{"n": i} for i in range(job.params["count"])]
    for i in range(len(rows)):
        progress(i, len(rows))
    SEEN.append(job.created_by.username)
    out = io.BytesIO()
    write_xlsx([Sheet("Tal", [Column("n", "Tal")], rows)], out)
    return JobOutput(
        "tal.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.getvalue(), len(rows)
    )


def fails(job, progress):
    raise RuntimeError("disk full")


@pytest.fixture
def numbers_kind(settings):
    settings.JOB_KINDS = {**settings.JOB_KINDS, "test.numbers": f"{__name__}.numbers"}
    SEEN.clear()
    return SEEN


@pytest.fixture
def failing_kind(settings):
    settings.JOB_KINDS = {**settings.JOB_KINDS, "test.fails": f"{__name__}.fails"}


def test_a_job_runs_after_commit_and_leaves_its_file(cast, numbers_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(actor=cast.alice, kind="test.numbers", title="Tal", params={"count": 12})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.rows == 12
    assert numbers_kind == ["alice"]
    book = load_workbook(job.file.open("rb"))
    assert book["Tal"]["A13"].value == 11


def test_a_failing_job_says_so(cast, failing_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(actor=cast.alice, kind="test.fails", title="X", params={})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "disk full"


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(ValueError):
        start_job(actor=cast.alice, kind="nope", title="X", params={})
    assert Job.objects.count() == 0


def test_the_status_page_polls_until_done(client_for, cast):
    job = Job.objects.create(kind="x", title="Eksport", created_by=cast.alice, status=JobStatus.RUNNING, progress=40)
    client = client_for(cast.alice)
    body = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="40"' in body
    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    job.status, job.progress = JobStatus.DONE, 100
    job.save()
    assert "hx-trigger" not in client.get(reverse("reports:job", args=[job.pk])).content.decode()


def test_downloading_is_an_audited_export(client_for, cast, numbers_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(actor=cast.alice, kind="test.numbers", title="Tal", params={"count": 3})
    response = client_for(cast.alice).get(reverse("reports:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="tal.xlsx"')
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.changes["rows"] == 3
    assert entry.changes["criteria"] == {"count": 3}


def test_nobody_else_sees_a_job(client_for, cast):
    job = Job.objects.create(kind="x", title="Eksport", created_by=cast.alice)
    assert client_for(cast.erin).get(reverse("reports:job", args=[job.pk])).status_code == 404


def test_a_worker_that_has_loaded_nothing_else_knows_every_kind_of_job():
    """A worker started with `db_worker --skip-checks` never imports the views or URLs: the
    job kinds must not depend on their import."""
    import subprocess
    import sys

    code = (
        "import django, sys; django.setup()\n"
        "from django.conf import settings\n"
        "from forpost.reports.jobs import job_function\n"
        "assert 'forpost.urls' not in sys.modules\n"
        "for kind in ('reports.annual_status', 'imports.inquiries', 'imports.check', 'imports.export_inquiries'):\n"
        "    assert callable(job_function(kind)), kind\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
