"""'Open now', 'opens today', 'next open …' in words."""

from datetime import date, datetime, time

from django.utils import translation

from forpost.centres.hours import COPENHAGEN, Calendar, Pattern, WeeklySlot
from forpost.public.queries import status_of

CALENDAR = Calendar(
    (Pattern(date(2020, 1, 1), None, (WeeklySlot(0, time(14), time(17)), WeeklySlot(3, time(10), time(14)))),)
)


def status_at(day, hour, language="da"):
    now = datetime.combine(day, time(hour), tzinfo=COPENHAGEN)
    with translation.override(language):
        return status_of(CALENDAR.open_or_next(now), now)


def test_open_now_until_closing():
    status = status_at(date(2025, 9, 1), 15)
    assert status.open_now
    assert status.text == "Åben nu indtil kl. 17:00"


def test_opens_later_today():
    assert status_at(date(2025, 9, 1), 9).text == "Åbner i dag kl. 14:00"


def test_opens_tomorrow():
    assert status_at(date(2025, 9, 3), 12).text == "Åbner i morgen kl. 10:00"


def test_next_opening_names_the_day():
    status = status_at(date(2025, 9, 1), 18)
    assert not status.open_now
    assert status.text == "Næste gang åbent torsdag 4. september kl. 10:00"


def test_next_opening_in_the_other_languages():
    assert status_at(date(2025, 9, 1), 18, "en").text == "Next open Thursday 4 September at 10:00"
    assert status_at(date(2025, 9, 1), 18, "tr").text == "Bir sonraki açılış: 4 Eylül Perşembe, saat 10:00"
    assert status_at(date(2025, 9, 1), 18, "so").text == "Marka xigta wuxuu furmayaa Khamiis, 4 Sebteembar, 10:00"
    assert "الخميس 4 سبتمبر" in status_at(date(2025, 9, 1), 18, "ar").text
    assert "جمعرات، 4 ستمبر" in status_at(date(2025, 9, 1), 18, "ur").text


def test_no_hours_ahead_says_so():
    now = datetime(2025, 9, 1, 12, tzinfo=COPENHAGEN)
    with translation.override("da"):
        assert status_of(None, now).text.startswith("Ingen åben rådgivning")
