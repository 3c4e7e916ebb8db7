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


# Drop-in only from Monday 15 September 2025: from 1 September the next opening is weeks off.
LATER = Calendar((Pattern(date(2025, 9, 15), None, (WeeklySlot(0, time(14), time(17)),)),))


def later_status(language):
    now = datetime(2025, 9, 1, 18, tzinfo=COPENHAGEN)
    with translation.override(language):
        return status_of(LATER.open_or_next(now), now)


def test_an_opening_within_the_week_names_the_weekday():
    status = status_at(date(2025, 9, 1), 18)
    assert not status.open_now
    assert status.text == "Åbner torsdag kl. 10:00"


def test_an_opening_within_the_week_in_the_other_languages():
    assert status_at(date(2025, 9, 1), 18, "en").text == "Opens Thursday at 10:00"
    assert status_at(date(2025, 9, 1), 18, "tr").text == "Açılış: Perşembe, saat 10:00"
    assert status_at(date(2025, 9, 1), 18, "so").text == "Wuxuu furmayaa Khamiis, 10:00"
    assert status_at(date(2025, 9, 1), 18, "ar").text == "يفتح يوم الخميس الساعة 10:00"
    assert status_at(date(2025, 9, 1), 18, "ur").text == "جمعرات کو 10:00 بجے کھلے گا"


def test_an_opening_after_the_week_names_the_date():
    assert later_status("da").text == "Næste gang åbent mandag 15. september kl. 14:00"


def test_an_opening_after_the_week_in_the_other_languages():
    assert later_status("en").text == "Next open Monday 15 September at 14:00"
    assert later_status("tr").text.startswith("Bir sonraki açılış: 15 Eylül Pazartesi")
    assert later_status("so").text.startswith("Marka xigta wuxuu furmayaa Isniin, 15 Sebteembar")
    assert "15 سبتمبر" in later_status("ar").text


def test_no_hours_ahead_says_so():
    now = datetime(2025, 9, 1, 12, tzinfo=COPENHAGEN)
    with translation.override("da"):
        assert status_of(None, now).text.startswith("Ingen åben rådgivning")
