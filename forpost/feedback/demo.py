"""Demo data for the rest of the papers (issue 19) that needs both registrations and the
directory of offers, and so is made here, in the layer above both: the families' answers to
the feedback card, and families guided on to offers with the contact that followed.

Runs after registrations and collaboration (ORDER 40) and before the counts are rebuilt
(reports, ORDER 95). Chance comes from a generator derived from ctx.rng without drawing from
it, so the rest of the demo stays as it was. Idempotent: nothing is added where answers or
referrals to offers already exist.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from forpost.centres.models import Centre
from forpost.collaboration.models import Offer
from forpost.core.demo import DemoContext
from forpost.registrations.models import Course, Inquiry, OfferContact, Referral, ReferralDestination

from .models import Answer, AnswerValue, QuestionSet, Response

ORDER = 50

# Answers a year at each demo centre. Valby's few are below the publishing threshold, so the
# status shows them suppressed outside the centre.
CARDS_A_YEAR = {"norrebro": 42, "bispebjerg": 26, "valby": 3, "vesterbro": 17, "amager": 11, "osterbro": 8}
COMMENTS = [
    "Rart at man bare kan komme ind uden aftale.",
    "Jeg følte mig lyttet til, og vi fik gode råd om sengetider.",
    "Svært at finde indgangen første gang.",
    "Tak for hjælpen. Vi kommer gerne igen.",
    "Det hjalp at tale med en, der ikke kender os.",
]
# How often a counsellor learns each outcome from an offer that agreed to follow-up.
CONTACT_WEIGHTS = {OfferContact.MADE: 55, OfferContact.NOT_MADE: 20, OfferContact.UNKNOWN: 10, "": 15}


def build(ctx: DemoContext) -> None:
    if ctx.scale:
        return
    centres = list(Centre.objects.filter(slug__in=list(CARDS_A_YEAR)).order_by("pk"))
    if not centres:
        return
    rng = random.Random(repr(ctx.rng.getstate()) + "feedback")
    with transaction.atomic():
        cards = _cards(ctx, rng, centres)
        guided = _offer_referrals(ctx, rng, centres)
    ctx.say(f"The families' voice and offers: {cards} feedback cards, {guided} families guided on to offers.\n")


def _cards(ctx: DemoContext, rng: random.Random, centres: list[Centre]) -> int:
    if Response.objects.exists():
        return 0
    question_set = QuestionSet.objects.order_by("version").first()
    if question_set is None:
        return 0
    questions = list(question_set.questions.order_by("position"))
    first_day = max(question_set.valid_from, date(ctx.today.year - 1, 1, 1))
    span = (ctx.today - first_day).days
    values = list(AnswerValue)
    responses: list[tuple[Response, list[tuple[Any, Any]]]] = []
    for centre in centres:
        for _ in range(round(CARDS_A_YEAR[centre.slug] * span / 365)):
            day = first_day + timedelta(days=rng.randint(0, span))
            recent = (ctx.today - day).days < 60
            comment = rng.choice(COMMENTS) if recent and rng.random() < 0.3 else ""
            answers = [(q, rng.choices(values, (70, 20, 10))[0]) for q in questions if rng.random() < 0.95]
            responses.append(
                (Response(centre=centre, question_set=question_set, answered_on=day, comment=comment), answers)
            )
    made = Response.objects.bulk_create([r for r, _ in responses])
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value)
        for response, (_, answers) in zip(made, responses, strict=True)
        for question, value in answers
    )
    return len(made)


def _offer_referrals(ctx: DemoContext, rng: random.Random, centres: list[Centre]) -> int:
    if Referral.objects.filter(destination=ReferralDestination.OFFER).exists():
        return 0
    referrals = []
    for centre in centres:
        offers = list(Offer.objects.active().filter(Q(centre__isnull=True) | Q(centre=centre)).order_by("pk"))
        if not offers:
            continue
        origins: list[tuple[Inquiry | None, Course | None, date]] = [
            (inquiry, None, inquiry.date)
            for inquiry in Inquiry.objects.filter(centre=centre).order_by("pk")
            if rng.random() < 0.04
        ]
        origins += [
            (None, course, min(ctx.today, course.started_on + timedelta(days=rng.randint(7, 35))))
            for course in Course.objects.filter(centre=centre).order_by("pk")
            if rng.random() < 0.15
        ]
        for inquiry, course, day in origins:
            offer = rng.choice(offers)
            contact = ""
            if offer.follow_up_agreed and (ctx.today - day).days > 14:
                contact = rng.choices(list(CONTACT_WEIGHTS), list(CONTACT_WEIGHTS.values()))[0]
            referrals.append(
                Referral(
                    centre=centre,
                    inquiry=inquiry,
                    course=course,
                    destination=ReferralDestination.OFFER,
                    made_on=day,
                    offer=offer,
                    offer_kind=offer.kind,
                    offer_contact=contact,
                )
            )
    Referral.objects.bulk_create(referrals, batch_size=2000)
    return len(referrals)
