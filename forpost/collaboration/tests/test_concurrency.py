"""Two requests at the same moment, on real connections: one record per intent, no lost edit."""

import threading
from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from forpost.collaboration import services
from forpost.collaboration.models import Partner, RoomRequest
from forpost.collaboration.testing import make_partner, make_room
from forpost.core import idempotency
from forpost.core.locking import Conflict

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _separate_connections_possible():  # type: ignore[no-untyped-def]
    # As in registrations/tests/test_concurrency.py: threads need a file test database.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's test database is in memory; threads need a file test database.")


def _race(worker, n=2):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):  # type: ignore[no-untyped-def]
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


def test_a_public_room_request_sent_twice_at_the_same_moment_is_made_once(cast):
    room = make_room(cast.norrebro)
    key = idempotency.check_anonymous(token=idempotency.issue_anonymous(purpose="room_request"), purpose="room_request")

    def submit(i):  # type: ignore[no-untyped-def]
        try:
            return services.submit_room_request(
                room=room,
                submission_token=key,
                association_name="Forening",
                contact_email="kontakt@forening.example",
                purpose="Samtalegruppe",
                participants=8,
                kind="once",
                first_date=timezone.localdate() + timedelta(days=10),
                start_time=time(19),
                end_time=time(21),
            )
        except idempotency.AlreadySubmitted as done:
            return done

    results = _race(submit)
    assert len([r for r in results if isinstance(r, RoomRequest)]) == 1, results
    assert len([r for r in results if isinstance(r, idempotency.AlreadySubmitted)]) == 1, results
    assert RoomRequest.objects.count() == 1


def test_a_twin_that_commits_between_the_check_and_the_save_makes_a_replay_not_an_error(cast, monkeypatch):
    """The moment the race above can hit: the twin's row is committed after this request's
    first look for the token and before its own save, whose model check then finds the token
    taken. That is the replay, as when the unique index stops it."""
    room = make_room(cast.norrebro)
    key = idempotency.check_anonymous(token=idempotency.issue_anonymous(purpose="room_request"), purpose="room_request")
    fields = {
        "association_name": "Forening",
        "contact_email": "kontakt@forening.example",
        "purpose": "Samtalegruppe",
        "participants": 8,
        "kind": "once",
        "first_date": timezone.localdate() + timedelta(days=10),
        "start_time": time(19),
        "end_time": time(21),
    }
    real_conflicts = services._conflicts

    def twin_saved_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(services, "_conflicts", real_conflicts)
        # On one connection here (SQLite lets no other writer in meanwhile; PostgreSQL does,
        # which is when the race above meets it): the twin's row is there for the model check.
        assert isinstance(services.submit_room_request(room=room, submission_token=key, **fields), RoomRequest)
        return real_conflicts(*args, **kwargs)

    monkeypatch.setattr(services, "_conflicts", twin_saved_meanwhile)

    # A replay, not "a room request with this token exists already" shown to the association.
    with pytest.raises(idempotency.AlreadySubmitted):
        services.submit_room_request(room=room, submission_token=key, **fields)


def test_two_saves_of_one_partner_version_make_one_change_and_one_conflict(cast):
    partner = make_partner(cast.norrebro, name="Skolen")

    def save(i):  # type: ignore[no-untyped-def]
        fresh = Partner.objects.get(pk=partner.pk)
        return services.change_partner(actor=cast.bob, partner=fresh, expected_version=1, phone=f"1111111{i}")

    results = _race(save)
    assert len([r for r in results if isinstance(r, Conflict)]) == 1, results
    saved = [r for r in results if isinstance(r, Partner)]
    assert len(saved) == 1, results
    partner.refresh_from_db()
    assert (partner.version, partner.phone) == (2, saved[0].phone)
