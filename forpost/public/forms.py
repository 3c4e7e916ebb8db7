"""The citizens' one form: a postcode, sent by GET so the result has an address of its own."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

BAD_POSTCODE = _("Write your postcode as four digits, e.g. 2200.")


class PostcodeForm(forms.Form):
    postnummer = forms.CharField(
        label=_("Your postcode"),
        help_text=_("Four digits, e.g. 2200"),
        max_length=20,
        error_messages={"required": BAD_POSTCODE, "max_length": BAD_POSTCODE},
    )

    def clean_postnummer(self) -> int:
        # Spaces and a "DK-" prefix are how postcodes are often written; \d also takes the
        # Arabic-Indic digits an Arabic or Urdu keyboard types, and int() reads them.
        value = re.sub(r"^DK-?|\s", "", self.cleaned_data["postnummer"], flags=re.IGNORECASE)
        if not re.fullmatch(r"\d{4}", value):
            raise forms.ValidationError(BAD_POSTCODE, code="invalid")
        return int(value)
