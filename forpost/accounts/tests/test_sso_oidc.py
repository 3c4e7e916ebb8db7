"""Single sign-on through OpenID Connect, against the certified `oidc-provider` (see conftest)."""

import re
import time
from datetime import date, timedelta
from html import unescape
from urllib.parse import urljoin

import pytest
import requests

from forpost.accounts.models import AuditAction, AuditEntry, IdpMapping, Membership, Role, User
from forpost.core.testing import today

pytestmark = pytest.mark.django_db(transaction=True)


def _start(session: requests.Session, live_server) -> requests.Response:  # type: ignore[no-untyped-def]
    return session.get(live_server.url + "/app/oidc/start/", timeout=15)


def _sign_in(live_server, login: str, password: str, session: requests.Session | None = None):  # type: ignore[no-untyped-def]
    """Through the provider's login form, as a person would; the response where Forpost lands."""
    session = session or requests.Session()
    form = _start(session, live_server)
    action = re.search(r'action="([^"]+)"', form.text).group(1)
    response = session.post(urljoin(form.url, action), data={"login": login, "password": password}, timeout=15)
    return session, response


@pytest.fixture
def mapping(cast):  # type: ignore[no-untyped-def]
    return IdpMapping.objects.create(
        value="FR-Norrebro-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro, valid_from=date(2020, 1, 1)
    )


def test_a_person_in_a_mapped_group_is_created_at_first_sign_in_with_the_mapped_role_and_centre(
    live_server, oidc_idp, cast, mapping
):
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 200
    assert landed.url == live_server.url + "/app/"
    assert "Familierådgivningen Nørrebro" in landed.text
    dora = User.objects.get(external_id="oidc:dora")
    assert (dora.username, dora.email, dora.get_full_name()) == ("dora", "dora@kk.dk", "Dora Dahl")
    assert not dora.has_usable_password()
    [membership] = Membership.objects.filter(user=dora)
    assert (membership.role, membership.centre, membership.valid_from, membership.mapping) == (
        Role.COUNSELLOR,
        cast.norrebro,
        today(),
        mapping,
    )
    login = AuditEntry.objects.get(action=AuditAction.LOGIN, actor=dora)
    assert login.changes["provider"] == "oidc"
    assert login.changes["mapped"] == ["FR-Norrebro-Raadgivere"]


def test_a_second_sign_in_keeps_the_membership_and_follows_a_move_to_another_centre(
    live_server, oidc_idp, cast, mapping
):
    IdpMapping.objects.create(value="FR-Valby-Koordinatorer", role=Role.COORDINATOR, centre=cast.valby)
    _sign_in(live_server, "dora", "dora-at-the-idp")
    _sign_in(live_server, "dora", "dora-at-the-idp")
    dora = User.objects.get(external_id="oidc:dora")
    assert Membership.objects.filter(user=dora).count() == 1
    oidc_idp.set_person("dora", groups=["FR-Valby-Koordinatorer"])
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert "Familierådgivningen Valby" in landed.text
    current = Membership.objects.active_on(today()).get(user=dora)
    assert (current.role, current.centre) == (Role.COORDINATOR, cast.valby)


def test_signing_out_ends_the_session_here_and_at_the_identity_provider(live_server, oidc_idp, cast, mapping):
    session, _landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    dashboard = session.get(live_server.url + "/app/", timeout=15)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dashboard.text).group(1)
    confirm = session.post(live_server.url + "/app/logout/", data={"csrfmiddlewaretoken": token}, timeout=15)
    # The provider asks to confirm; its form carries its own anti-forgery token.
    assert confirm.url.startswith(oidc_idp.url + "/session/end")
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', confirm.text, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    back = session.post(urljoin(confirm.url, unescape(form.group(1))), data={**fields, "logout": "yes"}, timeout=15)
    assert back.url.startswith(live_server.url + "/app/login/")
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")
    # Signed out at the provider too: starting again asks for the password instead of passing through.
    assert 'name="password"' in _start(session, live_server).text
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor_name="dora").count() == 1


def test_a_person_in_no_mapped_group_is_refused_and_the_refusal_is_audited(live_server, oidc_idp, cast, mapping):
    session, landed = _sign_in(live_server, "egon", "egon-at-the-idp")
    assert landed.status_code == 403
    assert "Du har ikke adgang til Forpost" in landed.text
    assert not User.objects.filter(external_id="oidc:egon").exists()
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")
    refusal = AuditEntry.objects.get(action=AuditAction.REFUSE)
    assert refusal.changes["subject"] == "egon"
    assert refusal.changes["reason"] == "no mapped group"


def test_a_mapping_outside_its_dates_gives_nothing(live_server, oidc_idp, cast, mapping):
    mapping.valid_to = today() - timedelta(days=1)
    mapping.save()
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 403


def test_a_person_taken_out_of_the_groups_is_deactivated_at_the_next_sign_in(live_server, oidc_idp, cast, mapping):
    _sign_in(live_server, "dora", "dora-at-the-idp")
    dora = User.objects.get(external_id="oidc:dora")
    Membership.objects.filter(user=dora).update(valid_from=date(2025, 1, 1))  # held for a while
    oidc_idp.set_person("dora", groups=["Alle-Ansatte"])
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 403
    dora.refresh_from_db()
    assert not dora.is_active and dora.deactivated_by_idp
    membership = Membership.objects.get(user=dora)
    assert membership.valid_to == today() - timedelta(days=1)
    assert AuditEntry.objects.filter(action=AuditAction.REFUSE, object_id=str(dora.pk)).exists()
    # Back in the group, the identity provider gives the access back.
    oidc_idp.set_person("dora", groups=["FR-Norrebro-Raadgivere"])
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 200
    dora.refresh_from_db()
    assert dora.is_active


def test_a_person_the_identity_provider_has_removed_gets_no_access(live_server, oidc_idp, cast, mapping):
    _sign_in(live_server, "dora", "dora-at-the-idp")
    oidc_idp.remove_person("dora")
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 403
    refusal = AuditEntry.objects.get(action=AuditAction.REFUSE)
    assert refusal.changes == {"provider": "oidc", "error": "access_denied"}
    # No token of any kind ever reaches the trail.
    trail = str(list(AuditEntry.objects.values_list("changes", "path")))
    assert "id_token" not in trail and "code=" not in trail and "eyJ" not in trail


def test_a_user_an_administrator_deactivated_stays_out_whatever_the_groups(live_server, oidc_idp, cast, mapping):
    _sign_in(live_server, "dora", "dora-at-the-idp")
    User.objects.filter(external_id="oidc:dora").update(is_active=False)
    _session, landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    assert landed.status_code == 403
    assert not User.objects.get(external_id="oidc:dora").is_active


def test_the_identity_provider_tested_against_is_the_certified_oidc_provider(oidc_idp):
    assert oidc_idp.version == "9.13.3"


def test_an_open_session_ends_at_the_next_check_once_the_identity_provider_has_removed_the_person(
    live_server, oidc_idp, cast, mapping, settings
):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 1  # check with the provider a second after
    session, _landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    time.sleep(1.2)
    page = session.get(live_server.url + "/app/", timeout=15)
    assert page.url == live_server.url + "/app/"  # the silent check passed
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor_name="dora").count() == 2
    oidc_idp.remove_person("dora")
    time.sleep(1.2)
    page = session.get(live_server.url + "/app/", timeout=15)
    assert page.url.startswith(live_server.url + "/app/login/")
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")


def test_an_open_session_ends_at_the_next_check_once_the_person_left_the_groups(
    live_server, oidc_idp, cast, mapping, settings
):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 1
    session, _landed = _sign_in(live_server, "dora", "dora-at-the-idp")
    oidc_idp.set_person("dora", groups=["Alle-Ansatte"])
    time.sleep(1.2)
    page = session.get(live_server.url + "/app/", timeout=15)
    assert page.status_code == 403
    assert not User.objects.get(external_id="oidc:dora").is_active
    assert session.get(live_server.url + "/app/", timeout=15).url.startswith(live_server.url + "/app/login/")
