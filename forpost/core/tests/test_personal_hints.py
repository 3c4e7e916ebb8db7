"""The soft warning (issue 12, item 4): a likely name or street address in guarded free text is
not refused. The form comes back with everything typed and a box to save the text as it is;
the API answers 422 with `confirm_personal_hints`; each warning is counted, never the text."""

import datetime
import inspect

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

from forpost.core.anonymity import PersonalHintsMixin, guarded_fields
from forpost.core.models import PersonalHintCount
from forpost.registrations.testing import ensure_reference_data, make_course, make_inquiry

FOUND = "Mor hedder Fatima Hansen og bor på Nørrebrogade 12"


def _data(client, url, **changes):  # type: ignore[no-untyped-def]
    """What the edit page posts, with `changes`."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            value = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data | changes


@pytest.fixture
def inquiry(cast):  # type: ignore[no-untyped-def]
    ensure_reference_data()
    return make_inquiry(cast.norrebro, note="Kort samtale")


def test_a_name_and_an_address_are_warned_of_and_everything_typed_is_kept(client_for, cast, inquiry):
    client = client_for(cast.alice)
    url = reverse("registrations:inquiry_edit", args=[inquiry.pk])
    response = client.post(url, _data(client, url, note=FOUND, minutes="25"))
    assert response.status_code == 200
    html = response.content.decode()
    assert FOUND in html  # the text stays in the field
    assert 'value="25"' in html
    assert 'name="confirm_personal_hints"' in html
    assert "Det kan være et personnavn" in html
    assert "Det kan være en adresse" in html
    inquiry.refresh_from_db()
    assert inquiry.note == "Kort samtale"  # not saved yet


def test_confirming_saves_the_text_as_it_is(client_for, cast, inquiry):
    client = client_for(cast.alice)
    url = reverse("registrations:inquiry_edit", args=[inquiry.pk])
    data = _data(client, url, note=FOUND)
    assert client.post(url, data).status_code == 200
    response = client.post(url, data | {"confirm_personal_hints": "yes"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.note == FOUND


def test_the_warning_is_counted_by_form_field_and_kind_never_with_the_text(client_for, cast, inquiry):
    client = client_for(cast.alice)
    url = reverse("registrations:inquiry_edit", args=[inquiry.pk])
    data = _data(client, url, note=FOUND)
    client.post(url, data)
    client.post(url, data | {"confirm_personal_hints": "yes"})
    counts = {(c.form, c.field, c.kind): (c.warned, c.confirmed) for c in PersonalHintCount.objects.all()}
    assert counts == {
        ("registrations.InquiryForm", "note", "name"): (1, 1),
        ("registrations.InquiryForm", "note", "address"): (1, 1),
    }
    for count in PersonalHintCount.objects.all():
        assert "Fatima" not in str(count.__dict__)


def test_text_without_a_name_or_address_is_saved_at_once(client_for, cast, inquiry):
    client = client_for(cast.alice)
    url = reverse("registrations:inquiry_edit", args=[inquiry.pk])
    response = client.post(url, _data(client, url, note="Mor bekymret for søvn; ORS 24,5 den 12-05-2026"))
    assert response.status_code == 302
    assert not PersonalHintCount.objects.exists()


def test_a_cpr_number_is_refused_even_when_confirmed(client_for, cast, inquiry):
    client = client_for(cast.alice)
    url = reverse("registrations:inquiry_edit", args=[inquiry.pk])
    data = _data(client, url, note="Fatima Hansen 010190-1234", confirm_personal_hints="yes")
    assert client.post(url, data).status_code == 200
    inquiry.refresh_from_db()
    assert inquiry.note == "Kort samtale"


def test_the_warning_is_in_english_for_english_users(client_for, cast):
    course = make_course(cast.norrebro, goals="Ro")
    client = client_for(cast.alice)
    url = reverse("registrations:course_edit", args=[course.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, _data(client, url, goals="Sov bedre hos Fatima Hansen"))
    html = response.content.decode()
    assert "This may be a person&#x27;s name" in html or "This may be a person's name" in html
    assert "Save it as it is." in html


def test_every_form_with_guarded_free_text_warns_of_names_and_addresses():
    import importlib

    warned = []
    for app in ("accounts", "centres", "registrations", "collaboration", "concepts", "reports", "imports"):
        module = importlib.import_module(f"forpost.{app}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and guarded_fields(cls):
                assert issubclass(cls, PersonalHintsMixin), cls
                warned.append(cls.__name__)
    assert {"InquiryForm", "CourseForm", "SessionForm", "ClosureForm", "RoomRequestForm", "StatusTextForm"} <= set(
        warned
    )


def test_the_public_room_request_warns_in_the_page_language(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    from forpost.collaboration.testing import make_room
    from forpost.public.languages import public_reverse

    room = make_room(cast.norrebro, name="Mødelokalet", capacity=12)
    url = public_reverse("public:rooms", "ar")
    token = client.get(url).context["form"]["submission_token"].value()
    data = {
        "submission_token": token,
        "room": room.pk,
        "association_name": "Foreningen Far",
        "contact_email": "far@example.dk",
        "purpose": "Møde for familien Hansen på Nørrebrogade 12",
        "participants": "6",
        "kind": "once",
        "first_date": (timezone.localdate() + timedelta(days=9)).isoformat(),
        "start_time": "17:30",
        "end_time": "18:30",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nørrebrogade 12" in html
    assert 'name="confirm_personal_hints"' in html
    assert "This may be a street address" not in html  # Arabic, not English
    assert client.post(url, data | {"confirm_personal_hints": "yes"}).status_code == 302
