"""The API's side of the soft warning (issue 12, item 4): 422 with `confirm_personal_hints`."""

from forpost.registrations.models import Inquiry

FOUND = "Mor hedder Fatima Hansen og bor på Nørrebrogade 12"


def test_the_api_answers_422_with_the_flag_and_saves_when_it_is_sent(api):
    body = {
        "date": "2026-03-10",
        "channel": "walk_in",
        "contact_person": "mother",
        "themes": ["upbringing"],
        "actions": ["advice"],
        "children": [{"age_band": "3-5", "sex": "girl"}],
        "note": FOUND,
    }
    response = api.call("post", "/api/v1/inquiries", json=body)
    assert response.status_code == 422
    data = response.json()
    assert data["confirm_personal_hints"] is True
    assert data["errors"]["note"]
    assert not Inquiry.objects.exists()
    response = api.call("post", "/api/v1/inquiries", json=body | {"confirm_personal_hints": True})
    assert response.status_code == 201, response.content
    assert Inquiry.objects.get().note == FOUND


def test_the_api_schema_documents_the_flag(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "confirm_personal_hints" in schemas["InquiryIn"]["properties"]
    assert "confirm_personal_hints" in schemas["InquiryPatch"]["properties"]
    assert "confirm_personal_hints" in schemas["InvalidInput"]["properties"]
