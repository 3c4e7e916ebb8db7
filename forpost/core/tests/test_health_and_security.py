from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from forpost.core.health import record_heartbeat
from forpost.core.models import WorkerHeartbeat


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "static": True, "worker": True}


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("forpost.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.fixture
def production_static(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return settings.STATIC_ROOT


def test_healthz_answers_503_when_the_static_manifest_is_missing(client, db, production_static):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["static"] is False


def test_healthz_answers_200_with_the_static_manifest_in_place(client, db, production_static):
    production_static.mkdir()
    (production_static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    assert client.get(reverse("healthz")).status_code == 200


@pytest.fixture
def database_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_answers_503_when_no_worker_has_polled(client, db, database_tasks):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["worker"] is False


def test_healthz_answers_503_when_the_worker_was_last_heard_of_six_minutes_ago(client, db, database_tasks):
    record_heartbeat(worker_id="w1")
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=6))
    assert client.get(reverse("healthz")).status_code == 503
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=4))
    assert client.get(reverse("healthz")).status_code == 200


def test_the_db_worker_notes_its_polls_in_the_database(transactional_db, database_tasks):
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    beat = WorkerHeartbeat.objects.get()
    assert timezone.now() - beat.beat_at < timedelta(minutes=1)


def test_every_page_has_a_csp_without_unsafe_inline(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_deny_framing_and_sniffing(client, db):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_passwords_are_hashed_with_argon2():
    import forpost.settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sqlite_takes_the_write_lock_up_front_and_waits():
    import forpost.settings as configured

    if configured.DATABASE_URL:
        return
    options = configured.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout" in options["init_command"]


def test_sessions_expire_after_inactivity():
    import forpost.settings as configured

    assert configured.SESSION_SAVE_EVERY_REQUEST is True
    assert configured.SESSION_COOKIE_AGE == 30 * 60
