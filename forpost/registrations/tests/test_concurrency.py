"""Two requests at once: the optimistic lock, the one-time token and course labels hold on
SQLite and on PostgreSQL. Each thread has its own database connection, as two app servers do."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from forpost.core import idempotency
from forpost.core.locking import Conflict
from forpost.registrations import services
from forpost.registrations.models import Inquiry, ScoreNorm
from forpost.registrations.testing import ensure_reference_data, make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _separate_connections_possible():
    # SQLite's in-memory test database is one shared cache with table locks that fail at once
    # instead of waiting, which no deployment has. A file test database behaves like the real
    # one; settings give one with DATABASES["default"]["TEST"]["NAME"].
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's test database is in memory; threads need a file test database.")


def _race(worker, n=2):
    """Run `worker(i)` in n threads released together; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results[i] = worker(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def world(cast):
    ensure_reference_data()
    return cast


def test_two_saves_of_one_version_make_one_change_and_one_conflict(world):
    inquiry = make_inquiry(world.norrebro)

    def save(i):
        fresh = Inquiry.objects.get(pk=inquiry.pk)
        return services.update_inquiry(
            actor=world.alice, inquiry=fresh, expected_version=1, minutes=10 + i, themes=[], actions=[], children=[]
        )

    results = _race(save)
    conflicts = [r for r in results if isinstance(r, Conflict)]
    saved = [r for r in results if isinstance(r, Inquiry)]
    assert len(conflicts) == 1, results
    assert len(saved) == 1, results
    inquiry.refresh_from_db()
    assert inquiry.version == 2
    assert inquiry.minutes == saved[0].minutes
    assert conflicts[0].current_version == 2


def test_a_double_submit_at_the_same_moment_makes_one_record(world):
    token = idempotency.issue(user=world.alice, purpose="inquiry")
    channel = make_inquiry(world.norrebro).channel

    def submit(i):
        try:
            with transaction.atomic():
                claim = idempotency.claim(token=token, user=world.alice, purpose="inquiry")
                inquiry = services.register_inquiry(
                    actor=world.alice, centre=world.norrebro, channel=channel, date=date(2026, 4, 1)
                )
                claim.complete(inquiry)
                return inquiry
        except idempotency.AlreadySubmitted as done:
            return done

    results = _race(submit)
    made = [r for r in results if isinstance(r, Inquiry)]
    replayed = [r for r in results if isinstance(r, idempotency.AlreadySubmitted)]
    assert len(made) == 1, results
    assert len(replayed) == 1, results
    assert replayed[0].obj == made[0]
    assert Inquiry.objects.filter(date=date(2026, 4, 1)).count() == 1


def test_courses_started_at_once_get_different_labels(world):
    inquiries = [make_inquiry(world.norrebro) for _ in range(4)]
    norm = ScoreNorm.objects.get(code="adult")

    def start(i):
        return services.start_course(
            actor=world.alice, inquiry=inquiries[i], score_norm=norm, started_on=date(2026, 5, 4)
        ).label

    labels = _race(start, n=4)
    assert all(isinstance(label, str) for label in labels), labels
    assert sorted(labels) == [f"NØR-2026-000{i}" for i in range(1, 5)], labels
