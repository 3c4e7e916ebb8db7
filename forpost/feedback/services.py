"""Writing a feedback answer, with the flood protection.

Three guards, all kept in the database (several app servers share it; no process state):
- one answer per device and day: a keyed hash of the card's device cookie (or, without one,
  the address and browser), the centre and the day, unique among the marks;
- a throttle: at most FEEDBACK_PER_ADDRESS_PER_HOUR answers from one address an hour, and
  FEEDBACK_PER_CENTRE_PER_HOUR to one centre;
- a honeypot field (forms.py): a filled one is thanked and nothing is stored.

The marks are HMACs with the secret key, so a mark cannot be turned back into an address,
and they are deleted after two days. They are never linked to a response.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.registrations.counts import apply_change, feedback_facts

from .models import Answer, FloodMark, Question, QuestionSet, Response

MARK_LIFETIME = timedelta(days=2)


class Refused(Exception):
    """The answer is not stored; the message says why, in the page's language."""


class AlreadyAnswered(Refused):
    pass


class Throttled(Refused):
    pass


def per_address_per_hour() -> int:
    return int(getattr(settings, "FEEDBACK_PER_ADDRESS_PER_HOUR", 10))


def per_centre_per_hour() -> int:
    return int(getattr(settings, "FEEDBACK_PER_CENTRE_PER_HOUR", 200))


def _mark(*parts: Any) -> str:
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def current_questions(day: Any = None) -> tuple[QuestionSet | None, list[Question]]:
    question_set = QuestionSet.objects.in_force_on(day or timezone.localdate()).first()
    if question_set is None:
        return None, []
    return question_set, list(question_set.questions.order_by("position", "id"))


@transaction.atomic
def submit_feedback(
    *,
    centre: Any,
    question_set: QuestionSet,
    answers: dict[Question, str],
    comment: str,
    device: str,
    address: str,
) -> Response:
    now = timezone.now()
    day = timezone.localdate(now)
    FloodMark.objects.filter(created_at__lt=now - MARK_LIFETIME).delete()
    address_key = _mark("address", address)
    hour_ago = now - timedelta(hours=1)
    if FloodMark.objects.filter(kind="address", key=address_key, created_at__gte=hour_ago).count() >= (
        per_address_per_hour()
    ):
        raise Throttled(_("Many answers have come from your connection in the last hour. Please try again later."))
    if FloodMark.objects.filter(kind=f"centre{centre.pk}", created_at__gte=hour_ago).count() >= per_centre_per_hour():
        raise Throttled(_("The card has had very many answers in the last hour. Please try again later."))
    try:
        with transaction.atomic():
            FloodMark.objects.create(kind="device", key=_mark("device", device or address, centre.pk, day))
    except IntegrityError as exc:
        raise AlreadyAnswered(_("Thank you: we already have your answer for today.")) from exc
    FloodMark.objects.create(kind="address", key=address_key)
    FloodMark.objects.create(kind=f"centre{centre.pk}", key="")
    response = Response(centre=centre, question_set=question_set, answered_on=day, comment=comment.strip())
    response.full_clean()
    response.save()
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value) for question, value in answers.items()
    )
    # The status's kept counts, in the same transaction (the save above raised the data version).
    counted = feedback_facts(centre.pk, day, ((question.pk, value) for question, value in answers.items()))
    apply_change(None, counted, version_raised=True)
    return response


def erase_old_comments(*, today: Any = None) -> tuple[int, int]:
    """Erase the comments older than NOTE_RETENTION_MONTHS (as notes are; the answers stay,
    they are counts) and the flood marks older than two days. Returns (comments, marks)."""
    from forpost.registrations.services import retention_plan

    today = today or timezone.localdate()
    before = retention_plan(today).notes_before
    comments = Response.objects.filter(answered_on__lt=before).exclude(comment="").update(comment="")
    marks, _by_model = FloodMark.objects.filter(created_at__lt=timezone.now() - MARK_LIFETIME).delete()
    return comments, marks
