"""Dates and times for citizens, in all six public languages.

Django has no Somali catalogue, and its date filter would fall back to English there, so the
public pages name weekdays and months from their own catalogue.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

WEEKDAYS = [
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
]

MONTHS = [
    pgettext_lazy("month", "January"),
    pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"),
    pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"),
    pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"),
    pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"),
    pgettext_lazy("month", "December"),
]


def weekday(day: date) -> str:
    return str(WEEKDAYS[day.weekday()])


def day_and_month(day: date) -> str:
    """e.g. '10 June' (English), '10. juni' (Danish)."""
    return _("%(day)s %(month)s") % {"day": day.day, "month": MONTHS[day.month - 1]}


def long_date(day: date) -> str:
    """e.g. 'Tuesday 10 June' (English), 'tirsdag 10. juni' (Danish)."""
    return _("%(weekday)s %(date)s") % {"weekday": weekday(day), "date": day_and_month(day)}


def clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def time_range(start: datetime, end: datetime) -> str:
    return f"{clock(start)}–{clock(end)}"


def date_range(first: date, last: date) -> str:
    if first == last:
        return long_date(first)
    return _("%(first)s to %(last)s") % {"first": long_date(first), "last": long_date(last)}
