"""The annual status as PDF and workbook, made in the background (see forpost.reports.jobs)."""

from __future__ import annotations

import contextlib

from django.utils import translation

from forpost.accounts.scoping import CITY_READERS, scoped
from forpost.centres.models import Centre

from . import render
from .jobs import JobOutput, Progress
from .models import Job
from .queries import centre_status, city_status
from .render import PdfProcess, render_pdf, render_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def annual_status_file(job: Job, progress: Progress) -> JobOutput:
    params = job.params
    fmt = params["format"]
    with translation.override(params.get("language") or "da"):
        progress(1, 4)
        # Files leave the app: they are always suppressed, whoever asks.
        if params.get("centre"):
            status = centre_status(user=job.created_by, slug=params["centre"], year=params["year"], force_suppress=True)
            name = f"aarsstatus-{params['year']}-{params['centre']}.{fmt}"
            progress(2, 4)
            content = render_pdf(status) if fmt == "pdf" else render_xlsx(status)
        elif fmt == "pdf":
            # A long file (many centres) is rendered in parts by a process of its own: it starts
            # while the status is built.
            many = scoped(Centre, job.created_by, roles=CITY_READERS).count() > render.PDF_PART_CENTRES
            with PdfProcess() if many else contextlib.nullcontext() as process:
                status = city_status(user=job.created_by, year=params["year"], for_file=True)
                name = f"aarsstatus-{params['year']}.{fmt}"
                progress(2, 4)
                content = render_pdf(status, process)
        else:
            status = city_status(user=job.created_by, year=params["year"], for_file=True)
            name = f"aarsstatus-{params['year']}.{fmt}"
            progress(2, 4)
            content = render_xlsx(status)
    return JobOutput(name, CONTENT_TYPES[fmt], content)
