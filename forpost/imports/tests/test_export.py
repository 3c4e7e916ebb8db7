import csv
import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations.models import Channel
from forpost.registrations.testing import make_inquiry


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_has_the_lists_filters_and_is_logged(client_for, reference):
    phone = Channel.objects.get(code="phone")
    make_inquiry(reference.norrebro, date=date(2026, 1, 5))
    wanted = make_inquiry(reference.norrebro, date=date(2026, 2, 5), channel=phone, minutes=25)
    url = reverse("imports:export_inquiries", kwargs={"fmt": "csv"})
    response = client_for(reference.alice).get(url, {"channel": phone.pk, "date_from": "2026-02-01"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="henvendelser.csv"'
    rows = _csv(response)
    assert rows[0][:3] == ["Henvendelse nr.", "Rådgivning", "Dato"]
    assert [r[0] for r in rows[1:]] == [str(wanted.pk)]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.changes == {
        "criteria": {"channel": phone.pk, "date_from": "2026-02-01"},
        "rows": 1,
        "format": "csv",
    }


def test_a_note_that_looks_like_a_formula_is_neutralised(client_for, reference):
    make_inquiry(reference.norrebro, note="=1+2 gav anledning til snak")
    response = client_for(reference.alice).get(reverse("imports:export_inquiries", kwargs={"fmt": "csv"}))
    rows = _csv(response)
    assert rows[1][rows[0].index("Note")] == "'=1+2 gav anledning til snak"


def test_it_denies_other_centre(client_for, reference):
    make_inquiry(reference.norrebro)
    own = make_inquiry(reference.valby)
    url = reverse("imports:export_inquiries", kwargs={"fmt": "csv"})
    rows = _csv(client_for(reference.charlie).get(url))
    assert [r[0] for r in rows[1:]] == [str(own.pk)]
    # Asking for the other centre by filter gives no file: it is not a choice, and the list says so.
    response = client_for(reference.charlie).get(url, {"centre": reference.norrebro.pk})
    assert response.status_code == 302
    assert "Content-Disposition" not in response


def test_the_xlsx_export_is_a_workbook(client_for, reference):
    make_inquiry(reference.norrebro, note="@SUM(A1)")
    response = client_for(reference.erin).get(reverse("imports:export_inquiries", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Henvendelse nr."
    assert rows[1][rows[0].index("Note")] == "'@SUM(A1)"


def test_an_unknown_format_is_404(client_for, reference):
    assert (
        client_for(reference.alice).get(reverse("imports:export_inquiries", kwargs={"fmt": "pdf"})).status_code == 404
    )


def test_a_large_export_runs_in_the_background(client_for, reference, monkeypatch, django_capture_on_commit_callbacks):
    from forpost.imports import exporting
    from forpost.reports.models import Job, JobStatus

    monkeypatch.setattr(exporting, "BACKGROUND_ROWS", 1)
    make_inquiry(reference.norrebro)
    make_inquiry(reference.norrebro)
    client = client_for(reference.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("imports:export_inquiries", kwargs={"fmt": "xlsx"}))
    job = Job.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert job.rows == 2
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, object_type="reports.job:imports.export_inquiries"
    ).exists()


def test_the_inquiry_list_links_to_its_exports_with_its_filters(client_for, reference):
    phone = Channel.objects.get(code="phone")
    response = client_for(reference.alice).get(reverse("registrations:inquiry_list"), {"channel": phone.pk, "page": 2})
    body = response.content.decode()
    url = reverse("imports:export_inquiries", kwargs={"fmt": "xlsx"})
    assert f'href="{url}?channel={phone.pk}"' in body
    assert "Eksportér de viste henvendelser" in body
