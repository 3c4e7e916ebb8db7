import json
from datetime import date

import pytest

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations.models import Channel, Inquiry, Theme
from forpost.registrations.testing import make_inquiry

BODY = {
    "date": "2026-03-10",
    "time": "10:15",
    "channel": "walk_in",
    "contact_person": "mother",
    "themes": ["upbringing"],
    "actions": ["advice"],
    "children": [{"age_band": "3-5", "sex": "girl"}],
    "note": "Kort samtale om søvn.",
}


def test_a_counsellor_registers_an_inquiry_at_her_centre(api):
    response = api.call("post", "/api/v1/inquiries", json=BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    inquiry = Inquiry.objects.get(pk=data["id"])
    assert inquiry.centre == api.cast.norrebro
    assert data["themes"] == ["upbringing"]
    assert data["children"] == [{"age_band": "3-5", "sex": "girl"}]
    assert data["version"] == 1
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(inquiry.pk)).exists()


def test_names_in_danish_are_understood_too(api):
    body = {**BODY, "channel": "fremmøde i ÅBEN rådgivning", "district": "Nørrebro"}
    response = api.call("post", "/api/v1/inquiries", json=body)
    assert response.status_code == 201, response.content
    assert response.json()["district"] == "norrebro"
    assert response.json()["residence"] == "district"


def test_the_anonymity_guard_refuses_a_cpr_number_in_the_note(api):
    response = api.call("post", "/api/v1/inquiries", json={**BODY, "note": "Mor har cpr 010203-1234"})
    assert response.status_code == 422
    assert "note" in response.json()["errors"]
    assert not Inquiry.objects.exists()


def test_unknown_codes_are_refused_with_reasons(api):
    response = api.call("post", "/api/v1/inquiries", json={**BODY, "channel": "pigeon", "themes": ["nope"]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) >= {"channel", "themes"}


def test_a_concern_date_needs_the_concern_action(api):
    response = api.call("post", "/api/v1/inquiries", json={**BODY, "concern_reported_on": "2026-03-10"})
    assert response.status_code == 422
    assert "concern_reported_on" in response.json()["errors"]


def test_it_denies_registering_at_another_centre(api):
    response = api.call("post", "/api/v1/inquiries", json={**BODY, "centre": "valby"})
    assert response.status_code == 404
    assert not Inquiry.objects.exists()


def test_city_wide_readers_may_not_write(api):
    response = api.call("post", "/api/v1/inquiries", user="erin", json={**BODY, "centre": "norrebro"})
    assert response.status_code == 403
    inquiry = make_inquiry(api.cast.norrebro)
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", user="erin", json={**BODY, "version": 1})
    assert response.status_code == 403


def test_it_reads_one_inquiry_and_logs_the_read(api):
    inquiry = make_inquiry(api.cast.norrebro)
    response = api.call("get", f"/api/v1/inquiries/{inquiry.pk}")
    assert response.status_code == 200
    assert response.json()["centre"] == "norrebro"
    assert AuditEntry.objects.filter(action=AuditAction.READ, object_id=str(inquiry.pk), actor=api.cast.alice).exists()


def test_it_denies_other_centre(api):
    inquiry = make_inquiry(api.cast.norrebro)
    assert api.call("get", f"/api/v1/inquiries/{inquiry.pk}", user="charlie").status_code == 404
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", user="charlie", json={**BODY, "version": 1})
    assert response.status_code == 404
    assert api.call("get", "/api/v1/inquiries", user="charlie").json()["count"] == 0
    assert api.call("get", "/api/v1/inquiries", user="erin").json()["count"] == 1


def test_a_token_of_another_centre_sees_only_its_own(api):
    make_inquiry(api.cast.norrebro)
    own = make_inquiry(api.cast.valby)
    data = api.call("get", "/api/v1/inquiries", user="dana").json()
    assert [i["id"] for i in data["results"]] == [own.pk]
    assert api.call("get", "/api/v1/inquiries?centre=norrebro", user="dana").status_code == 422


def test_the_list_filters_and_is_logged_with_its_criteria(api):
    phone_channel, divorce = Channel.objects.get(code="phone"), Theme.objects.get(code="divorce")
    make_inquiry(api.cast.norrebro, date=date(2026, 1, 5))
    phone = make_inquiry(api.cast.norrebro, date=date(2026, 2, 5), channel=phone_channel, themes=[divorce])
    data = api.call("get", "/api/v1/inquiries?channel=phone").json()
    assert [i["id"] for i in data["results"]] == [phone.pk]
    assert api.call("get", "/api/v1/inquiries?theme=divorce").json()["count"] == 1
    assert api.call("get", "/api/v1/inquiries?date_from=2026-02-01&date_to=2026-02-05").json()["count"] == 1
    assert api.call("get", "/api/v1/inquiries?date_from=2026-02-06").json()["count"] == 0
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH).order_by("pk").first()
    assert entry.changes == {"channel": "phone", "result_count": 1}


def test_the_list_is_paginated(api):
    for day in range(1, 4):
        make_inquiry(api.cast.norrebro, date=date(2026, 1, day))
    data = api.call("get", "/api/v1/inquiries?page_size=2&page=2").json()
    assert data["count"] == 3
    assert len(data["results"]) == 1
    assert api.call("get", "/api/v1/inquiries?page=9").json()["results"] == []


def test_an_update_with_the_current_version_saves(api):
    inquiry = make_inquiry(api.cast.norrebro)
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", json={**BODY, "minutes": 30, "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["minutes"] == 30
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE, object_id=str(inquiry.pk)).exists()


def test_a_stale_version_gets_409_with_both_versions(api):
    inquiry = make_inquiry(api.cast.norrebro)
    assert api.call("put", f"/api/v1/inquiries/{inquiry.pk}", json={**BODY, "version": 1}).status_code == 200
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", user="bob", json={**BODY, "minutes": 5, "version": 1})
    assert response.status_code == 409
    data = response.json()
    assert (data["your_version"], data["current_version"]) == (1, 2)
    assert data["current"]["minutes"] is None
    inquiry.refresh_from_db()
    assert inquiry.minutes is None


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream", ""]
)
@pytest.mark.parametrize("nul", ["\\u0000", "\x00"])
def test_a_nul_in_a_body_of_any_content_type_is_refused_with_422(api, content_type, nul):
    # In a slug that is looked up in the database: PostgreSQL's text cannot hold NUL.
    body = json.dumps({**BODY, "centre": "x"}).replace('"x"', f'"norrebro{nul}"')
    response = api.call("post", "/api/v1/inquiries", data=body, content_type=content_type)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert not Inquiry.objects.exists()


def _rich_inquiry(api):  # type: ignore[no-untyped-def]
    divorce = Theme.objects.get(code="divorce")
    return make_inquiry(
        api.cast.norrebro,
        contact_person="father",
        themes=[divorce],
        children=[("6-9", "boy"), ("13-17", "girl")],
        note="Samtale om samvær.",
        minutes=45,
    )


def test_a_put_without_the_desks_fields_is_refused_and_changes_nothing(api):
    inquiry = _rich_inquiry(api)
    body = {"date": "2026-03-11", "channel": "walk_in", "version": 1}
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", json=body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"contact_person", "children"}
    data = api.call("get", f"/api/v1/inquiries/{inquiry.pk}").json()
    assert data["contact_person"] == "father"
    assert data["themes"] == ["divorce"]
    assert len(data["children"]) == 2
    assert data["note"] == "Samtale om samvær."


def test_a_put_replaces_the_whole_record(api):
    inquiry = _rich_inquiry(api)
    body = {"date": "2026-03-11", "channel": "phone", "contact_person": "mother", "children": [], "version": 1}
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", json=body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["contact_person"], data["channel"], data["children"]) == ("mother", "phone", [])
    assert (data["themes"], data["note"], data["minutes"]) == ([], "", None)


def test_a_post_with_only_date_and_channel_stores_nothing(api):
    response = api.call("post", "/api/v1/inquiries", json={"date": "2026-03-10", "channel": "walk_in"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"contact_person", "children"}
    assert not Inquiry.objects.exists()


def test_an_empty_list_of_children_states_that_their_ages_are_not_stated(api):
    response = api.call("post", "/api/v1/inquiries", json={**BODY, "children": []})
    assert response.status_code == 201, response.content
    assert response.json()["children"] == []


def test_a_patch_changes_only_the_fields_sent(api):
    inquiry = _rich_inquiry(api)
    response = api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", json={"minutes": 30, "version": 1})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["minutes"] == 30
    assert data["version"] == 2
    assert data["contact_person"] == "father"
    assert data["themes"] == ["divorce"]
    assert data["children"] == [{"age_band": "6-9", "sex": "boy"}, {"age_band": "13-17", "sex": "girl"}]
    assert data["note"] == "Samtale om samvær."


def test_a_patch_may_clear_an_optional_field_and_move_the_family_outside(api):
    inquiry = _rich_inquiry(api)
    api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", json={"district": "norrebro", "version": 1})
    body = {"minutes": None, "residence": "outside", "version": 2}
    data = api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", json=body).json()
    assert (data["minutes"], data["residence"], data["district"]) == (None, "outside", None)


def test_a_patch_may_not_clear_a_required_field(api):
    inquiry = _rich_inquiry(api)
    response = api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", json={"contact_person": None, "version": 1})
    assert response.status_code == 422
    assert "contact_person" in response.json()["errors"]


def test_a_patch_with_a_stale_version_gets_409_and_changes_nothing(api):
    inquiry = _rich_inquiry(api)
    assert api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", json={"minutes": 5, "version": 1}).status_code == 200
    response = api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", user="bob", json={"minutes": 9, "version": 1})
    assert response.status_code == 409
    assert response.json()["current"]["minutes"] == 5


def test_a_patch_of_another_centres_inquiry_is_404(api):
    inquiry = _rich_inquiry(api)
    response = api.call("patch", f"/api/v1/inquiries/{inquiry.pk}", user="charlie", json={"minutes": 5, "version": 1})
    assert response.status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.minutes == 45


def test_messages_are_danish_by_default_field_errors_and_details_alike(api):
    response = api.call("post", "/api/v1/inquiries", json={"date": "2026-03-10", "channel": "walk_in"})
    data = response.json()
    assert data["detail"] == "Ugyldige data."
    assert data["errors"]["contact_person"] == ["Dette felt er påkrævet."]
    assert api.call("get", "/api/v1/inquiries/999999").json()["detail"] == "Findes ikke."
    assert api.call("get", "/api/v1/me", user=None).json()["detail"] == "Der kræves et gyldigt API-token."


def test_messages_are_english_when_the_client_asks_for_english(api):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    body = {"date": "2026-03-10", "channel": "pigeon"}
    data = api.call("post", "/api/v1/inquiries", json=body, **english).json()
    assert data["detail"] == "Invalid input."
    assert data["errors"]["contact_person"] == ["This field is required."]
    body = {**BODY, "channel": "pigeon"}
    data = api.call("post", "/api/v1/inquiries", json=body, **english).json()
    assert data["errors"]["channel"] == ["“pigeon” is not in Forpost's list."]
    assert api.call("get", "/api/v1/inquiries/999999", **english).json()["detail"] == "Not found."


def test_the_same_idempotency_key_returns_the_first_result_and_stores_one_row(api):
    key = {"HTTP_IDEMPOTENCY_KEY": "9a7c1e0e-retry-1"}
    first = api.call("post", "/api/v1/inquiries", json=BODY, **key)
    again = api.call("post", "/api/v1/inquiries", json=BODY, **key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Inquiry.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_refused(api):
    key = {"HTTP_IDEMPOTENCY_KEY": "9a7c1e0e-retry-2"}
    assert api.call("post", "/api/v1/inquiries", json=BODY, **key).status_code == 201
    response = api.call("post", "/api/v1/inquiries", json={**BODY, "minutes": 20}, **key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Inquiry.objects.count() == 1


def test_an_idempotency_key_belongs_to_its_user(api):
    key = {"HTTP_IDEMPOTENCY_KEY": "shared-key"}
    assert api.call("post", "/api/v1/inquiries", json=BODY, **key).status_code == 201
    assert api.call("post", "/api/v1/inquiries", user="bob", json=BODY, **key).status_code == 201
    assert Inquiry.objects.count() == 2


def test_a_refused_post_leaves_its_idempotency_key_free_for_the_corrected_body(api):
    key = {"HTTP_IDEMPOTENCY_KEY": "fix-and-retry"}
    assert api.call("post", "/api/v1/inquiries", json={**BODY, "channel": "pigeon"}, **key).status_code == 422
    assert api.call("post", "/api/v1/inquiries", json=BODY, **key).status_code == 201


def test_without_an_idempotency_key_two_posts_are_two_inquiries(api):
    api.call("post", "/api/v1/inquiries", json=BODY)
    api.call("post", "/api/v1/inquiries", json=BODY)
    assert Inquiry.objects.count() == 2


def test_the_409_body_returns_the_stored_record_and_is_a_logged_read(api):
    inquiry = make_inquiry(api.cast.norrebro, note="Mor bekymret")
    assert api.call("put", f"/api/v1/inquiries/{inquiry.pk}", json={**BODY, "version": 1}).status_code == 200
    response = api.call("put", f"/api/v1/inquiries/{inquiry.pk}", user="bob", json={**BODY, "version": 1})
    assert response.status_code == 409
    read = AuditEntry.objects.get(action=AuditAction.READ, object_id=str(inquiry.pk))
    assert read.actor_name == "bob"
