"""Before a year's closing deadline, each centre's coordinators are told what is still missing
(manage.py closing_reminders, run daily by cron): attestations not approved, an empty status
text, weeks without opening hours. One e-mail per centre and deadline, never twice (recorded
as concepts.ReminderSent with the requirement id "closing")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from forpost.centres import weekly
from forpost.centres.closing import default_deadline
from forpost.centres.models import Centre, ClosedYear, WeeklyHours
from forpost.concepts.definitions import Responsible, Scope
from forpost.concepts.loader import concept_for_year
from forpost.concepts.models import Attestation, AttestationStatus, ReminderSent
from forpost.concepts.reminders import coordinators_of

from .models import StatusText

KEY = "closing"


@dataclass(frozen=True)
class Missing:
    centre: Centre
    year: int
    deadline: date
    attestations: tuple[str, ...]
    text_empty: bool
    weeks_without_hours: tuple[date, ...]

    @property
    def anything(self) -> bool:
        return bool(self.attestations or self.text_empty or self.weeks_without_hours)


def missing_for(centre: Centre, year: int, deadline: date) -> Missing:
    concept = concept_for_year(year)
    # The coordinators attest their centre's own duties; one another role owns is not theirs to chase.
    attested = [
        r
        for r in (concept.requirements if concept else ())
        if r.scope == Scope.CENTRE and r.is_attested and r.responsible == Responsible.CENTRE
    ]
    approved = set(
        Attestation.objects.filter(centre=centre, year=year, status=AttestationStatus.APPROVED).values_list(
            "requirement_id", flat=True
        )
    )
    text = StatusText.objects.filter(centre=centre, year=year).first()
    weekly.ensure([centre.pk], year)
    bare = WeeklyHours.objects.filter(centre=centre, year=year, covered=False).order_by("monday")
    return Missing(
        centre=centre,
        year=year,
        deadline=deadline,
        attestations=tuple(str(r.label) for r in attested if r.id not in approved),
        text_empty=text is None or text.is_empty,
        weeks_without_hours=tuple(bare.values_list("monday", flat=True)),
    )


def send_closing_reminders(*, today: date, days: int, dry_run: bool = False) -> list[tuple[Missing, tuple[str, ...]]]:
    """For last year, if its deadline is within `days` and it is not closed: remind each centre
    of what is missing. Returns what was found (and sent, unless a dry run)."""
    year = today.year - 1
    stored = ClosedYear.objects.filter(year=year).first()
    if stored is not None and stored.closed:
        return []
    deadline = stored.deadline if stored else default_deadline(year)
    if not today <= deadline <= today + timedelta(days=days):
        return []
    found = []
    for centre in Centre.objects.active_during(date(year, 1, 1), date(year, 12, 31)).order_by("name"):
        missing = missing_for(centre, year, deadline)
        if not missing.anything:
            continue
        recipients = tuple(coordinators_of(centre, today))
        if not dry_run and recipients and _claim(centre, year, deadline, len(recipients)):
            _send(missing, recipients)
        found.append((missing, recipients))
    return found


def _claim(centre: Centre, year: int, deadline: date, recipients: int) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                centre=centre, year=year, requirement_id=KEY, due_on=deadline, recipients=recipients
            )
    except IntegrityError:
        return False
    return True


def _send(missing: Missing, recipients: tuple[str, ...]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse("concepts:wheel", args=[missing.centre.slug, missing.year])
        subject = _("Forpost: %(year)s closes on %(deadline)s – still missing at %(centre)s") % {
            "year": missing.year,
            "deadline": formats.date_format(missing.deadline, "DATE_FORMAT"),
            "centre": missing.centre.name,
        }
        body = render_to_string("reports/email/closing_reminder.txt", {"missing": missing, "url": url})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
