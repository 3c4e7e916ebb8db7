"""Single sign-on through SAML 2.0, against pysaml2's identity provider (see conftest)."""

import base64
import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urljoin

import pytest
import requests

from forpost.accounts.models import AuditAction, AuditEntry, IdpMapping, Membership, Role, User
from forpost.core.testing import today

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(live_server, login: str, password: str, session: requests.Session | None = None):  # type: ignore[no-untyped-def]
    """Through the identity provider's login form, then the auto-posted assertion, as a browser would."""
    session = session or requests.Session()
    form = session.get(live_server.url + "/app/saml/login/", timeout=15)
    key = re.search(r'name="key" value="([^"]+)"', form.text).group(1)
    posted = session.post(
        urljoin(form.url, "/login"), data={"key": key, "login": login, "password": password}, timeout=15
    )
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', posted.text).group(1))
    fields = {name: unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', posted.text)}
    return session, session.post(action, data=fields, timeout=15)


@pytest.fixture
def mapping(cast):  # type: ignore[no-untyped-def]
    return IdpMapping.objects.create(
        value="FR-Norrebro-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro, valid_from=date(2020, 1, 1)
    )


def test_a_person_in_a_mapped_group_is_created_at_first_sign_in_with_the_mapped_role_and_centre(
    live_server, saml_idp, cast, mapping
):
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 200
    assert landed.url == live_server.url + "/app/"
    assert "Familierådgivningen Nørrebro" in landed.text
    dora = User.objects.get(external_id__startswith="saml:")
    assert dora.external_id == f"saml:{saml_idp.url}/metadata|dora"
    assert (dora.username, dora.email, dora.get_full_name()) == ("dora", "dora@kk.dk", "Dora Dahl")
    [membership] = Membership.objects.filter(user=dora)
    assert (membership.role, membership.centre, membership.mapping) == (Role.COUNSELLOR, cast.norrebro, mapping)
    login = AuditEntry.objects.get(action=AuditAction.LOGIN, actor=dora)
    assert (login.changes["provider"], login.changes["mapped"]) == ("saml", ["FR-Norrebro-Raadgivere"])


def test_signing_out_ends_the_session(live_server, saml_idp, cast, mapping):
    session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', landed.text).group(1)
    out = session.post(live_server.url + "/app/logout/", data={"csrfmiddlewaretoken": token}, timeout=15)
    assert out.url.startswith(live_server.url + "/app/login/")
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor_name="dora").count() == 1


def test_a_person_in_no_mapped_group_is_refused_and_the_refusal_is_audited(live_server, saml_idp, cast, mapping):
    session, landed = _sign_in(live_server, "egon", "egon-at-the-idp")
    assert landed.status_code == 403
    assert "Du har ikke adgang til Forpost" in landed.text
    assert not User.objects.filter(username="egon").exists()
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")
    refusal = AuditEntry.objects.get(action=AuditAction.REFUSE)
    assert refusal.changes["reason"] == "no mapped group"


def test_a_person_taken_out_of_the_groups_is_deactivated_at_the_next_sign_in(live_server, saml_idp, cast, mapping):
    _sign_in(live_server, "dora", "dora-at-the-idp")
    dora = User.objects.get(username="dora")
    Membership.objects.filter(user=dora).update(valid_from=date(2025, 1, 1))
    saml_idp.set_person("dora", groups=["Alle-Ansatte"])
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 403
    dora.refresh_from_db()
    assert not dora.is_active
    assert Membership.objects.get(user=dora).valid_to == today() - timedelta(days=1)


def test_a_person_the_identity_provider_has_removed_gets_no_access(live_server, saml_idp, cast, mapping):
    _sign_in(live_server, "dora", "dora-at-the-idp")
    saml_idp.remove_person("dora")
    session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 403
    refusal = AuditEntry.objects.get(action=AuditAction.REFUSE)
    assert refusal.changes == {"provider": "saml", "error": "StatusAuthnFailed"}
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")
    trail = str(list(AuditEntry.objects.values_list("changes", "path")))
    assert "SAMLResponse" not in trail and "Assertion" not in trail


def test_an_assertion_not_signed_by_the_identity_provider_is_refused(live_server, saml_idp, cast, mapping):
    session = requests.Session()
    form = session.get(live_server.url + "/app/saml/login/", timeout=15)
    key = re.search(r'name="key" value="([^"]+)"', form.text).group(1)
    posted = session.post(
        urljoin(form.url, "/login"), data={"key": key, "login": "dora", "password": "dora-at-the-idp"}
    )
    fields = {name: unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', posted.text)}
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    forged = xml.replace("FR-Norrebro-Raadgivere", "FR-Valby-Koordinatorer")
    assert forged != xml
    IdpMapping.objects.create(value="FR-Valby-Koordinatorer", role=Role.COORDINATOR, centre=cast.valby)
    original = fields["SAMLResponse"]
    fields["SAMLResponse"] = base64.b64encode(forged.encode()).decode()
    landed = session.post(live_server.url + "/app/saml/acs/", data=fields, timeout=15)
    assert landed.status_code == 403
    assert not User.objects.filter(username="dora").exists()
    # The same assertion, untouched, is accepted: only the forgery was refused.
    landed = session.post(live_server.url + "/app/saml/acs/", data={**fields, "SAMLResponse": original}, timeout=15)
    assert landed.status_code == 200
    assert Membership.objects.get(user__username="dora").role == Role.COUNSELLOR


def test_the_identity_provider_tested_against_is_pysaml2(saml_idp):
    assert saml_idp.version == "7.5.5"


KOMBIT_PRIVILEGES = """<?xml version="1.0" encoding="UTF-8"?>
<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:64942212">
    <Privilege>http://kombit.dk/roles/usersystemrole/forpost_raadgiver_norrebro/1</Privilege>
  </PrivilegeGroup>
</bpp:PrivilegeList>"""


def test_kombits_privilege_list_is_read_as_the_groups(live_server, saml_idp, cast):
    IdpMapping.objects.create(
        value="http://kombit.dk/roles/usersystemrole/forpost_raadgiver_norrebro/1",
        role=Role.COUNSELLOR,
        centre=cast.norrebro,
    )
    saml_idp.set_person("dora", groups=[base64.b64encode(KOMBIT_PRIVILEGES.encode()).decode()])
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 200
    assert Membership.objects.get(user__username="dora").centre == cast.norrebro
