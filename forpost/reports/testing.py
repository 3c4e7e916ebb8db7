"""Factories for the reports app's tests."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from .models import FileKind, Publication, PublicationStatus, PublishedFile
from .publication import CONTENT_TYPES, sha256


def make_publication(*, year: int, by: Any = None, values: dict[str, Any] | None = None) -> Publication:
    """A finished publication of `year` with the city's JSON file only (no renderer runs)."""
    number = (Publication.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    publication = Publication.objects.create(
        year=year,
        number=number,
        status=PublicationStatus.DONE,
        published_by=by,
        published_by_name=by.get_username() if by is not None else "",
        published_at=now,
        data_as_of=now,
        concept_id="familieraadgivning-2010",
        values=values or {},
    )
    content = json.dumps({"publication": {"year": year, "version": number}}).encode()
    stored = PublishedFile(
        publication=publication,
        kind=FileKind.JSON,
        filename=f"aarsstatus-{year}-v{number}.json",
        content_type=CONTENT_TYPES[FileKind.JSON],
        sha256=sha256(content),
        size=len(content),
    )
    stored.file.save(stored.filename, ContentFile(content), save=False)
    stored.save()
    return publication
