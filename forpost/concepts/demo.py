"""Demo attestations: the coordinators have attested most of the attested duties of the last
two years, and some of this year's (the rest wait, so the year wheel has something to do)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from forpost.accounts.models import Membership, Role
from forpost.centres.models import Centre
from forpost.core.demo import DemoContext

from .definitions import AttestedMeasure, Scope
from .loader import concept_for_year
from .models import Attestation, AttestationStatus

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
