"""Forms for a centre's hours, closures, staffing and budget. Checks that need the database
are repeated by the services inside their transaction; the forms give the early, clear message."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import ANONYMOUS_TEXT_VALIDATORS
from forpost.core.forms import DateField, Form
from forpost.core.idempotency import SubmissionTokenField
from forpost.core.locking import VersionFormField

from . import hours
from .models import Centre, OpeningHoursPattern, RosterEntry, SlotKind, StaffRole, Weekday
from .services import find_overlapping_pattern, overlap_message


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class PatternForm(Form):
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)
    valid_from = DateField(label=_("Valid from"))
    valid_to = DateField(label=_("Valid to"), required=False, help_text=_("Last day; empty means open-ended."))

    def __init__(self, *args: Any, centre: Centre, pattern: OpeningHoursPattern | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.pattern = pattern

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("The last day is before the first day."))
        elif first:
            other = find_overlapping_pattern(self.centre, first, last, exclude=self.pattern)
            if other is not None:
                raise forms.ValidationError(overlap_message(other), code="overlap")
        return data


class SlotForm(Form):
    """One row of the weekly pattern. A blank row is ignored."""

    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", "—"), *Weekday.choices], coerce=int, required=False, empty_value=None
    )
    starts_at = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("To"), required=False, widget=TimeInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=SlotKind.choices, initial=SlotKind.DROP_IN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(name) not in (None, "") for name in ("weekday", "starts_at", "ends_at")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the weekday, the start and the end, or leave the row empty."))
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("A time slot must end after it starts."))
        return data

    def slot(self) -> hours.WeeklySlot | None:
        data = getattr(self, "cleaned_data", {})
        if data.get("weekday") is None or not data.get("starts_at") or not data.get("ends_at"):
            return None
        return hours.WeeklySlot(data["weekday"], data["starts_at"], data["ends_at"], data["kind"])


class BaseSlotFormSet(forms.BaseFormSet):  # type: ignore[type-arg,unused-ignore]
    def clean(self) -> None:
        if any(self.errors):
            return
        slots = self.slots()
        if hours.clashing_slots(slots):
            raise forms.ValidationError(
                _("Two time slots of the same kind overlap on the same day. Join them into one.")
            )

    def slots(self) -> list[hours.WeeklySlot]:
        return [s for s in (f.slot() for f in self.forms) if s is not None]


SlotFormSet = forms.formset_factory(SlotForm, formset=BaseSlotFormSet, extra=4, max_num=28, validate_max=True)


class ClosureForm(Form):
    submission_token = SubmissionTokenField()
    starts_on = DateField(label=_("First day closed"))
    ends_on = DateField(label=_("Last day closed"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=120,
        help_text=_("Shown on the public pages, e.g. Summer holiday."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The reason in Danish above; in the other public languages optionally (else Danish is shown).
        for code, name in settings.LANGUAGES:
            if code != settings.LANGUAGE_CODE:
                self.fields[f"reason_{code}"] = forms.CharField(
                    label=format_lazy("{} ({})", _("Reason"), name),
                    max_length=120,
                    required=False,
                    # Typed in that language, right to left in Arabic and Urdu.
                    widget=forms.TextInput(attrs={"lang": code, "dir": "rtl" if code in ("ar", "ur") else "ltr"}),
                )

    @property
    def reason_translations(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("reason_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day closed is before the first day closed."))
        return data


class HolidayOverrideForm(Form):
    day = DateField(widget=forms.HiddenInput())
    open_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput())


class StaffAllocationForm(Form):
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), min_value=0.25, max_value=168, max_digits=5, decimal_places=2, localize=True
    )
    valid_from = DateField(label=_("Valid from"))
    valid_to = DateField(label=_("Valid to"), required=False, help_text=_("Last day; empty means open-ended."))
    note = forms.CharField(
        label=_("Note"),
        max_length=120,
        required=False,
        help_text=_("For example the team the hours come from."),
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("The last day is before the first day."))
        return data


class KronerField(forms.DecimalField):
    """An amount in kroner as people type it: 450000, 450.000, 450 000, 450.000,50 or 450000.50."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().lower().removesuffix("kr.").removesuffix("kr").removesuffix("dkk").strip()
            text = text.replace(" ", "").replace("\u00a0", "")
            if "," in text:
                # Danish style: dots group thousands, the comma marks the øre.
                text = text.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                text = text.replace(".", "")
            value = text
        return super().to_python(value)


class BudgetForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = KronerField(
        label=_("Amount (DKK)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("In kroner, e.g. 450.000"),
    )


class BudgetConfirmForm(Form):
    amount_seen = forms.DecimalField(widget=forms.HiddenInput(), max_digits=12, decimal_places=2)


class YearForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def year_or(self, default: date) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default.isocalendar().year


class RosterEntryForm(forms.ModelForm):
    """A person on the centre's own roster: a name staff can see, a role, hours, dates."""

    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = RosterEntry
        fields = ["name", "role", "hours_per_week", "valid_from", "valid_to"]
        field_classes = {"valid_from": DateField, "valid_to": DateField}
        localized_fields = ["hours_per_week"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            self.fields["version"].initial = self.instance.version
        del self.fields["version" if not editing else "submission_token"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("The last day is before the first day."))
        return data

    def _post_clean(self) -> None:
        pass  # the service validates the model
