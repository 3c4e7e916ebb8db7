"""The second factor after a password login: enrolment, use, recovery codes, reset."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from forpost.accounts import services
from forpost.accounts.mfa_views import TOTP_KEY
from forpost.accounts.models import AuditAction, AuditEntry
from forpost.core.testing import PASSWORD

SECOND_FACTOR = "accounts.second_factor"


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    """As in production: administrators and central staff must have a second factor."""
    settings.MFA_REQUIRED_ROLES = ["administrator", "central_staff"]


def _password_login(client, user):  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _code_for(device: TOTPDevice, offset: int = 0) -> str:
    # offset=1: the next 30 seconds' code (a code already used is refused).
    return f"{totp(device.bin_key, t0=device.t0 - offset * device.step):06d}"


def _with_app(user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    key = bytes(range(20))
    return services.enrol_totp(actor=user, key=key, code=f"{totp(key):06d}")


def _entries(user, action):  # type: ignore[no-untyped-def]
    return list(AuditEntry.objects.filter(object_type=SECOND_FACTOR, object_id=str(user.pk), action=action))


def test_a_required_role_is_led_to_enrol_right_after_the_password(client, cast, required):
    _password_login(client, cast.grace)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa") + "?next=%2Fapp%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Opsæt en anden faktor for at fortsætte" in page


@pytest.mark.parametrize(
    "url",
    [
        "core:dashboard",
        "accounts:users",
        "accounts:audit",
        "accounts:api_tokens",
        "admin:index",
        "registrations:inquiry_list",
    ],
)
def test_a_required_role_cannot_reach_any_other_page_before_enrolling(client_for, cast, required, url):
    client = client_for(cast.erin)
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


def test_a_required_role_cannot_skip_enrolment_by_posting_or_by_htmx(client_for, cast, required):
    client = client_for(cast.grace)
    response = client.post(reverse("accounts:user_set_active", args=[cast.alice.pk]), {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa")
    cast.alice.refresh_from_db()
    assert cast.alice.is_active
    response = client.get(reverse("core:dashboard"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("accounts:mfa")


def test_recovery_codes_alone_do_not_count_as_enrolment(client_for, cast, required):
    client = client_for(cast.grace)
    client.get(reverse("accounts:mfa"))
    token = client.get(reverse("accounts:mfa")).context["codes_form"]["submission_token"].value()
    response = client.post(reverse("accounts:mfa_recovery_codes"), {"submission_token": token})
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(user=cast.grace).exists()


def test_roles_not_named_are_not_asked(client_for, cast, required):
    assert client_for(cast.alice).get(reverse("core:dashboard")).status_code == 200


def test_nobody_is_asked_when_no_role_requires_it(client_for, cast, settings):
    settings.MFA_REQUIRED_ROLES = []
    assert client_for(cast.grace).get(reverse("core:dashboard")).status_code == 200


def test_a_user_signed_in_through_single_sign_on_is_not_asked(client, cast, required):
    # The identity provider asks for its own second factor (README, "Second factor").
    client.force_login(cast.grace, backend="forpost.accounts.sso.OIDCBackend")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_an_authenticator_app_is_enrolled_with_the_code_it_computes(client_for, cast, required):
    client = client_for(cast.grace)
    page = client.get(reverse("accounts:mfa_totp") + "?next=/app/users/")
    assert page["Cache-Control"] == "no-store"
    assert page.context["qr"].startswith("data:image/svg+xml")
    key = bytes.fromhex(client.session[TOTP_KEY])
    token = page.context["form"]["submission_token"].value()
    code = f"{totp(key):06d}"
    response = client.post(
        reverse("accounts:mfa_totp"), {"code": code, "submission_token": token, "next": "/app/users/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/app/users/"
    device = TOTPDevice.objects.get(user=cast.grace)
    assert device.confirmed and device.bin_key == key
    # The session that proved the app is verified: every page opens.
    assert client.get(reverse("accounts:users")).status_code == 200
    [entry] = _entries(cast.grace, AuditAction.CREATE)
    assert entry.changes == {"kind": "totp"}
    trail = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert key.hex() not in trail and code not in trail


def test_a_wrong_code_is_refused_at_enrolment_and_the_key_is_kept(client_for, cast, required):
    client = client_for(cast.grace)
    page = client.get(reverse("accounts:mfa_totp"))
    key = client.session[TOTP_KEY]
    token = page.context["form"]["submission_token"].value()
    response = client.post(reverse("accounts:mfa_totp"), {"code": "000000", "submission_token": token})
    assert response.status_code == 200
    assert "Koden er ikke rigtig" in response.content.decode()
    assert client.session[TOTP_KEY] == key  # the app the user already scanned still fits
    assert not TOTPDevice.objects.filter(user=cast.grace).exists()
    response = client.post(reverse("accounts:mfa_totp"), {"code": "not a code", "submission_token": token})
    assert response.status_code == 200
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_double_submit_of_the_enrolment_makes_one_app(client_for, cast, required):
    client = client_for(cast.grace)
    page = client.get(reverse("accounts:mfa_totp"))
    key = bytes.fromhex(client.session[TOTP_KEY])
    data = {"code": f"{totp(key):06d}", "submission_token": page.context["form"]["submission_token"].value()}
    client.post(reverse("accounts:mfa_totp"), data)
    assert client.post(reverse("accounts:mfa_totp"), data).status_code == 302
    assert TOTPDevice.objects.filter(user=cast.grace).count() == 1


def test_after_the_password_an_enrolled_user_verifies_with_the_app(client, cast, required):
    device = _with_app(cast.grace)
    _password_login(client, cast.grace)
    response = client.get(reverse("accounts:users"))
    assert response["Location"] == reverse("accounts:mfa_verify") + "?next=%2Fapp%2Fusers%2F"
    response = client.post(reverse("accounts:mfa_verify"), {"code": _code_for(device, offset=1), "next": "/app/users/"})
    assert response.status_code == 302
    assert response["Location"] == "/app/users/"
    assert client.get(reverse("accounts:users")).status_code == 200
    [entry] = _entries(cast.grace, AuditAction.LOGIN)
    assert entry.changes == {"second_factor": "totp"}


def test_a_wrong_code_is_refused_and_audited(client, cast, required):
    device = _with_app(cast.grace)
    _password_login(client, cast.grace)
    wrong = f"{(int(_code_for(device, offset=1)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:mfa_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "Koden er ikke rigtig" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302
    [entry] = _entries(cast.grace, AuditAction.REFUSE)
    assert entry.changes == {"second_factor": "code"}
    assert wrong not in json.dumps(entry.changes)


def test_repeated_wrong_codes_make_the_user_wait(client, cast, required):
    device = _with_app(cast.grace)
    _password_login(client, cast.grace)
    client.post(reverse("accounts:mfa_verify"), {"code": "999999"})
    # django-otp's throttling: after a failure the next try must wait, even with the right code.
    response = client.post(reverse("accounts:mfa_verify"), {"code": _code_for(device, offset=1)})
    assert "Vent et øjeblik" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_an_enrolled_user_cannot_add_a_factor_before_verifying(client, cast, required, settings):
    settings.MFA_REQUIRED_ROLES = []
    _with_app(cast.alice)
    _password_login(client, cast.alice)
    for url in ("accounts:mfa", "accounts:mfa_totp", "core:dashboard"):
        response = client.get(reverse(url))
        assert response["Location"].startswith(reverse("accounts:mfa_verify")), url
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403
    assert begin.json()["detail"].startswith("Bekræft først, at det er dig")  # the package's message, in Danish


def test_a_recovery_code_works_once(client, cast, required):
    _with_app(cast.grace)
    codes = services.make_recovery_codes(actor=cast.grace)
    assert len(codes) == 10
    _password_login(client, cast.grace)
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("accounts:users")).status_code == 200
    client.post(reverse("accounts:logout"))
    _password_login(client, cast.grace)
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert client.get(reverse("core:dashboard")).status_code == 302
    entry = _entries(cast.grace, AuditAction.LOGIN)[0]
    assert entry.changes == {"second_factor": "recovery_code", "recovery_codes_left": 9}


def test_recovery_codes_are_shown_once_and_never_audited(client_for, cast):
    client = client_for(cast.bob)
    _with_app(cast.bob)
    # Verified with the app (bob enrolled of his own accord, so he too must verify).
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=cast.bob).persistent_id
    session.save()
    token = client.get(reverse("accounts:mfa")).context["codes_form"]["submission_token"].value()
    response = client.post(reverse("accounts:mfa_recovery_codes"), {"submission_token": token})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    again = client.post(reverse("accounts:mfa_recovery_codes"), {"submission_token": token}, follow=True)
    assert not any(code in again.content.decode() for code in codes)
    assert "vises ikke igen" in again.content.decode()
    trail = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert not any(code in trail for code in codes)
    [entry] = _entries(cast.bob, AuditAction.CREATE)[:1]
    assert entry.changes == {"kind": "recovery_codes", "count": 10}


def test_an_administrator_resets_another_users_second_factor(client_for, cast):
    _with_app(cast.bob)
    services.make_recovery_codes(actor=cast.bob)
    client = client_for(cast.grace)
    page = client.get(reverse("accounts:user_detail", args=[cast.bob.pk])).content.decode()
    assert "Nulstil anden faktor" in page
    version = cast.bob.version
    response = client.post(reverse("accounts:user_reset_mfa", args=[cast.bob.pk]), {"version": version})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.bob).exists()
    assert not StaticDevice.objects.filter(user=cast.bob).exists()
    [entry] = _entries(cast.bob, AuditAction.DELETE)
    assert entry.actor == cast.grace
    assert entry.changes == {"removed": {"totp": 1, "passkeys": 0, "recovery_codes": 1}}
    # The form of a page opened before the reset is out of date.
    _with_app(cast.bob)
    response = client.post(reverse("accounts:user_reset_mfa", args=[cast.bob.pk]), {"version": version}, follow=True)
    assert "En anden har ændret brugeren" in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.bob).exists()


def test_a_reset_user_of_a_required_role_enrols_again(client, cast, required):
    _with_app(cast.grace)
    cast.grace.refresh_from_db()
    services.reset_second_factor(actor=cast.erin, user=cast.grace, expected_version=cast.grace.version)
    _password_login(client, cast.grace)
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:mfa") + "?")


def test_only_administrators_reset_a_second_factor(client_for, cast):
    _with_app(cast.bob)
    response = client_for(cast.erin).post(reverse("accounts:user_reset_mfa", args=[cast.bob.pk]), {"version": 1})
    assert response.status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=cast.bob).exists()


def test_the_pages_are_in_english_too(client_for, cast, required):
    client = client_for(cast.grace)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("accounts:mfa"), headers={"accept-language": "en"}).content.decode()
    assert "Set up a second factor to continue" in page
    page = client.get(reverse("accounts:mfa_totp"), headers={"accept-language": "en"}).content.decode()
    assert "Set up an authenticator app" in page


def test_the_passkey_script_speaks_danish(client, db):
    catalog = client.get(reverse("otp_webauthn:js-i18n-catalog")).content.decode()
    assert "Tilf\\u00f8j en adgangsn\\u00f8gle" in catalog or "Tilføj en adgangsnøgle" in catalog


def test_a_misspelt_required_role_stops_the_site_instead_of_sparing_the_role(client_for, cast, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.MFA_REQUIRED_ROLES = ["administrators"]
    with pytest.raises(ImproperlyConfigured, match="administrators"):
        client_for(cast.grace).get(reverse("core:dashboard"))


def test_a_role_that_has_ended_no_longer_requires_it(client_for, cast, required):
    from datetime import date

    cast.erin.memberships.update(valid_to=date(2001, 1, 1))
    assert client_for(cast.erin).get(reverse("accounts:mfa")).context["owed"] is None
