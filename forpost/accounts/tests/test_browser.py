"""User administration in a real browser: axe-core on every page, and screenshots at a desk
and a phone's width (set FORPOST_SCREENSHOTS to a directory to keep them)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from forpost.accounts.models import IdpMapping, Role, User
from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    directory = os.environ.get("FORPOST_SCREENSHOTS")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        if directory:
            page.screenshot(path=str(Path(directory) / f"{name}-{width}.png"), full_page=True)


def test_an_administrator_invites_a_user_in_the_browser(browser_page, live_server, cast):
    IdpMapping.objects.create(value="FR-Norrebro-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro)
    page = browser_page
    browser_login(page, live_server, cast.grace)
    page.click(f"nav a[href='{reverse('accounts:users')}']")
    page.wait_for_url(live_server.url + reverse("accounts:users"))
    _shoot(page, "user-list")

    page.goto(live_server.url + reverse("accounts:user_invite"))
    _shoot(page, "user-invite")
    page.click("button[type=submit]:has-text('Send invitation')")  # empty: the errors show
    page.wait_for_load_state()
    assert page.locator(".form-error-message").count() >= 2
    _shoot(page, "user-invite-errors")
    page.fill("#id_first_name", "Hanne")
    page.fill("#id_last_name", "Holm")
    page.fill("#id_email", "hanne@kk.dk")
    page.select_option("#id_role", "counsellor")
    page.select_option("#id_centre", str(cast.norrebro.pk))
    page.click("button[type=submit]:has-text('Send invitation')")
    page.wait_for_url(live_server.url + User.objects.get(email="hanne@kk.dk").get_absolute_url())
    assert "hanne@kk.dk" in page.content()
    _shoot(page, "user-detail")

    page.goto(live_server.url + reverse("accounts:mappings"))
    _shoot(page, "sso-mapping")


def test_the_login_page_offers_single_sign_on_and_the_refusal_page_explains(browser_page, live_server, settings, db):
    settings.OIDC_RP_CLIENT_ID = "forpost"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.dk/auth"
    settings.SAML_IDP_METADATA = "/etc/forpost/idp-metadata.xml"
    page = browser_page
    page.goto(live_server.url + reverse("accounts:login"))
    assert page.locator(f"a[href='{reverse('accounts:oidc_start')}']").count() == 1
    assert page.locator(f"a[href='{reverse('accounts:saml_login')}']").count() == 1
    _shoot(page, "login-sso")
    settings.PASSWORD_LOGIN = False
    page.reload()
    assert page.locator("#id_password").count() == 0
    _shoot(page, "login-sso-only")
    page.goto(live_server.url + reverse("accounts:sso_refused"))
    _shoot(page, "sso-refused")
