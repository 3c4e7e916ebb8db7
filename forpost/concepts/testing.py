"""Factories for the concepts app's tests."""

from __future__ import annotations

from typing import Any

from forpost.centres.models import Centre

from .models import Attestation, AttestationStatus

ATTESTED_2010 = "fr2010.metode.anerkendende"


def make_attestation(
    centre: Centre,
    *,
    year: int,
    requirement_id: str = ATTESTED_2010,
    by: Any = None,
    comment: str = "",
    status: AttestationStatus = AttestationStatus.APPROVED,
) -> Attestation:
    """An attestation as it stands after review: approved unless `status` says otherwise."""
    from .loader import concept_for_year

    version = concept_for_year(year)
    requirement = version.requirement(requirement_id) if version else None
    statement = getattr(getattr(requirement, "measure", None), "statement", "")
    return Attestation.objects.create(
        centre=centre,
        year=year,
        concept_id=version.id if version else "",
        requirement_id=requirement_id,
        statement=statement,
        comment=comment,
        status=status,
        attested_by=by,
        attested_by_name=by.get_username() if by is not None else "",
    )
