from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import Form
from forpost.core.idempotency import SubmissionTokenField
from forpost.core.locking import VersionFormField

HINT = _("Write about the centre's work, not about families: no names or other details of citizens.")


class StatusTextForm(Form):
    highlights = AnonymousTextField(label=_("Highlights of the year"), max_length=3000, help_text=HINT)
    local_focus = AnonymousTextField(label=_("Local focus and ways of working"), max_length=3000, help_text=HINT)
    challenges = AnonymousTextField(label=_("Challenges"), max_length=3000, help_text=HINT)
    # The text's version when the form was shown; 0 when there was none yet.
    version = VersionFormField(required=False)


class ForewordForm(Form):
    text = AnonymousTextField(
        label=_("Foreword"),
        max_length=4000,
        required=False,
        help_text=_("Opens the city's annual status, on its cover. No names or other details of citizens."),
    )
    signed = forms.CharField(
        label=_("Signed by"),
        max_length=200,
        required=False,
        help_text=_("e.g. the head of department's name and title"),
    )
    version = VersionFormField(required=False)


class PublishForm(Form):
    """ "Offentliggør": the year whose status central staff publish (the next version of it)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .queries import status_years

        self.fields["year"].choices = [(y, str(y)) for y in status_years()]  # type: ignore[attr-defined]
