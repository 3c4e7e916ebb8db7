"""No double booking: two simultaneous requests for one slot give one booking and one refusal."""

from __future__ import annotations

import threading
import time as clock
from datetime import date, time

import pytest
from django.db import OperationalError, connection

from forpost.centres.testing import make_centre
from forpost.collaboration.models import Booking
from forpost.collaboration.services import BookingConflict, Holder, book_once, book_weekly
from forpost.collaboration.testing import local, make_room


def _waiting(work, i: int) -> object:
    """Call work(i), waiting for SQLite's write lock like its busy handler does.

    A file database waits up to busy_timeout for the lock taken by BEGIN IMMEDIATE. The
    test database of pytest-django on SQLite is in memory with a shared cache, where a
    second writer is answered "database table is locked" at once instead; so the worker
    waits and tries again. PostgreSQL never gets here: its second writer waits on the
    room's row lock.
    """
    for _attempt in range(200):
        try:
            return work(i)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            clock.sleep(0.05)
    raise AssertionError("the write lock was never released")


def _race(work, n: int = 2) -> list[object]:
    """Run `work` in n threads released at the same moment; return each one's result or error."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = _waiting(work, i)
        except Exception as exc:  # the refusal is the point of the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_for_one_slot_give_one_booking_and_one_refusal():
    room = make_room(make_centre())
    day = date(2030, 4, 2)

    def book(i: int) -> Booking:
        return book_once(
            actor=None,
            room=room,
            starts_at=local(day, time(17)),
            ends_at=local(day, time(19)),
            holder=Holder(name=f"Forening {i}"),
        )

    results = _race(book)
    bookings = [r for r in results if isinstance(r, Booking)]
    refusals = [r for r in results if isinstance(r, BookingConflict)]
    assert len(bookings) == 1, results
    assert len(refusals) == 1, results
    assert "already booked" in str(refusals[0].messages[0]) or "allerede booket" in str(refusals[0].messages[0])
    assert Booking.objects.filter(room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_weekly_booking_and_a_single_booking_racing_for_one_evening_cannot_both_win():
    room = make_room(make_centre())

    def book(i: int) -> object:
        if i == 0:
            return book_weekly(
                actor=None,
                room=room,
                weekday=1,
                start_time=time(17),
                end_time=time(19),
                starts_on=date(2030, 3, 1),
                ends_on=date(2030, 6, 1),
                holder=Holder(name="Forening A"),
            )
        day = date(2030, 4, 16)  # a Tuesday inside the series
        return book_once(
            actor=None,
            room=room,
            starts_at=local(day, time(18)),
            ends_at=local(day, time(20)),
            holder=Holder(name="Forening B"),
        )

    results = _race(book)
    refusals = [r for r in results if isinstance(r, BookingConflict)]
    assert len(refusals) == 1, results
    tuesday_evening = Booking.objects.filter(
        room=room, starts_at__lt=local(date(2030, 4, 16), time(20)), ends_at__gt=local(date(2030, 4, 16), time(18))
    )
    assert tuesday_evening.count() == 1
