"""Real identity providers for the single sign-on tests, started on free local ports.

OpenID Connect: the certified `oidc-provider` from npm, on Node (tests/idp/oidc.mjs).
SAML 2.0: pysaml2's own identity provider, in a thread of this process (tests/idp/saml.py).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

IDP_DIR = Path(__file__).parent / "idp"
NODE_MODULES = Path(django_settings.BASE_DIR) / "node_modules"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs {what} for the single sign-on tests; .ci/run installs it.")
    pytest.skip(f"Single sign-on tests skipped: {what} is not installed.")


# The people the identity providers know. Each test changes them as the municipality's IT would.
PEOPLE: dict[str, dict[str, Any]] = {
    "dora": {
        "password": "dora-at-the-idp",
        "email": "dora@kk.dk",
        "given_name": "Dora",
        "family_name": "Dahl",
        "groups": ["FR-Norrebro-Raadgivere", "Alle-Ansatte"],
    },
    "egon": {
        "password": "egon-at-the-idp",
        "email": "egon@kk.dk",
        "given_name": "Egon",
        "family_name": "Eriksen",
        "groups": ["Alle-Ansatte"],
    },
}


@dataclass
class IdP:
    url: str
    accounts_file: Path
    version: str

    def set_person(self, login: str, **changes: Any) -> None:
        people = json.loads(self.accounts_file.read_text())
        people[login].update(changes)
        self.accounts_file.write_text(json.dumps(people))

    def remove_person(self, login: str) -> None:
        people = json.loads(self.accounts_file.read_text())
        del people[login]
        self.accounts_file.write_text(json.dumps(people))


@pytest.fixture
def oidc_idp(live_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    node = shutil.which("node")
    if node is None:
        _missing("Node.js")
    package = NODE_MODULES / "oidc-provider" / "package.json"
    if not package.exists():
        _missing("the npm package oidc-provider (npm ci)")
    accounts = tmp_path / "people.json"
    accounts.write_text(json.dumps(PEOPLE))
    port = free_port()
    callback = live_server.url + "/app/oidc/callback/"
    after_logout = live_server.url + "/app/login/"
    log = tmp_path / "oidc-provider.log"  # the provider's warnings and errors, for a failing test
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [node, str(IDP_DIR / "oidc.mjs"), str(port), callback, after_logout, str(accounts)],
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("ready"):
            process.wait(timeout=10)
            raise RuntimeError("oidc-provider did not start: " + log.read_text())
        url = f"http://127.0.0.1:{port}"
        settings.OIDC_RP_CLIENT_ID = "forpost"
        settings.OIDC_RP_CLIENT_SECRET = "forpost-test-secret"
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = url + "/auth"
        settings.OIDC_OP_TOKEN_ENDPOINT = url + "/token"
        settings.OIDC_OP_USER_ENDPOINT = url + "/me"
        settings.OIDC_OP_JWKS_ENDPOINT = url + "/jwks"
        settings.OIDC_OP_LOGOUT_ENDPOINT = url + "/session/end"
        version = json.loads(package.read_text())["version"]
        yield IdP(url=url, accounts_file=accounts, version=version)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def saml_idp(live_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    if shutil.which("xmlsec1") is None:
        _missing("xmlsec1 (apt-get install xmlsec1)")
    from importlib.metadata import version

    from saml2.metadata import create_metadata_string

    from forpost.accounts import sso

    from .idp.saml import SamlIdP

    accounts = tmp_path / "people.json"
    accounts.write_text(json.dumps(PEOPLE))
    idp = SamlIdP(port=free_port(), directory=tmp_path, accounts_file=accounts)
    settings.SITE_URL = live_server.url
    settings.SAML_IDP_METADATA = str(idp.metadata_file)
    idp.start(sp_metadata=create_metadata_string(None, config=sso.saml_config()).decode())
    try:
        yield IdP(url=idp.url, accounts_file=accounts, version=version("pysaml2"))
    finally:
        idp.stop()
