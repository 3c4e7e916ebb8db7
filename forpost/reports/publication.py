"""Publishing a year's status: "Offentliggør".

    start_publication(actor=, year=)    -> Publication (running; the worker makes the files)
    publication_job(job, progress)      -> the job kind "reports.publication"
    verify(publication)                 -> the files whose bytes no longer match their SHA-256

A publication stores the city's status and each centre's as a page (HTML), a PDF, a workbook
and JSON, each with the SHA-256 of its bytes, the moment the data was read, the concept version
and who published. Every number in them is suppressed, whoever publishes, so the files may be
public. Nothing changes a publication once it is made: publishing again makes the next version,
with the list of the city's published values that changed since the version before.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction

from .jobs import JobOutput, Progress
from .models import FileKind, Job, Publication, PublicationStatus, PublishedFile
from .status import AnnualStatus

CONTENT_TYPES = {
    FileKind.HTML: "text/html; charset=utf-8",
    FileKind.PDF: "application/pdf",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.JSON: "application/json",
}


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def start_publication(*, actor: Any, year: int, language: str = "da") -> Publication:
    """Queue the next version of `year`'s publication; the worker makes its files. Refused
    while another version of the year is being made, so versions never interleave."""
    from .services import start_job

    if year > timezone.localdate().year:
        raise ValidationError(_("A year that has not begun cannot be published."))
    # Lock the year's versions: two clicks at once make one version, then the next.
    existing = list(Publication.objects.select_for_update().filter(year=year))
    if any(p.status == PublicationStatus.RUNNING for p in existing):
        raise ValidationError(_("A version of %(year)s is being published already.") % {"year": year})
    number = (Publication.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    publication = Publication.objects.create(
        year=year,
        number=number,
        published_by=actor,
        published_by_name=actor.get_username() if actor is not None else "",
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=publication, changes={"year": year, "number": number})
    job = start_job(
        actor=actor,
        kind="reports.publication",
        title=_("Publication of the status %(year)s, version %(number)s") % {"year": year, "number": number},
        params={"publication": publication.pk, "language": language},
    )
    Publication.objects.filter(pk=publication.pk).update(job=job)
    publication.job = job
    return publication


def publication_job(job: Job, progress: Progress) -> JobOutput:
    publication = Publication.objects.get(pk=job.params["publication"])
    try:
        with translation.override(job.params.get("language") or "da"):
            output = _publish(publication, job, progress)
    except Exception as exc:
        Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.FAILED, message=str(exc)[:300])
        raise
    return output


def _publish(publication: Publication, job: Job, progress: Progress) -> JobOutput:
    from forpost.concepts.loader import concept_for_year, text_sha256

    from .queries import centre_status, city_status

    year = publication.year
    data_as_of = timezone.now()
    concept = concept_for_year(year)
    city = city_status(user=job.created_by, year=year, for_file=True)
    steps = 1 + len(city.centres)
    progress(0, steps)
    previous = (
        Publication.objects.published().filter(year=year, number__lt=publication.number).order_by("-number").first()
    )
    corrections = _corrections_since(previous)
    meta: dict[str, Any] = {
        "year": year,
        "version": publication.number,
        "data_as_of": data_as_of.isoformat(),
        "concept": concept.id if concept else "",
        "concept_sha256": text_sha256(concept) if concept else "",
    }
    if publication.number > 1:
        meta["corrections"] = corrections
    made: list[tuple[Any, FileKind, str, bytes]] = list(
        _files(city, meta, name=f"aarsstatus-{year}-v{publication.number}")
    )
    progress(1, steps)
    for done, centre in enumerate(city.centres, start=2):
        status = centre_status(user=job.created_by, slug=centre.slug, year=year, force_suppress=True)
        made.extend(
            (centre, kind, filename, content)
            for _c, kind, filename, content in _files(
                status, meta, name=f"aarsstatus-{year}-{centre.slug}-v{publication.number}"
            )
        )
        progress(done, steps)
    values = published_values(city)
    changes = changed_values(previous.values, values) if previous else []
    with transaction.atomic():
        for centre, kind, filename, content in made:
            stored = PublishedFile(
                publication=publication,
                centre=centre,
                kind=kind,
                filename=filename,
                content_type=CONTENT_TYPES[kind],
                sha256=sha256(content),
                size=len(content),
            )
            stored.file.save(filename, ContentFile(content), save=False)
            stored.save()
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.DONE,
            published_at=timezone.now(),
            data_as_of=data_as_of,
            concept_id=meta["concept"],
            concept_sha256=meta["concept_sha256"],
            values=values,
            changes=changes,
            corrections=corrections,
        )
    city_json = next(content for centre, kind, _n, content in made if centre is None and kind == FileKind.JSON)
    return JobOutput(f"aarsstatus-{year}-v{publication.number}.json", CONTENT_TYPES[FileKind.JSON], city_json)


def _files(status: AnnualStatus, meta: dict[str, Any], *, name: str) -> Any:
    from .render import as_json, render_html, render_pdf, render_xlsx

    yield None, FileKind.HTML, f"{name}.html", render_html(status).encode()
    yield None, FileKind.PDF, f"{name}.pdf", render_pdf(status)
    yield None, FileKind.XLSX, f"{name}.xlsx", render_xlsx(status)
    document = {"publication": meta, "status": as_json(status)}
    yield None, FileKind.JSON, f"{name}.json", json.dumps(document, ensure_ascii=False, indent=1).encode()


def _shown(value: Any, threshold: int) -> str:
    from forpost.core.suppression import Cell

    if isinstance(value, Cell):
        return str(value.display(threshold)) if value.suppressed else str(value.value)
    return "" if value is None else str(value)


def published_values(status: AnnualStatus) -> dict[str, dict[str, str]]:
    """Every value of a status as it reads in the files (suppressed cells as "<5"), keyed so
    that the same value of the next version has the same key."""
    found: dict[str, dict[str, str]] = {}
    for section in status.sections:
        for label, value in section.facts:
            found[f"{section.key}:{label}"] = {
                "label": f"{section.title} › {label}",
                "value": _shown(value, status.threshold),
            }
        for table in section.tables:
            for row in table.rows:
                for column, cell in zip(table.columns[1:], row.cells, strict=False):
                    key = f"{section.key}/{table.key}/{row.key or row.label}/{column}"
                    label = f"{section.title} › {table.title} › {row.label} › {column}"
                    found[key] = {"label": label, "value": _shown(cell, status.threshold)}
    return found


def changed_values(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """The values that differ between two versions, in the order of the newer one; a value
    only one of them has is listed with the other side empty."""
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        old = before.get(key, {}).get("value", "")
        new = after.get(key, {}).get("value", "")
        if old != new:
            label = (after.get(key) or before.get(key) or {}).get("label", key)
            changes.append({"key": key, "label": label, "before": old, "after": new})
    return changes


def _corrections_since(previous: Publication | None) -> list[dict[str, Any]]:
    """The corrections to the closed year approved since the version before (none in version 1:
    a correction before the first publication changed nothing that was published)."""
    from forpost.centres.closing import approved_corrections

    if previous is None or previous.published_at is None:
        return []
    return approved_corrections(year=previous.year, since=previous.published_at)


def verify(publication: Publication) -> list[PublishedFile]:
    """The files of `publication` whose stored bytes no longer match the SHA-256 kept when
    they were published (an empty list: the publication is as it was made)."""
    broken = []
    for stored in publication.files.all():
        with stored.file.open("rb") as handle:
            if sha256(handle.read()) != stored.sha256:
                broken.append(stored)
    return broken


def is_published(year: int) -> Publication | None:
    """The latest version of `year`'s publication, if there is one."""
    return Publication.objects.published().filter(year=year).order_by("-number").first()


def first_publication(year: int) -> tuple[int, date] | None:
    """(version number, local date) of the year's first publication, the one being made
    included (so that a publication's own scorecard reads the act it is part of); None when
    the city's status of `year` is not published."""
    found = (
        Publication.objects.filter(year=year, status__in=[PublicationStatus.DONE, PublicationStatus.RUNNING])
        .order_by("number")
        .first()
    )
    if found is None:
        return None
    return found.number, timezone.localdate(found.published_at or found.started_at)
