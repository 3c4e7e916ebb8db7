from __future__ import annotations

from datetime import date

from django.core import mail

from forpost.centres import closing
from forpost.concepts.testing import make_attestation
from forpost.reports.closing_reminders import missing_for, send_closing_reminders

YEAR = 2025


def test_coordinators_are_told_what_is_missing_before_the_deadline_once(cast):
    cast.bob.email = "bob@example.kk.dk"
    cast.bob.save()
    found = send_closing_reminders(today=date(YEAR + 1, 1, 20), days=14)
    norrebro = next(m for m, _to in found if m.centre == cast.norrebro)
    assert norrebro.text_empty
    assert norrebro.attestations
    assert len(norrebro.weeks_without_hours) > 40  # no opening hours were ever entered
    sent = [m for m in mail.outbox if "bob@example.kk.dk" in m.to]
    assert len(sent) == 1
    assert "2025" in sent[0].subject
    send_closing_reminders(today=date(YEAR + 1, 1, 21), days=14)
    assert len([m for m in mail.outbox if "bob@example.kk.dk" in m.to]) == 1


def test_an_approved_attestation_is_no_longer_missing(cast):
    before = missing_for(cast.norrebro, YEAR, date(YEAR + 1, 1, 31)).attestations
    make_attestation(cast.norrebro, year=YEAR)
    after = missing_for(cast.norrebro, YEAR, date(YEAR + 1, 1, 31)).attestations
    assert len(after) == len(before) - 1


def test_no_reminder_long_before_the_deadline_or_after_the_close(cast):
    assert send_closing_reminders(today=date(YEAR + 1, 1, 1), days=14) == []
    closing.close_year(actor=cast.erin, year=YEAR, today=date(YEAR + 1, 1, 20))
    assert send_closing_reminders(today=date(YEAR + 1, 1, 20), days=14) == []
    assert mail.outbox == []
