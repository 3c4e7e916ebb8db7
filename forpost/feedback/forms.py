from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import AnonymousTextField

from .models import COMMENT_MAX_LENGTH, AnswerValue, Question


class FeedbackForm(forms.Form):
    """The card: one yes / partly / no per question, an optional comment, and a honeypot."""

    comment = AnonymousTextField(
        label=_("Anything else you want to tell us? (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("Please write no names, phone numbers or addresses. We cannot answer you here."),
    )
    # The honeypot: hidden from people (and from screen readers), filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    # A signed token (idempotency.issue_anonymous): longer than a stored one-time token.
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        answered: dict[str, forms.Field] = {}
        for question in questions:
            answered[self.field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=AnswerValue.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
            )
        # The questions first, then the comment.
        self.fields = {**answered, **self.fields}
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q_{question.code}"

    @property
    def question_fields(self) -> list[Any]:
        return [self[self.field_name(q)] for q in self.questions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_robot() and not self.answers() and not (data.get("comment") or "").strip():
            raise forms.ValidationError(_("Answer at least one question, or write a comment."))
        return data

    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def answers(self) -> dict[Question, str]:
        data = getattr(self, "cleaned_data", {})
        return {q: data[self.field_name(q)] for q in self.questions if data.get(self.field_name(q))}
