"""User administration in the app: invitations, names, dated roles, deactivation."""

import re
from datetime import date, datetime, timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry, IdpMapping, Membership, Role, User

NEW_PASSWORD = "a-long-and-private-passphrase"


def _invite_form(client, **changes):  # type: ignore[no-untyped-def]
    page = client.get(reverse("accounts:user_invite"))
    token = re.search(r'name="submission_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "submission_token": token,
        "first_name": "Hanne",
        "last_name": "Holm",
        "email": "hanne@kk.dk",
        "username": "",
        "role": "counsellor",
        "centre": "",
        "valid_from": "2026-01-01",
        "valid_to": "",
    }
    data.update(changes)
    return data


def _link(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"http\S+/invitation/\S+/", message.body).group(0).split("8000", 1)[-1]


def test_an_administrator_invites_a_user_who_then_chooses_their_own_password(client_for, cast):
    client = client_for(cast.grace)
    response = client.post(reverse("accounts:user_invite"), _invite_form(client, centre=cast.norrebro.pk))
    user = User.objects.get(email="hanne@kk.dk")
    assert response.status_code == 302 and response["Location"] == user.get_absolute_url()
    assert user.username == "hanne@kk.dk" and user.get_full_name() == "Hanne Holm"
    assert not user.has_usable_password()
    assert [(m.role, m.centre, m.valid_from) for m in user.memberships.all()] == [
        ("counsellor", cast.norrebro, date(2026, 1, 1))
    ]
    [message] = mail.outbox
    assert message.to == ["hanne@kk.dk"] and "hanne@kk.dk" in message.body

    client.logout()
    link = _link(message)
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "hanne@kk.dk", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_the_invitation_link_works_only_once(client_for, cast):
    client = client_for(cast.grace)
    client.post(reverse("accounts:user_invite"), _invite_form(client, centre=cast.norrebro.pk))
    client.logout()
    link = _link(mail.outbox[0])
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post(
        link, {"new_password1": "someone-elses-choice-42", "new_password2": "someone-elses-choice-42"}
    )
    assert response.status_code == 410
    assert User.objects.get(email="hanne@kk.dk").check_password(NEW_PASSWORD)


def test_the_invitation_link_expires(client_for, cast, monkeypatch, settings):
    client = client_for(cast.grace)
    client.post(reverse("accounts:user_invite"), _invite_form(client, centre=cast.norrebro.pk))
    client.logout()
    link = _link(mail.outbox[0])
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = client.get(link)
    assert response.status_code == 410
    assert "Linket virker ikke længere" in response.content.decode()


def test_name_and_e_mail_are_required_and_the_rest_is_kept(client_for, cast):
    client = client_for(cast.grace)
    data = _invite_form(client, first_name="", email="", username="hholm", centre=cast.norrebro.pk)
    response = client.post(reverse("accounts:user_invite"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("form-error-message") == 2
    assert 'value="hholm"' in body and 'value="Holm"' in body
    assert not User.objects.filter(username="hholm").exists()
    assert not mail.outbox


def test_a_counsellor_needs_a_centre_and_bad_dates_get_a_message(client_for, cast):
    client = client_for(cast.grace)
    data = _invite_form(client, valid_from="31-02-2026")
    body = client.post(reverse("accounts:user_invite"), data).content.decode()
    assert "Rådgivere og koordinatorer hører til en rådgivning." in body
    assert "Indtast en gyldig dato." in body
    assert not User.objects.filter(email="hanne@kk.dk").exists()


def test_a_double_submitted_invitation_makes_one_user_and_one_e_mail(client_for, cast):
    client = client_for(cast.grace)
    data = _invite_form(client, centre=cast.norrebro.pk)
    first = client.post(reverse("accounts:user_invite"), data)
    second = client.post(reverse("accounts:user_invite"), data)
    assert User.objects.filter(email="hanne@kk.dk").count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert len(mail.outbox) == 1


def test_the_invitation_is_audited_without_any_password_or_token(client_for, cast):
    client = client_for(cast.grace)
    client.post(reverse("accounts:user_invite"), _invite_form(client, centre=cast.norrebro.pk))
    client.logout()
    link = _link(mail.outbox[0])
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user = User.objects.get(email="hanne@kk.dk")
    entries = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert {(e.action, e.actor_name) for e in entries} == {
        (AuditAction.CREATE, "grace"),
        (AuditAction.CHANGE, "hanne@kk.dk"),
    }
    trail = str(list(AuditEntry.objects.values_list("changes", "path")))
    assert user.password not in trail
    assert link.rstrip("/").rsplit("/", 1)[-1] not in trail


def test_a_user_who_is_not_an_administrator_is_denied(client_for, cast):
    client = client_for(cast.erin)  # central staff: sees the audit trail, but keeps no users
    assert client.get(reverse("accounts:users")).status_code == 403
    response = client.post(reverse("accounts:user_invite"), {"first_name": "X", "email": "x@kk.dk"})
    assert response.status_code == 403
    assert not User.objects.filter(email="x@kk.dk").exists()


def test_the_user_list_finds_by_name_and_shows_todays_roles(client_for, cast):
    body = client_for(cast.grace).get(reverse("accounts:users"), {"q": "alice"}).content.decode()
    assert "Rådgiver · NØR" in body
    assert "Charlie" not in body


def test_a_deactivated_user_is_logged_out_and_cannot_log_in_until_reactivated(client_for, cast, client):
    from django.test import Client

    alice = Client()
    alice.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    admin = client_for(cast.grace)
    url = reverse("accounts:user_set_active", args=[cast.alice.pk])
    admin.post(url, {"version": 1, "active": "0"})
    cast.alice.refresh_from_db()
    assert not cast.alice.is_active
    assert alice.get(reverse("core:dashboard")).status_code == 302
    admin.post(url, {"version": cast.alice.version, "active": "1"})
    cast.alice.refresh_from_db()
    assert cast.alice.is_active
    entries = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(cast.alice.pk))
    assert [e.changes["is_active"] for e in entries.order_by("id")] == [[True, False], [False, True]]


def test_a_stale_deactivation_is_refused(client_for, cast):
    admin = client_for(cast.grace)
    url = reverse("accounts:user_set_active", args=[cast.alice.pk])
    admin.post(url, {"version": 1, "active": "0"})
    admin.post(url, {"version": 1, "active": "0"})  # a second tab, rendered before the first change
    cast.alice.refresh_from_db()
    assert cast.alice.version == 2


def test_an_administrator_cannot_lock_themselves_out(client_for, cast):
    admin = client_for(cast.grace)
    admin.post(reverse("accounts:user_set_active", args=[cast.grace.pk]), {"version": 1, "active": "0"})
    cast.grace.refresh_from_db()
    assert cast.grace.is_active


def test_name_and_e_mail_are_edited_with_a_version(client_for, cast):
    admin = client_for(cast.grace)
    url = reverse("accounts:user_detail", args=[cast.alice.pk])
    data = {"first_name": "Alice", "last_name": "Andersen", "email": "alice@kk.dk", "version": 1}
    assert admin.post(url, data).status_code == 302
    stale = admin.post(url, {**data, "last_name": "Berg"})
    assert stale.status_code == 200
    assert 'value="Berg"' in stale.content.decode()
    cast.alice.refresh_from_db()
    assert cast.alice.last_name == "Andersen"
    assert admin.post(url, {**data, "email": ""}).status_code == 200


def test_a_role_gets_dates_and_the_dates_can_be_changed(client_for, cast):
    admin = client_for(cast.grace)
    page = admin.get(reverse("accounts:membership_create", args=[cast.alice.pk])).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    data = {
        "submission_token": token,
        "role": "coordinator",
        "centre": cast.valby.pk,
        "valid_from": "01-03-2026",
        "valid_to": "",
    }
    assert admin.post(reverse("accounts:membership_create", args=[cast.alice.pk]), data).status_code == 302
    membership = Membership.objects.get(user=cast.alice, role=Role.COORDINATOR)
    assert membership.valid_from == date(2026, 3, 1) and membership.centre == cast.valby
    url = reverse("accounts:membership_edit", args=[membership.pk])
    response = admin.post(url, {"valid_from": "2026-03-01", "valid_to": "2026-02-01", "version": 1})
    assert "Slutdatoen ligger før startdatoen." in response.content.decode()
    assert admin.post(url, {"valid_from": "2026-03-01", "valid_to": "2026-06-30", "version": 1}).status_code == 302
    membership.refresh_from_db()
    assert membership.valid_to == date(2026, 6, 30)
    change = AuditEntry.objects.filter(object_type="accounts.membership", action=AuditAction.CHANGE).get()
    assert change.changes == {"valid_to": [None, "2026-06-30"], "version": [1, 2]} or change.changes == {
        "valid_to": [None, "2026-06-30"]
    }


def test_an_administrator_keeps_the_single_sign_on_mapping(client_for, cast):
    admin = client_for(cast.grace)
    page = admin.get(reverse("accounts:mapping_create")).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    data = {
        "submission_token": token,
        "value": "FR-Norrebro-Raadgivere",
        "role": "counsellor",
        "centre": cast.norrebro.pk,
        "valid_from": "2026-01-01",
        "valid_to": "",
    }
    assert admin.post(reverse("accounts:mapping_create"), data).status_code == 302
    mapping = IdpMapping.objects.get()
    assert (mapping.value, mapping.role, mapping.centre) == ("FR-Norrebro-Raadgivere", "counsellor", cast.norrebro)
    edit = {**data, "valid_to": "2026-12-31", "version": 1}
    assert admin.post(reverse("accounts:mapping_edit", args=[mapping.pk]), edit).status_code == 302
    mapping.refresh_from_db()
    assert mapping.valid_to == date(2026, 12, 31)
    actions = list(
        AuditEntry.objects.filter(object_type="accounts.idpmapping").order_by("id").values_list("action", "actor_name")
    )
    assert actions == [(AuditAction.CREATE, "grace"), (AuditAction.CHANGE, "grace")]
    assert "FR-Norrebro-Raadgivere" in admin.get(reverse("accounts:mappings")).content.decode()


def test_nobody_creates_a_user_or_sets_another_persons_password_in_the_django_admin(client_for, cast):
    admin = client_for(cast.grace)
    assert admin.get(reverse("admin:accounts_user_add")).status_code == 403
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[cast.alice.pk]),
        {"password1": "chosen-by-someone-else", "password2": "chosen-by-someone-else"},
    )
    assert response.status_code == 403
    cast.alice.refresh_from_db()
    assert not cast.alice.check_password("chosen-by-someone-else")
    change = admin.get(reverse("admin:accounts_user_change", args=[cast.alice.pk])).content.decode()
    assert (
        'name="password' not in change
        and reverse("admin:auth_user_password_change", args=[cast.alice.pk]) not in change
    )


def test_without_password_login_there_is_no_invitation_to_send(client_for, cast, settings):
    settings.PASSWORD_LOGIN = False
    admin = client_for(cast.grace)
    page = admin.get(reverse("accounts:user_invite")).content.decode()
    assert "Login med adgangskode er slået fra" in page
    assert 'name="email"' not in page
    response = admin.post(reverse("accounts:user_invite"), {"first_name": "Hanne", "email": "hanne@kk.dk"})
    assert response.status_code == 200
    assert not User.objects.filter(email="hanne@kk.dk").exists()
