import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
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
    assert shown == {"a": "<5", "b": "40", "c": "<5"}
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
    assert len(book.sheetnames) == len(status.sections)
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


def test_the_command_writes_in_the_language_asked_for(population, tmp_path):
    out = tmp_path / "status.json"
    for language, title in (("da", "Årsstatus 2025"), ("en", "Annual status 2025")):
        call_command("annual_status", "2025", "--format", "json", "--language", language, "--out", str(out))
        assert json.loads(out.read_text())["title"].startswith(title)
