from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from forpost.collaboration.models import Activity, ActivityType
from forpost.concepts.models import ReminderSent
from forpost.concepts.reminders import send_reminders

TODAY = date(2025, 2, 20)  # materials fall due on 31 March, the assessment group attestation on 28 February


@pytest.fixture
def coordinators(cast):
    cast.bob.email = "bob@example.kk.dk"
    cast.bob.save()
    cast.dana.email = "dana@example.kk.dk"
    cast.dana.save()
    return cast


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("forpost.concepts.management.commands.yearwheel_reminders.timezone.localdate", lambda: TODAY)


def test_it_mails_each_coordinator_about_duties_due_within_the_days(coordinators):
    found = send_reminders(today=TODAY, days=14)
    assert {r.centre.slug for r in found if r.sent} == {"norrebro", "valby"}
    assert len(mail.outbox) == 2
    to_bob = next(m for m in mail.outbox if m.to == ["bob@example.kk.dk"])
    assert "Familierådgivningen Nørrebro" in to_bob.subject
    assert "undersøgelsesgruppen" in to_bob.body
    assert "/app/concepts/wheel/norrebro/2025/" in to_bob.body
    # Materials are due on 31 March: more than 14 days away.
    assert "Formidling af materiale" not in to_bob.body


def test_it_never_sends_the_same_reminder_twice(coordinators):
    send_reminders(today=TODAY, days=14)
    send_reminders(today=TODAY, days=14)
    send_reminders(today=date(2025, 2, 21), days=14)
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(centre=coordinators.norrebro).count() == 2  # both due 28 February


def test_a_fulfilled_duty_is_not_reminded_of(coordinators):
    Activity.objects.create(
        centre=coordinators.norrebro, type=ActivityType.objects.get(code="information_material"), date=date(2025, 2, 1)
    )
    send_reminders(today=TODAY, days=60)
    body = next(m for m in mail.outbox if m.to == ["bob@example.kk.dk"]).body
    assert "Formidling af materiale" not in body
    assert "Formidling af materiale" in next(m for m in mail.outbox if m.to == ["dana@example.kk.dk"]).body


def test_a_centre_without_a_coordinator_address_is_reported_not_recorded(cast):
    found = send_reminders(today=TODAY, days=14)
    assert mail.outbox == []
    assert all(not r.sent and r.recipients == () for r in found)
    assert not ReminderSent.objects.exists()


def test_the_command_dry_run_sends_and_records_nothing(coordinators, fixed_today):
    out = StringIO()
    call_command("yearwheel_reminders", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "would be sent to bob@example.kk.dk" in out.getvalue()


def test_the_command_takes_its_default_days_from_settings(coordinators, fixed_today, settings):
    settings.YEARWHEEL_REMINDER_DAYS = 3
    call_command("yearwheel_reminders", stdout=StringIO())
    assert mail.outbox == []
    settings.YEARWHEEL_REMINDER_DAYS = 10
    call_command("yearwheel_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_the_command_sends_with_days(coordinators, fixed_today):
    out = StringIO()
    call_command("yearwheel_reminders", "--days", "40", stdout=out)
    assert len(mail.outbox) == 2
    assert "sent to bob@example.kk.dk" in out.getvalue()


def test_the_command_refuses_nonsense_days(coordinators, fixed_today):
    with pytest.raises(CommandError):
        call_command("yearwheel_reminders", "--days", "-1", stdout=StringIO())
