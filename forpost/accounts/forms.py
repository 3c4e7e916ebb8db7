from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forpost.centres.models import Centre
from forpost.core.forms import DateField, Form, PeriodFilterForm

from .models import AuditAction


class AuditSearchForm(PeriodFilterForm):
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices])
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    centre = forms.ModelChoiceField(label=_("Centre"), required=False, queryset=Centre.objects.all())
    date_from = DateField(label=_("From date"), required=False)
    date_to = DateField(label=_("To date"), required=False)
    field_order = ["actor", "action", "object_type", "object_id", "centre", "date_from", "date_to"]


class ApiTokenForm(Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What the token is for, e.g. the system that will use it.")
    )
