import pytest


@pytest.fixture
def api(cast):  # type: ignore[no-untyped-def]
    """Tokens for the cast and a helper to call /api/v1 with one."""
    from types import SimpleNamespace

    from django.test import Client

    from forpost.accounts.services import create_api_token
    from forpost.registrations.testing import ensure_reference_data

    ensure_reference_data()
    raw = {name: create_api_token(actor=user, name="test")[1] for name, user in cast.users().items()}

    def call(method, path, user="alice", json=None, **extra):  # type: ignore[no-untyped-def]
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw[user]}"} if user else {}
        if json is not None:
            return getattr(client, method)(path, data=json, content_type="application/json", **headers, **extra)
        return getattr(client, method)(path, **headers, **extra)

    return SimpleNamespace(cast=cast, tokens=raw, call=call)
