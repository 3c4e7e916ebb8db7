"""The published annual statuses, for everyone: the city's files of every published version.

Only what central staff published is here (forpost.reports.publication), and only the city's
status; its numbers are suppressed in every file, which is what lets them be public.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase

from forpost.reports.models import Publication, PublishedFile

from .views import STATIC_MAX_AGE, _render, public_page


@public_page(STATIC_MAX_AGE)
def published(request: HttpRequest) -> HttpResponse:
    versions = list(Publication.objects.published().prefetch_related("files").order_by("-year", "-number"))
    rows = [(p, [f for f in p.files.all() if f.centre_id is None]) for p in versions]
    return _render(request, "public/published.html", {"rows": rows})


# The gate is typed for pages; a file is a streaming response, which it passes through as is.
@public_page(STATIC_MAX_AGE)  # type: ignore[arg-type]
def published_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    stored = (
        PublishedFile.objects.filter(pk=pk, centre__isnull=True, publication__status="done")
        .select_related("publication")
        .first()
    )
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), filename=stored.filename, content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    # The bytes never change: anyone can check them against the hash listed on the page.
    response["Digest"] = f"sha-256={stored.sha256}"
    return response
