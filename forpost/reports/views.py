from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render

from forpost.accounts import audit

from .models import Job, JobStatus


def _own_job(request: HttpRequest, pk: str) -> Job:
    # A job belongs to the person who started it; everyone else gets 404.
    return get_object_or_404(Job.objects.owned_by(request.user), pk=pk)


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = _own_job(request, pk)
    template = "reports/job_status.html" if request.headers.get("HX-Request") else "reports/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, pk: str) -> HttpResponseBase:
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    audit.record_export(
        request,
        actor=request.user,
        object_type=f"reports.job:{job.kind}",
        criteria=job.params,
        rows=job.rows or 0,
        fmt=job.filename.rsplit(".", 1)[-1],
    )
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)
