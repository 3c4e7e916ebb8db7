"""Demo attestations: the coordinators have attested most of the attested duties of the last
two years, and some of this year's (the rest wait, so the year wheel has something to do).

Demo action plans: three centres have answered requirements they did not meet last year, one
action done, one open and one overdue, so this year's status shows them beside the verdicts."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from forpost.accounts.models import Membership, Role
from forpost.centres.models import Centre
from forpost.core.demo import DemoContext

from .definitions import AttestedMeasure, Scope
from .loader import concept_for_year
from .models import ActionPlan, Attestation, AttestationStatus

ORDER = 60
SLUGS = ("norrebro", "bispebjerg", "valby", "vesterbro", "amager", "osterbro")
COMMENTS = (
    "",
    "",
    "Drøftet på personalemødet i december.",
    "Fælles supervision hver anden uge.",
    "Beskrevet nærmere i årets status.",
)


def build(ctx: DemoContext) -> None:
    made = 0
    for centre in Centre.objects.filter(slug__in=SLUGS).order_by("slug"):
        coordinator = Membership.objects.filter(centre=centre, role=Role.COORDINATOR).select_related("user").first()
        user = coordinator.user if coordinator else None
        for year in (ctx.today.year - 2, ctx.today.year - 1, ctx.today.year):
            version = concept_for_year(year)
            if version is None:
                continue
            attested = [
                r for r in version.requirements if r.scope == Scope.CENTRE and isinstance(r.measure, AttestedMeasure)
            ]
            for requirement in attested:
                # Past years: nearly all attested; this year: only what fell due already, half of it.
                last_month = 12 if year < ctx.today.year else ctx.today.month - 1
                chance = 0.9 if year < ctx.today.year else 0.5
                month = max(requirement.due.deadline_months)
                if month > last_month or ctx.rng.random() > chance:
                    continue
                assert isinstance(requirement.measure, AttestedMeasure)
                day = min(ctx.today, datetime(year, month, 20).date())
                _obj, created = Attestation.objects.get_or_create(
                    centre=centre,
                    year=year,
                    requirement_id=requirement.id,
                    defaults={
                        "concept_id": version.id,
                        "statement": requirement.measure.statement,
                        "comment": ctx.rng.choice(COMMENTS),
                        "attested_by": user,
                        "attested_by_name": user.get_username() if user else "",
                        "attested_at": timezone.make_aware(datetime.combine(day, time(14, 0))),
                        "period_start": date(year, 1, 1),
                        "period_end": day,
                        # Past years are reviewed; this year's await central staff's approval.
                        "status": AttestationStatus.APPROVED if year < ctx.today.year else AttestationStatus.SUBMITTED,
                        "reviewed_by_name": "stab" if year < ctx.today.year else "",
                    },
                )
                made += int(created)
    ctx.say(f"Concepts: {made} attestations made.\n")
    ctx.say(f"Concepts: {_action_plans(ctx)} action plans made.\n")


ACTION_SLUGS = ("norrebro", "valby", "amager")
# What a coordinator would write for the requirements the demo leaves unmet: (what, by whom).
ACTION_TEXTS = {
    "fr2010.frivillige.aarligt_moede": (
        "Årligt møde med de frivillige foreninger i bydelen, holdt i rådgivningens lokaler.",
        "Koordinatoren",
    ),
    "fr2010.frivillige.lokaler": (
        "Tilbyde lokaler til frivillige grupper om aftenen; opslag hos foreningerne.",
        "Koordinatoren",
    ),
    "fr2010.bfe.aarlig_status": ("Skrive rådgivningens egen tekst til årets status inden fristen.", "Koordinatoren"),
    "fr2010.tvaers.moeder": (
        "Deltage i alle fire tværgående møder; datoerne lægges i kalenderen i januar.",
        "Koordinatoren og en rådgiver",
    ),
}
GENERAL = ("Drøfte kravet på personalemødet og beskrive, hvordan rådgivningen arbejder med det.", "Rådgiverne")
# Due and done in days from today (None: open), in turn: done, overdue, open.
TIMES = ((-200, -230, "Gennemført; det fungerer og fortsætter."), (-20, None, ""), (45, None, ""))


def _action_plans(ctx: DemoContext) -> int:
    """Action plans for last year's requirements not met (the first two of each centre's)."""
    from datetime import timedelta

    from .actions import ACTIONABLE
    from .evaluation import evaluate_year

    last = ctx.today.year - 1
    made, times = 0, iter(TIMES * 3)
    for centre in Centre.objects.filter(slug__in=ACTION_SLUGS).order_by("slug"):
        if ActionPlan.objects.filter(centre=centre, year=last).exists():
            continue
        coordinator = Membership.objects.filter(centre=centre, role=Role.COORDINATOR).select_related("user").first()
        user = coordinator.user if coordinator else None
        version = concept_for_year(last)
        unmet = [e for e in evaluate_year(centre, last) if e.outcome in ACTIONABLE]
        unmet = sorted(unmet, key=lambda e: e.requirement.id not in ACTION_TEXTS)[:2]  # the written ones first
        for evaluation in unmet:
            what, who = ACTION_TEXTS.get(evaluation.requirement.id, GENERAL)
            due, done, note = next(times)
            done_on = ctx.today + timedelta(days=done) if done is not None else None
            ActionPlan.objects.create(
                centre=centre,
                year=last,
                concept_id=version.id if version else "",
                requirement_id=evaluation.requirement.id,
                outcome=evaluation.outcome.value,
                what=what,
                responsible=who,
                due_on=ctx.today + timedelta(days=due),
                done_on=done_on,
                done_note=note if done_on is not None else "",
                created_by=user,
                created_by_name=user.get_username() if user else "",
                created_at=timezone.make_aware(datetime.combine(date(ctx.today.year, 1, 20), time(10, 0))),
            )
            made += 1
    return made
