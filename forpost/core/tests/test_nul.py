"""A NUL character anywhere in a request is refused with a clear message, never a 500."""

import json

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "path",
    [
        "/app/registrations/inquiries/?centre=n%00rrebro",
        "/app/registrations/inquiries/?q%00=1",
    ],
)
def test_a_page_with_nul_in_the_query_is_a_bad_request(client_for, cast, path):
    response = client_for(cast.alice).get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_form_post_with_nul_shows_the_error_at_the_field_and_saves_nothing(client_for, cast):
    from forpost.registrations.models import Inquiry

    before = Inquiry.objects.count()
    response = client_for(cast.alice).post(reverse("registrations:inquiry_create"), {"channel": "1\x00"})
    assert response.status_code == 200  # the form again, with its errors and what was typed
    assert response.context["form"].errors["channel"]
    assert Inquiry.objects.count() == before


def test_the_api_answers_422_for_nul_in_a_filter_or_a_body(client_for, cast):
    client = client_for(cast.alice)
    response = client.get("/api/v1/inquiries?centre=n%00rrebro")
    assert response.status_code == 422
    assert response.json()["detail"]
    response = client.post(
        "/api/v1/inquiries", data=json.dumps({"centre": "norrebro\u0000"}), content_type="application/json"
    )
    assert response.status_code == 422


def test_an_ordinary_request_passes(client_for, cast):
    assert client_for(cast.alice).get("/app/registrations/inquiries/?centre=norrebro").status_code == 200
