"""Erase what registrations may not keep any longer. Meant for cron, e.g. nightly:

manage.py retention            # erase, audit-logging each erasure
manage.py retention --dry-run  # only count what would go
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from forpost.accounts.services import purge_stashes
from forpost.registrations.services import apply_retention, retention_plan


class Command(BaseCommand):
    help = (
        "Erase notes and goals after NOTE_RETENTION_MONTHS (default 12) and reduce registrations "
        "older than REGISTRATION_SLIM_YEARS (default 5) to what statistics need."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show what would be erased; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        plan = retention_plan(today)
        result = apply_retention(actor=None, today=today, dry_run=options["dry_run"])
        verb = "Would erase" if options["dry_run"] else "Erased"
        self.stdout.write(
            f"{verb}: {result.inquiry_notes} inquiry notes (inquiries before {plan.notes_before}), "
            f"{result.course_goals} course goals and {result.session_notes} session notes "
            f"(courses ended before {plan.goals_ended_before}), "
            f"{result.slimmed_inquiries} inquiries reduced to statistics (before {plan.slim_before}), "
            f"{result.tokens} expired form tokens."
        )
        # Forms kept over a session timeout live an hour at most (forpost.accounts.middleware).
        if not options["dry_run"]:
            self.stdout.write(f"Erased {purge_stashes()} forms kept over a session timeout.")
