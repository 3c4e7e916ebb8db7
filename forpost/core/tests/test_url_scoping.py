"""Walk every URL pattern of the project with every role and with the wrong centre.

A new view cannot forget scoping: each named URL must be described in its app's
tests/urlspecs.py (see forpost.accounts.testing), or this test fails.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from forpost.accounts.scoping import access_for
from forpost.accounts.testing import URL_SPECS, URLSpec

# Django's own admin is walked by its own test (test_admin.py).
SKIPPED_NAMESPACES = {"admin"}


def _load_specs() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("forpost."):
            try:
                import_module(f"{config.name}.tests.urlspecs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.urlspecs":
                    raise


def _names(resolver: URLResolver, prefix: str = "") -> list[str]:
    names: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            names += _names(entry, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(prefix + entry.name)
    return names


_load_specs()
ALL_NAMES = sorted(set(_names(get_resolver())))


def test_every_url_has_a_spec():
    missing = [name for name in ALL_NAMES if name not in URL_SPECS]
    assert not missing, f"Describe these URLs in their app's tests/urlspecs.py: {missing}"


def _request(client, spec: URLSpec, cast):
    url = reverse(spec.name, kwargs=spec.kwargs(cast) if spec.kwargs else None)
    if spec.query:
        url += "?" + spec.query
    if spec.method == "POST":
        return client.post(url)
    return client.get(url)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_anonymous_users_are_sent_to_log_in_unless_public(name, cast, client):
    spec = URL_SPECS[name]
    response = _request(client, spec, cast)
    if spec.public:
        assert response.status_code in spec.ok_statuses
    else:
        assert response.status_code in (302, 401), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [n for n in ALL_NAMES if not URL_SPECS.get(n, URLSpec(n)).public])
@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "dana", "erin", "frank", "grace"])
def test_each_role_and_centre_gets_exactly_its_access(name, who, cast, client):
    spec = URL_SPECS[name]
    user = cast.users()[who]
    client.force_login(user, backend="forpost.accounts.backends.ModelBackend")
    response = _request(client, spec, cast)
    access = access_for(user)
    if spec.owner is not None and who != spec.owner:
        assert response.status_code == 404, f"{who} should get 404 on {spec.owner}'s {name}"
        return
    if not access.has_role(spec.roles):
        assert response.status_code in (403, 404), f"{who} should be refused {name}"
        return
    centres = access.centre_ids(spec.roles)
    if spec.centre_bound and centres is not None and cast.norrebro.pk not in centres:
        assert response.status_code == 404, f"{who} of another centre should get 404 on {name}"
        return
    assert response.status_code in spec.ok_statuses, f"{who} should reach {name}, got {response.status_code}"
