import hashlib

from django.urls import reverse

from forpost.accounts.models import ApiToken, AuditAction, AuditEntry
from forpost.accounts.services import create_api_token, revoke_api_token


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_stored_only_as_its_digest(cast):
    token, raw = create_api_token(actor=cast.alice, name="Statistik")
    assert raw.startswith("fp_")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix, token.digest}
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="accounts.apitoken").exists()


def test_the_token_page_shows_a_new_token_once(client_for, cast):
    client = client_for(cast.alice)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Statistik"})
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert raw not in again
    assert ApiToken.objects.get(user=cast.alice).prefix in again


def test_a_token_needs_a_name(client_for, cast):
    response = client_for(cast.alice).post(reverse("accounts:api_tokens"), {"name": ""})
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0


def test_a_token_acts_with_its_owners_scope(client, cast):
    _token, raw = create_api_token(actor=cast.charlie, name="x")
    data = client.get("/api/v1/me", **bearer(raw)).json()
    assert data["username"] == "charlie"
    assert data["centres"] == ["valby"]


def test_calls_without_a_valid_token_are_refused(client, cast):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", **bearer("fp_made-up")).status_code == 401
    assert client.get("/api/v1/me", **bearer("")).status_code == 401


def test_a_revoked_token_stops_working(client, cast):
    token, raw = create_api_token(actor=cast.alice, name="x")
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    revoke_api_token(actor=cast.alice, token=token)
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_only_the_owner_revokes_a_token(client_for, cast):
    token, _raw = create_api_token(actor=cast.alice, name="x")
    assert client_for(cast.bob).post(reverse("accounts:revoke_api_token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_an_inactive_user_stops_working(client, cast):
    _token, raw = create_api_token(actor=cast.alice, name="x")
    cast.alice.is_active = False
    cast.alice.save()
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_calls_beyond_the_rate_limit_get_429(client, cast, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    _token, raw = create_api_token(actor=cast.alice, name="x")
    statuses = [client.get("/api/v1/me", **bearer(raw)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = client.get("/api/v1/me", **bearer(raw))
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_limit_counts_a_users_calls_across_all_their_tokens(client, cast, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    raws = [create_api_token(actor=cast.alice, name=f"t{n}")[1] for n in range(5)]
    statuses = [client.get("/api/v1/me", **bearer(raw)).status_code for raw in raws]
    assert statuses == [200, 200, 200, 429, 429]
    # Another user has a limit of their own.
    _token, other = create_api_token(actor=cast.bob, name="x")
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200


def test_anonymous_calls_are_limited_per_address(client, cast, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    statuses = [client.get("/api/v1/centres", REMOTE_ADDR="192.0.2.7").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get("/api/v1/centres", REMOTE_ADDR="192.0.2.7")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["detail"]
    assert client.get("/api/v1/centres", REMOTE_ADDR="192.0.2.8").status_code == 200


def test_the_rate_counters_name_no_address(client, cast, settings):
    from forpost.accounts.models import RateWindow

    client.get("/api/v1/centres", REMOTE_ADDR="192.0.2.7")
    assert RateWindow.objects.exists()
    assert not RateWindow.objects.filter(key__contains="192.0.2.7").exists()


def test_centres_are_public(client, cast):
    data = client.get("/api/v1/centres").json()
    assert [c["slug"] for c in data] == ["norrebro", "valby"]
    assert data[0]["district"] == {"slug": "norrebro", "name": "Nørrebro"}
    assert client.get("/api/v1/centres/valby").json()["code"] == "VAL"
    assert client.get("/api/v1/centres/atlantis").status_code == 404


def test_the_openapi_schema_describes_the_api(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Forpost API"
    assert "/api/v1/centres" in schema["paths"]
    assert "/api/v1/me" in schema["paths"]


def test_the_docs_use_no_cdn(client, db):
    body = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr" not in body
    assert "/static/ninja/swagger-ui-bundle.js" in body


def _schema(client):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/openapi.json").json()


def test_the_schema_names_its_server_and_license(client, db):
    schema = _schema(client)
    assert schema["servers"][0]["url"]
    assert schema["info"]["license"]["name"]


def test_the_schema_says_which_operations_need_no_token(client, db):
    paths = _schema(client)["paths"]
    assert paths["/api/v1/centres"]["get"]["security"] == []
    assert paths["/api/v1/centres/{slug}/opening-hours"]["get"]["security"] == []
    assert paths["/api/v1/inquiries"]["get"]["security"]


def test_the_schema_documents_retry_after_on_429(client, db):
    responses = _schema(client)["paths"]["/api/v1/inquiries"]["post"]["responses"]
    assert "Retry-After" in responses["429"]["headers"]


def test_the_schema_documents_429_on_every_operation_public_ones_too(client, db):
    for path, operations in _schema(client)["paths"].items():
        for method, operation in operations.items():
            assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)


def test_the_schema_requires_the_desks_fields_for_create_and_replace_but_not_for_patch(client, db):
    components = _schema(client)["components"]["schemas"]
    desk = {"date", "channel", "contact_person", "children"}
    assert desk <= set(components["InquiryIn"]["required"])
    assert desk | {"version"} <= set(components["InquiryReplace"]["required"])
    assert components["InquiryPatch"]["required"] == ["version"]


def test_a_rate_limited_call_says_when_to_retry(client, cast, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    _token, raw = create_api_token(actor=cast.alice, name="x")
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
