"""No model field in Forpost may be able to hold a citizen's identity (PRODUCT.md, principle 1).

A field named like a name, CPR number, address, phone or e-mail is allowed only where it
holds the organisation's own data: a centre's or partner's contact details, staff users,
and reference lists' own names."""

import re

from django.apps import apps
from django.conf import settings

SUSPICIOUS = re.compile(
    r"(^|_)(name|navn|cpr|personnummer|address|adresse|phone|telefon|mobile|email|e_mail|mail)(_|$)"
)

# model label → fields that hold the organisation's own data, not a citizen's.
ALLOWED = {
    "accounts.user": {"username", "first_name", "last_name", "email"},  # staff, never citizens
    "accounts.auditentry": {"actor_name"},  # the staff member who acted
    "centres.centre": {"name", "phone", "email", "street_address"},  # the centre's own contact data
    "centres.municipality": {"name"},
    "centres.district": {"name"},
    "centres.familyunit": {"name"},
    # Partners and volunteer associations are organisations; their contact data is theirs.
    "collaboration.partner": {"phone", "email"},
    "collaboration.volunteergroup": {"association_name"},
    "collaboration.roomrequest": {"association_name", "contact_email", "contact_phone"},
    "collaboration.bookingseries": {"holder_name"},  # the association or group holding the room
    "collaboration.booking": {"holder_name"},
    "concepts.attestation": {"attested_by_name", "reviewed_by_name"},  # the staff who attested and reviewed
    "concepts.actionplan": {"created_by_name"},  # the coordinator who recorded the action
    "concepts.conceptrevision": {"created_by_name"},  # the central staff member who adopted the text
    # The staff who closed a year, asked for and decided a correction, published a status.
    "centres.closedyear": {"closed_by_name"},
    "centres.correction": {"requested_by_name", "decided_by_name"},
    "reports.publication": {"published_by_name"},
}
# Names of things, not of people: reference lists, rooms, groups, partners' organisations,
# concepts. These apps' models may have name fields; contact fields still need listing above.
# A translated name has a column per language (name_da, name_en, …; modeltranslation).
TRANSLATED_NAMES = {"name", *(f"name_{code}" for code, _label in settings.LANGUAGES)}
NAMES_OF_THINGS = {*TRANSLATED_NAMES, "short_name", "title"}
ORGANISATION_APPS = {"collaboration", "centres", "concepts", "reports", "public", "api", "accounts"}


def _forpost_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("forpost."):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and not field.auto_created:
                yield model, field


def test_no_field_of_a_registration_is_named_like_personal_data():
    offending = []
    for model, field in _forpost_fields():
        if not SUSPICIOUS.search(field.name):
            continue
        label = model._meta.label_lower
        if field.name in ALLOWED.get(label, set()):
            continue
        if model._meta.app_label == "registrations" and field.name in TRANSLATED_NAMES:
            continue  # the reference lists' own names
        if model._meta.app_label in ORGANISATION_APPS and field.name in NAMES_OF_THINGS:
            continue
        offending.append(f"{label}.{field.name}")
    assert not offending, f"Fields that could hold a citizen's identity: {offending}"


def test_the_check_would_catch_a_citizen_name_field():
    assert SUSPICIOUS.search("citizen_name")
    assert SUSPICIOUS.search("cpr")
    assert SUSPICIOUS.search("phone")
    assert not SUSPICIOUS.search("channel")
    assert not SUSPICIOUS.search("minutes")
