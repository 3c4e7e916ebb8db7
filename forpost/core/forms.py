"""Form plumbing shared by every app: DKFDS classes, accessible error wiring, and the one
date field (with its bounds) that every form and list filter uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .anonymity import PersonalHintsMixin


class StyledFormMixin:
    """Give each widget the Designsystem's classes and tie hints and errors to the input."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for _name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.clean = _out_of_range_is_invalid(field)  # type: ignore[method-assign]
            widget = field.widget
            css = widget.attrs.get("class", "")
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs["class"] = f"{css} form-select".strip()
            else:
                widget.attrs["class"] = f"{css} form-input".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{form[name].auto_id}_hint")
            if name in form.errors:
                described.append(f"{form[name].auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


def _out_of_range_is_invalid(field: forms.ModelChoiceField) -> Any:
    """A posted id too large for the database's integers (SQLite raises OverflowError, which
    Django's choice fields do not expect) or holding a NUL character is an invalid choice,
    not a server error."""
    clean = field.clean

    def guarded(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):  # PostgreSQL cannot compare it
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        try:
            return clean(value)
        except OverflowError as exc:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from exc

    return guarded


# Every form warns of likely names and addresses in its guarded free text (core/anonymity.py).
class Form(StyledFormMixin, PersonalHintsMixin, forms.Form):
    pass


class ModelForm(StyledFormMixin, PersonalHintsMixin, forms.ModelForm):
    pass


# --- Dates -------------------------------------------------------------------------------------

# No date Forpost keeps lies outside these: earlier is a typing mistake (the centres began in
# 2006), later would make `date + timedelta` overflow further down (9999-12-31 + 1 day).
# A field narrows them where the domain knows more (a centre's start, today, a course's end).
EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10

Bound = date | Callable[[], date] | None


def today() -> date:
    return timezone.localdate()


def years_ahead(years: int) -> Callable[[], date]:
    """A bound `years` from today, worked out when the form is checked (not at import)."""

    def bound() -> date:
        day = today()
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    return bound


LATEST = years_ahead(YEARS_AHEAD)
# The message of a date bounded by today: what was registered has happened.
NOT_IN_FUTURE = _("The date is in the future (today is %(latest)s).")
# ... and of a date bounded by the centre's start.
BEFORE_CENTRE = _("The date is before the centre started (%(earliest)s).")


def show_date(day: date) -> str:
    """A date as the reader writes it (Danish 31. december 2026, English 2026-12-31)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateField(forms.DateField):
    """The one date field. A date before `earliest` or after `latest` is a field error in
    the user's language, so no form and no list filter passes an absurd date on.

    Bounds are dates or callables (for "today", known only when the form is checked); a form
    narrows them with `bound()`, e.g. to a centre's start and today. The messages
    `too_early` / `too_late` may be replaced per field (error_messages=...) to say why."""

    widget = DateInput
    default_error_messages = {
        "too_early": _("The date must be %(earliest)s or later."),
        "too_late": _("The date must be %(latest)s or earlier."),
    }

    def __init__(self, *, earliest: Bound = EARLIEST, latest: Bound = LATEST, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def bound(self, *, earliest: Bound = None, latest: Bound = None, **messages: Any) -> None:
        """Narrow the bounds (never widen them past the sensible ones) and, optionally, say why."""
        if earliest is not None:
            self.earliest = earliest
        if latest is not None:
            self.latest = latest
        self.error_messages.update(messages)

    def bounds(self) -> tuple[date, date]:
        earliest = _resolve(self.earliest) or EARLIEST
        latest = _resolve(self.latest) or LATEST()
        return max(earliest, EARLIEST), min(latest, LATEST())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        params = {"earliest": show_date(earliest), "latest": show_date(latest)}
        if value < earliest:
            raise forms.ValidationError(self.error_messages["too_early"], code="too_early", params=params)
        if value > latest:
            raise forms.ValidationError(self.error_messages["too_late"], code="too_late", params=params)


def _resolve(bound: Bound) -> date | None:
    return bound() if callable(bound) else bound


class PeriodFilterForm(Form):
    """The date part of every list filter: ?date_from / ?date_to, each within the sensible
    bounds, the end not before the start. Lists add their own fields after these."""

    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class WeekForm(Form):
    """?week=YYYY-MM-DD on a week calendar: any day of the week to show."""

    week = DateField(label=_("Week"), required=False)

    def day(self) -> date:
        return (self.cleaned_data.get("week") if self.is_valid() else None) or today()
