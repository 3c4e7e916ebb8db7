"""E-mail reminders about duties falling due: run daily by cron (manage.py yearwheel_reminders).

Each centre's coordinators get one e-mail listing the duties of their year wheel that fall
due within the next N days and are not yet fulfilled. A reminder is recorded per duty, due
date and centre (ReminderSent), so running the command again — the same day or the next —
never sends the same reminder twice. Duties that hold all year (drop-in hours every week)
have no single due date and are not reminded of; the wheel shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from forpost.accounts.models import Membership, Role
from forpost.centres.models import Centre
from forpost.core.mail import send_automatic

from .evaluation import IndicatorCache
from .models import ReminderSent
from .yearwheel import Duty, Occurrence, wheel_for


@dataclass(frozen=True)
class Reminder:
    centre: Centre
    recipients: tuple[str, ...]
    items: tuple[tuple[Duty, Occurrence], ...]
    sent: bool


def default_days() -> int:
    return int(getattr(settings, "YEARWHEEL_REMINDER_DAYS", 14))


def coordinators_of(centre: Centre, today: date) -> list[str]:
    rows = (
        Membership.objects.active_on(today)
        .filter(centre=centre, role=Role.COORDINATOR, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    return list(dict.fromkeys(rows))


def _unsent(centre: Centre, year: int, items: list[tuple[Duty, Occurrence]]) -> list[tuple[Duty, Occurrence]]:
    sent = set(ReminderSent.objects.filter(centre=centre, year=year).values_list("requirement_id", "due_on"))
    return [(d, o) for d, o in items if (d.requirement.id, o.due_on) not in sent]


def send_reminders(*, today: date, days: int, dry_run: bool = False) -> list[Reminder]:
    """Send (or, in a dry run, only list) the reminders due today. Returns what was found."""
    found: list[Reminder] = []
    cache = IndicatorCache()
    for centre in Centre.objects.active_on(today).order_by("name"):
        wheel = wheel_for(centre, today.year, today=today, cache=cache)
        items = _unsent(centre, today.year, wheel.due_within(days))
        if not items:
            continue
        recipients = tuple(coordinators_of(centre, today))
        if dry_run or not recipients:
            found.append(Reminder(centre, recipients, tuple(items), sent=False))
            continue
        found.append(_send(centre, today, recipients, items))
    return found


@transaction.atomic
def _send(centre: Centre, today: date, recipients: tuple[str, ...], items: list[tuple[Duty, Occurrence]]) -> Reminder:
    # The rows are written first: if another run got there between our read and now, the
    # unique constraint stops us before any mail leaves; if the mail fails, they roll back.
    claimed = []
    for duty, occurrence in items:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    centre=centre,
                    year=today.year,
                    requirement_id=duty.requirement.id,
                    due_on=occurrence.due_on,
                    recipients=len(recipients),
                )
            claimed.append((duty, occurrence))
        except IntegrityError:
            continue
    if not claimed:
        return Reminder(centre, recipients, (), sent=False)
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse(
            "concepts:wheel", kwargs={"slug": centre.slug, "year": today.year}
        )
        subject = ngettext(
            "Forpost: %(count)s duty falls due soon at %(centre)s",
            "Forpost: %(count)s duties fall due soon at %(centre)s",
            len(claimed),
        ) % {
            "count": len(claimed),
            "centre": centre.name,
        }
        context = {"centre": centre, "items": claimed, "url": url, "today": today, "subject": subject}
        body = render_to_string("concepts/email/reminder.txt", context)
        html = render_to_string("concepts/email/reminder.html", {**context, "lang": settings.LANGUAGE_CODE})
    send_automatic(subject, body, recipients, html=html)
    return Reminder(centre, recipients, tuple(claimed), sent=True)
