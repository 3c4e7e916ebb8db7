from datetime import date, time, timedelta

from django.core.management import call_command
from django.utils import timezone

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations import services
from forpost.registrations.models import Inquiry, SubmissionToken
from forpost.registrations.testing import make_course, make_inquiry, make_session


def _setup(desk):
    today = timezone.localdate()
    cast = desk.cast
    old = make_inquiry(cast.norrebro, date=today - timedelta(days=400), time=time(10, 0), note="Mor bekymret")
    fresh = make_inquiry(cast.norrebro, date=today - timedelta(days=30), time=time(11, 0), note="Far ringede")
    ancient = make_inquiry(cast.valby, date=today.replace(year=today.year - 6), time=time(9, 30), actor=cast.charlie)
    course = make_course(cast.norrebro, goals="Bedre søvn", started_on=today - timedelta(days=500))
    make_session(course, note="God samtale")
    services.end_course(
        actor=None, course=course, expected_version=1, ended_on=today - timedelta(days=380), result="reached"
    )
    open_course = make_course(cast.norrebro, goals="Ro om morgenen", started_on=today - timedelta(days=500))
    return old, fresh, ancient, course, open_course


def test_a_dry_run_counts_and_changes_nothing(desk, capsys):
    old, *_ = _setup(desk)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would erase: 1 inquiry notes" in out
    assert "1 course goals and 1 session notes" in out
    assert "1 inquiries reduced to statistics" in out
    old.refresh_from_db()
    assert old.note == "Mor bekymret"
    assert not AuditEntry.objects.filter(action=AuditAction.ERASE).exists()


def test_it_erases_old_notes_and_goals_and_logs_each_erasure(desk):
    old, fresh, ancient, course, open_course = _setup(desk)
    call_command("retention")

    old.refresh_from_db()
    fresh.refresh_from_db()
    course.refresh_from_db()
    open_course.refresh_from_db()
    assert old.note == ""
    assert fresh.note == "Far ringede"
    assert course.goals == ""
    assert course.sessions.get().note == ""
    assert open_course.goals == "Ro om morgenen"  # still running: its goals stay
    erased = AuditEntry.objects.filter(action=AuditAction.ERASE)
    assert {(e.object_type, e.object_id) for e in erased} >= {
        ("registrations.inquiry", str(old.pk)),
        ("registrations.course", str(course.pk)),
        ("registrations.inquiry", str(ancient.pk)),
    }


def test_old_registrations_keep_only_the_date(desk):
    _setup(desk)
    ancient = Inquiry.objects.get(centre=desk.cast.valby)
    call_command("retention")
    ancient.refresh_from_db()
    assert ancient.time is None
    assert ancient.registered_by is None
    assert ancient.date.year == timezone.localdate().year - 6
    assert ancient.slimmed_at is not None
    assert ancient.themes.exists()  # statistics still count it
    # A second run finds nothing more to do.
    before = AuditEntry.objects.filter(action=AuditAction.ERASE).count()
    call_command("retention")
    assert AuditEntry.objects.filter(action=AuditAction.ERASE).count() == before


def test_the_retention_periods_come_from_settings(desk, settings):
    settings.NOTE_RETENTION_MONTHS = 1
    inquiry = make_inquiry(desk.cast.norrebro, date=timezone.localdate() - timedelta(days=45), note="Kort note")
    call_command("retention")
    inquiry.refresh_from_db()
    assert inquiry.note == ""


def test_expired_form_tokens_are_removed(desk):
    SubmissionToken.objects.create(
        token="old", user=desk.cast.alice, purpose="inquiry", created_at=timezone.now() - timedelta(days=3)
    )
    SubmissionToken.objects.create(token="new", user=desk.cast.alice, purpose="inquiry")
    call_command("retention")
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["new"]


def test_months_before_handles_month_ends():
    assert services._months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert services._months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
