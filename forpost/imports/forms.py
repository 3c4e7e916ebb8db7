from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forpost.centres.models import Centre
from forpost.core.forms import Form

from .reading import FIELDS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(Form):
    fields: dict[str, Any]
    centre = forms.ModelChoiceField(Centre.objects.none(), label=_("Centre"), empty_label=None)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (semicolon or comma) or XLSX, one row per inquiry, headings in the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV or an XLSX file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."))
        return upload


class ColumnsForm(Form):
    """One choice per column of the file: which Forpost field it holds, or none."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— not imported —")), *[(k, label) for k, (label, _names) in FIELDS.items()]]
        for i, header in enumerate(headers):
            field = forms.ChoiceField(label=header, choices=choices, required=False)
            field.widget.attrs["class"] = "form-select"
            self.fields[f"col_{i}"] = field

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        used: dict[str, str] = {}
        for i, header in enumerate(self.headers):
            target = data.get(f"col_{i}")
            if not target:
                continue
            if target in used:
                self.add_error(f"col_{i}", _("“%(other)s” already goes to this field.") % {"other": used[target]})
            used[target] = header
        if "date" not in used:
            raise forms.ValidationError(_("Choose the column that holds the date."))
        if "channel" not in used:
            raise forms.ValidationError(_("Choose the column that holds the channel."))
        return data

    def columns(self) -> dict[str, str]:
        return {
            h: self.cleaned_data[f"col_{i}"] for i, h in enumerate(self.headers) if self.cleaned_data.get(f"col_{i}")
        }
