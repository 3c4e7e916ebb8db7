from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import DateField, Form
from forpost.core.idempotency import SubmissionTokenField

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


MAX_CONCEPT_BYTES = 1024 * 1024


class ConceptTextForm(Form):
    """A concept text to adopt from a date: typed (or pasted) in the textarea, or uploaded."""

    valid_from = DateField(
        label=_("In force from"),
        help_text=_("The first day the text applies to. A year is measured against the text in force on 31 December."),
    )
    note = AnonymousTextField(
        label=_("Note"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        help_text=_("Why the concept changes, e.g. the decision behind it."),
    )
    upload = forms.FileField(
        label=_("Upload a concept file"),
        required=False,
        help_text=_("A YAML file (.yaml). It replaces the text below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )
    text = forms.CharField(
        label=_("The concept file (YAML)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "fp-code", "wrap": "off"}),
    )
    # What the preview showed ("<sha-256>:<date>"): only that can be confirmed.
    previewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    submission_token = SubmissionTokenField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            if not (upload.name or "").lower().endswith((".yaml", ".yml")):
                self.add_error("upload", _("Upload a YAML file (.yaml)."))
            elif upload.size > MAX_CONCEPT_BYTES:
                self.add_error("upload", _("The file is larger than 1 MB."))
            else:
                try:
                    data["text"] = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    self.add_error("upload", _("The file is not UTF-8 text."))
        if not self.errors and not (data.get("text") or "").strip():
            self.add_error("text", _("Paste or type the concept file, or upload it."))
        return data
