"""schema.org data for a centre's page (JSON-LD) and its iCalendar feed of drop-in hours."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forpost.centres import hours
from forpost.centres.models import Centre, OpeningHoursPattern, SlotKind

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def opening_hours_data(
    centre: Centre, url: str, patterns: list[OpeningHoursPattern], calendar: hours.Calendar, first: date, last: date
) -> dict[str, Any]:
    """The centre as a schema.org GovernmentOffice with its drop-in hours.

    The weekly drop-in slots are `openingHoursSpecification`, each valid for its pattern's
    period. Closed between `first` and `last` are `specialOpeningHoursSpecification` with
    opens = closes = 00:00 (schema.org's "closed"): each closure the page announces, whole,
    and each public holiday that would have had drop-in."""
    regular = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[s.weekday]}",
            "opens": s.starts_at.strftime("%H:%M"),
            "closes": s.ends_at.strftime("%H:%M"),
            "validFrom": p.valid_from.isoformat(),
            **({"validThrough": p.valid_to.isoformat()} if p.valid_to else {}),
        }
        for p in patterns
        for s in p.slots.all()
        if s.kind == SlotKind.DROP_IN
    ]
    spans = [(c.starts_on, c.ends_on) for c in calendar.closures if c.starts_on <= last and c.ends_on >= first]
    spans += [
        (d.date, d.date) for d in calendar.days(first, last) if d.closed == hours.ClosedBecause.HOLIDAY and d.scheduled
    ]
    closed = [
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": starts.isoformat(),
            "validThrough": ends.isoformat(),
        }
        for starts, ends in sorted(spans)
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": centre.name,
        "url": url,
        "isAccessibleForFree": True,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": centre.street_address,
            "postalCode": centre.postcode,
            "addressLocality": centre.city,
            "addressCountry": "DK",
        },
        "openingHoursSpecification": regular,
    }
    if closed:
        data["specialOpeningHoursSpecification"] = closed
    if centre.phone:
        data["telephone"] = centre.phone
    if centre.email:
        data["email"] = centre.email
    return data


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json"> element. <, > and & are escaped so
    that no text from the database can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above


# --- iCalendar --------------------------------------------------------------------------------

FEED_WEEKS = 6


def drop_in_feed(centre: Centre, calendar: hours.Calendar, first: date, page_url: str, now: datetime) -> bytes:
    """The centre's drop-in hours from `first` for FEED_WEEKS weeks, as an iCalendar file."""
    import icalendar

    feed = icalendar.Calendar()
    feed.add("prodid", "-//Forpost//Familierådgivning//DA")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    name = _("Open drop-in – %(centre)s") % {"centre": centre.name}
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", "Europe/Copenhagen")
    feed.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    description = _("Free, anonymous counselling. No appointment, no name, no CPR number.") + f"\n{page_url}"
    last = first + timedelta(weeks=FEED_WEEKS) - timedelta(days=1)
    for interval in calendar.intervals(first, last, SlotKind.DROP_IN):
        event = icalendar.Event()
        start = interval.local_start
        event.add("uid", f"{centre.slug}-{start:%Y%m%dT%H%M}-dropin@forpost")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", interval.local_end)
        event.add("summary", name)
        event.add("location", centre.address)
        event.add("description", description)
        event.add("url", page_url)
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)
    # Only the clock changes around the feed's weeks, not every one since 1970.
    feed.add_missing_timezones(first_date=first - timedelta(days=366), last_date=last + timedelta(days=366))
    return feed.to_ical()
