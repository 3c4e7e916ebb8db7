"""Services of the activity log, volunteer groups, cross-city meetings and room requests."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from forpost.accounts.models import AuditEntry
from forpost.centres.testing import make_centre, make_municipality
from forpost.collaboration import services
from forpost.collaboration.models import (
    Activity,
    Attendance,
    Booking,
    PartnerType,
    RequestKind,
    RequestStatus,
    RoomRequest,
    VolunteerGroup,
)
from forpost.collaboration.testing import (
    activity_type,
    make_booking,
    make_meeting,
    make_partner,
    make_room_request,
)


def test_logging_an_activity_records_partners_and_audits_it(cast):
    partner = make_partner(cast.norrebro)
    activity = services.log_activity(
        actor=cast.bob,
        centre=cast.norrebro,
        date=date(2024, 5, 1),
        type=activity_type("daycare_visit"),
        partners=[partner],
        participants=12,
        note="Besøg i børnehaven",
    )
    assert list(activity.partners.all()) == [partner]
    entry = AuditEntry.objects.get(object_type="collaboration.activity", action="create")
    assert entry.changes["partners"] == [partner.pk]
    assert entry.actor == cast.bob


def test_an_activity_note_with_a_cpr_number_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.log_activity(
            actor=cast.bob,
            centre=cast.norrebro,
            date=date(2024, 5, 1),
            type=activity_type(),
            note="Mor 010190-1234 kom forbi",
        )
    assert "note" in refused.value.error_dict
    assert not Activity.objects.exists()


def test_an_activity_cannot_name_a_partner_of_another_centre(cast):
    with pytest.raises(ValidationError):
        services.log_activity(
            actor=cast.bob,
            centre=cast.norrebro,
            date=date(2024, 5, 1),
            type=activity_type(),
            partners=[make_partner(cast.valby)],
        )


def test_changing_an_activity_audits_only_what_changed(cast):
    activity = services.log_activity(actor=cast.bob, centre=cast.norrebro, date=date(2024, 5, 1), type=activity_type())
    services.change_activity(actor=cast.alice, activity=activity, participants=7, partners=[])
    entry = AuditEntry.objects.get(object_type="collaboration.activity", action="change")
    assert entry.changes == {"participants": [None, 7]}


def test_a_volunteer_group_needs_an_association(cast):
    with pytest.raises(ValidationError):
        services.create_volunteer_group(
            actor=cast.bob, centre=cast.norrebro, name="Gruppe", description="x", active_from=date(2024, 1, 1)
        )


def test_a_volunteer_groups_association_must_be_a_volunteer_association_of_the_centre(cast):
    daycare = make_partner(cast.norrebro, type=PartnerType.DAYCARE_SCHOOL)
    elsewhere = make_partner(cast.valby, type=PartnerType.VOLUNTEER_ASSOCIATION)
    for association in (daycare, elsewhere):
        with pytest.raises(ValidationError):
            services.create_volunteer_group(
                actor=cast.bob, centre=cast.norrebro, name="Gruppe", description="x", association=association
            )
    association = make_partner(cast.norrebro, type=PartnerType.VOLUNTEER_ASSOCIATION)
    group = services.create_volunteer_group(
        actor=cast.bob, centre=cast.norrebro, name="Gruppe", description="x", association=association
    )
    assert group.association_display == association.name


def test_scheduling_a_meeting_calls_every_active_centre_of_the_municipality(cast):
    closed = make_centre("Lukket", active_to=date(2020, 1, 1), active_from=date(2010, 1, 1))
    meeting = services.schedule_cross_city_meeting(
        actor=cast.erin,
        municipality=make_municipality(),
        date=date(2030, 3, 10),
        start_time=time(9),
        end_time=time(12),
        place="Rådhuset",
    )
    called = set(meeting.attendances.values_list("centre__slug", flat=True))
    assert {"norrebro", "valby"} <= called
    assert closed.slug not in called


def test_recording_attendance_puts_the_meeting_in_the_activity_log_and_takes_it_out_again(cast):
    meeting = make_meeting(cast.norrebro)
    attendance = Attendance.objects.get(meeting=meeting, centre=cast.norrebro)
    services.record_attendance(actor=cast.bob, attendance=attendance, attended=True, attendees=2, roles="koordinator")
    activity = Activity.objects.get(centre=cast.norrebro, cross_city_meeting=meeting)
    assert activity.type.code == "cross_city_meeting"
    assert activity.participants == 2
    services.record_attendance(actor=cast.bob, attendance=attendance, attended=True, attendees=3)
    assert Activity.objects.get(cross_city_meeting=meeting).participants == 3
    services.record_attendance(actor=cast.bob, attendance=attendance, attended=False, attendees=3)
    assert not Activity.objects.filter(cross_city_meeting=meeting).exists()
    attendance.refresh_from_db()
    assert (attendance.attended, attendance.attendees) == (False, 0)


def test_attending_needs_at_least_one_person(cast):
    meeting = make_meeting(cast.norrebro)
    attendance = Attendance.objects.get(meeting=meeting, centre=cast.norrebro)
    with pytest.raises(ValidationError):
        services.record_attendance(actor=cast.bob, attendance=attendance, attended=True, attendees=0)


def test_an_activity_from_a_meeting_cannot_be_deleted_on_its_own(cast):
    meeting = make_meeting(cast.norrebro)
    attendance = Attendance.objects.get(meeting=meeting, centre=cast.norrebro)
    services.record_attendance(actor=cast.bob, attendance=attendance, attended=True, attendees=1)
    with pytest.raises(ValidationError):
        services.delete_activity(actor=cast.bob, activity=Activity.objects.get(cross_city_meeting=meeting))


def test_a_public_request_is_audited_without_the_contact_details(room):
    request = services.submit_room_request(
        room=room,
        association_name="Foreningen Far",
        contact_email="far@example.dk",
        contact_phone="12345678",
        purpose="Fædregruppe",
        participants=6,
        kind=RequestKind.ONCE,
        first_date=date(2030, 5, 1),
        start_time=time(19),
        end_time=time(21),
    )
    entry = AuditEntry.objects.get(object_type="collaboration.roomrequest", action="create")
    assert entry.actor is None
    assert "far@example.dk" not in str(entry.changes)
    assert "12345678" not in str(entry.changes)
    assert request.status == RequestStatus.PENDING


def test_approving_a_single_request_books_the_room_and_answers_the_association(
    room, cast, django_capture_on_commit_callbacks
):
    request = make_room_request(room)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_room_request(actor=cast.bob, request=request, answer="Velkommen")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by == cast.bob
    assert request.booking.holder == "Forældrenetværket"
    assert timezone.localtime(request.booking.starts_at).hour == 17
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kontakt@forening.example"]
    assert "Velkommen" in mail.outbox[0].body


def test_approving_a_weekly_request_books_a_series(room, cast):
    request = make_room_request(room, kind=RequestKind.WEEKLY, last_date=date(2030, 4, 2))
    services.approve_room_request(actor=cast.bob, request=request)
    request.refresh_from_db()
    assert request.series.bookings.count() == 5  # Tuesdays 5 March – 2 April 2030


def test_a_request_for_a_taken_slot_cannot_be_approved_and_stays_pending(room, cast):
    make_booking(room, day=date(2030, 3, 5), start=time(18), end=time(20))
    request = make_room_request(room)
    with pytest.raises(services.BookingConflict):
        services.approve_room_request(actor=cast.bob, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert Booking.objects.filter(room=room).count() == 1
    assert not mail.outbox


def test_a_decided_request_cannot_be_decided_again(room, cast):
    request = make_room_request(room)
    services.decline_room_request(actor=cast.bob, request=request, answer="Optaget")
    with pytest.raises(ValidationError):
        services.approve_room_request(actor=cast.bob, request=request)


def test_requests_are_purged_six_months_after_the_decision(room, cast):
    old = make_room_request(room)
    services.decline_room_request(actor=cast.bob, request=old)
    RoomRequest.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=200))
    recent = make_room_request(room)
    services.decline_room_request(actor=cast.bob, request=recent)
    stale = make_room_request(room, created_at=timezone.now() - timedelta(days=200))
    waiting = make_room_request(room)
    assert services.purge_room_requests(actor=None) == 2
    assert set(RoomRequest.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert stale.pk not in RoomRequest.objects.values_list("pk", flat=True)


def test_bookings_outlive_the_purged_request(room, cast):
    request = make_room_request(room)
    services.approve_room_request(actor=cast.bob, request=request)
    RoomRequest.objects.filter(pk=request.pk).update(decided_at=timezone.now() - timedelta(days=200))
    services.purge_room_requests(actor=None)
    assert Booking.objects.get(room=room).holder_name == "Forældrenetværket"


def test_a_group_referral_is_a_dated_count(cast):
    group = VolunteerGroup.objects.create(
        centre=cast.norrebro, name="G", description="d", association_name="F", active_from=date(2024, 1, 1)
    )
    services.record_group_referral(actor=cast.alice, group=group, date=date(2024, 3, 1), direction="to_centre", count=2)
    with pytest.raises(ValidationError):
        services.record_group_referral(actor=cast.alice, group=group, date=date(2024, 3, 1), direction="x", count=0)


def test_the_purge_command_deletes_old_requests(room, cast):
    from io import StringIO

    from django.core.management import call_command

    make_room_request(room, created_at=timezone.now() - timedelta(days=400))
    out = StringIO()
    call_command("purge_room_requests", "--dry-run", stdout=out)
    assert "Would delete 1" in out.getvalue()
    assert RoomRequest.objects.count() == 1
    call_command("purge_room_requests", stdout=out)
    assert RoomRequest.objects.count() == 0
    assert AuditEntry.objects.filter(action="erase", object_type="collaboration.roomrequest").exists()
