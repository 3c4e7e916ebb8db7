"""Writes of the concepts app: attestations (by the coordinator) and reminders (by cron)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.centres.models import Centre

from .definitions import AttestedMeasure, Scope
from .loader import concept_for_year
from .models import Attestation


@transaction.atomic
def attest_requirement(*, actor: Any, centre: Centre, year: int, requirement_id: str, comment: str = "") -> Attestation:
    """Record that `centre` met an attested requirement of the version in force in `year`.

    The statement is copied from the concept file as the coordinator saw it. Attesting twice
    is refused (withdraw first), so an attestation's time and author always tell the truth.
    """
    version = concept_for_year(year)
    requirement = version.requirement(requirement_id) if version else None
    if requirement is None or requirement.scope != Scope.CENTRE:
        raise ValidationError(_("The concept in force in %(year)s has no such requirement.") % {"year": year})
    if not isinstance(requirement.measure, AttestedMeasure):
        raise ValidationError(_("This requirement is measured by what is registered and cannot be attested."))
    if year > timezone.localdate().year:
        raise ValidationError(_("A year that has not begun cannot be attested."))
    if Attestation.objects.filter(centre=centre, year=year, requirement_id=requirement_id).exists():
        raise ValidationError(_("This requirement is already attested for the year."))
    attestation = Attestation(
        centre=centre,
        year=year,
        concept_id=version.id if version else "",
        requirement_id=requirement_id,
        statement=requirement.measure.statement,
        comment=comment.strip(),
        attested_by=actor,
        attested_by_name=actor.get_username() if actor is not None else "",
        attested_at=timezone.now(),
    )
    attestation.full_clean()
    attestation.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=attestation,
        changes=audit.snapshot(attestation, ["year", "concept_id", "requirement_id", "statement", "comment"]),
    )
    return attestation


@transaction.atomic
def withdraw_attestation(*, actor: Any, attestation: Attestation) -> None:
    before = audit.snapshot(attestation, ["year", "concept_id", "requirement_id", "statement", "comment"])
    audit.record(actor=actor, action=AuditAction.DELETE, obj=attestation, changes=before)
    attestation.delete()
