"""E-mail each duty's owner (coordinators, management, central staff) about year-wheel duties falling due soon. Run it daily from cron:

15 7 * * *  cd /srv/forpost && .venv/bin/python manage.py yearwheel_reminders
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from forpost.concepts.definitions import Responsible
from forpost.concepts.reminders import default_days, send_reminders


class Command(BaseCommand):
    help = "E-mail each duty's owner about duties of the year wheel falling due within N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="How many days ahead to look (default: settings.YEARWHEEL_REMINDER_DAYS, else 14).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List the reminders; send and record nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else default_days()
        if days < 0 or days > 366:
            raise CommandError("--days must be between 0 and 366.")
        today = timezone.localdate()
        reminders = send_reminders(today=today, days=days, dry_run=options["dry_run"])
        for reminder in reminders:
            duties = ", ".join(f"{d.requirement.id} ({o.due_on:%Y-%m-%d})" for d, o in reminder.items)
            if reminder.sent:
                verb = "sent to " + ", ".join(reminder.recipients)
            elif not reminder.recipients and reminder.owner == Responsible.CENTRE:
                verb = "NOT sent: the centre has no coordinator with an e-mail address"
            elif not reminder.recipients:
                verb = f"NOT sent: no {reminder.owner.value} user has an e-mail address"
            else:
                verb = "would be sent to " + ", ".join(reminder.recipients)
            where = reminder.centre.slug if reminder.centre is not None else "city"
            self.stdout.write(f"{where} ({reminder.owner.value}): {verb}: {duties}")
        sent = sum(len(r.items) for r in reminders if r.sent)
        self.stdout.write(f"{sent} reminders sent, looking {days} days ahead from {today:%Y-%m-%d}.")
