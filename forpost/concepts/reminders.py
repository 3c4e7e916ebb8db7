"""E-mail reminders about duties falling due: run daily by cron (manage.py yearwheel_reminders).

Each reminder goes to the duty's owner, as the concept file names it (`responsible`): a
centre's duties to its coordinators; a duty that management owns for each centre (the budget
announcement) to the management users, one e-mail per centre; a duty held once for the whole
city (the cross-city meetings, the city's status) to central staff. The e-mail lists the
duties falling due within the next N days that are not yet fulfilled. A reminder is recorded
per duty, due date and centre (ReminderSent; no centre for the city's duties), so running the
command again — the same day or the next — never sends the same reminder twice. Duties that
hold all year (drop-in hours every week) have no single due date and are not reminded of; the
wheel shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from forpost.accounts.models import Membership, Role
from forpost.centres.models import Centre
from forpost.core.mail import send_automatic

from .definitions import Responsible
from .evaluation import IndicatorCache
from .loader import concept_for_year
from .models import ReminderSent
from .yearwheel import Duty, Occurrence, city_requirements, due_within, duty_for, wheel_for


@dataclass(frozen=True)
class Reminder:
    centre: Centre | None  # None: the duties held once for the whole city
    recipients: tuple[str, ...]
    items: tuple[tuple[Duty, Occurrence], ...]
    sent: bool
    owner: Responsible = Responsible.CENTRE


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


def city_users_of(role: str, today: date) -> list[str]:
    """The addresses of the users holding a city-wide `role` (central staff, management) today."""
    rows = (
        Membership.objects.active_on(today)
        .filter(role=role, centre__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    return list(dict.fromkeys(rows))


def owners_of(owner: Responsible, centre: Centre | None, today: date) -> list[str]:
    """Whom a duty's reminder reaches: its owner's users (for the centre's own duties, the
    centre's coordinators)."""
    if owner == Responsible.CENTRE:
        return coordinators_of(centre, today) if centre is not None else []
    return city_users_of(owner.role, today)


def _unsent(centre: Centre | None, year: int, items: list[tuple[Duty, Occurrence]]) -> list[tuple[Duty, Occurrence]]:
    rows = ReminderSent.objects.filter(year=year)
    rows = rows.filter(centre=centre) if centre is not None else rows.filter(centre__isnull=True)
    sent = set(rows.values_list("requirement_id", "due_on"))
    return [(d, o) for d, o in items if (d.requirement.id, o.due_on) not in sent]


def _by_owner(items: Sequence[tuple[Duty, Occurrence]]) -> list[tuple[Responsible, list[tuple[Duty, Occurrence]]]]:
    owners = [o for o in Responsible if any(d.requirement.responsible == o for d, _o in items)]
    return [(owner, [(d, o) for d, o in items if d.requirement.responsible == owner]) for owner in owners]


def send_reminders(*, today: date, days: int, dry_run: bool = False) -> list[Reminder]:
    """Send (or, in a dry run, only list) the reminders due today. Returns what was found."""
    found: list[Reminder] = []
    cache = IndicatorCache()
    centres = list(Centre.objects.active_on(today).order_by("name"))
    batches: list[tuple[Centre | None, list[tuple[Duty, Occurrence]]]] = []
    for one in centres:
        wheel = wheel_for(one, today.year, today=today, cache=cache)
        batches.append((one, wheel.due_within(days)))
    if centres:
        ids = [c.pk for c in centres]
        city = [
            duty_for(r, centre_ids=ids, year=today.year, today=today, cache=cache)
            for r in city_requirements(concept_for_year(today.year))
        ]
        batches.append((None, due_within(city, today=today, days=days)))
    for centre, due in batches:
        for owner, items in _by_owner(_unsent(centre, today.year, due)):
            recipients = tuple(owners_of(owner, centre, today))
            if dry_run or not recipients:
                found.append(Reminder(centre, recipients, tuple(items), sent=False, owner=owner))
                continue
            found.append(_send(centre, today, recipients, items, owner=owner))
    return found


def _subject(centre: Centre | None, count: int) -> str:
    if centre is None:
        return ngettext(
            "Forpost: %(count)s duty across the city falls due soon",
            "Forpost: %(count)s duties across the city fall due soon",
            count,
        ) % {"count": count}
    return ngettext(
        "Forpost: %(count)s duty falls due soon at %(centre)s",
        "Forpost: %(count)s duties fall due soon at %(centre)s",
        count,
    ) % {"count": count, "centre": centre.name}


@transaction.atomic
def _send(
    centre: Centre | None,
    today: date,
    recipients: tuple[str, ...],
    items: list[tuple[Duty, Occurrence]],
    *,
    owner: Responsible = Responsible.CENTRE,
) -> Reminder:
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
        return Reminder(centre, recipients, (), sent=False, owner=owner)
    with translation.override(settings.LANGUAGE_CODE):
        path = (
            reverse("concepts:city", kwargs={"year": today.year})
            if centre is None
            else reverse("concepts:wheel", kwargs={"slug": centre.slug, "year": today.year})
        )
        url = settings.SITE_URL.rstrip("/") + path
        subject = _subject(centre, len(claimed))
        # Why this person: the concept makes their role the duty's owner.
        why = (
            gettext("You receive this e-mail because you are the centre's coordinator in Forpost.")
            if owner == Responsible.CENTRE
            else gettext("You receive this e-mail because the concept makes %(owner)s responsible for these duties.")
            % {"owner": owner.label}
        )
        context = {"centre": centre, "items": claimed, "url": url, "today": today, "subject": subject, "why": why}
        body = render_to_string("concepts/email/reminder.txt", context)
        html = render_to_string("concepts/email/reminder.html", {**context, "lang": settings.LANGUAGE_CODE})
    send_automatic(subject, body, recipients, html=html)
    return Reminder(centre, recipients, tuple(claimed), sent=True, owner=owner)
