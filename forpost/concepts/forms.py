from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import DateField, Form

from .models import COMMENT_MAX_LENGTH


class AttestationForm(Form):
    comment = AnonymousTextField(
        label=_("What the centre did"),
        max_length=COMMENT_MAX_LENGTH,
        required=True,
        help_text=_(
            "Required: how the centre worked on it this year. No names, CPR numbers, addresses or phone numbers."
        ),
    )
    period_start = DateField(label=_("From"), required=False, help_text=_("Empty: 1 January."))
    period_end = DateField(label=_("To"), required=False, help_text=_("Empty: today, or 31 December for a past year."))
    activities = forms.MultipleChoiceField(
        label=_("Activities that show it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the centre's activities in the period."),
    )

    def __init__(self, *args: Any, year: int, today: date, activities: list[Any], **kwargs: Any) -> None:
        last = min(today, date(year, 12, 31))
        kwargs.setdefault("initial", {"period_start": date(year, 1, 1), "period_end": last})
        super().__init__(*args, **kwargs)
        first = date(year, 1, 1)
        self.fields["period_start"].bound(earliest=first, latest=last)  # type: ignore[attr-defined]
        self.fields["period_end"].bound(  # type: ignore[attr-defined]
            earliest=first,
            latest=last,
            too_late=_(
                "An attestation can speak only for days that have come: the period ends %(latest)s at the latest."
            ),
        )
        self.fields["activities"].choices = [(str(a.pk), f"{a.date:%d-%m-%Y} · {a.type}") for a in activities]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end date is before the start date."))
        return data


class ReturnForm(Form):
    reason = AnonymousTextField(
        label=_("Reason for returning"),
        max_length=COMMENT_MAX_LENGTH,
        required=True,
        help_text=_("Tell the coordinator what is missing. No names, CPR numbers, addresses or phone numbers."),
    )
