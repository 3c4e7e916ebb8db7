"""What the public pages show: the centres, when drop-in is open, and closures. Only the
centres' own public facts; nothing about any citizen or registration."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forpost.centres import hours
from forpost.centres.models import Centre, OpeningHoursPattern, SlotKind
from forpost.centres.queries import calendars_for
from forpost.core.translated import Translated

from . import formatting

# How far ahead "next opens" looks; a centre closed longer than this says so.
HORIZON_DAYS = 42
# How far ahead closures are announced, on the page and in its structured data.
CLOSURES_AHEAD = timedelta(weeks=8)


def public_centres() -> list[Centre]:
    return list(Centre.objects.active().select_related("district").prefetch_related("districts_served"))


@dataclass(frozen=True)
class Status:
    open_now: bool
    text: str


def status_of(interval: hours.Interval | None, now: datetime) -> Status:
    if interval is None:
        return Status(False, _("No drop-in hours in the coming weeks. Please call or write."))
    start, end = interval.local_start, interval.local_end
    today = now.astimezone(hours.COPENHAGEN).date()
    if interval.contains(now):
        return Status(True, _("Open now until %(time)s") % {"time": formatting.clock(end)})
    if start.date() == today:
        return Status(False, _("Opens today at %(time)s") % {"time": formatting.clock(start)})
    if start.date() == today + timedelta(days=1):
        return Status(False, _("Opens tomorrow at %(time)s") % {"time": formatting.clock(start)})
    if start.date() < today + timedelta(days=7):
        # Within the week the weekday alone is clear: "Opens Tuesday at 14:00".
        return Status(
            False,
            _("Opens %(weekday)s at %(time)s")
            % {"weekday": formatting.weekday(start.date()), "time": formatting.clock(start)},
        )
    return Status(
        False,
        _("Next open %(day)s at %(time)s")
        % {"day": formatting.long_date(start.date()), "time": formatting.clock(start)},
    )


@dataclass(frozen=True)
class CentreCard:
    centre: Centre
    districts: str
    status: Status


# Where a centre without drop-in ahead sorts: after every one that opens.
NEVER = datetime.max.replace(tzinfo=UTC)
EARLIEST = datetime.min.replace(tzinfo=UTC)


def _serves(centre: Centre, district_ids: Collection[int]) -> bool:
    served = {d.pk for d in centre.districts_served.all()} or {centre.district_id}
    return not served.isdisjoint(district_ids)


def centre_cards(now: datetime, *, district_ids: Collection[int] | None = None) -> list[CentreCard]:
    """The centres (only those serving one of `district_ids` when given): the open ones
    first, then by when they next open, so the first card is where a parent can go soonest."""
    centres = public_centres()
    if district_ids is not None:
        centres = [c for c in centres if _serves(c, district_ids)]
    today = now.astimezone(hours.COPENHAGEN).date()
    calendars = calendars_for(centres, today, today + timedelta(days=HORIZON_DAYS))
    ranked = []
    for c in centres:
        interval = calendars[c.pk].open_or_next(now, horizon_days=HORIZON_DAYS)
        card = CentreCard(
            centre=c,
            districts=", ".join(d.name for d in c.districts_served.all()) or c.district.name,
            status=status_of(interval, now),
        )
        # Open ones by name; the others by when they open.
        opens = EARLIEST if card.status.open_now else interval.start if interval else NEVER
        ranked.append(((opens, c.name), card))
    return [card for _key, card in sorted(ranked, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class DayRow:
    date: date
    label: str
    is_today: bool
    is_past: bool
    times: tuple[str, ...]
    closed_reason: str  # "" when open
    reason_lang: str  # language of closed_reason, for the lang attribute


@dataclass(frozen=True)
class WeekOfHours:
    title: str
    week: str  # the ISO week number, or two across a Monday: "48–49"
    rows: tuple[DayRow, ...]


def _closed_reason(day: hours.Day) -> tuple[str, str]:
    language = get_language() or "da"
    if day.closed == hours.ClosedBecause.CLOSURE:
        return day.reason, day.reason_lang  # written by the centre, translated or Danish
    if language in ("da", "en"):
        return hours.holiday_name(day.date, "da" if language == "da" else "en_US"), language
    return _("public holiday"), language


def _weeks_label(first: date, last: date) -> str:
    """The ISO week numbers a stretch of days falls in: "36", or "48–49" across a Monday."""
    weeks = (first.isocalendar().week, last.isocalendar().week)
    return str(weeks[0]) if weeks[0] == weeks[1] else f"{weeks[0]}–{weeks[1]}"


def drop_in_weeks(calendar: hours.Calendar, today: date, now: datetime) -> list[WeekOfHours]:
    """The seven days from today, then the seven after: the days with drop-in, and the
    drop-in days that are closed. From today, not from Monday, so that on a Sunday "this
    week" lists the days ahead rather than the days gone."""
    weeks = []
    for offset, title in ((0, _("This week")), (1, _("Next week"))):
        first = today + timedelta(weeks=offset)
        last = first + timedelta(days=6)
        rows = []
        for day in calendar.days(first, last):
            intervals = day.of_kind(SlotKind.DROP_IN)
            if not intervals and not (day.closed and day.scheduled):
                continue
            reason, reason_lang = _closed_reason(day) if day.closed else ("", "")
            rows.append(
                DayRow(
                    date=day.date,
                    label=formatting.long_date(day.date),
                    is_today=day.date == today,
                    is_past=day.date < today or (bool(intervals) and all(i.end <= now for i in intervals)),
                    times=tuple(formatting.time_range(i.local_start, i.local_end) for i in intervals),
                    closed_reason=reason,
                    reason_lang=reason_lang,
                )
            )
        weeks.append(WeekOfHours(title, _weeks_label(first, last), tuple(rows)))
    return weeks


@dataclass(frozen=True)
class ClosureNotice:
    dates: str
    reason: Translated


def closure_notices(calendar: hours.Calendar, today: date) -> list[ClosureNotice]:
    """The closures announced from today, read from the calendar (loaded CLOSURES_AHEAD on)."""
    last = today + CLOSURES_AHEAD
    return [
        ClosureNotice(formatting.date_range(max(c.starts_on, today), c.ends_on), Translated(c.reason, c.reason_lang))
        for c in sorted(calendar.closures, key=lambda c: c.starts_on)
        if c.starts_on <= last and c.ends_on >= today
    ]


@dataclass(frozen=True)
class WeeklyTime:
    day: str
    times: str


def weekly_times(patterns: Sequence[OpeningHoursPattern], today: date, kind: str) -> list[WeeklyTime]:
    """The pattern in force today (of `patterns`, slots prefetched), as (Monday, 09:00–10:00)
    rows for one kind of slot."""
    pattern = next((p for p in patterns if p.valid_from <= today and (p.valid_to is None or today <= p.valid_to)), None)
    if pattern is None:
        return []
    slots = sorted((s for s in pattern.slots.all() if s.kind == kind), key=lambda s: (s.weekday, s.starts_at))
    return [WeeklyTime(str(formatting.WEEKDAYS[s.weekday]), f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M}") for s in slots]


def patterns_ahead(centre: Centre, today: date, days: int = 120) -> Sequence[OpeningHoursPattern]:
    return list(
        OpeningHoursPattern.objects.filter(centre=centre)
        .overlapping_period(today, today + timedelta(days=days))
        .prefetch_related("slots")
        .order_by("valid_from")
    )
