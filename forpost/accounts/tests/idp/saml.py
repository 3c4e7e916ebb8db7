"""A real SAML 2.0 identity provider for the single sign-on tests: pysaml2's own `Server`.

It runs in a thread on a free local port, with a freshly made self-signed certificate, signs
its assertions with xmlsec1, and knows the people of a JSON file (read at every login, so a
test can change a person's groups or remove the person, as the municipality's IT would).
Its login page is a plain form; a wrong password or an unknown person is answered with a
SAML error status (AuthnFailed), as a real identity provider answers.
"""

from __future__ import annotations

import datetime
import json
import secrets
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import STATUS_AUTHN_FAILED
from saml2.server import Server


def make_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed RSA certificate and its key, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SamlIdP:
    def __init__(self, *, port: int, directory: Path, accounts_file: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.port = port
        self.directory = directory
        self.accounts_file = accounts_file
        self.key_file, self.cert_file = make_certificate(directory, "idp")
        self.metadata_file = directory / "idp-metadata.xml"
        self.metadata_file.write_text(create_metadata_string(None, config=self._config(sp_metadata=None)).decode())
        self.server: Server | None = None
        self._pending: dict[str, Any] = {}
        self._http: WSGIServer | None = None

    def _config(self, *, sp_metadata: Path | None) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.url + "/metadata",
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "metadata": {"local": [str(sp_metadata)]} if sp_metadata else {},
                "service": {
                    "idp": {
                        "name": "Forpost test IdP",
                        "endpoints": {
                            "single_sign_on_service": [(self.url + "/sso/redirect", BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_BASIC}},
                        "sign_assertion": True,
                        "sign_response": True,
                    }
                },
            }
        )
        return config

    def start(self, *, sp_metadata: str) -> None:
        sp_file = self.directory / "sp-metadata.xml"
        sp_file.write_text(sp_metadata)
        self.server = Server(config=self._config(sp_metadata=sp_file))
        self._http = make_server("127.0.0.1", self.port, self._app, handler_class=_QuietHandler)
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    # --- HTTP -----------------------------------------------------------------------------

    def _app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/sso/redirect":
            return self._login_form(parse_qs(environ["QUERY_STRING"]), start_response)
        if path == "/login" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            return self._login(parse_qs(environ["wsgi.input"].read(size).decode()), start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _html(self, start_response: Any, body: str) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]

    def _login_form(self, query: dict[str, list[str]], start_response: Any) -> list[bytes]:
        assert self.server is not None
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        key = secrets.token_urlsafe(16)
        self._pending[key] = (request.message, query.get("RelayState", [""])[0])
        return self._html(
            start_response,
            f'<form method="post" action="/login"><input type="hidden" name="key" value="{key}">'
            '<input name="login"><input name="password" type="password"><button>Sign in</button></form>',
        )

    def _login(self, form: dict[str, list[str]], start_response: Any) -> list[bytes]:
        assert self.server is not None
        message, relay_state = self._pending.pop(form["key"][0])
        people = json.loads(self.accounts_file.read_text())
        login, password = form.get("login", [""])[0], form.get("password", [""])[0]
        person = people.get(login)
        acs = message.assertion_consumer_service_url
        if person is None or person["password"] != password:
            response = self.server.create_error_response(
                message.id, acs, (STATUS_AUTHN_FAILED, "Unknown user or wrong password"), sign=True
            )
        else:
            identity = {
                "uid": [login],
                "mail": [person["email"]],
                "givenName": [person["given_name"]],
                "sn": [person["family_name"]],
                "groups": person["groups"],
            }
            response = self.server.create_authn_response(
                identity,
                in_response_to=message.id,
                destination=acs,
                sp_entity_id=message.issuer.text,
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=login),
                authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
                sign_response=True,
                sign_assertion=True,
            )
        http_args = self.server.apply_binding(BINDING_HTTP_POST, str(response), acs, relay_state, response=True)
        data = http_args["data"]
        return self._html(start_response, data if isinstance(data, str) else "".join(data))
