from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forpost.accounts import audit
from forpost.accounts.scoping import CENTRAL, CITY_READERS, MANAGE, access_for, get_scoped_or_404, role_required
from forpost.centres.models import Centre
from forpost.concepts.actions import scorecard_links
from forpost.core import locking
from forpost.core.dataversion import cached_object
from forpost.core.locking import Conflict

from .forms import ForewordForm, StatusTextForm
from .models import Foreword, Job, JobStatus, StatusText
from .queries import centre_status, city_status, parse_year, status_years
from .services import save_foreword, save_status_text, start_job
from .status import AnnualStatus


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


def _rendered_sections(request: HttpRequest, status: AnnualStatus, row_links: dict[str, Any]) -> tuple[str, str]:
    """The status's sections as HTML: the summary, and the rest after the contents. They are
    made from the status alone (and the coordinator's "Add action" links), so they are kept
    beside it for its data version, one copy per set of links: most of the page's time is
    spent making this HTML, and every reader until the next write gets the same."""

    def render() -> tuple[str, str]:
        context = {"status": status, "row_links": row_links}
        return (
            render_to_string("reports/status_body.html", context | {"sections": status.sections[:1]}, request),
            render_to_string("reports/status_body.html", context | {"sections": status.sections[1:]}, request),
        )

    if not status.cache_key:
        return render()
    links = hashlib.sha256(json.dumps(row_links, sort_keys=True).encode()).hexdigest()[:16]
    return cached_object(f"{status.cache_key}:html:{links}", render)


@role_required(CITY_READERS)
def city(request: HttpRequest) -> HttpResponse:
    year = parse_year(request.GET.get("year"))
    status = city_status(user=request.user, year=year)
    context = {
        "status": status,
        "years": status_years(),
        "export_url": reverse("reports:city_export"),
        "can_write_foreword": access_for(request.user).has_role(CENTRAL),
        "sections_html": _rendered_sections(request, status, {}),
    }
    return render(request, "reports/annual_status.html", context)


@login_required
def centre(request: HttpRequest, slug: str) -> HttpResponse:
    year = parse_year(request.GET.get("year"))
    status = centre_status(user=request.user, slug=slug, year=year)
    scorecard = next((s for s in status.sections if s.key == "scorecard"), None)
    # "Add action" beside each requirement the centre did not meet, for its coordinator.
    row_links = {
        "scorecard": scorecard_links(
            user=request.user,
            centre=status.centres[0],
            year=year,
            outcomes=scorecard.extra.get("outcomes", {}) if scorecard else {},
        )
    }
    context = {
        "status": status,
        "years": status_years(),
        "export_url": reverse("reports:centre_export", args=[slug]),
        "can_write": access_for(request.user).centres(MANAGE).filter(pk=status.centres[0].pk).exists(),
        "row_links": row_links,
        "sections_html": _rendered_sections(request, status, row_links),
    }
    return render(request, "reports/annual_status.html", context)


def _export(request: HttpRequest, *, centre: Centre | None) -> HttpResponse:
    fmt = request.POST.get("format")
    if fmt not in ("pdf", "xlsx"):
        fmt = "pdf"
    year = parse_year(request.POST.get("year"))
    what = centre.name if centre else _("the city")
    job = start_job(
        actor=request.user,
        kind="reports.annual_status",
        title=_("Annual status %(year)s for %(what)s (%(fmt)s)") % {"year": year, "what": what, "fmt": fmt.upper()},
        params={
            "year": year,
            "centre": centre.slug if centre else None,
            "format": fmt,
            "language": translation.get_language(),
        },
    )
    return redirect("reports:job", pk=job.pk)


@role_required(CITY_READERS)
@require_POST
def city_export(request: HttpRequest) -> HttpResponse:
    return _export(request, centre=None)


@login_required
@require_POST
def centre_export(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(request, centre=get_scoped_or_404(Centre, request.user, slug=slug))


def _text_initial(text: Any) -> dict[str, Any]:
    if text is None:
        return {"version": 0}
    return {
        "highlights": text.highlights,
        "local_focus": text.local_focus,
        "challenges": text.challenges,
        "version": text.version,
    }


@login_required
def status_text(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator writes the centre's own text for a year's status."""
    centre = get_scoped_or_404(Centre, request.user, roles=MANAGE, slug=slug)
    year = parse_year(request.GET.get("year") or request.POST.get("year"))
    existing = StatusText.objects.filter(centre=centre, year=year).first()
    form = StatusTextForm(request.POST or None, initial=_text_initial(existing))
    if request.method == "POST" and form.is_valid():
        texts = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            save_status_text(
                actor=request.user, centre=centre, year=year, expected_version=form.cleaned_data["version"], **texts
            )
        except Conflict as conflict:
            return locking.conflict_response(
                request,
                form=form,
                current_form=StatusTextForm(initial=_text_initial(conflict.current)),
                conflict=conflict,
                title=f"{centre.name} {year}",
                back=f"{reverse('reports:status_text', args=[slug])}?year={year}",
            )
        except ValidationError as error:  # the year is closed
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The text for %(year)s is saved.") % {"year": year})
            return redirect(f"{reverse('reports:centre', args=[slug])}?year={year}#own_text")
    return render(request, "reports/status_text.html", {"centre": centre, "year": year, "form": form})


@role_required(CENTRAL)
def foreword(request: HttpRequest) -> HttpResponse:
    """Central staff write the foreword that opens the city's annual status (the PDF's cover)."""
    year = parse_year(request.GET.get("year") or request.POST.get("year"))
    existing = Foreword.objects.filter(year=year).first()
    initial = (
        {"text": existing.text, "signed": existing.signed, "version": existing.version} if existing else {"version": 0}
    )
    form = ForewordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_foreword(
                actor=request.user,
                year=year,
                text=form.cleaned_data["text"],
                signed=form.cleaned_data["signed"],
                expected_version=form.cleaned_data["version"],
            )
        except Conflict as conflict:
            current = conflict.current
            assert isinstance(current, Foreword)
            return locking.conflict_response(
                request,
                form=form,
                current_form=ForewordForm(
                    initial={"text": current.text, "signed": current.signed, "version": current.version}
                ),
                conflict=conflict,
                title=_("Foreword %(year)s") % {"year": year},
                back=f"{reverse('reports:foreword')}?year={year}",
            )
        messages.success(request, _("The foreword for %(year)s is saved.") % {"year": year})
        return redirect(f"{reverse('reports:city')}?year={year}")
    return render(request, "reports/foreword.html", {"year": year, "form": form})
