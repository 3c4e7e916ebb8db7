"""Shared pytest fixtures. Test settings come from the environment (pyproject.toml, [tool.pytest])."""

import pytest


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    from forpost.core.testing import make_cast

    return make_cast()


@pytest.fixture
def client_for(client):  # type: ignore[no-untyped-def]
    """Log a cast member in (without the password round trip) and return the client."""

    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; tests that are not about hashing need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
