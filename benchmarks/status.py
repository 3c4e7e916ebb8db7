"""Measure the city's annual status in one process: `python -m benchmarks.status YEAR`.

Prints one JSON object: the page through Django's full request cycle (warm, as central
staff), peak memory, the PDF and workbook times, and DuckDB computing the same counts from
the raw rows. Run by benchmarks/run.py against the benchmark databases.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    """This process's own peak memory (VmHWM: see forpost.reports.render.peak_rss_mb; getrusage
    reports, for a process started by another, the memory its parent had then)."""
    from forpost.reports.render import peak_rss_mb

    return peak_rss_mb()


def main() -> None:
    year = int(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--file":
        file_main(year, sys.argv[3])
        return
    repeat = int(os.environ.get("BENCH_STATUS_REPEAT", "20"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
    from django.test import Client

    import forpost.wsgi  # noqa: F401 - sets Django up as a worker process does (see its gc.freeze)
    from forpost.accounts.models import Role, User
    from forpost.accounts.scoping import CITY_READERS, scoped
    from forpost.centres.models import Centre

    staff = User.objects.filter(memberships__role=Role.CENTRAL_STAFF).first()
    assert staff is not None, "no central staff user: run manage.py demo first"
    client = Client(SERVER_NAME="localhost")
    client.force_login(staff, backend="forpost.accounts.backends.ModelBackend")
    url = f"/app/reports/status/?year={year}"
    start_rss = rss_mb()
    response = client.get(url)  # warm-up: imports, templates, connection
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    page_rss = rss_mb()  # the page's peak (warm), before the files are made
    # The first page after a write: the kept status (forpost.core.dataversion) is stale, so
    # the status is built and rendered afresh. Each round raises the version first.
    from forpost.core import dataversion

    cold = []
    for _ in range(int(os.environ.get("BENCH_STATUS_COLD_REPEAT", "5"))):
        dataversion.bump()
        started = time.perf_counter()
        response = client.get(url)
        cold.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    cold_rss = rss_mb()  # after building afresh (the disclosure pass included)
    centres = list(scoped(Centre, staff, roles=CITY_READERS))
    # Each file as the background job makes it, in a process of its own so that its peak
    # memory is its own (the worker makes one file per job).
    files = {
        fmt: measure_file(year, fmt)
        for fmt in ("pdf", "xlsx")
        if fmt == "xlsx" or os.environ.get("BENCH_STATUS_PDF", "1") == "1"
    }
    empty = {"ms": None, "bytes": 0, "peak_rss_mb": None}
    pdf, xlsx = files.get("pdf", empty), files["xlsx"]
    status_sections = pdf.get("sections") or xlsx.get("sections")
    result = {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
        "cold_p50_ms": round(statistics.median(cold), 1) if cold else None,
        "cold_peak_rss_mb": round(cold_rss, 1),
        "peak_rss_mb": round(page_rss, 1),
        "rss_before_mb": round(start_rss, 1),
        "pdf_ms": pdf["ms"],
        "pdf_bytes": pdf["bytes"],
        "pdf_peak_rss_mb": pdf["peak_rss_mb"],
        "pdf_render_cpu_ms": pdf.get("render_cpu_ms"),
        "pdf_cpu_ms": pdf.get("cpu_ms"),
        "xlsx_cpu_ms": xlsx.get("cpu_ms"),
        "pdf_worker_rss_mb": pdf.get("worker_rss_mb"),
        "pdf_parts": pdf.get("parts"),
        "pdf_largest_part_rss_mb": pdf.get("largest_part_rss_mb"),
        "pdf_renderer_rss_mb": pdf.get("renderer_rss_mb"),
        "xlsx_ms": xlsx["ms"],
        "xlsx_bytes": xlsx["bytes"],
        "xlsx_peak_rss_mb": xlsx["peak_rss_mb"],
        "xlsx_render_cpu_ms": xlsx.get("render_cpu_ms"),
        "sections": status_sections,
        "centres": len(centres),
    }
    result.update(duckdb_baseline(year))
    result["ratio_to_duckdb"] = round(result["p50_ms"] / result["duckdb_ms"], 2) if result.get("duckdb_ms") else None
    print(json.dumps(result))


def measure_file(year: int, fmt: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.status", str(year), "--file", fmt],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"benchmarks.status --file {fmt} failed")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def file_main(year: int, fmt: str) -> None:
    """One file of the city's status (with a page per centre), timed from the status's build to
    the file's bytes, with the process's peak memory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
    from django.utils import translation

    import forpost.wsgi  # noqa: F401
    from forpost.accounts.models import Role, User
    from forpost.accounts.scoping import CITY_READERS, scoped
    from forpost.centres.models import Centre
    from forpost.reports.render import (
        PART_PEAKS_MB,
        PDF_PART_CENTRES,
        RENDERER_PEAK_MB,
        PdfProcess,
        render_pdf,
        render_xlsx,
    )
    from forpost.reports.status import build_status

    staff = User.objects.filter(memberships__role=Role.CENTRAL_STAFF).first()
    centres = list(scoped(Centre, staff, roles=CITY_READERS))

    def cpu_seconds() -> float:
        # The worker's and its children's (the PDF's parts are laid out in child processes).
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    with translation.override("da"):
        started = time.perf_counter()
        cpu_start = cpu_seconds()
        # As the background job does (reports/status_jobs.py): the process that renders a long
        # PDF in parts starts while the status is built.
        process = PdfProcess() if fmt == "pdf" and len(centres) > PDF_PART_CENTRES else None
        status = build_status(
            year=year, centres=centres, city_wide=True, suppress=True, title="Benchmark", for_file=True
        )
        cpu_before = cpu_seconds()
        content = render_pdf(status, process) if fmt == "pdf" else render_xlsx(status)
        ms = (time.perf_counter() - started) * 1000
    cpu_after = cpu_seconds()
    cpu = cpu_after - cpu_before
    print(
        json.dumps(
            {
                "ms": round(ms, 1),
                # The rendering's CPU time beside the wall-clock time: on a shared machine they differ.
                "render_cpu_ms": round(cpu * 1000, 1),
                # The CPU time of all of `ms` (the status's build and the file), to set beside it.
                "cpu_ms": round((cpu_after - cpu_start) * 1000, 1),
                "bytes": len(content),
                # The largest of the worker, the process that renders the PDF in parts, and each part.
                "peak_rss_mb": round(max([rss_mb(), *RENDERER_PEAK_MB, *PART_PEAKS_MB]), 1),
                "sections": len(status.sections),
                # The worker's own peak, and each part's child process's (the PDF in parts).
                "worker_rss_mb": round(rss_mb(), 1),
                "parts": len(PART_PEAKS_MB),
                "largest_part_rss_mb": round(max(PART_PEAKS_MB), 1) if PART_PEAKS_MB else None,
                # The process that rendered the parts (PdfProcess), and joined them.
                "renderer_rss_mb": round(max(RENDERER_PEAK_MB), 1) if RENDERER_PEAK_MB else None,
            }
        )
    )


TYPES = {
    "id": "BIGINT",
    "inquiry_id": "BIGINT",
    "centre_id": "BIGINT",
    "channel_id": "BIGINT",
    "district_id": "BIGINT",
    "referral_source_id": "BIGINT",
    "theme_id": "BIGINT",
    "date": "DATE",
}


def duckdb_baseline(year: int) -> dict[str, float]:
    """DuckDB computing the status's counts for the year from the raw rows (loading excluded)."""
    try:
        import duckdb
    except ImportError:
        return {}
    from forpost.registrations.models import Child, Inquiry, InquiryTheme

    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "inquiry": (
                Inquiry.objects.values_list(
                    "id",
                    "centre_id",
                    "date",
                    "channel_id",
                    "contact_person",
                    "family_type",
                    "parent_sex",
                    "origin",
                    "has_case",
                    "district_id",
                    "residence",
                    "referral_source_id",
                ),
                [
                    "id",
                    "centre_id",
                    "date",
                    "channel_id",
                    "contact_person",
                    "family_type",
                    "parent_sex",
                    "origin",
                    "has_case",
                    "district_id",
                    "residence",
                    "referral_source_id",
                ],
            ),
            "theme": (InquiryTheme.objects.values_list("inquiry_id", "theme_id"), ["inquiry_id", "theme_id"]),
            "child": (Child.objects.values_list("inquiry_id", "age_band", "sex"), ["inquiry_id", "age_band", "sex"]),
        }
        con = duckdb.connect()
        for name, (rows, columns) in files.items():
            path = Path(tmp) / f"{name}.csv"
            with path.open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                writer.writerows(rows.iterator(chunk_size=20000))
            types = ", ".join(f"'{c}': '{TYPES.get(c, 'VARCHAR')}'" for c in columns)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=true, columns={{{types}}})")
        queries = (
            [
                "SELECT count(*) FROM y",
                "SELECT month(date), count(*) FROM y GROUP BY 1",
                "SELECT isodow(date), count(*) FROM y GROUP BY 1",
            ]
            + [
                f"SELECT {col}, count(*) FROM y GROUP BY 1"
                for col in (
                    "channel_id",
                    "contact_person",
                    "family_type",
                    "parent_sex",
                    "origin",
                    "has_case",
                    "coalesce(CAST(district_id AS VARCHAR), residence)",
                    "referral_source_id",
                )
            ]
            + [
                "SELECT t.theme_id, count(*) FROM theme t JOIN y ON y.id = t.inquiry_id GROUP BY 1",
                "SELECT c.age_band, count(*) FROM child c JOIN y ON y.id = c.inquiry_id GROUP BY 1",
                "SELECT c.sex, count(*) FROM child c JOIN y ON y.id = c.inquiry_id GROUP BY 1",
            ]
        )
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW y AS SELECT * FROM inquiry "
                f"WHERE date >= DATE '{year}-01-01' AND date < DATE '{year + 1}-01-01'"
            )
            for query in queries:
                con.execute(query).fetchall()
            runs.append((time.perf_counter() - started) * 1000)
        con.close()
    return {"duckdb_ms": round(statistics.median(runs), 1)}


if __name__ == "__main__":
    main()
