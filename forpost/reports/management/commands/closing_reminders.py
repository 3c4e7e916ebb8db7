"""E-mail coordinators what is still missing before last year's closing deadline. Daily from cron:

20 7 * * *  cd /srv/forpost && .venv/bin/python manage.py closing_reminders
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from forpost.concepts.reminders import default_days
from forpost.reports.closing_reminders import send_closing_reminders


class Command(BaseCommand):
    help = "Remind each centre's coordinators of what is missing before last year's closing deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Days before the deadline to remind (default 14).")
        parser.add_argument("--dry-run", action="store_true", help="List what is missing; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else default_days()
        if not 0 <= days <= 366:
            raise CommandError("--days must be between 0 and 366.")
        found = send_closing_reminders(today=timezone.localdate(), days=days, dry_run=options["dry_run"])
        for missing, recipients in found:
            to = ", ".join(recipients) or "nobody (no coordinator with an e-mail address)"
            self.stdout.write(
                f"{missing.centre.slug} {missing.year}: {len(missing.attestations)} attestations, "
                f"text {'empty' if missing.text_empty else 'written'}, "
                f"{len(missing.weeks_without_hours)} weeks without hours → {to}"
            )
        self.stdout.write(f"{len(found)} centre(s) with something missing.")
