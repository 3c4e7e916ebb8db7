"""Import of old spreadsheets (upload → columns → dry run → import) and exports of the inquiry list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forpost.accounts import audit
from forpost.accounts.scoping import REGISTER, access_for, get_scoped_or_404, role_required
from forpost.reports.models import Job
from forpost.reports.services import start_job

from . import exporting, services
from .forms import ColumnsForm, UploadForm
from .models import ImportFile, ImportStatus
from .reading import FileError, read_table

# Files with more rows than this are imported in the background, with a progress bar.
BACKGROUND_IMPORT_ROWS = 1_000
SHOWN_BAD_ROWS = 500


def _import_file(request: HttpRequest, pk: str) -> ImportFile:
    return get_scoped_or_404(ImportFile.objects.select_related("centre"), request.user, roles=REGISTER, pk=pk)


@role_required(REGISTER)
def upload(request: HttpRequest) -> HttpResponse:
    centres = access_for(request.user).centres(REGISTER)
    form = UploadForm(request.POST or None, request.FILES or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        the_file = form.cleaned_data["file"]
        try:
            read_table(the_file.name, the_file)
        except FileError as exc:
            form.add_error("file", str(exc))
        else:
            the_file.seek(0)
            import_file = services.upload_file(actor=request.user, centre=form.cleaned_data["centre"], upload=the_file)
            return redirect("imports:columns", pk=import_file.pk)
    return render(request, "imports/upload.html", {"form": form})


@login_required
def columns(request: HttpRequest, pk: str) -> HttpResponse:
    import_file = _import_file(request, pk)
    try:
        table = services.read(import_file)
    except FileError as exc:
        messages.error(request, str(exc))
        return redirect("imports:upload")
    suggested = services.suggested_columns(import_file, table.headers)
    initial = {f"col_{i}": suggested.get(h, "") for i, h in enumerate(table.headers)}
    form = ColumnsForm(request.POST or None, headers=table.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_columns(actor=request.user, import_file=import_file, columns=form.columns())
        return redirect("imports:check", pk=import_file.pk)
    examples = table.rows[:3]
    rows = [(form[f"col_{i}"], [r[i] for r in examples]) for i in range(len(table.headers))]
    return render(request, "imports/columns.html", {"form": form, "import_file": import_file, "rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def check(request: HttpRequest, pk: str) -> HttpResponse:
    """The dry run. A small file is checked now; a large one in the background, on request."""
    import_file = _import_file(request, pk)
    if not import_file.columns:
        return redirect("imports:columns", pk=import_file.pk)
    job = Job.objects.owned_by(request.user).filter(pk=import_file.check_job).first() if import_file.check_job else None
    try:
        large = services.count_rows(import_file) > BACKGROUND_IMPORT_ROWS
        if request.method == "POST" and large:
            job = start_job(
                actor=request.user,
                kind="imports.check",
                title=_("Check of %(name)s") % {"name": import_file.filename},
                params={"import": str(import_file.pk), "language": translation.get_language()},
            )
            ImportFile.objects.filter(pk=import_file.pk).update(check_job=job.pk)
            return redirect("imports:check", pk=import_file.pk)
        if large:
            import_file.refresh_from_db()
            done = import_file.status == ImportStatus.CHECKED and import_file.check_result
            outcome = services.Outcome.from_dict(import_file.check_result) if done else None
        else:
            outcome = services.check(actor=request.user, import_file=import_file)
    except FileError as exc:
        messages.error(request, str(exc))
        return redirect("imports:upload")
    bad_count = (import_file.check_result.get("bad_count", 0) if large else len(outcome.bad)) if outcome else 0
    return render(
        request,
        "imports/check.html",
        {
            "import_file": import_file,
            "outcome": outcome,
            "job": job,
            "bad_rows": outcome.bad[:SHOWN_BAD_ROWS] if outcome else [],
            "bad_count": bad_count,
            "more_bad": max(0, bad_count - SHOWN_BAD_ROWS),
            "background": large,
        },
    )


@require_POST
@login_required
def run(request: HttpRequest, pk: str) -> HttpResponse:
    import_file = _import_file(request, pk)
    if not import_file.columns:
        return redirect("imports:columns", pk=import_file.pk)
    try:
        rows = import_file.rows if import_file.rows is not None else services.count_rows(import_file)
    except FileError as exc:
        messages.error(request, str(exc))
        return redirect("imports:upload")
    if rows > BACKGROUND_IMPORT_ROWS:
        job = start_job(
            actor=request.user,
            kind="imports.inquiries",
            title=_("Import of %(name)s") % {"name": import_file.filename},
            params={"import": str(import_file.pk), "language": translation.get_language()},
        )
        return redirect("reports:job", pk=job.pk)
    try:
        outcome = services.import_inquiries(actor=request.user, import_file=import_file)
    except services.ImportRefused:
        messages.error(request, _("The file has rows with errors; nothing was imported."))
        return redirect("imports:check", pk=import_file.pk)
    messages.success(
        request,
        _("%(n)s inquiries imported; %(m)s rows were imported before and were skipped.")
        % {"n": outcome.imported, "m": outcome.already},
    )
    return redirect("imports:check", pk=import_file.pk)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exporting.FORMATS:
        raise Http404
    params = exporting.filter_params(request.GET)
    try:
        qs, criteria = exporting.search(request.user, params)
    except ValidationError as exc:
        # Back to the list, which shows the same filter with its errors at the fields.
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('registrations:inquiry_list')}?{urlencode(params)}")
    if qs.count() > exporting.BACKGROUND_ROWS:
        job = start_job(
            actor=request.user,
            kind="imports.export_inquiries",
            title=_("Inquiries (%(fmt)s)") % {"fmt": fmt.upper()},
            params={**params, "format": fmt, "language": translation.get_language()},
        )
        return redirect("reports:job", pk=job.pk)
    output = exporting.export_file(user=request.user, params={**params, "format": fmt})
    audit.record_export(
        request,
        actor=request.user,
        object_type="registrations.inquiry",
        criteria=criteria,
        rows=output.rows or 0,
        fmt=fmt,
    )
    response = HttpResponse(output.content, content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(REGISTER)
def template(request: HttpRequest) -> HttpResponse:
    """The documented template file (docs/import-template.csv)."""
    content = (settings.BASE_DIR / "docs" / "import-template.csv").read_bytes()
    response = HttpResponse(b"\xef\xbb\xbf" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="forpost-import-skabelon.csv"'
    return response
