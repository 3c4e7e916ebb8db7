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
