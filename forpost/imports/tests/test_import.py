import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.imports import services
from forpost.imports.models import ColumnMapping, ImportedRow
from forpost.imports.reading import guess_columns
from forpost.imports.testing import ROW, csv_bytes, make_import_file
from forpost.registrations.models import Inquiry

TEMPLATE = Path(settings.BASE_DIR) / "docs" / "import-template.csv"


def test_it_guesses_the_columns_of_the_template():
    headers = TEMPLATE.read_text(encoding="utf-8").splitlines()[0].split(";")
    guessed = guess_columns(headers)
    assert guessed["Dato"] == "date"
    assert guessed["Kanal"] == "channel"
    assert guessed["Barn 2 køn"] == "child_2_sex"
    assert guessed["Underretning"] == "concern_reported_on"
    assert len(guessed) == len(headers)


def test_the_template_file_imports_cleanly(reference):
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=TEMPLATE.read_bytes())
    outcome = services.check(actor=reference.alice, import_file=import_file)
    assert outcome.bad == []
    assert outcome.new == 2
    services.import_inquiries(actor=reference.alice, import_file=import_file)
    first = Inquiry.objects.get(minutes=45)
    assert first.district.name == "Nørrebro"
    assert sorted(t.code for t in first.themes.all()) == ["divorce", "upbringing"]
    assert [(c.age_band, c.sex) for c in first.children.all()] == [("3-5", "girl"), ("6-9", "boy")]


def test_a_counsellor_uploads_maps_checks_and_imports(client_for, reference):
    client = client_for(reference.alice)
    upload = SimpleUploadedFile("gammel.csv", csv_bytes(ROW, ROW.replace("3-5", "6-9")))
    response = client.post(reverse("imports:upload"), {"centre": reference.norrebro.pk, "file": upload})
    assert response.status_code == 302
    columns_url = response["Location"]
    form = client.get(columns_url).context["form"]
    assert form.initial == {
        f"col_{i}": f
        for i, f in enumerate(["date", "channel", "contact_person", "themes", "actions", "child_1_age", "note"])
    }
    response = client.post(columns_url, dict(form.initial))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["outcome"].new == 2
    assert "Importér 2 henvendelser" in page.content.decode()
    response = client.post(reverse("imports:run", args=[page.context["import_file"].pk]))
    assert response.status_code == 302
    assert Inquiry.objects.filter(centre=reference.norrebro, registered_by=reference.alice).count() == 2
    assert ColumnMapping.objects.get(centre=reference.norrebro).columns["Kanal"] == "channel"
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="imports.importfile").order_by("pk").last()
    assert entry.changes == {"rows": 2, "imported": 2, "already_imported": 0}


def test_the_mapping_is_remembered_for_the_centre(reference):
    first = make_import_file(
        reference.norrebro,
        content=csv_bytes(ROW, header="Dato;Form;Kontaktperson;Temaer;Handlinger;Barn 1 alder;Note"),
        mapped=False,
    )
    table = services.read(first)
    guessed = services.suggested_columns(first, table.headers)
    assert "Form" in guessed  # "form" is one of the channel's headings
    services.save_columns(actor=None, import_file=first, columns={**guessed, "Note": ""})
    second = make_import_file(
        reference.norrebro,
        content=csv_bytes(ROW, header="Dato;Form;Kontaktperson;Temaer;Handlinger;Barn 1 alder;Note"),
        mapped=False,
    )
    assert services.suggested_columns(second, table.headers)["Form"] == "channel"


def test_importing_the_same_file_twice_adds_nothing(reference):
    content = csv_bytes(ROW, ROW, ROW.replace("Telefon", "E-mail"))
    first = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    assert services.import_inquiries(actor=reference.alice, import_file=first).imported == 3
    again = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    outcome = services.check(actor=reference.alice, import_file=again)
    assert (outcome.new, outcome.already) == (0, 3)
    assert services.import_inquiries(actor=reference.alice, import_file=again).imported == 0
    assert Inquiry.objects.count() == 3
    # A file with one more copy of a row adds just that copy.
    bigger = make_import_file(reference.norrebro, actor=reference.alice, content=content + ROW.encode() + b"\n")
    assert services.import_inquiries(actor=reference.alice, import_file=bigger).imported == 1
    assert ImportedRow.objects.count() == 4


def test_the_dry_run_lists_each_bad_row_with_its_reasons_in_danish(client_for, reference):
    content = csv_bytes(
        ROW,
        ROW.replace("Telefon", "Brevdue"),
        ROW.replace(";3-5;", ";3-5;Mor har cpr 010203-1234"),
        ROW.replace("14-01-2025", "i går"),
    )
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    response = client_for(reference.alice).get(reverse("imports:check", args=[import_file.pk]))
    outcome = response.context["outcome"]
    assert [n for n, _reasons in outcome.bad] == [3, 4, 5]
    body = response.content.decode()
    assert "“Brevdue” er ikke på Forposts liste." in body
    assert "CPR" in body
    assert "“i går” er ikke en dato eller et klokkeslæt, Forpost kan læse." in body
    assert reverse("imports:run", args=[import_file.pk]) not in body


def test_a_file_with_a_bad_row_imports_nothing(client_for, reference):
    content = csv_bytes(ROW, ROW, ROW.replace("Telefon", "Brevdue"))
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    services.check(actor=reference.alice, import_file=import_file)
    response = client_for(reference.alice).post(reverse("imports:run", args=[import_file.pk]))
    assert response.status_code == 302
    assert Inquiry.objects.count() == 0
    assert ImportedRow.objects.count() == 0


def test_an_xlsx_file_with_date_cells_imports(reference):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Channel", "Contact person", "Themes", "Child 1 age", "Minutes"])
    sheet.append([datetime.datetime(2024, 5, 2), "phone", "Father", "grief; school", "13-17", 30])
    out = io.BytesIO()
    book.save(out)
    import_file = make_import_file(reference.norrebro, content=out.getvalue(), name="old.xlsx")
    outcome = services.import_inquiries(actor=reference.bob, import_file=import_file)
    assert outcome.imported == 1
    inquiry = Inquiry.objects.get()
    assert (inquiry.date, inquiry.minutes) == (datetime.date(2024, 5, 2), 30)
    assert inquiry.channel.code == "phone"
    assert inquiry.contact_person == "father"


def test_a_row_without_a_contact_person_is_refused_not_given_mother(reference):
    content = b"Dato;Kanal;Barn 1 alder\n10-03-2026;Telefon;3-5\n"
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    outcome = services.check(actor=reference.alice, import_file=import_file)
    assert (outcome.new, [n for n, _reasons in outcome.bad]) == (0, [2])


def test_an_unreadable_file_is_refused_with_a_message(client_for, reference):
    client = client_for(reference.alice)
    for name, content in (("x.pdf", b"%PDF"), ("x.xlsx", b"not a workbook"), ("x.csv", b"")):
        response = client.post(
            reverse("imports:upload"), {"centre": reference.norrebro.pk, "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not services.ImportFile.objects.exists()


def test_it_denies_uploading_for_another_centre(client_for, reference):
    upload = SimpleUploadedFile("gammel.csv", csv_bytes(ROW))
    response = client_for(reference.charlie).post(
        reverse("imports:upload"), {"centre": reference.norrebro.pk, "file": upload}
    )
    assert response.status_code == 200
    assert "centre" in response.context["form"].errors


def test_it_denies_other_centre(client_for, reference):
    import_file = make_import_file(reference.norrebro)
    client = client_for(reference.charlie)
    assert client.get(reverse("imports:check", args=[import_file.pk])).status_code == 404
    assert client.post(reverse("imports:run", args=[import_file.pk])).status_code == 404
    assert Inquiry.objects.count() == 0


def test_a_large_file_is_imported_in_the_background(
    client_for, reference, monkeypatch, django_capture_on_commit_callbacks
):
    from forpost.imports import views
    from forpost.reports.models import Job, JobStatus

    monkeypatch.setattr(views, "BACKGROUND_IMPORT_ROWS", 2)
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=csv_bytes(ROW, ROW, ROW))
    client = client_for(reference.alice)
    client.get(reverse("imports:check", args=[import_file.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run", args=[import_file.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert job.progress == 100
    assert Inquiry.objects.count() == 3


def test_the_menu_offers_the_import_to_those_who_register(client_for, reference):
    url = reverse("imports:upload")
    assert url in client_for(reference.alice).get(reverse("core:dashboard")).content.decode()
    assert url not in client_for(reference.erin).get(reverse("core:dashboard")).content.decode()


def test_a_large_file_is_checked_in_the_background(
    client_for, reference, monkeypatch, django_capture_on_commit_callbacks
):
    from forpost.imports import views
    from forpost.reports.models import Job, JobStatus

    monkeypatch.setattr(views, "BACKGROUND_IMPORT_ROWS", 2)
    content = csv_bytes(ROW, ROW, ROW.replace("Telefon", "=Brevdue"))
    import_file = make_import_file(reference.norrebro, actor=reference.alice, content=content)
    client = client_for(reference.alice)
    url = reverse("imports:check", args=[import_file.pk])
    page = client.get(url)
    assert page.context["outcome"] is None  # nothing checked on a GET
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    job = Job.objects.get(kind="imports.check")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    page = client.get(url)
    assert [n for n, _r in page.context["outcome"].bad] == [4]
    report = b"".join(client.get(reverse("reports:job_download", args=[job.pk])).streaming_content).decode("utf-8-sig")
    assert report.splitlines()[1].startswith("4;Kanal: “=Brevdue”")
