"""Issue 12, "The guard is easy to get past": four free-text fields had no guard at all: the
booking purpose, the closure reason (shown on the public page, in every public language), the
staff-allocation note and attendance roles. Each is refused through its service, whatever form
or API calls it, and nothing is stored."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from forpost.centres.models import Closure, StaffAllocation
from forpost.centres.services import add_closure, save_staff_allocation
from forpost.collaboration.models import Attendance, Booking
from forpost.collaboration.services import Holder, book_once, change_booking, record_attendance
from forpost.collaboration.testing import local, make_booking, make_meeting, make_room

CPR = "Mor 010190-1234 kom forbi"
BYPASSES = ["010190.1234", "201 234 56", "mor.jensen(at)gmail.com"]


def _soon() -> date:
    return timezone.localdate() + timedelta(days=7)


@pytest.mark.parametrize("text", [CPR, *BYPASSES])
def test_a_closure_reason_with_an_identifier_is_refused(cast, text):
    with pytest.raises(ValidationError):
        add_closure(actor=cast.bob, centre=cast.norrebro, starts_on=_soon(), ends_on=_soon(), reason=text)
    assert not Closure.objects.exists()


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != "da"])
def test_a_closure_reason_in_another_public_language_is_guarded_too(cast, code):
    with pytest.raises(ValidationError):
        add_closure(
            actor=cast.bob,
            centre=cast.norrebro,
            starts_on=_soon(),
            ends_on=_soon(),
            reason="Sommerferie",
            **{f"reason_{code}": CPR},
        )
    assert not Closure.objects.exists()


def test_a_staff_allocation_note_with_an_identifier_is_refused(cast):
    with pytest.raises(ValidationError):
        save_staff_allocation(
            actor=cast.bob,
            centre=cast.norrebro,
            role=StaffAllocation._meta.get_field("role").choices[0][0],
            hours_per_week=Decimal("10"),
            valid_from=_soon(),
            valid_to=None,
            note=CPR,
        )
    assert not StaffAllocation.objects.exists()


def test_attendance_roles_with_an_identifier_are_refused(cast):
    make_meeting(cast.norrebro, date=_soon())
    attendance = Attendance.objects.get()
    with pytest.raises(ValidationError):
        record_attendance(actor=cast.bob, attendance=attendance, attended=True, attendees=2, roles=CPR)
    attendance.refresh_from_db()
    assert attendance.roles == "" and attendance.attended is None


def test_a_booking_purpose_with_an_identifier_is_refused(cast):
    room = make_room(cast.norrebro)
    with pytest.raises(ValidationError):
        book_once(
            actor=cast.bob,
            room=room,
            starts_at=local(_soon(), time(17)),
            ends_at=local(_soon(), time(19)),
            holder=Holder(name="Forening for forældre"),
            purpose=CPR,
        )
    assert not Booking.objects.exists()


def test_a_changed_booking_purpose_with_an_identifier_is_refused(cast):
    room = make_room(cast.norrebro)
    booking = make_booking(room, day=_soon(), purpose="Lektiecafé")
    with pytest.raises(ValidationError):
        change_booking(
            actor=cast.bob,
            booking=booking,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            purpose=CPR,
        )
    booking.refresh_from_db()
    assert booking.purpose == "Lektiecafé"
