"""Timeout without loss (issue 15, item 5): a form posted after the session timed out is kept
for its author, given back filled in after logging in again, and deleted when used."""

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forpost.accounts.models import AuditEntry, FormStash
from forpost.accounts.services import purge_stashes
from forpost.collaboration.models import Activity
from forpost.collaboration.testing import activity_type
from forpost.core.testing import PASSWORD

NOTE = "Oplæg for forældrerådet om skilsmisse"
FORM = "collaboration:activity_create"


def _time_out(client):  # type: ignore[no-untyped-def]
    """The session ends as after SESSION_IDLE_MINUTES without a request (the row stays)."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )


def _post_after_timeout(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user, backend="forpost.accounts.backends.ModelBackend")
    url = reverse(FORM)
    token = client.get(url).context["form"]["submission_token"].value()
    _time_out(client)
    data = {
        "submission_token": token,
        "date": "2024-05-01",
        "type": activity_type("theme_event").pk,
        "participants": "25",
        "note": NOTE,
    }
    return client.post(url, data, HTTP_REFERER=f"http://testserver{url}")


def _log_in(client, user, response):  # type: ignore[no-untyped-def]
    """Log in through the login page the timeout led to, and follow `next`."""
    login = response["Location"]
    target = parse_qs(urlsplit(login).query)["next"][0]
    client.get(login)
    answer = client.post(login, {"username": user.username, "password": PASSWORD, "next": target})
    assert answer.status_code == 302, answer.content
    return client.get(answer["Location"])


def test_a_form_posted_after_the_timeout_comes_back_filled_in_after_logging_in(cast, client):
    response = _post_after_timeout(client, cast.alice)
    assert urlsplit(response["Location"]).path == reverse("accounts:login")
    login_page = client.get(response["Location"])
    assert "logget ud" in login_page.content.decode()  # why the login page is shown
    assert FormStash.objects.filter(user=cast.alice).count() == 1
    assert not Activity.objects.exists()

    page = _log_in(client, cast.alice, response)

    assert page.status_code == 200
    assert page.context["restored_form"]["data"]["note"] == [NOTE]
    body = page.content.decode()
    assert 'id="fp-restored-form"' in body and "om skilsmisse" in body
    assert any("udfyldt igen" in str(m) for m in get_messages(page.wsgi_request))
    assert page["Cache-Control"] == "no-store"
    assert not FormStash.objects.exists()  # deleted when used


def test_another_user_logging_in_does_not_get_the_form(cast, client):
    response = _post_after_timeout(client, cast.alice)
    page = _log_in(client, cast.charlie, response)
    assert page.context["restored_form"] is None
    assert "skilsmisse" not in page.content.decode()
    assert FormStash.objects.filter(user=cast.alice).count() == 1  # still kept for Alice


def test_the_restore_key_is_signed(cast, client):
    _post_after_timeout(client, cast.alice)
    stash = FormStash.objects.get()
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    page = client.get(reverse(FORM) + "?restore=" + stash.key)
    assert page.context["restored_form"] is None
    assert FormStash.objects.exists()


def test_a_stash_older_than_an_hour_is_not_given_back(cast, client):
    response = _post_after_timeout(client, cast.alice)
    FormStash.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    page = _log_in(client, cast.alice, response)
    assert page.context["restored_form"] is None
    assert not FormStash.objects.exists()  # purged on read


def test_the_nightly_retention_purges_old_stashes(cast, client):
    _post_after_timeout(client, cast.alice)
    FormStash.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    call_command("retention")
    assert not FormStash.objects.exists()


def test_a_fresh_stash_survives_the_purge(cast, client):
    _post_after_timeout(client, cast.alice)
    assert purge_stashes() == 0
    assert FormStash.objects.count() == 1


def test_a_post_without_a_timed_out_session_keeps_nothing(cast, client):
    response = client.post(reverse(FORM), {"note": NOTE})
    assert urlsplit(response["Location"]).path == reverse("accounts:login")
    assert not FormStash.objects.exists()


def test_a_password_changed_since_the_session_voids_the_stash(cast, client):
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    _time_out(client)
    cast.alice.set_password("a-new-and-long-password")
    cast.alice.save()
    client.post(reverse(FORM), {"note": NOTE})
    assert not FormStash.objects.exists()


def test_the_stashed_text_is_never_logged_or_audited(cast, client, caplog):
    with caplog.at_level(logging.DEBUG):
        response = _post_after_timeout(client, cast.alice)
        _log_in(client, cast.alice, response)
    assert NOTE not in caplog.text
    assert not any(NOTE in str(entry.changes) for entry in AuditEntry.objects.all())


def test_stay_logged_in_extends_the_session(cast, client):
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    response = client.post(reverse("accounts:keepalive"), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=20)


def test_stay_logged_in_without_script_returns_to_the_page(cast, client):
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    back = reverse(FORM)
    assert client.post(reverse("accounts:keepalive"), {"next": back})["Location"] == back
    assert client.post(reverse("accounts:keepalive"), {"next": "https://evil.example/"})["Location"] == reverse(
        "core:dashboard"
    )


def test_every_staff_page_carries_the_timeout_warning(cast, client):
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    body = client.get(reverse("core:dashboard")).content.decode()
    assert 'role="alertdialog"' in body and "Forbliv logget ind" in body
    assert 'data-session-seconds="1800"' in body


def test_the_desks_registration_form_is_kept_over_the_timeout_too(cast, client):
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    url = reverse("registrations:inquiry_create")
    client.get(url)
    _time_out(client)
    response = client.post(url, {"note": "Far ringede om samvær", "minutes": "25"})
    page = _log_in(client, cast.alice, response)
    assert page.context["restored_form"] == {
        "path": url,
        "data": {"note": ["Far ringede om samvær"], "minutes": ["25"]},
    }


def test_stay_logged_in_extends_a_session_saved_seconds_ago(cast, client):
    # Other requests write the session at most once a minute (forpost.accounts.sessions);
    # staying logged in is the user asking for it, and is written every time.
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    key = client.session.session_key
    saved = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 30)  # 30 s ago
    Session.objects.filter(session_key=key).update(expire_date=saved)
    assert client.post(reverse("accounts:keepalive"), HTTP_X_REQUESTED_WITH="fetch").status_code == 204
    assert Session.objects.get(session_key=key).expire_date >= saved + timedelta(seconds=29)


def test_a_page_within_a_minute_of_the_last_save_does_not_write_the_session(cast, client):
    client.force_login(cast.alice, backend="forpost.accounts.backends.ModelBackend")
    key = client.session.session_key
    saved = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 30)
    Session.objects.filter(session_key=key).update(expire_date=saved)
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == saved
    # A minute after the save, a page moves the expiry again.
    earlier = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 1)
    Session.objects.filter(session_key=key).update(expire_date=earlier)
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > earlier + timedelta(seconds=60)
