from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from forpost.centres.models import Centre
from forpost.core import locking
from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import DateField, Form, ModelForm
from forpost.core.idempotency import SubmissionTokenField
from forpost.core.locking import VersionFormField

from .models import ACTION_TEXT_MAX_LENGTH, COMMENT_MAX_LENGTH, ActionPlan


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
        choices = [(str(a.pk), f"{formats.date_format(a.date, 'SHORT_DATE_FORMAT')} · {a.type}") for a in activities]
        self.fields["activities"].choices = choices  # type: ignore[attr-defined]

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


# --- Action plans ----------------------------------------------------------------------------


class ActionPlanForm(ModelForm):
    """What will be done, by whom and by when; once done, also when and how it went (clearing
    the day opens it again). Creating carries the one-time token, editing the version."""

    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = ActionPlan
        fields = ["what", "responsible", "due_on", "done_on", "done_note"]
        widgets = {"what": forms.Textarea(attrs={"rows": 3}), "done_note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"due_on": DateField, "done_on": DateField}

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = date(year, 1, 1)
        self.fields["due_on"].bound(  # type: ignore[attr-defined]
            earliest=first, too_early=_("The date is before the year the action answers (%(earliest)s).")
        )
        self.fields["responsible"].widget.attrs["autocomplete"] = "organization-title"
        if self.instance.pk is None or self.instance.done_on is None:
            # Marked done on its own form (ActionDoneForm); here only once it is done.
            del self.fields["done_on"], self.fields["done_note"]
        else:
            self.fields["done_on"].bound(earliest=first, latest=timezone.localdate)  # type: ignore[attr-defined]
            self.fields["done_on"].help_text = _("Empty the date to open the action again.")
        locking.prepare_form(self, self.instance)


class ActionDoneForm(Form):
    """Mark an action done: the day and a note on how it went."""

    version = VersionFormField(required=False)
    done_on = DateField(label=_("Done on"))
    note = AnonymousTextField(
        label=_("What was done"),
        max_length=ACTION_TEXT_MAX_LENGTH,
        help_text=_("How it went. No names, CPR numbers, addresses or phone numbers of citizens."),
    )

    def __init__(self, *args: Any, year: int, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].bound(  # type: ignore[attr-defined]
            earliest=date(year, 1, 1),
            latest=today,
            too_late=_("An action is done on a day that has come, today at the latest."),
        )


ACTION_STATES = (
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("done", _("Done")),
    ("all", _("All")),
)


class ActionFilterForm(Form):
    """Central staff's list across the city: by centre, requirement, year and state."""

    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False, empty_label=_("All centres")
    )
    requirement = forms.ChoiceField(label=_("Requirement"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), choices=ACTION_STATES, required=False)

    def __init__(self, *args: Any, centres: Any, requirements: list[Any], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        self.fields["requirement"].choices = [("", _("All requirements")), *requirements]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]


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
