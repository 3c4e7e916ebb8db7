"""The families' own voice: a short anonymous feedback card per centre.

The 2006 paper wants the centres to strengthen "dialogen mellem brugere og beslutningstagere"
and to build "bro mellem borger og system". A family reaches the card by a QR code on a poster
or a card in the centre, answers a few questions without logging in, and may add one short
comment (guarded like every free text).

Nothing here can identify who answered: a response holds its centre, its day, the version of
the questions and the answers. The marks that stop flooding (one answer per device and day, a
throttle per address) are keyed hashes kept apart from the responses, never joined to them,
and deleted after two days (see services.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import ANONYMOUS_TEXT_VALIDATORS

COMMENT_MAX_LENGTH = 300


class QuestionSetQuerySet(models.QuerySet["QuestionSet"]):
    def in_force_on(self, day: object) -> QuestionSetQuerySet:
        return self.filter(valid_from__lte=day).order_by("-valid_from", "-version")


class QuestionSet(models.Model):
    """One version of the card's questions, kept by central staff. A new wording is a new
    version, so every answer stays tied to the words it answered."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    valid_from = models.DateField(_("in use from"), default=timezone.localdate)
    note = models.CharField(_("what changed"), max_length=200, blank=True, validators=ANONYMOUS_TEXT_VALIDATORS)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("version of the feedback questions")
        verbose_name_plural = _("versions of the feedback questions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Questions, version %(n)s") % {"n": self.version}


class Question(models.Model):
    """A question answered yes / partly / no. Its text is given in each public language
    (translation.py); Danish is required."""

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="questions", verbose_name=_("version")
    )
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")
        ordering = ["question_set", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["question_set", "code"], name="question_code_once_per_set")]

    def __str__(self) -> str:
        return self.text


class AnswerValue(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class ResponseQuerySet(models.QuerySet["Response"]):
    # What the status's kept counts depend on (forpost.registrations.counts.feedback_facts).
    COUNTED_FIELDS = frozenset({"centre", "centre_id", "answered_on"})

    def update(self, **kwargs: Any) -> int:
        """A bulk change of a card's centre or day moves its counts in the same transaction
        (services.submit_feedback counts a new card); other fields count for nothing."""
        if not self.COUNTED_FIELDS & set(kwargs):
            return super().update(**kwargs)
        from forpost.registrations.counts import apply_change

        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            before = counted_responses(ids)
            changed = super().update(**kwargs)
            apply_change(before, counted_responses(ids))
        return changed


def counted_responses(ids: list[int]) -> list[tuple[int, int, Counter[tuple[str, str]]]]:
    """What the cards `ids` count for as they stand in the database now."""
    from forpost.registrations.counts import feedback_facts

    answers: dict[int, list[tuple[int, str]]] = {}
    for response_id, question_id, value in Answer.objects.filter(response_id__in=ids).values_list(
        "response_id", "question_id", "value"
    ):
        answers.setdefault(response_id, []).append((question_id, value))
    return [
        feedback_facts(centre_id, day, answers.get(pk, []))
        for pk, centre_id, day in Response.objects.filter(pk__in=ids).values_list("pk", "centre_id", "answered_on")
    ]


class Response(models.Model):
    """One family's answer to the card. No time of day, no device, no address."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("centre")
    )
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="responses", verbose_name=_("version")
    )
    answered_on = models.DateField(_("answered on"), default=timezone.localdate, db_index=True)
    comment = models.TextField(
        _("comment"), blank=True, max_length=COMMENT_MAX_LENGTH, validators=ANONYMOUS_TEXT_VALIDATORS
    )

    objects = ResponseQuerySet.as_manager()

    centre_path: ClassVar[str] = "centre"

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        ordering = ["-answered_on", "-id"]
        indexes = [models.Index(fields=["centre", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.answered_on:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"))
    value = models.CharField(_("answer"), max_length=10, choices=AnswerValue.choices)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return self.value


class FloodMark(models.Model):
    """A keyed hash that a device or an address answered: kept apart from the responses and
    deleted after two days. `kind` "device" is unique per device, centre and day; "address"
    rows are counted for the throttle."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("flood mark")
        verbose_name_plural = _("flood marks")
        indexes = [models.Index(fields=["kind", "key", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], condition=models.Q(kind="device"), name="flood_mark_one_device_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"
