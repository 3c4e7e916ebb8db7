"""Publishing a year's status: immutable versions with hashed files, and the change list."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.concepts.indicators import compute
from forpost.concepts.loader import DATA_DIR
from forpost.registrations.testing import make_inquiry
from forpost.reports.models import FileKind, Publication, PublicationStatus
from forpost.reports.publication import changed_values, start_publication, verify
from forpost.reports.testing import make_publication

YEAR = 2025
SHIPPED_SHA = hashlib.sha256((DATA_DIR / "familieraadgivning-2010.yaml").read_bytes()).hexdigest()


def publish(cast, django_capture_on_commit_callbacks, year=YEAR):
    with django_capture_on_commit_callbacks(execute=True):
        publication = start_publication(actor=cast.erin, year=year)
    publication.refresh_from_db()
    return publication


def published_requirement(year=YEAR):
    return compute("city_status_published", centre_ids=[], start=date(year, 1, 1), end=date(year + 1, 1, 1), params={})


def test_publishing_stores_every_file_of_the_city_and_each_centre_with_its_hash(
    cast, django_capture_on_commit_callbacks
):
    make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    publication = publish(cast, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.DONE
    assert (publication.number, publication.published_by, publication.concept_id) == (
        1,
        cast.erin,
        "familieraadgivning-2010",
    )
    assert publication.data_as_of is not None and publication.published_at >= publication.data_as_of
    kinds = {(f.centre.slug if f.centre else "city", f.kind) for f in publication.files.all()}
    assert kinds == {(where, kind) for where in ("city", "norrebro", "valby") for kind in FileKind.values}
    for stored in publication.files.all():
        content = stored.file.open("rb").read()
        assert hashlib.sha256(content).hexdigest() == stored.sha256
        assert len(content) == stored.size
    assert publication.files.get(centre=None, kind=FileKind.PDF).file.open("rb").read().startswith(b"%PDF")
    document = json.loads(publication.files.get(centre=None, kind=FileKind.JSON).file.open("rb").read())
    assert document["publication"] == {
        "year": YEAR,
        "version": 1,
        "data_as_of": publication.data_as_of.isoformat(),
        "concept": "familieraadgivning-2010",
        "concept_sha256": SHIPPED_SHA,
    }
    assert publication.concept_sha256 == SHIPPED_SHA
    assert document["status"]["suppressed"] is True
    assert AuditEntry.objects.filter(object_type="reports.publication", action=AuditAction.CREATE).count() == 1


def test_only_a_publication_meets_the_city_status_requirement(cast):
    assert published_requirement().value == 0.0
    make_publication(year=YEAR, by=cast.erin)
    found = published_requirement()
    assert found.value == 1.0
    assert [e.label for e in found.evidence] == ["Version 1 offentliggjort"]
    assert published_requirement(YEAR - 1).value == 0.0


def test_a_published_versions_files_and_hashes_never_change(cast, django_capture_on_commit_callbacks):
    make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    first = publish(cast, django_capture_on_commit_callbacks)
    before = {f.pk: (f.file.name, f.sha256, f.file.open("rb").read()) for f in first.files.all()}
    for _ in range(6):  # enough inquiries to pass the suppression threshold: the numbers change
        make_inquiry(cast.norrebro, date=date(YEAR, 5, 2))
    second = publish(cast, django_capture_on_commit_callbacks)
    assert second.number == 2
    first.refresh_from_db()
    after = {f.pk: (f.file.name, f.sha256, f.file.open("rb").read()) for f in first.files.all()}
    assert after == before
    assert verify(first) == []
    # The new version's files are new files, never the old ones written over.
    assert not {f.file.name for f in second.files.all()} & {name for name, _h, _c in before.values()}
    assert {f.sha256 for f in second.files.filter(centre=None)} != {h for _n, h, _c in before.values()}
    # ... and version 2 lists the published values that changed since version 1.
    inquiries = [c for c in second.changes if c["key"].startswith("volume:")]
    assert inquiries, second.changes
    # Hidden before ("<5"); after, shown or hidden to protect another centre ("×"), as the
    # year's disclosure pass decides: either way a change the list names.
    assert any(c["before"] == "<5" and c["after"] != "<5" for c in inquiries), inquiries


def test_the_change_list_names_values_added_and_removed():
    before = {"a": {"label": "A", "value": "1"}, "gone": {"label": "Gone", "value": "2"}}
    after = {"a": {"label": "A", "value": "3"}, "new": {"label": "New", "value": "<5"}}
    assert changed_values(before, after) == [
        {"key": "a", "label": "A", "before": "1", "after": "3"},
        {"key": "new", "label": "New", "before": "", "after": "<5"},
        {"key": "gone", "label": "Gone", "before": "2", "after": ""},
    ]


def test_a_year_being_published_cannot_be_published_again_until_done(cast):
    start_publication(actor=cast.erin, year=YEAR)  # the worker has not run: still being made
    with pytest.raises(ValidationError):
        start_publication(actor=cast.erin, year=YEAR)
    assert Publication.objects.count() == 1


def test_a_future_year_cannot_be_published(cast):
    with pytest.raises(ValidationError):
        start_publication(actor=cast.erin, year=date.today().year + 1)


def test_central_staff_publish_through_the_page_and_a_double_submit_makes_one_version(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.erin)
    url = reverse("reports:publications")
    form = client.get(url).context["form"]
    data = {"submission_token": form["submission_token"].value(), "year": str(YEAR)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:publish"), data)
    publication = Publication.objects.get()
    assert response["Location"] == reverse("reports:publication", args=[publication.pk])
    assert client.post(reverse("reports:publish"), data)["Location"] == response["Location"]
    assert Publication.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    for stored in publication.files.filter(centre=None):
        assert stored.sha256 in page
        assert reverse("reports:published_file", args=[stored.pk]) in page


def test_publishing_is_refused_to_management_and_coordinators(cast, client_for):
    for user in (cast.frank, cast.bob):
        response = client_for(user).post(reverse("reports:publish"), {"year": str(YEAR)})
        assert response.status_code == 403
    assert not Publication.objects.exists()


def test_a_bad_year_is_a_message_not_an_error(cast, client_for):
    client = client_for(cast.erin)
    token = client.get(reverse("reports:publications")).context["form"]["submission_token"].value()
    response = client.post(reverse("reports:publish"), {"submission_token": token, "year": "1066"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Publication.objects.exists()


def test_a_publication_records_the_sha_of_the_adopted_concept_text_it_was_judged_by(
    cast, django_capture_on_commit_callbacks
):
    from forpost.concepts.models import ConceptRevision

    text = (DATA_DIR / "familieraadgivning-2010.yaml").read_text(encoding="utf-8")
    text = text.replace("schema_version: 1\n", "schema_version: 1\n# Adopted by the city council in 2025.\n", 1)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ConceptRevision.objects.create(
        concept_id="familieraadgivning-2010", text=text, sha256=digest, valid_from=date(YEAR, 6, 1), note="test"
    )

    publication = publish(cast, django_capture_on_commit_callbacks)

    assert publication.concept_sha256 == digest != SHIPPED_SHA
    document = json.loads(publication.files.get(centre=None, kind=FileKind.JSON).file.open("rb").read())
    assert document["publication"]["concept_sha256"] == digest
