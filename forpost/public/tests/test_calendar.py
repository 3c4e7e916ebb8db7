"""The iCalendar feed of a centre's drop-in hours, read back with `icalendar`."""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.utils import timezone

from forpost.centres.hours import COPENHAGEN
from forpost.public.languages import public_reverse


def feed(client, centre, language="da"):
    response = client.get(public_reverse("public:centre_calendar", language, slug=centre.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "public" in response["Cache-Control"]
    return icalendar.Calendar.from_ical(response.content)


def starts(calendar):
    return [e.decoded("dtstart") for e in calendar.walk("VEVENT")]


def test_the_feed_lists_six_weeks_of_drop_in_without_closed_days(client, centre, fixed_now):
    calendar = feed(client, centre)
    events = calendar.walk("VEVENT")
    # Six weeks from Monday 1 September: 12 drop-in slots, less the closed Thursday 11 September.
    assert len(events) == 11
    first = events[0]
    assert first.decoded("dtstart") == datetime(2025, 9, 1, 14, tzinfo=COPENHAGEN)
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(hours=3)
    assert datetime(2025, 9, 11, 10, tzinfo=COPENHAGEN) not in starts(calendar)
    assert str(first["summary"]) == "Åben rådgivning – Familierådgivningen Nørrebro"
    assert str(first["location"]) == centre.address
    assert "CPR" in str(first["description"])
    # Phone hours are not drop-in.
    assert all(s.hour in (10, 14) for s in starts(calendar))


def test_the_feed_is_in_copenhagen_time_with_its_timezone(client, centre, fixed_now):
    calendar = feed(client, centre)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"


def test_the_event_ids_are_stable_between_fetches(client, centre, fixed_now):
    first = [str(e["uid"]) for e in feed(client, centre).walk("VEVENT")]
    second = [str(e["uid"]) for e in feed(client, centre).walk("VEVENT")]
    assert first == second and len(set(first)) == len(first)


def test_the_feed_keeps_wall_clock_times_across_the_autumn_clock_change(client, centre, monkeypatch):
    # From Monday 20 October 2025; summer time ends on Sunday 26 October.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 10, 20, 8, tzinfo=COPENHAGEN))
    events = feed(client, centre).walk("VEVENT")
    mondays = [e.decoded("dtstart") for e in events if e.decoded("dtstart").weekday() == 0][:2]
    assert [m.astimezone(COPENHAGEN).hour for m in mondays] == [14, 14]
    assert [m.astimezone(UTC).hour for m in mondays] == [12, 13]


def test_the_feed_leaves_out_public_holidays(client, centre, monkeypatch):
    # Week 18 of 2025 onwards: Ascension Day is Thursday 29 May.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 5, 26, 8, tzinfo=COPENHAGEN))
    days = [s.date() for s in starts(feed(client, centre))]
    assert date(2025, 5, 26) in days
    assert date(2025, 5, 29) not in days


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_feed_speaks_the_language_of_its_address(client, centre, fixed_now, language):
    event = feed(client, centre, language).walk("VEVENT")[0]
    expected = {"en": "Open drop-in – ", "ar": "استشارة مفتوحة – "}[language]
    assert str(event["summary"]).startswith(expected)
    assert f"/{language}/familieraadgivning/" in str(event["url"])


def test_a_centre_without_hours_has_an_empty_but_valid_feed(client, cast, fixed_now):
    calendar = feed(client, cast.valby)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"


def test_icalendar_reads_our_times_as_aware(client, centre, fixed_now):
    start = feed(client, centre).walk("VEVENT")[0].decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=2)
    assert start.time() == time(14)
