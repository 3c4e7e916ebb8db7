from django.urls import reverse

from forpost.core.testing import PASSWORD


def test_the_login_form_logs_a_user_in(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_a_wrong_password_keeps_the_user_name_and_says_why(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="bob"' in body
    assert 'role="alert"' in body


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, cast, settings):
    # The test environment sets AXES_FAILURE_LIMIT=3.
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "bob", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "Kontoen er låst" in response.content.decode()


def test_logging_out_ends_the_session(client_for, cast):
    client = client_for(cast.alice)
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302


def test_the_dashboard_shows_what_the_role_has(client_for, cast):
    body = client_for(cast.alice).get(reverse("core:dashboard")).content.decode()
    assert "Familierådgivningen Nørrebro" in body
    assert "Familierådgivningen Valby" not in body
    body = client_for(cast.erin).get(reverse("core:dashboard")).content.decode()
    assert "Familierådgivningen Valby" in body
    assert reverse("accounts:audit") in body


def test_password_login_can_be_switched_off_so_that_only_single_sign_on_is_offered(client, cast, settings):
    settings.PASSWORD_LOGIN = False
    settings.OIDC_RP_CLIENT_ID = "forpost"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.dk/auth"
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:oidc_start") in page
    assert 'name="password"' not in page
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 403
    assert "Login med adgangskode er slået fra" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_the_login_page_offers_only_passwords_while_single_sign_on_is_not_configured(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'name="password"' in page
    assert reverse("accounts:oidc_start") not in page
    assert reverse("accounts:saml_login") not in page
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
