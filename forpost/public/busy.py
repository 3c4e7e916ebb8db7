"""A room's busy times as an association reads them on the room request page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from forpost.collaboration.queries import RoomAvailability

from . import formatting


@dataclass(frozen=True)
class BusyTimes:
    """A room's busy times as an association reads them: what recurs every week once
    ("Tuesday 17:00–19:00"), then the other times by date. A city's rooms with their weekly
    groups listed week by week made the page 35 kB; this keeps it within 15 kB."""

    room: Any
    weekly: tuple[tuple[str, str], ...]  # (weekday, "17:00–19:00")
    other: tuple[tuple[str, str], ...]  # ("Saturday 13 September", "10:00–14:00, 15:00–16:00")


def _range(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def busy_times(availability: RoomAvailability, today: date) -> BusyTimes:
    """A time counts as weekly when the room is busy then on every such weekday shown."""
    shown: list[date] = []
    busy: dict[date, tuple[tuple[time, time], ...]] = {}
    for week in availability.weeks:
        shown += [d for d in (week.monday + timedelta(days=i) for i in range(7)) if d >= today]
        busy |= {d.day: d.times for d in week.days}
    weekly = []
    for weekday in range(7):
        days = [d for d in shown if d.weekday() == weekday]
        if len(days) < 2:
            continue
        common = set(busy.get(days[0], ()))
        for d in days[1:]:
            common &= set(busy.get(d, ()))
        weekly += [(weekday, t) for t in sorted(common)]
    recurring = {(w, t) for w, t in weekly}
    other = []
    for day in sorted(busy):
        times = [t for t in busy[day] if (day.weekday(), t) not in recurring]
        if times:
            other.append((formatting.long_date(day), ", ".join(_range(*t) for t in times)))
    return BusyTimes(
        availability.room,
        tuple((str(formatting.WEEKDAYS[w]), _range(*t)) for w, t in weekly),
        tuple(other),
    )
