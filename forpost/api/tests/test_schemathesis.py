"""Schemathesis against /api/v1/openapi.json with a valid token (runs in `make test`, so in CI).

Requests are generated from the OpenAPI schema for every operation; the run fails on any
server error and on any response that the schema does not describe (status code, content
type, body). It is bounded so that it stays well under a minute on two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
TOKENS: dict[str, str] = {}


@pytest.fixture
def api_schema(cast, settings):  # type: ignore[no-untyped-def]
    from django.core.wsgi import get_wsgi_application

    from forpost.accounts.services import create_api_token
    from forpost.registrations.testing import make_inquiry

    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    settings.ALLOWED_HOSTS = ["*"]
    # Something to find: an inquiry at the token's centre and one at another centre.
    make_inquiry(cast.norrebro)
    make_inquiry(cast.valby)
    TOKENS["bob"] = create_api_token(actor=cast.bob, name="schemathesis")[1]
    # As Django's test client does: keep the test's connection (and transaction) open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations() -> list[tuple[str, str, GenerationMode]]:
    """Every operation with valid input, and those that take input with invalid input too."""
    from forpost.api.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    found = []
    for path, ops in paths.items():
        for method, op in ops.items():
            found.append((method.upper(), path, GenerationMode.POSITIVE))
            # A plain string in the path has no invalid value to send.
            typed = [p for p in op.get("parameters", []) if p["schema"].get("type") != "string"]
            if typed or op.get("requestBody"):
                found.append((method.upper(), path, GenerationMode.NEGATIVE))
    return sorted(found)


@pytest.mark.parametrize(("method", "path", "mode"), _operations())
def test_the_api_keeps_its_schema_and_never_fails(api_schema, method, path, mode):  # type: ignore[no-untyped-def]
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKENS['bob']}"}, checks=CHECKS)

    check()
