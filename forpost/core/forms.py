"""Form plumbing shared by every app: DKFDS classes and accessible error wiring."""

from __future__ import annotations

from typing import Any

from django import forms


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


class Form(StyledFormMixin, forms.Form):
    pass


class ModelForm(StyledFormMixin, forms.ModelForm):
    pass
