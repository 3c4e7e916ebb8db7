import json

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations.counts import rebuild
from forpost.registrations.testing import make_inquiry


def _suppressed_cells(data):
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("suppressed") is True and "display" in value:
                found.append(value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data["sections"])
    return found


def test_a_centres_own_status_is_suppressed_when_it_leaves_the_app(api):
    for _ in range(2):
        make_inquiry(api.cast.norrebro)
    rebuild()
    response = api.call("get", "/api/v1/status/2026/norrebro")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["suppressed"] is True
    assert data["centres"] == ["norrebro"]
    assert _suppressed_cells(data), "two inquiries must not come out as a number"
    assert '"value": 2' not in json.dumps(data)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.changes["criteria"] == {"year": 2026, "centre": "norrebro"}
    assert entry.changes["format"] == "json"


def test_the_city_status_is_for_city_readers_and_suppressed(api):
    make_inquiry(api.cast.valby)
    rebuild()
    assert api.call("get", "/api/v1/status/2026", user="alice").status_code == 403
    response = api.call("get", "/api/v1/status/2026", user="frank")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["suppressed"] is True
    assert _suppressed_cells(data)


def test_it_denies_another_centres_status(api):
    assert api.call("get", "/api/v1/status/2026/norrebro", user="charlie").status_code == 404
    assert api.call("get", "/api/v1/status/2026/atlantis", user="erin").status_code == 404
    assert api.call("get", "/api/v1/status/2026/norrebro", user="erin").status_code == 200


def test_an_unknown_year_is_404(api):
    assert api.call("get", "/api/v1/status/1999", user="erin").status_code == 404
    assert api.call("get", "/api/v1/status/3000/norrebro").status_code == 404


def test_the_status_needs_a_token(api):
    assert api.call("get", "/api/v1/status/2026/norrebro", user=None).status_code == 401
