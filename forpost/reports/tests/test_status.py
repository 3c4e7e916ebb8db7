import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from forpost.centres.models import PopulationFigure
from forpost.reports.models import Job, JobStatus
from forpost.reports.render import as_json, render_pdf, render_xlsx
from forpost.reports.status import StatusContext, build_status, count_table


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ctx(suppress):
    return StatusContext(year=2025, centre_ids=(1,), city_wide=False, suppress=suppress, threshold=5)


def test_a_count_table_is_suppressed_when_it_leaves_the_centre():
    table, chart = count_table(
        ctx(True),
        key="k",
        title="T",
        label="L",
        counts={"a": 3, "b": 40, "c": 12},
        count_label="Antal",
        share_label="Andel",
        total_label="I alt",
    )
    shown = {r.key: r.cells[0].display(5) for r in table.rows}
    # 12 is hidden only to protect the 3: it says so ("×"), never "<5", which would be false.
    assert shown == {"a": "<5", "b": "40", "c": "×"}
    assert [b.value for b in chart.bars] == [None, 40, None]
    assert table.rows[1].cells[1] == "73 %"


def test_a_count_table_is_plain_for_the_centre_itself():
    table, _chart = count_table(
        ctx(False),
        key="k",
        title="T",
        label="L",
        counts={"a": 3, "b": 40},
        count_label="Antal",
        share_label="Andel",
        total_label="I alt",
    )
    assert [r.cells[0].value for r in table.rows] == [3, 40]
    assert not any(r.cells[0].suppressed for r in table.rows)


@pytest.fixture
def population(cast):
    from forpost.centres.models import District

    PopulationFigure.objects.create(
        year=2025,
        district=District.objects.get(slug="norrebro"),
        age_band="0-2",
        sex="female",
        origin="danish",
        count=812,
    )
    return cast


def test_the_status_has_the_population_section(population):
    status = build_status(year=2025, centres=[population.norrebro], city_wide=False, suppress=True, title="X")
    section = next(s for s in status.sections if s.key == "population")
    danish = next(r for r in section.tables[0].rows if r.key == "danish")
    assert danish.cells[0].value == 812


def test_the_same_status_renders_as_pdf_workbook_and_json(population):
    status = build_status(year=2025, centres=[population.norrebro], city_wide=False, suppress=True, title="Årsstatus")
    pdf = render_pdf(status)
    assert pdf.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(render_xlsx(status)))
    assert len(book.sheetnames) == len(status.sections) + 2  # and the sheets about the status and of data
    data = as_json(status)
    assert data["suppressed"] is True
    assert json.dumps(data)


def test_the_command_writes_each_format(population, tmp_path):
    for fmt in ("html", "pdf", "xlsx", "json"):
        out = tmp_path / f"status.{fmt}"
        call_command("annual_status", "2025", "--centre", "norrebro", "--format", fmt, "--out", str(out))
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "status.json").read_text())["centres"] == ["norrebro"]


def test_a_coordinator_sees_the_centre_status_page(client_for, population):
    response = client_for(population.bob).get(reverse("reports:centre", args=["norrebro"]), {"year": "2025"})
    assert response.status_code == 200
    assert response.context["status"].suppressed is False
    assert "812" in response.content.decode()


def test_another_centre_sees_it_suppressed_or_not_at_all(client_for, population):
    assert client_for(population.charlie).get(reverse("reports:centre", args=["norrebro"])).status_code == 404
    response = client_for(population.erin).get(reverse("reports:centre", args=["norrebro"]))
    assert response.context["status"].suppressed is True


def test_a_nonsense_year_falls_back_to_last_year(client_for, population):
    response = client_for(population.erin).get(reverse("reports:city"), {"year": "1066"})
    assert response.status_code == 200
    assert response.context["status"].year < 2100


def test_the_pdf_is_made_in_the_background(client_for, population, django_capture_on_commit_callbacks):
    client = client_for(population.erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:city_export"), {"year": "2025", "format": "pdf"})
    job = Job.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.file.open("rb").read(4) == b"%PDF"


def test_a_long_pdf_is_rendered_in_parts_by_a_process_started_while_the_status_is_built(
    client_for, population, django_capture_on_commit_callbacks, monkeypatch
):
    """Past PDF_PART_CENTRES centres the job starts the process that renders the file in parts
    before it builds the status (Django and the fonts load on the other core meanwhile)."""
    import pikepdf

    from forpost.reports import render, status_jobs

    monkeypatch.setattr(render, "PDF_PART_CENTRES", 1)
    order = []
    real_process, real_status = render.PdfProcess, status_jobs.city_status

    class Spied(real_process):
        def __init__(self):
            order.append("process started")
            super().__init__()

    def spied_status(**kwargs):
        order.append("status built")
        return real_status(**kwargs)

    monkeypatch.setattr(status_jobs, "PdfProcess", Spied)
    monkeypatch.setattr(status_jobs, "city_status", spied_status)
    client = client_for(population.erin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:city_export"), {"year": "2025", "format": "pdf"})
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.error if hasattr(job, "error") else job.status
    assert order == ["process started", "status built"]
    pdf = pikepdf.open(job.file.open("rb"))
    assert pdf.Root.MarkInfo.Marked is True and len(render.PART_PEAKS_MB) > 2  # made in parts
    # A short file is rendered in the worker, with no process started.
    monkeypatch.setattr(render, "PDF_PART_CENTRES", 40)
    order.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:city_export"), {"year": "2025", "format": "pdf"})
    assert order == ["status built"]


def test_the_command_writes_in_the_language_asked_for(population, tmp_path):
    out = tmp_path / "status.json"
    for language, title in (("da", "Årsstatus 2025"), ("en", "Annual status 2025")):
        call_command("annual_status", "2025", "--format", "json", "--language", language, "--out", str(out))
        assert json.loads(out.read_text())["title"].startswith(title)


def test_the_city_file_has_a_suppressed_page_for_each_centre_and_the_page_does_not(cast, lists_for_pages):
    from forpost.registrations.counts import rebuild
    from forpost.reports.models import StatusText

    rebuild()
    StatusText.objects.create(centre=cast.valby, year=2025, highlights="Et godt år med mange nye familier.")
    centres = [cast.norrebro, cast.valby]
    page = build_status(year=2025, centres=centres, city_wide=True, suppress=True, title="By")
    assert not [s for s in page.sections if s.key.startswith("centre-")]
    # On the page the centres section carries the texts; in the file each centre's own page does.
    assert any("Et godt år" in text for _h, text in next(s for s in page.sections if s.key == "centres").texts)
    made = build_status(year=2025, centres=centres, city_wide=True, suppress=True, title="By", for_file=True)
    pages = {s.key: s for s in made.sections if s.key.startswith("centre-")}
    assert list(pages) == ["centre-norrebro", "centre-valby"]
    norrebro, valby = pages["centre-norrebro"], pages["centre-valby"]
    facts = dict(norrebro.facts)
    # Valby's 3 inquiries are hidden ("<5"); Nørrebro's 12 are hidden too, marked as hidden to
    # protect another ("×"), since the city's 15 less 12 would give Valby's 3.
    assert facts["Henvendelser"].value == 12 and facts["Henvendelser"].kind == "secondary"
    assert facts["Henvendelser"].display(5) == "×"
    # Valby's 3 is hidden: "<5", or "×" where the marks around it would pin a "<5" (the mark
    # that claims less: a count of 1 or more; forpost.core.disclosure).
    assert dict(valby.facts)["Henvendelser"].suppressed
    assert dict(valby.facts)["Henvendelser"].display(5) in ("<5", "×")
    assert {f.metric: f.value for f in valby.facts}["share_without_case"] == "×"
    assert valby.texts == (("Årets højdepunkter", "Et godt år med mange nye familier."),)
    assert not any(s.texts for s in made.sections if s.key == "centres")
    # Every page has the centre's scorecard by outcome, summing to the requirements per centre.
    scorecards = [t for t in norrebro.tables if t.key == "scorecard_norrebro"]
    assert scorecards and sum(int(r.cells[0]) for r in scorecards[0].rows) >= 30
    # The workbook keeps them on one sheet, the PDF has them.
    book = load_workbook(io.BytesIO(render_xlsx(made)))
    assert "Rådgivningerne en for en" in book.sheetnames
    sheet = [row[0] for row in book["Rådgivningerne en for en"].iter_rows(values_only=True)]
    assert "Familierådgivningen Nørrebro" in sheet and "Familierådgivningen Valby" in sheet
    assert render_pdf(made).startswith(b"%PDF")


@pytest.fixture
def lists_for_pages(cast):
    from datetime import date

    from forpost.registrations.models import Channel, Inquiry

    walk_in = Channel.objects.get(code="walk_in")
    for n in range(12):
        Inquiry.objects.create(centre=cast.norrebro, date=date(2025, 3, 1 + n), channel=walk_in, has_case="no")
    for n in range(3):
        Inquiry.objects.create(centre=cast.valby, date=date(2025, 4, 1 + n), channel=walk_in, has_case="no")


def test_a_centre_closed_all_year_is_not_in_that_years_city_status(cast):
    """It used to appear with a row of zeros and be counted among the scorecard's outcomes."""
    from datetime import date

    from forpost.centres.testing import make_centre
    from forpost.concepts.definitions import Scope
    from forpost.concepts.loader import concept_for_year
    from forpost.reports.queries import city_status

    make_centre("Amager", code="AMA", slug="amager", active_from=date(2020, 1, 1))
    cast.valby.active_to = date(2024, 12, 31)
    cast.valby.save()
    with translation.override("en"):
        status = city_status(user=cast.erin, year=2025)
        earlier = city_status(user=cast.erin, year=2024)
    assert [c.slug for c in status.centres] == ["amager", "norrebro"]
    assert {c.slug for c in earlier.centres} == {"amager", "norrebro", "valby"}
    centres = next(s for s in status.sections if s.key == "centres")
    assert "valby" not in [r.key for r in centres.tables[0].rows]
    scorecard = next(s for s in status.sections if s.key == "scorecard").tables[0]
    concept = concept_for_year(2025)
    for requirement, row in zip(concept.requirements, scorecard.rows, strict=True):
        if requirement.scope == Scope.CENTRE:
            assert sum(int(c) for c in row.cells[: len(scorecard.columns) - 3]) == 2


def test_the_current_year_is_marked_preliminary_on_the_page_and_in_every_file(client_for, cast):
    from django.utils import formats, timezone

    from forpost.reports.render import as_json, render_xlsx
    from forpost.reports.status import build_status

    today = timezone.localdate()
    with translation.override("da"):
        expected = "foreløbige, til og med " + formats.date_format(today, "DATE_FORMAT")
        current = build_status(year=today.year, centres=[cast.norrebro], city_wide=False, suppress=True, title="T")
        last = build_status(year=today.year - 1, centres=[cast.norrebro], city_wide=False, suppress=True, title="T")
        assert current.preliminary_note == expected
        assert last.preliminary_note == "" and last.preliminary_until is None
        data = as_json(current)
        assert data["preliminary"] is True and data["data_until"] == today.isoformat()
        assert data["period_note"] == expected
        assert as_json(last)["preliminary"] is False
        book = load_workbook(io.BytesIO(render_xlsx(current)))
        about = book.worksheets[0]
        assert expected in [c.value for row in about.iter_rows() for c in row]
        assert book.properties.title == "T"
    page = client_for(cast.bob).get(
        reverse("reports:centre", args=["norrebro"]), {"year": str(today.year)}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert expected in page.content.decode()
    older = client_for(cast.bob).get(
        reverse("reports:centre", args=["norrebro"]), {"year": str(today.year - 1)}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert "foreløbige, til og med" not in older.content.decode()


def test_the_current_year_is_marked_preliminary_in_the_pdf_and_the_api(cast):
    """The page, the workbook and the JSON are checked above; the PDF and the API say it too."""
    from django.test import Client
    from django.utils import formats, timezone
    from weasyprint.formatting_structure import boxes

    from forpost.accounts.services import create_api_token
    from forpost.reports.render import pdf_document

    today = timezone.localdate()
    with translation.override("da"):
        expected = "foreløbige, til og med " + formats.date_format(today, "DATE_FORMAT")

        def pdf_text(year):
            status = build_status(year=year, centres=[cast.norrebro], city_wide=False, suppress=True, title="T")
            text = []
            for page in pdf_document(status).pages:
                stack = [page._page_box]
                while stack:
                    box = stack.pop()
                    if isinstance(box, boxes.TextBox):
                        text.append(box.text)
                    stack.extend(getattr(box, "children", ()))
            return " ".join(text)

        current_pdf = pdf_text(today.year)
        assert "foreløbige" in current_pdf and "til og med" in current_pdf
        assert formats.date_format(today, "DATE_FORMAT").split()[-1] in current_pdf
        assert "foreløbige" not in pdf_text(today.year - 1)
    token = create_api_token(actor=cast.bob, name="test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "da"}
    current = Client().get(f"/api/v1/status/{today.year}/norrebro", **auth).json()
    assert (current["preliminary"], current["data_until"], current["period_note"]) == (
        True,
        today.isoformat(),
        expected,
    )
    last = Client().get(f"/api/v1/status/{today.year - 1}/norrebro", **auth).json()
    assert (last["preliminary"], last["data_until"], last["period_note"]) == (False, None, "")


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (the font names live in object streams)."""
    import re
    import zlib

    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_pdf_is_set_in_the_design_systems_font_from_the_static_files(population, caplog):
    status = build_status(year=2025, centres=[population.norrebro], city_wide=False, suppress=True, title="Årsstatus")
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = render_pdf(status)
    assert b"IBM-Plex-Sans" in _pdf_text(pdf)
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]


def test_collectstatic_with_the_production_storage_succeeds(tmp_path, settings):
    # The manifest storage resolves every url() in the CSS: one pointing outside the static
    # files (into node_modules) made `collectstatic` fail with SuspiciousFileOperation.
    root = tmp_path / "static"
    settings.STATIC_ROOT = root
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    manifest = json.loads((root / "staticfiles.json").read_text())
    css = (root / manifest["paths"]["reports/print.css"]).read_text()
    assert "node_modules" not in css
    assert manifest["paths"]["dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf"] in css
