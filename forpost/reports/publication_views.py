"""Central staff publish a year's status ("Offentliggør") and see every version and its files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forpost.accounts import audit
from forpost.accounts.scoping import CENTRAL, role_required
from forpost.core import idempotency

from .forms import PublishForm
from .models import Publication, PublicationStatus, PublishedFile
from .publication import start_publication

PURPOSE = "publication"


@role_required(CENTRAL)
def publications(request: HttpRequest) -> HttpResponse:
    form = PublishForm(initial={"year": timezone.localdate().year - 1, **idempotency.fresh(request, PURPOSE)})
    return _list(request, form)


def _list(request: HttpRequest, form: PublishForm, status: int = 200) -> HttpResponse:
    found = list(Publication.objects.select_related("job").order_by("-year", "-number"))
    return render(request, "reports/publications.html", {"publications": found, "form": form}, status=status)


@require_POST
@role_required(CENTRAL)
def publish(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    publication, replay = idempotency.create_once(
        request,
        form,
        purpose=PURPOSE,
        create=lambda: start_publication(
            actor=request.user, year=form.cleaned_data["year"], language=translation.get_language() or "da"
        ),
        replay_url=lambda obj: (
            reverse("reports:publication", args=[obj.pk]) if obj else reverse("reports:publications")
        ),
    )
    if replay is not None:
        return replay
    if publication is None:
        return _list(request, form, status=400)
    messages.success(
        request,
        _("Version %(number)s of %(year)s is being published.")
        % {"number": publication.number, "year": publication.year},
    )
    return redirect("reports:publication", pk=publication.pk)


@role_required(CENTRAL)
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Publication.objects.select_related("job"), pk=pk)
    files = list(found.files.select_related("centre").order_by("centre__name", "kind"))
    city_files = [f for f in files if f.centre_id is None]
    by_centre: dict[str, list[PublishedFile]] = {}
    for f in files:
        if f.centre is not None:
            by_centre.setdefault(f.centre.name, []).append(f)
    return render(
        request,
        "reports/publication.html",
        {
            "publication": found,
            "city_files": city_files,
            "centre_files": sorted(by_centre.items()),
            "running": found.status == PublicationStatus.RUNNING,
        },
    )


# The gate is typed for pages; a file is a streaming response, which it passes through as is.
@role_required(CENTRAL)  # type: ignore[arg-type]
def published_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    stored = get_object_or_404(PublishedFile.objects.select_related("publication"), pk=pk)
    audit.record_export(
        request,
        actor=request.user,
        object_type="reports.publishedfile",
        criteria={"publication": stored.publication_id, "centre": stored.centre_id, "kind": stored.kind},
        rows=0,
        fmt=stored.kind,
    )
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.filename, content_type=stored.content_type
    )
