"""A local response ("rykket ud", the 2010 paper): what happened, in which district, which
professionals were informed; it counts for the requirement to react to local problems."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from forpost.collaboration import services
from forpost.collaboration.models import LOCAL_RESPONSE_TYPE, Activity, ActivityType
from forpost.concepts.indicators import compute
from forpost.core.testing import post_form


@pytest.fixture
def local_response(db):
    return ActivityType.objects.get(code=LOCAL_RESPONSE_TYPE)


def test_a_local_response_records_what_happened_where_and_who_was_informed(cast, local_response):
    activity = services.log_activity(
        actor=cast.bob,
        centre=cast.norrebro,
        date=date(2025, 9, 3),
        type=local_response,
        note="Uro ved legepladsen; talte med forældre og boligsocial medarbejder.",
        district=cast.norrebro.district,
        informed=["housing_social_work", "daycare_school"],
    )
    activity.refresh_from_db()
    assert activity.informed == ["housing_social_work", "daycare_school"]
    with translation.override("en"):
        assert activity.get_informed_display() == [
            "Housing social work",
            "Daycare institution, school or after-school club",
        ]


def test_a_local_response_needs_what_happened_and_the_district(cast, local_response):
    with pytest.raises(ValidationError) as error:
        services.log_activity(actor=cast.bob, centre=cast.norrebro, date=date(2025, 9, 3), type=local_response)
    assert set(error.value.message_dict) == {"note", "district"}
    assert not Activity.objects.exists()


def test_a_local_response_counts_for_the_duty_to_react_to_local_problems(cast, local_response):
    services.log_activity(
        actor=cast.bob,
        centre=cast.norrebro,
        date=date(2025, 9, 3),
        type=local_response,
        note="Rykket ud efter henvendelse fra skolen.",
        district=cast.norrebro.district,
    )
    value = compute(
        "activity_count",
        centre_ids=[cast.norrebro.pk],
        start=date(2025, 1, 1),
        end=date(2026, 1, 1),
        params={"types": ["outreach", "local_response"]},
    )
    assert value.value == 1


def test_the_activity_form_records_a_local_response(cast, client_for, local_response):
    client = client_for(cast.bob)
    url = reverse("collaboration:activity_create")
    response = post_form(
        client,
        url,
        {
            "date": "3-9-2025",
            "type": local_response.pk,
            "note": "Rykket ud til opgangen efter uro.",
            "district": cast.norrebro.district.pk,
            "informed": ["health_visitors"],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.type, activity.district, activity.informed) == (
        local_response,
        cast.norrebro.district,
        ["health_visitors"],
    )
