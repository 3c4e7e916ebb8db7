"""Large imports and exports run in the background (forpost.reports.jobs) with a progress bar."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _

from forpost.accounts.scoping import REGISTER, scoped
from forpost.core.exports import neutralise
from forpost.reports.jobs import JobOutput, Progress
from forpost.reports.models import Job

from . import exporting, services
from .models import ImportFile


def import_job(job: Job, progress: Progress) -> JobOutput:
    with translation.override(job.params.get("language") or "da"):
        # The starter's scope, again: the job runs later, perhaps after a membership ended.
        import_file = scoped(ImportFile, job.created_by, roles=REGISTER).get(pk=job.params["import"])
        try:
            outcome = services.import_inquiries(actor=job.created_by, import_file=import_file, progress=progress)
        except services.ImportRefused as refused:
            outcome = refused.outcome
            raise RuntimeError(_("%(n)s rows have errors; nothing was imported.") % {"n": len(outcome.bad)}) from None
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([_("Rows"), _("Imported"), _("Imported before")])
        writer.writerow([outcome.rows, outcome.imported, outcome.already])
    return JobOutput(f"import-{import_file.pk}.csv", "text/csv", out.getvalue().encode("utf-8-sig"), outcome.imported)


def check_job(job: Job, progress: Progress) -> JobOutput:
    """The dry run of a large file; leaves a report of the bad rows."""
    with translation.override(job.params.get("language") or "da"):
        import_file = scoped(ImportFile, job.created_by, roles=REGISTER).get(pk=job.params["import"])
        outcome = services.check(actor=job.created_by, import_file=import_file, progress=progress)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([_("Row"), _("Why")])
        for number, reasons in outcome.bad:
            for reason in reasons:
                writer.writerow([number, neutralise(reason)])
    return JobOutput(f"kontrol-{import_file.pk}.csv", "text/csv", out.getvalue().encode("utf-8-sig"), len(outcome.bad))


def export_job(job: Job, progress: Progress) -> JobOutput:
    with translation.override(job.params.get("language") or "da"):
        return exporting.export_file(user=job.created_by, params=job.params, progress=progress)
