"""Factories for the concepts app's tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from forpost.centres.models import Centre

from .models import ActionPlan, Attestation, AttestationStatus

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


def make_action(
    centre: Centre,
    *,
    year: int,
    requirement_id: str = "fr2010.ydelser.aabningstid",
    outcome: str = "not_met",
    what: str = "En ekstra eftermiddag med åben rådgivning.",
    responsible: str = "Koordinatoren",
    due_on: date | None = None,
    done_on: date | None = None,
    done_note: str = "",
) -> ActionPlan:
    """An action plan as the coordinator records it, open unless `done_on` says otherwise."""
    from .loader import concept_for_year

    version = concept_for_year(year)
    return ActionPlan.objects.create(
        centre=centre,
        year=year,
        concept_id=version.id if version else "",
        requirement_id=requirement_id,
        outcome=outcome,
        what=what,
        responsible=responsible,
        due_on=due_on or date(year + 1, 3, 31),
        done_on=done_on,
        done_note=done_note,
    )
