"""Structured request logs without personal data, and the metrics endpoint."""

import io
import json
import logging

import pytest
from django.urls import reverse

from forpost.registrations.testing import make_inquiry

SECRET_NOTE = "Mor fortalte om sønnens mareridt efter skilsmissen"
SECRET_SEARCH = "mareridt-efter-skilsmissen"


@pytest.fixture
def json_log(settings):
    """Everything logged during the test, formatted as production formats it."""
    from django.utils.module_loading import import_string

    spec = settings.LOGGING["formatters"]["json"]
    formatter = import_string(spec["()"])(fmt=spec["fmt"], rename_fields=spec["rename_fields"])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def test_each_request_leaves_one_json_line_without_anything_a_citizen_wrote(cast, client_for, json_log):
    inquiry = make_inquiry(cast.norrebro, actor=cast.alice, note=SECRET_NOTE)
    client = client_for(cast.alice)
    detail = client.get(reverse("registrations:inquiry_detail", args=[inquiry.pk]), HTTP_X_REQUEST_ID="lb-1234abcd")
    assert SECRET_NOTE in detail.content.decode()
    assert detail["X-Request-ID"] == "lb-1234abcd"
    client.get(reverse("registrations:inquiry_list"), {"q": SECRET_SEARCH})
    client.post(reverse("registrations:inquiry_create"), {"note": f"{SECRET_NOTE} 211062-5629"})
    client.get("/findes/ikke/" + SECRET_SEARCH)

    text = json_log.getvalue()
    assert SECRET_NOTE not in text
    assert SECRET_SEARCH not in text
    assert "211062" not in text
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "forpost.request"]
    assert len(requests) == 4
    first = requests[0]
    assert first["request_id"] == "lb-1234abcd"
    assert first["user_id"] == cast.alice.pk
    assert first["route"] == "registrations:inquiry_detail"
    assert first["status"] == 200 and first["method"] == "GET"
    assert first["duration_ms"] >= 0
    assert requests[3]["route"] == "unmatched" and requests[3]["status"] == 404
    assert len({r["request_id"] for r in requests}) == 4


def test_the_metrics_need_the_token_and_count_requests_queue_and_failed_logins(client, settings, db):
    settings.METRICS_TOKEN = "metrics-secret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    client.get(reverse("healthz"))
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-secret-token")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'forpost_http_requests_total{method="GET",route="healthz",status="200"}' in body
    assert "forpost_http_request_duration_seconds_bucket" in body
    assert "forpost_job_queue_age_seconds 0.0" in body
    assert "forpost_failed_logins_24h 1.0" in body


def test_without_a_token_configured_there_are_no_metrics(client, settings, db):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
