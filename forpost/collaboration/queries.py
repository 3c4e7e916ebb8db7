"""Reads of the collaboration work, returned as small frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.utils import formats
from django.utils.translation import gettext as _

from forpost.centres.models import Centre

from .models import VolunteerGroup, Weekday


@dataclass(frozen=True)
class PublicVolunteerGroup:
    """What the public centre page may show about a volunteer group: nothing personal."""

    name: str
    association: str
    description: str
    meets: str
    target_group: str


def meeting_text(weekday: int | None, start: time | None, end: time | None, frequency: str) -> str:
    """Human text of when a group meets, e.g. 'Tuesday 17:00–19:00, every week'."""
    parts: list[str] = []
    if weekday is not None:
        parts.append(str(Weekday(weekday).label))
    if start and end:
        parts.append(f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}")
    elif start:
        parts.append(_("from %(time)s") % {"time": formats.time_format(start, "H:i")})
    text = " ".join(parts)
    if frequency:
        text = f"{text}, {frequency}" if text else frequency
    return text


def public_volunteer_groups(centre: Centre, *, on: date | None = None) -> list[PublicVolunteerGroup]:
    """The volunteer groups active at `centre` today (or on `on`), for the public centre page."""
    from django.utils import timezone

    day = on or timezone.localdate()
    groups = (
        VolunteerGroup.objects.filter(centre=centre).active_on(day).select_related("association").order_by("name", "pk")
    )
    return [
        PublicVolunteerGroup(
            name=g.name,
            association=g.association_display,
            description=g.description,
            meets=meeting_text(g.meets_weekday, g.meets_from, g.meets_to, g.meets_frequency),
            target_group=str(g.get_target_group_display()),
        )
        for g in groups
    ]
