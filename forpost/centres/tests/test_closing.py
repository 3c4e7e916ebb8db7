"""Closing a year: one guard for every write dated in it, corrections approved by central staff."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.centres import closing
from forpost.centres.models import ClosedYear, Correction
from forpost.collaboration.testing import make_activity
from forpost.registrations.models import Inquiry
from forpost.registrations.testing import ensure_reference_data, make_inquiry

YEAR = 2025


def close(cast, year=YEAR):
    return closing.close_year(actor=cast.erin, year=year, today=date(year + 1, 2, 1))


def approved_correction(cast, centre=None, year=YEAR):
    correction = closing.request_correction(actor=cast.bob, centre=centre or cast.norrebro, year=year, reason="Dato")
    return closing.decide_correction(actor=cast.erin, correction=correction, approve=True)


def city_values(cast, year=YEAR):
    from forpost.reports.publication import published_values
    from forpost.reports.queries import city_status

    return published_values(city_status(user=cast.erin, year=year))


def test_the_default_deadline_is_31_january_of_the_next_year():
    assert closing.default_deadline(YEAR) == date(YEAR + 1, 1, 31)


def test_a_year_closes_only_after_it_has_ended_and_only_once(cast):
    with pytest.raises(ValidationError):
        closing.close_year(actor=cast.erin, year=YEAR, today=date(YEAR, 12, 31))
    closed = close(cast)
    assert (closed.closed, closed.closed_by, closed.deadline) == (True, cast.erin, date(YEAR + 1, 1, 31))
    with pytest.raises(ValidationError):
        close(cast)
    assert AuditEntry.objects.filter(object_type="centres.closedyear", action=AuditAction.CHANGE).count() == 1


def test_central_staff_set_the_deadline(cast):
    closing.set_deadline(actor=cast.erin, year=YEAR, deadline=date(YEAR + 1, 2, 15))
    assert ClosedYear.objects.get(year=YEAR).deadline == date(YEAR + 1, 2, 15)


def test_nothing_dated_in_a_closed_year_can_be_written(cast):
    ensure_reference_data()
    activity = make_activity(cast.norrebro, date=date(YEAR, 3, 1))
    close(cast)
    with pytest.raises(closing.YearClosed):
        make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    from forpost.collaboration import services as collaboration

    with pytest.raises(closing.YearClosed):
        collaboration.change_activity(actor=cast.bob, activity=activity, participants=9)
    with pytest.raises(closing.YearClosed):
        collaboration.delete_activity(actor=cast.bob, activity=activity)
    from forpost.concepts import services as concepts

    with pytest.raises(closing.YearClosed):
        concepts.attest_requirement(
            actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id="fr2010.metode.anerkendende", comment="X"
        )
    # The next year is open as before.
    make_inquiry(cast.norrebro, date=date(YEAR + 1, 1, 5))


def test_moving_a_registration_into_a_closed_year_is_refused(cast):
    from forpost.registrations import services

    inquiry = make_inquiry(cast.norrebro, date=date(YEAR + 1, 1, 5))
    close(cast)
    with pytest.raises(closing.YearClosed):
        services.update_inquiry(
            actor=cast.bob, inquiry=inquiry, expected_version=inquiry.version, date=date(YEAR, 12, 30)
        )


def test_an_approved_correction_opens_the_centres_year_for_a_day_and_no_other_centre(cast):
    close(cast)
    correction = closing.request_correction(actor=cast.bob, centre=cast.norrebro, year=YEAR, reason="Forkert dato")
    with pytest.raises(closing.YearClosed):
        make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    closing.decide_correction(actor=cast.erin, correction=correction, approve=True)
    make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    with pytest.raises(closing.YearClosed):
        make_inquiry(cast.valby, date=date(YEAR, 3, 10))
    correction.refresh_from_db()
    assert correction.open_until - correction.decided_at == timedelta(hours=closing.CORRECTION_HOURS)
    Correction.objects.filter(pk=correction.pk).update(open_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(closing.YearClosed):
        make_inquiry(cast.norrebro, date=date(YEAR, 3, 11))
    assert AuditEntry.objects.filter(object_type="centres.correction").count() == 2


def test_a_rejected_correction_opens_nothing_and_a_decision_is_final(cast):
    close(cast)
    correction = closing.request_correction(actor=cast.bob, centre=cast.norrebro, year=YEAR, reason="Forkert dato")
    closing.decide_correction(actor=cast.erin, correction=correction, approve=False)
    with pytest.raises(closing.YearClosed):
        make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    with pytest.raises(ValidationError):
        closing.decide_correction(actor=cast.erin, correction=correction, approve=True)


def test_a_correction_needs_a_closed_year_and_a_reason(cast):
    with pytest.raises(ValidationError):
        closing.request_correction(actor=cast.bob, centre=cast.norrebro, year=YEAR, reason="Dato")
    close(cast)
    with pytest.raises(ValidationError):
        closing.request_correction(actor=cast.bob, centre=cast.norrebro, year=YEAR, reason="  ")


def test_approved_corrections_since_a_moment_are_listed(cast):
    close(cast)
    before = timezone.now()
    approved_correction(cast)
    listed = closing.approved_corrections(year=YEAR, since=before)
    assert [(c["centre"], c["reason"], c["approved_by"]) for c in listed] == [
        ("Familierådgivningen Nørrebro", "Dato", "erin")
    ]
    assert closing.approved_corrections(year=YEAR, since=timezone.now()) == []


def _edit_data(form, **changes):
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        data[field.html_name] = value
    return {**data, **changes}


def test_a_closed_years_status_reads_the_same_after_edits_through_the_forms_the_api_and_the_import(
    cast, client_for, api
):
    from forpost.imports import services as imports
    from forpost.imports.testing import ROW, csv_bytes, make_import_file

    inquiries = [make_inquiry(cast.norrebro, date=date(YEAR, 3, 10), actor=cast.alice) for _ in range(6)]
    target = inquiries[0]
    client = client_for(cast.bob)
    url = reverse("registrations:inquiry_edit", args=[target.pk])
    close(cast)
    before = city_values(cast)

    # The form: the same edit that is refused now is accepted under an approved correction (below).
    edit = _edit_data(client.get(url).context["form"], minutes="45")
    page = client.post(url, edit).content.decode()
    assert "2025 er lukket" in page
    # The API: a change and a new inquiry dated in the year.
    response = api.call(
        "patch", f"/api/v1/inquiries/{target.pk}", user="bob", json={"minutes": 30, "version": target.version}
    )
    assert response.status_code in (400, 422), response.content
    body = {
        "date": "2025-03-10",
        "channel": "walk_in",
        "contact_person": "mother",
        "themes": ["upbringing"],
        "actions": ["advice"],
        "children": [{"age_band": "3-5", "sex": "girl"}],
    }
    assert api.call("post", "/api/v1/inquiries", user="bob", json=body).status_code in (400, 422)
    # The import: a file of the closed year's inquiries.
    import_file = make_import_file(cast.norrebro, actor=cast.alice, content=csv_bytes(ROW, ROW))
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_inquiries(actor=cast.alice, import_file=import_file)
    assert all("2025 er lukket" in " ".join(reasons) for _n, reasons in refused.value.outcome.bad)
    assert refused.value.outcome.bad and refused.value.outcome.imported == 0

    assert Inquiry.objects.filter(centre=cast.norrebro).count() == 6
    target.refresh_from_db()
    assert target.minutes != 45
    assert city_values(cast) == before

    # Under an approved correction the very same form edit goes through.
    approved_correction(cast)
    assert client.post(url, edit).status_code == 302
    target.refresh_from_db()
    assert target.minutes == 45
