"""Forpost's own e-mail is multipart and says it was sent by a machine."""

from datetime import date

from django.core import mail

from forpost.concepts.reminders import send_reminders
from forpost.core.mail import send_automatic


def test_an_automatic_mail_has_a_text_and_an_html_part_and_the_auto_submitted_header():
    send_automatic("Emne", "Hej\n\nSe https://forpost.kk.dk/app/", ["bob@example.kk.dk"])
    message = mail.outbox[0]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    raw = message.message()
    assert raw["Auto-Submitted"] == "auto-generated"
    assert raw.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in raw.get_payload()] == ["text/plain", "text/html"]
    html = message.alternatives[0][0]
    assert '<a href="https://forpost.kk.dk/app/"' in html


def test_a_reminder_goes_out_as_text_and_html_marked_auto_generated(cast):
    cast.bob.email = "bob@example.kk.dk"
    cast.bob.save()
    send_reminders(today=date(2025, 2, 20), days=14)
    message = next(m for m in mail.outbox if m.to == ["bob@example.kk.dk"])
    raw = message.message()
    assert raw["Auto-Submitted"] == "auto-generated"
    assert raw.get_content_type() == "multipart/alternative"
    html = message.alternatives[0][0]
    assert "/app/concepts/wheel/norrebro/2025/" in html and "<li>" in html
    # Dates in Danish: "28. februar 2025", as in the text part.
    assert "28. februar 2025" in html and "28. februar 2025" in message.body
