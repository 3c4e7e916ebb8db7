from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.concepts import services
from forpost.concepts.models import Attestation
from forpost.concepts.testing import ATTESTED_2010

YEAR = 2025


def test_attesting_copies_the_statement_and_is_audited(cast):
    attestation = services.attest_requirement(
        actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id=ATTESTED_2010, comment=" Supervision hver uge "
    )
    assert attestation.statement.startswith("Familierådgivningen har i årets løb arbejdet ud fra")
    assert attestation.concept_id == "familieraadgivning-2010"
    assert attestation.comment == "Supervision hver uge"
    assert (attestation.attested_by, attestation.attested_by_name) == (cast.bob, "bob")
    entry = AuditEntry.objects.get(object_type="concepts.attestation", action=AuditAction.CREATE)
    assert entry.centre_id == cast.norrebro.pk
    assert entry.changes["requirement_id"] == ATTESTED_2010


def test_a_requirement_measured_by_registrations_cannot_be_attested(cast):
    with pytest.raises(ValidationError, match=r"cannot be attested|kan ikke attesteres"):
        services.attest_requirement(
            actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id="fr2010.ydelser.aabningstid"
        )
    assert not Attestation.objects.exists()


def test_an_unknown_or_other_versions_requirement_is_refused(cast):
    for rid in ("fr2010.nothing", "sb2006.metode.samarbejde_familien"):
        with pytest.raises(ValidationError):
            services.attest_requirement(actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id=rid)


def test_the_2006_requirements_are_attested_for_the_2006_years(cast):
    attestation = services.attest_requirement(
        actor=cast.bob, centre=cast.norrebro, year=2008, requirement_id="sb2006.metode.samarbejde_familien"
    )
    assert attestation.concept_id == "servicebutik-2006"


def test_attesting_twice_is_refused(cast):
    services.attest_requirement(actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id=ATTESTED_2010)
    with pytest.raises(ValidationError):
        services.attest_requirement(actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id=ATTESTED_2010)
    assert Attestation.objects.count() == 1


def test_a_future_year_cannot_be_attested(cast):
    with pytest.raises(ValidationError):
        services.attest_requirement(
            actor=cast.bob, centre=cast.norrebro, year=timezone.localdate().year + 1, requirement_id=ATTESTED_2010
        )


def test_a_comment_with_a_cpr_number_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        services.attest_requirement(
            actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id=ATTESTED_2010, comment="Mor 010190-1234"
        )
    assert "comment" in caught.value.message_dict
    assert not Attestation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="concepts.attestation").exists()


def test_withdrawing_deletes_and_is_audited(cast):
    attestation = services.attest_requirement(
        actor=cast.bob, centre=cast.norrebro, year=YEAR, requirement_id=ATTESTED_2010
    )
    services.withdraw_attestation(actor=cast.bob, attestation=attestation)
    assert not Attestation.objects.exists()
    entry = AuditEntry.objects.get(object_type="concepts.attestation", action=AuditAction.DELETE)
    assert entry.changes["requirement_id"] == ATTESTED_2010
