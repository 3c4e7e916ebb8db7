"""Every field a person types free text into is guarded by the anonymity guard.

The test walks every form class of every app (and the API's input schemas) and fails on a
text field that neither carries `validate_anonymous_text` (on the form field, or on the model
field a ModelForm saves to) nor is listed below with the reason it cannot hold a citizen's
identity (an organisation's own contact data, a search that is audited and never stored, …).
"""

import importlib
import inspect
import pkgutil

from django import forms

import forpost
from forpost.core.anonymity import validate_anonymous_text

# "module.Class.field": why the field is not guarded.
ORGANISATION = "an organisation's or a room's own name or contact data, which must hold phone numbers and names"
STAFF = "a member of staff's own name, entered by an administrator"
SEARCH = "a search or filter: never stored, and audited with its criteria"
NOT_ABOUT_CITIZENS = {
    "forpost.accounts.forms.ApiTokenForm.name": "what an API token is for, e.g. the system using it",
    "forpost.accounts.forms.AuditSearchForm.actor": SEARCH,
    "forpost.accounts.forms.AuditSearchForm.object_id": SEARCH,
    "forpost.accounts.forms.AuditSearchForm.object_type": SEARCH,
    "forpost.accounts.forms.InviteForm.first_name": STAFF,
    "forpost.accounts.forms.InviteForm.last_name": STAFF,
    "forpost.accounts.forms.InviteForm.username": STAFF,
    "forpost.accounts.forms.UserForm.first_name": STAFF,
    "forpost.accounts.forms.UserForm.last_name": STAFF,
    "forpost.accounts.forms.MappingForm.value": "a group or claim value of the identity provider",
    "forpost.accounts.forms.SecondFactorForm.code": "a one-time code of the user's own second factor, never stored",
    "forpost.accounts.forms.TotpEnrolForm.code": "a one-time code of the user's own second factor, never stored",
    "forpost.collaboration.forms.BookingForm.holder_name": ORGANISATION,
    "forpost.collaboration.forms.PartnerFilterForm.q": SEARCH,
    "forpost.collaboration.forms.PartnerForm.contact_role": ORGANISATION,
    "forpost.collaboration.forms.PartnerForm.name": ORGANISATION,
    "forpost.collaboration.forms.PartnerForm.phone": ORGANISATION,
    "forpost.collaboration.forms.RoomForm.contact": ORGANISATION,
    "forpost.collaboration.forms.RoomForm.name": ORGANISATION,
    "forpost.collaboration.forms.RoomRequestForm.association_name": ORGANISATION,
    "forpost.collaboration.forms.RoomRequestForm.contact_phone": ORGANISATION,
    "forpost.collaboration.forms.VolunteerGroupForm.association_name": ORGANISATION,
    **{
        f"forpost.collaboration.forms.VolunteerGroupForm.name_{lang}": ORGANISATION
        for lang in ("da", "en", "ar", "tr", "ur", "so")
    },
    "forpost.centres.forms.RosterEntryForm.name": "a member of the centre's own staff, seen by staff only",
    "forpost.collaboration.forms.OfferForm.name": ORGANISATION,
    "forpost.collaboration.forms.OfferForm.contact": ORGANISATION,
    "forpost.collaboration.forms.OfferForm.languages": "the languages an offer works in",
    "forpost.collaboration.forms.OfferFilterForm.q": SEARCH,
    "forpost.concepts.forms.ConceptTextForm.text": "a concept file (YAML) adopted by central staff, not about a family",
    "forpost.feedback.forms.FeedbackForm.website": "the honeypot: a filled one is thanked and never stored",
    "forpost.reports.forms.ForewordForm.signed": "the name and title of the official who signs the city's foreword",
    "forpost.public.forms.PostcodeForm.postnummer": "a postcode, checked as four digits and never stored",
}


def _form_classes():
    found = {}
    for module_info in pkgutil.walk_packages(forpost.__path__, "forpost."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name or name.endswith(("settings", "wsgi")):
            continue
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: S112 - a module that needs something absent is not a form module
            continue
        for _n, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found[f"{name}.{cls.__name__}"] = cls
    return found


def _guarded(form_cls, name, field):
    if validate_anonymous_text in field.validators:
        return True
    model = getattr(getattr(form_cls, "_meta", None), "model", None)
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except Exception:
            return False
        return validate_anonymous_text in model_field.validators
    return False


def _text_fields():
    for path, cls in _form_classes().items():
        for name, field in cls.base_fields.items():
            if type(field) in (forms.CharField,) or (
                isinstance(field, forms.CharField)
                and not isinstance(field, forms.EmailField | forms.SlugField | forms.URLField | forms.UUIDField)
                and field.widget.input_type != "hidden"
                if hasattr(field.widget, "input_type")
                else isinstance(field, forms.CharField)
            ):
                if isinstance(field.widget, forms.HiddenInput | forms.PasswordInput):
                    continue
                yield f"{path}.{name}", cls, name, field


def test_every_free_text_field_is_guarded_or_says_why_not():
    unguarded = sorted(
        path
        for path, cls, name, field in _text_fields()
        if not _guarded(cls, name, field) and path not in NOT_ABOUT_CITIZENS
    )
    assert not unguarded, "Free-text fields without the anonymity guard:\n" + "\n".join(unguarded)


def test_the_list_of_exceptions_names_only_fields_that_exist():
    existing = {path for path, *_rest in _text_fields()}
    assert set(NOT_ABOUT_CITIZENS) <= existing, set(NOT_ABOUT_CITIZENS) - existing
