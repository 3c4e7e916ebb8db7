from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.collaboration.testing import make_activity
from forpost.concepts import services
from forpost.concepts.evaluation import Outcome, evaluate_year
from forpost.concepts.models import Attestation, AttestationStatus
from forpost.concepts.testing import ATTESTED_2010

YEAR = 2025
DONE = "Fælles supervision hver uge"


def attest(cast, **kwargs):
    options = {"actor": cast.bob, "centre": cast.norrebro, "year": YEAR, "requirement_id": ATTESTED_2010}
    options["comment"] = DONE
    return services.attest_requirement(**{**options, **kwargs})


def outcome(centre, year=YEAR):
    return {e.requirement.id: e.outcome for e in evaluate_year(centre, year)}[ATTESTED_2010]


def test_attesting_copies_the_statement_and_is_audited(cast):
    attestation = attest(cast, comment=" Supervision hver uge ")
    assert attestation.statement.startswith("Familierådgivningen har i årets løb arbejdet ud fra")
    assert attestation.concept_id == "familieraadgivning-2010"
    assert attestation.comment == "Supervision hver uge"
    assert (attestation.attested_by, attestation.attested_by_name) == (cast.bob, "bob")
    assert (attestation.period_start, attestation.period_end) == (date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert attestation.status == AttestationStatus.SUBMITTED
    entry = AuditEntry.objects.get(object_type="concepts.attestation", action=AuditAction.CREATE)
    assert entry.centre_id == cast.norrebro.pk
    assert entry.changes["requirement_id"] == ATTESTED_2010


def test_an_attestation_without_a_comment_is_refused(cast):
    for empty in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            attest(cast, comment=empty)
        assert "comment" in caught.value.message_dict
    assert not Attestation.objects.exists()


def test_a_requirement_measured_by_registrations_cannot_be_attested(cast):
    with pytest.raises(ValidationError, match=r"cannot be attested|kan ikke attesteres"):
        attest(cast, requirement_id="fr2010.ydelser.aabningstid")
    assert not Attestation.objects.exists()


def test_an_unknown_or_other_versions_requirement_is_refused(cast):
    for rid in ("fr2010.nothing", "sb2006.metode.samarbejde_familien"):
        with pytest.raises(ValidationError):
            attest(cast, requirement_id=rid)


def test_the_2006_requirements_are_attested_for_the_2006_years(cast):
    attestation = attest(cast, year=2008, requirement_id="sb2006.metode.samarbejde_familien")
    assert attestation.concept_id == "servicebutik-2006"


def test_attesting_twice_is_refused(cast):
    attest(cast)
    with pytest.raises(ValidationError):
        attest(cast)
    assert Attestation.objects.count() == 1


def test_a_future_year_cannot_be_attested(cast):
    with pytest.raises(ValidationError):
        attest(cast, year=timezone.localdate().year + 1)


def test_on_the_first_of_january_an_attestation_speaks_for_that_day_only(cast):
    new_year = date(YEAR, 1, 1)
    attestation = attest(cast, today=new_year)
    assert (attestation.period_start, attestation.period_end) == (new_year, new_year)
    assert not attestation.covers_whole_year


def test_a_period_reaching_past_today_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        attest(cast, period_end=date(YEAR, 6, 30), today=date(YEAR, 3, 1))
    assert "period_end" in caught.value.message_dict
    assert not Attestation.objects.exists()


def test_a_period_outside_the_year_is_refused(cast):
    with pytest.raises(ValidationError):
        attest(cast, period_start=date(YEAR - 1, 12, 1))


def test_the_centres_activities_in_the_period_can_be_linked(cast):
    mine = make_activity(cast.norrebro, date=date(YEAR, 3, 4))
    attestation = attest(cast, activity_ids=[mine.pk])
    assert list(attestation.activities.all()) == [mine]


def test_another_centres_or_a_later_activity_cannot_be_linked(cast):
    theirs = make_activity(cast.valby, date=date(YEAR, 3, 4))
    later = make_activity(cast.norrebro, date=date(YEAR, 9, 1))
    for activity in (theirs, later):
        with pytest.raises(ValidationError) as caught:
            attest(cast, period_end=date(YEAR, 6, 30), activity_ids=[activity.pk])
        assert "activities" in caught.value.message_dict
    assert not Attestation.objects.exists()


def test_a_comment_with_a_cpr_number_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        attest(cast, comment="Mor 010190-1234")
    assert "comment" in caught.value.message_dict
    assert not Attestation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="concepts.attestation").exists()


def test_the_status_tells_awaiting_approval_from_approved(cast):
    assert outcome(cast.norrebro) == Outcome.NOT_ATTESTED
    attestation = attest(cast)
    assert outcome(cast.norrebro) == Outcome.ATTESTED_PENDING
    assert not Outcome.ATTESTED_PENDING.fulfils
    services.approve_attestation(actor=cast.erin, attestation=attestation)
    assert outcome(cast.norrebro) == Outcome.ATTESTED
    assert str(Outcome.ATTESTED.label) in ("attested and approved", "attesteret og godkendt")


def test_approving_records_who_and_when_and_is_audited(cast):
    attestation = services.approve_attestation(actor=cast.erin, attestation=attest(cast))
    assert (attestation.status, attestation.reviewed_by, attestation.reviewed_by_name) == (
        "approved",
        cast.erin,
        "erin",
    )
    assert attestation.reviewed_at is not None
    entry = AuditEntry.objects.filter(object_type="concepts.attestation", action=AuditAction.CHANGE).get()
    assert entry.changes["status"] == ["submitted", "approved"]


def test_a_decided_attestation_cannot_be_decided_again(cast):
    attestation = services.approve_attestation(actor=cast.erin, attestation=attest(cast))
    with pytest.raises(ValidationError):
        services.approve_attestation(actor=cast.erin, attestation=attestation)
    with pytest.raises(ValidationError):
        services.return_attestation(actor=cast.erin, attestation=attestation, reason="Mangler")
    assert Attestation.objects.get().status == AttestationStatus.APPROVED


def test_returning_needs_a_reason_and_counts_as_not_attested(cast):
    attestation = attest(cast)
    with pytest.raises(ValidationError):
        services.return_attestation(actor=cast.erin, attestation=attestation, reason="  ")
    services.return_attestation(actor=cast.erin, attestation=attestation, reason="Hvilken supervision?")
    attestation.refresh_from_db()
    assert (attestation.status, attestation.return_reason) == ("returned", "Hvilken supervision?")
    assert outcome(cast.norrebro) == Outcome.NOT_ATTESTED


def test_a_returned_attestation_is_attested_again_and_awaits_approval_once_more(cast):
    first = attest(cast)
    services.return_attestation(actor=cast.erin, attestation=first, reason="Hvilken supervision?")
    again = attest(cast, comment="Supervision ved ekstern konsulent hver anden uge")
    assert again.pk == first.pk
    assert (again.status, again.comment) == ("submitted", "Supervision ved ekstern konsulent hver anden uge")
    entry = (
        AuditEntry.objects.filter(object_type="concepts.attestation", action=AuditAction.CHANGE).order_by("pk").last()
    )
    assert entry.changes["status"] == ["returned", "submitted"]


def test_withdrawing_deletes_and_is_audited(cast):
    services.withdraw_attestation(actor=cast.bob, attestation=attest(cast))
    assert not Attestation.objects.exists()
    entry = AuditEntry.objects.get(object_type="concepts.attestation", action=AuditAction.DELETE)
    assert entry.changes["requirement_id"] == ATTESTED_2010


def test_an_approved_attestation_cannot_be_withdrawn(cast):
    attestation = services.approve_attestation(actor=cast.erin, attestation=attest(cast))
    with pytest.raises(ValidationError):
        services.withdraw_attestation(actor=cast.bob, attestation=attestation)
    assert Attestation.objects.exists()
