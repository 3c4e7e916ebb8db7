"""The public list of published annual statuses (issue 13): the city's files, in every language."""

from __future__ import annotations

import pytest
from django.test import Client

from forpost.public.languages import CODES, public_reverse
from forpost.reports.models import FileKind, PublicationStatus, PublishedFile
from forpost.reports.testing import make_publication


@pytest.mark.parametrize("language", CODES)
def test_the_published_statuses_are_listed_with_their_files_and_hashes_in(language, cast):
    publication = make_publication(year=2025)
    stored = publication.files.get()
    response = Client().get(public_reverse("public:published", language))
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert public_reverse("public:published_file", language, pk=stored.pk) in page
    assert stored.sha256 in page
    assert "2025" in page


def test_the_page_says_in_danish_what_it_is(cast):
    make_publication(year=2025)
    page = Client().get(public_reverse("public:published", "da")).content.decode()
    assert "Årsstatus 2025, version 1" in page
    assert "Data (JSON)" in page


def test_a_city_file_is_served_as_published(cast):
    stored = make_publication(year=2025).files.get()
    response = Client().get(public_reverse("public:published_file", "da", pk=stored.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored.file.open("rb").read()
    assert response["Digest"] == f"sha-256={stored.sha256}"


def test_a_centres_file_or_an_unfinished_version_is_not_public(cast):
    publication = make_publication(year=2025)
    stored = publication.files.get()
    centre_file = PublishedFile.objects.create(
        publication=publication,
        centre=cast.norrebro,
        kind=FileKind.PDF,
        file=stored.file.name,
        filename="x.pdf",
        content_type="application/pdf",
        sha256=stored.sha256,
        size=stored.size,
    )
    assert Client().get(public_reverse("public:published_file", "da", pk=centre_file.pk)).status_code == 404
    publication.status = PublicationStatus.RUNNING
    publication.save()
    assert Client().get(public_reverse("public:published_file", "da", pk=stored.pk)).status_code == 404
    assert stored.sha256 not in Client().get(public_reverse("public:published", "da")).content.decode()
