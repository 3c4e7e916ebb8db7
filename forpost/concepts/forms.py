from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import Form

from .models import COMMENT_MAX_LENGTH


class AttestationForm(Form):
    comment = AnonymousTextField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("Optional, e.g. how the centre worked on it. No names, CPR numbers, addresses or phone numbers."),
    )
