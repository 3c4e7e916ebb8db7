from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.core.forms import DateField, Form, PeriodFilterForm, StyledFormMixin
from forpost.core.idempotency import SubmissionTokenField
from forpost.core.locking import VersionFormField

from .models import CENTRE_ROLES, AuditAction, Role, User, centre_model


class AuditSearchForm(PeriodFilterForm):
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices])
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    centre = forms.ModelChoiceField(label=_("Centre"), required=False, queryset=centre_model().objects.all())
    date_from = DateField(label=_("From date"), required=False)
    date_to = DateField(label=_("To date"), required=False)
    field_order = ["actor", "action", "object_type", "object_id", "centre", "date_from", "date_to"]


class ApiTokenForm(Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What the token is for, e.g. the system that will use it.")
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


# Far-off or ancient dates are typing mistakes, and a year beyond 9999 would not even store.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    field = forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)
    field.validators.append(_within_bounds)
    return field


def _within_bounds(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(
            _("Give a date between %(first)s and %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
        )


class _DatedRoleForm(Form):
    """Role, centre and period, checked together (the rules of Membership and IdpMapping)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    centre = forms.ModelChoiceField(
        label=_("Centre"),
        queryset=centre_model().objects.order_by("name"),
        required=False,
        help_text=_("Required for counsellors and coordinators; empty for city-wide roles."),
    )
    valid_from = _date_field(_("Valid from"))
    valid_to = _date_field(_("Valid to"), required=False, help_text=_("Last day; empty means open-ended."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"valid_from": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, centre = data.get("role"), data.get("centre")
        if role in CENTRE_ROLES and centre is None and "centre" not in self.errors:
            self.add_error("centre", _("Counsellors and coordinators belong to a centre."))
        if role and role not in CENTRE_ROLES and centre is not None:
            self.add_error("centre", _("City-wide roles have no centre."))
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


class InviteForm(_DatedRoleForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("The invitation is sent here."))
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        required=False,
        help_text=_("Empty: the e-mail address."),
    )
    submission_token = SubmissionTokenField()
    field_order = ["first_name", "last_name", "email", "username", "role", "centre", "valid_from", "valid_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        username = (data.get("username") or data.get("email") or "").strip()
        if username:
            try:
                User.username_validator(username)
            except forms.ValidationError:
                self.add_error("username", _("Use letters, digits and @ . + - _ only."))
        # Whether the name or address is taken is the service's to say, after the form's
        # one-time token is claimed: a double submit must find the first user, not an error.
        data["username"] = username
        return data


class UserForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    version = VersionFormField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return str(email)


class MembershipForm(_DatedRoleForm):
    submission_token = SubmissionTokenField()


class MembershipPeriodForm(Form):
    valid_from = _date_field(_("Valid from"))
    valid_to = _date_field(_("Valid to"), required=False, help_text=_("Last day; empty means open-ended."))
    version = VersionFormField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


class MappingForm(_DatedRoleForm):
    value = forms.CharField(
        label=_("Group or claim value"),
        max_length=255,
        help_text=_("Exactly as the identity provider sends it, e.g. the group's name or object id."),
    )
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)
    field_order = ["value", "role", "centre", "valid_from", "valid_to"]

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["submission_token" if editing else "version"]
        if editing:
            self.fields["version"].required = True


class ActiveForm(Form):
    version = VersionFormField()


class SetPasswordForm(StyledFormMixin, DjangoSetPasswordForm):
    pass


class TotpEnrolForm(Form):
    code = forms.CharField(
        label=_("The 6-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    submission_token = SubmissionTokenField()


class SecondFactorForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class RecoveryCodesForm(Form):
    submission_token = SubmissionTokenField()
