"""The second factor in a real browser: a passkey made and used through Chromium's virtual
authenticator (Chrome DevTools Protocol, WebAuthn domain), and an authenticator app.
axe-core and the CSP on every page; screenshots with FORPOST_SCREENSHOTS set to a directory."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp_webauthn.models import WebAuthnCredential

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.core.browser import assert_accessible
from forpost.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)


@pytest.fixture
def required(settings, live_server):  # type: ignore[no-untyped-def]
    settings.MFA_REQUIRED_ROLES = ["administrator", "central_staff"]
    # WebAuthn needs a secure context; http://localhost is one, and the relying party is it.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    directory = os.environ.get("FORPOST_SCREENSHOTS")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        if directory:
            page.screenshot(path=str(Path(directory) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def _password_login(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/app/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#main-content button[type=submit]")
    page.wait_for_load_state()


def _virtual_authenticator(page) -> None:  # type: ignore[no-untyped-def]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_an_administrator_enrols_a_passkey_and_signs_in_with_it(browser_page, live_server, cast, required):
    page = browser_page
    _virtual_authenticator(page)
    _password_login(page, live_server, cast.grace)
    # Straight from the password to the enrolment, and nowhere else.
    assert page.url == live_server.url + reverse("accounts:mfa") + "?next=%2Fapp%2F"
    page.goto(live_server.url + reverse("accounts:users"))
    assert page.url.startswith(live_server.url + reverse("accounts:mfa"))
    _shoot(page, "mfa-enrol")

    page.click("#passkey-register-button")
    # The page reloads with the new passkey listed and the recovery codes offered.
    page.wait_for_selector("button:has-text('Lav gendannelseskoder')")
    assert WebAuthnCredential.objects.filter(user=cast.grace, confirmed=True).count() == 1
    _shoot(page, "mfa-enrolled")
    page.click("button:has-text('Lav gendannelseskoder')")
    page.wait_for_selector(".fp-recovery-codes")
    assert page.locator(".fp-recovery-codes li").count() == 10
    _shoot(page, "mfa-recovery-codes")
    page.click("a:has-text('Jeg har gemt dem')")
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("accounts:users"))
    assert page.url == live_server.url + reverse("accounts:users")

    page.click("header button:has-text('Log ud')")
    page.wait_for_load_state()
    _password_login(page, live_server, cast.grace)
    assert page.url.startswith(live_server.url + reverse("accounts:mfa_verify"))
    page.wait_for_selector("#passkey-verification-button")
    _shoot(page, "mfa-verify")
    page.click("#passkey-verification-button")
    page.wait_for_url(live_server.url + reverse("core:dashboard"))
    page.goto(live_server.url + reverse("accounts:users"))
    assert page.url == live_server.url + reverse("accounts:users")
    # Her own page in the user administration, where an administrator can reset the factor.
    page.goto(live_server.url + reverse("accounts:user_detail", args=[cast.grace.pk]))
    assert page.locator("button:has-text('Nulstil anden faktor')").count() == 1
    _shoot(page, "user-detail-second-factor")

    trail = AuditEntry.objects.filter(object_type="accounts.second_factor", object_id=str(cast.grace.pk))
    assert trail.filter(action=AuditAction.CREATE, changes__kind="passkey").count() == 1
    assert trail.filter(action=AuditAction.LOGIN, changes__second_factor="passkey").count() == 1


def test_central_staff_enrol_an_authenticator_app_in_the_browser(browser_page, live_server, cast, required):
    page = browser_page
    _password_login(page, live_server, cast.erin)
    page.click("a:has-text('Sæt en godkendelsesapp op')")
    page.wait_for_selector("img.fp-qr")
    _shoot(page, "mfa-totp")
    key = bytes.fromhex(_session_key_of(cast.erin))
    page.fill("#id_code", "000000")
    page.click("#main-content button[type=submit]")
    page.wait_for_selector(".form-error-message")
    _shoot(page, "mfa-totp-wrong")
    page.fill("#id_code", f"{totp(key):06d}")
    page.click("#main-content button[type=submit]")
    page.wait_for_url(live_server.url + "/app/")
    assert "Din godkendelsesapp er sat op" in page.content()


def _session_key_of(user) -> str:  # type: ignore[no-untyped-def]
    """The key being set up, as the server keeps it in the user's session."""
    from django.contrib.sessions.models import Session

    from forpost.accounts.mfa_views import TOTP_KEY

    for session in Session.objects.all():
        data = session.get_decoded()
        if data.get("_auth_user_id") == str(user.pk) and TOTP_KEY in data:
            return str(data[TOTP_KEY])
    raise AssertionError("no key in the session")
