"""Writes of the concepts app: attestations (by the coordinator), their review (by central
staff), action plans (by the coordinator), reminders (by cron), and the concept texts central
staff adopt in the app."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.centres.models import Centre
from forpost.core.locking import save_versioned

from .definitions import AttestedMeasure, Scope
from .loader import concept_for_year
from .models import ActionPlan, Attestation, AttestationStatus, ConceptRevision

AUDITED = ["year", "concept_id", "requirement_id", "statement", "comment", "period_start", "period_end", "status"]


def _activities(centre: Centre, activity_ids: Iterable[int], start: date, end: date) -> list[Any]:
    """The centre's own activities within the period; anything else is refused, not dropped."""
    from forpost.collaboration.models import Activity

    ids = sorted({int(pk) for pk in activity_ids})
    found = list(Activity.objects.filter(pk__in=ids, centre=centre, date__gte=start, date__lte=end))
    if len(found) != len(ids):
        raise ValidationError(
            {"activities": _("Only the centre's own activities within the period attested can be linked.")}
        )
    return found


@transaction.atomic
def attest_requirement(
    *,
    actor: Any,
    centre: Centre,
    year: int,
    requirement_id: str,
    comment: str,
    period_start: date | None = None,
    period_end: date | None = None,
    activity_ids: Iterable[int] = (),
    today: date | None = None,
) -> Attestation:
    """Record that `centre` met an attested requirement of the version in force in `year`.

    The statement is copied from the concept file as the coordinator saw it. The comment says
    what was done; the period (by default the year so far) must have begun, and cannot reach
    past today: nobody attests days that have not come. The attestation then awaits central
    staff's approval. Attesting twice is refused (withdraw first), except after it was returned:
    then attesting again replaces what was returned and awaits approval once more.
    """
    today = today or timezone.localdate()
    version = concept_for_year(year)
    requirement = version.requirement(requirement_id) if version else None
    if requirement is None or requirement.scope != Scope.CENTRE:
        raise ValidationError(_("The concept in force in %(year)s has no such requirement.") % {"year": year})
    if not isinstance(requirement.measure, AttestedMeasure):
        raise ValidationError(_("This requirement is measured by what is registered and cannot be attested."))
    if year > today.year:
        raise ValidationError(_("A year that has not begun cannot be attested."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the centre did: an attestation needs a comment.")})
    start = period_start or date(year, 1, 1)
    end = period_end or min(today, date(year, 12, 31))
    if start.year != year or end.year != year or end < start:
        raise ValidationError({"period_end": _("The period must lie within %(year)s.") % {"year": year}})
    if end > today:
        raise ValidationError(
            {
                "period_end": _(
                    "An attestation can speak only for days that have come: the period ends today at the latest."
                )
            }
        )
    from forpost.centres.closing import ensure_open

    ensure_open(day=end, centre=centre)
    existing = (
        Attestation.objects.select_for_update().filter(centre=centre, year=year, requirement_id=requirement_id).first()
    )
    if existing is not None and existing.status != AttestationStatus.RETURNED:
        raise ValidationError(_("This requirement is already attested for the year."))
    activities = _activities(centre, activity_ids, start, end)
    attestation = existing or Attestation(centre=centre, year=year, requirement_id=requirement_id)
    before = audit.snapshot(attestation, [*AUDITED, "return_reason"]) if existing else None
    attestation.concept_id = version.id if version else ""
    attestation.statement = requirement.measure.statement
    attestation.comment = comment
    attestation.period_start, attestation.period_end = start, end
    attestation.status = AttestationStatus.SUBMITTED
    attestation.attested_by = actor
    attestation.attested_by_name = actor.get_username() if actor is not None else ""
    attestation.attested_at = timezone.now()
    attestation.full_clean()
    attestation.save()
    attestation.activities.set(activities)
    after = {**audit.snapshot(attestation, AUDITED), "activities": [a.pk for a in activities]}
    if before is None:
        audit.record(actor=actor, action=AuditAction.CREATE, obj=attestation, changes=after)
    else:
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=attestation, changes=audit.diff(before, after))
    return attestation


@transaction.atomic
def withdraw_attestation(*, actor: Any, attestation: Attestation) -> None:
    """The coordinator takes back an attestation not yet approved; an approved one stands
    (central staff decided on it) and is corrected, not withdrawn."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.status == AttestationStatus.APPROVED:
        raise ValidationError(_("An approved attestation cannot be withdrawn."))
    from forpost.centres.closing import ensure_open

    ensure_open(day=attestation.period_end or date(attestation.year, 12, 31), centre=attestation.centre_id)
    before = audit.snapshot(attestation, AUDITED)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=attestation, changes=before)
    attestation.delete()


@transaction.atomic
def approve_attestation(*, actor: Any, attestation: Attestation) -> Attestation:
    """Central staff accept the attestation: from now on it fulfils the requirement."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.status != AttestationStatus.SUBMITTED:
        raise ValidationError(_("This attestation is not awaiting approval."))
    return _decide(actor=actor, attestation=attestation, status=AttestationStatus.APPROVED, reason="")


@transaction.atomic
def return_attestation(*, actor: Any, attestation: Attestation, reason: str) -> Attestation:
    """Central staff send the attestation back with a reason; the coordinator may attest again."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.status != AttestationStatus.SUBMITTED:
        raise ValidationError(_("This attestation is not awaiting approval."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the attestation is returned.")})
    return _decide(actor=actor, attestation=attestation, status=AttestationStatus.RETURNED, reason=reason)


def _decide(*, actor: Any, attestation: Attestation, status: AttestationStatus, reason: str) -> Attestation:
    before = audit.snapshot(attestation, ["status", "return_reason"])
    attestation.status = status
    attestation.return_reason = reason
    attestation.reviewed_by = actor
    attestation.reviewed_by_name = actor.get_username() if actor is not None else ""
    attestation.reviewed_at = timezone.now()
    attestation.full_clean()
    attestation.save()
    after = audit.snapshot(attestation, ["status", "return_reason"])
    audit.record(actor=actor, action=AuditAction.CHANGE, obj=attestation, changes=audit.diff(before, after))
    return attestation


# --- Action plans ----------------------------------------------------------------------------

ACTION_AUDITED = [
    "year",
    "concept_id",
    "requirement_id",
    "outcome",
    "what",
    "responsible",
    "due_on",
    "done_on",
    "done_note",
]
ACTION_FIELDS = frozenset({"what", "responsible", "due_on", "done_on", "done_note"})


def _ensure_plannable(*, centre: Any, year: int) -> None:
    """An action plan for `year` is planning for the year after, and that year's status shows it.
    Closing `year` therefore does not stop it (nothing dated in `year` changes); closing the
    year after does, as for anything that year's closed status shows, unless a correction is
    open for the centre."""
    from forpost.centres.closing import ensure_open

    ensure_open(day=date(year + 1, 1, 1), centre=centre)


@transaction.atomic
def record_action(
    *,
    actor: Any,
    centre: Centre,
    year: int,
    requirement_id: str,
    what: str,
    responsible: str,
    due_on: date,
    today: date | None = None,
) -> ActionPlan:
    """Record what `centre` will do about a requirement of `year` it did not meet, or met only
    partly (or did not attest): what, by whom and by when. The verdict it answers is judged now,
    as the centre's scorecard judges it, and kept with the action."""
    from .actions import ACTIONABLE, actionable_requirement, verdict

    today = today or timezone.localdate()
    requirement = actionable_requirement(year, requirement_id)
    if requirement is None:
        raise ValidationError(
            _("The concept in force in %(year)s has no such requirement of the centre.") % {"year": year}
        )
    if year > today.year:
        raise ValidationError(_("A year that has not begun has no verdict to act on."))
    outcome = verdict(centre, year, requirement)
    if outcome not in ACTIONABLE:
        raise ValidationError(
            _("The requirement reads “%(outcome)s” for %(year)s: an action plan answers one not met or partly met.")
            % {"outcome": outcome.label, "year": year}
        )
    _ensure_plannable(centre=centre, year=year)
    version = concept_for_year(year)
    action = ActionPlan(
        centre=centre,
        year=year,
        concept_id=version.id if version else "",
        requirement_id=requirement.id,
        outcome=outcome.value,
        what=what.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
        created_by=actor,
        created_by_name=actor.get_username() if actor is not None else "",
    )
    action.full_clean()
    action.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=action, changes=audit.snapshot(action, ACTION_AUDITED))
    return action


@transaction.atomic
def change_action(*, actor: Any, action: ActionPlan, expected_version: int, **fields: Any) -> ActionPlan:
    """Change what, by whom and by when (and, once done, when and how it was done; clearing the
    day it was done opens the action again). Written only if nobody saved it since the editor
    loaded `expected_version` (else locking.Conflict)."""
    unknown = set(fields) - ACTION_FIELDS
    if unknown:
        raise ValueError(f"Not a field an action plan's editor changes: {sorted(unknown)}")
    _ensure_plannable(centre=action.centre_id, year=action.year)
    # As stored: a model form has set the editor's values on `action` already.
    before = audit.snapshot(ActionPlan.objects.get(pk=action.pk), ACTION_AUDITED)
    for name, value in fields.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    action.full_clean()
    save_versioned(action, expected_version=expected_version, fields=list(fields))
    changes = audit.diff(before, audit.snapshot(action, ACTION_AUDITED))
    if changes:
        audit.record(actor=actor, action=AuditAction.CHANGE, obj=action, changes=changes)
    return action


@transaction.atomic
def mark_action_done(
    *, actor: Any, action: ActionPlan, expected_version: int, done_on: date, note: str = ""
) -> ActionPlan:
    """The coordinator marks the action done, on a day that has come, with a note on how it went."""
    if action.is_done:
        raise ValidationError(_("This action is already marked done."))
    return change_action(actor=actor, action=action, expected_version=expected_version, done_on=done_on, done_note=note)


@transaction.atomic
def adopt_concept(*, actor: Any, text: str, valid_from: date, note: str = "") -> ConceptRevision:
    """Adopt a concept text from `valid_from`: a new version (a new id), or a changed reading
    of a version (its id). Checked as every concept file is, and against the versions in force;
    stored as it was checked, with its SHA-256, and audited. The loader uses it from then on
    for every day from `valid_from`; the shipped files stay as they are."""
    from . import editing, loader

    checked = editing.check_text(text, valid_from=valid_from)
    if not checked.ok:
        errors: dict[str, list[str]] = {}
        if checked.problems:
            errors["text"] = [
                _("Line %(line)s: %(problem)s") % {"line": p.line, "problem": p.message} if p.line else p.message
                for p in checked.problems
            ]
        if checked.date_problems:
            errors["valid_from"] = checked.date_problems
        raise ValidationError(errors or _("The text cannot be adopted."))
    assert checked.version is not None
    replaces = checked.replaces
    revision = ConceptRevision(
        concept_id=checked.version.id,
        text=checked.text,
        sha256=checked.sha256,
        valid_from=valid_from,
        note=note.strip(),
        created_by=actor,
        created_by_name=actor.get_username() if actor is not None else "",
    )
    revision.full_clean()
    revision.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=revision,
        changes={
            "concept_id": revision.concept_id,
            "valid_from": revision.valid_from,
            "sha256": revision.sha256,
            "note": revision.note,
            "replaces": {
                "concept_id": replaces.version.id if replaces else "",
                "revision": replaces.revision if replaces else None,
                "sha256": editing.sha256(editing.normalised(replaces.text)) if replaces else "",
            },
        },
    )
    # This process reads the new list at once; the others at their next request or job.
    loader.forget_stored()
    transaction.on_commit(loader.forget_stored)
    return revision
