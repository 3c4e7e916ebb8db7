"""Reads for action plans: which verdicts call for one, a requirement's verdict for one centre,
and the actions the next year's status shows beside each requirement.

    ACTIONABLE                                 the verdicts that call for an action plan
    actionable_requirement(year, rid)          the requirement, if an action plan may answer it
    verdict(centre, year, requirement)         how it stands for the centre over the year
    requirement_label(year, rid)               its label in the concept of that year
    actions_answering(centre_ids, year)        the actions the next year's status shows
    scorecard_links(...)                       "Add action" beside each unmet requirement

Writes are in forpost.concepts.services (record_action, change_action, mark_action_done).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forpost.core.periods import Period

from .definitions import Requirement, Scope, Strength
from .evaluation import IndicatorCache, Outcome, evaluate
from .loader import concept_for_year

# Not met, partly met, and a statement the coordinator did not attest: each asks what will be
# done. A verdict awaiting approval, or "no data", asks nothing yet; a "kan" item never does.
ACTIONABLE = frozenset({Outcome.NOT_MET, Outcome.PARTLY_MET, Outcome.NOT_ATTESTED})


def actionable_requirement(year: int, requirement_id: str) -> Requirement | None:
    """The centre requirement of the concept in force in `year` an action plan may answer."""
    version = concept_for_year(year)
    requirement = version.requirement(requirement_id) if version else None
    if requirement is None or requirement.scope != Scope.CENTRE or requirement.strength == Strength.MAY:
        return None
    return requirement


def verdict(centre: Any, year: int, requirement: Requirement, *, cache: IndicatorCache | None = None) -> Outcome:
    """How `requirement` stands for `centre` over `year` (up to today, for the current year),
    exactly as the centre's scorecard judges it."""
    from .models import Attestation

    period = Period.year(year)
    attestation = Attestation.objects.filter(centre=centre, year=year, requirement_id=requirement.id).first()
    result = evaluate(
        requirement,
        centre_ids=[centre.pk],
        start=period.start,
        end=period.end,
        attestation=attestation,
        cache=cache or IndicatorCache(evidence=False),
    )
    return result.outcome


def requirement_label(year: int, requirement_id: str) -> str:
    """The requirement's label in the concept of `year`, or its id when the file no longer has it."""
    version = concept_for_year(year)
    requirement = version.requirement(requirement_id) if version else None
    return str(requirement.label) if requirement is not None else requirement_id


def actions_answering(centre_ids: Any, year: int) -> list[Any]:
    """The action plans recorded for the centres' requirements of `year`, by requirement and date."""
    from .models import ActionPlan

    return list(
        ActionPlan.objects.filter(centre_id__in=list(centre_ids), year=year).order_by("requirement_id", "due_on", "pk")
    )


def scorecard_links(*, user: Any, centre: Any, year: int, outcomes: Mapping[str, Any]) -> dict[str, str]:
    """For the centre's status page: {requirement id: the "Add action" link} beside each
    requirement the centre did not meet, or met only partly, when the user is its coordinator."""
    from django.urls import reverse
    from django.utils import timezone

    from forpost.accounts.scoping import MANAGE, access_for

    if centre.pk not in (access_for(user).centre_ids(MANAGE) or ()) or year > timezone.localdate().year:
        return {}
    return {
        requirement_id: reverse("concepts:action_create", args=[centre.slug, year, requirement_id])
        for requirement_id, outcome in outcomes.items()
        if outcome in ACTIONABLE and actionable_requirement(year, requirement_id) is not None
    }
