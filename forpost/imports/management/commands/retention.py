"""Erase what registrations may not keep any longer. Meant for cron, e.g. nightly:

manage.py retention            # erase, audit-logging each erasure
manage.py retention --dry-run  # only count what would go
"""

from argparse import ArgumentParser
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from forpost.accounts.services import purge_rate_windows, purge_stashes
from forpost.core.files import file_retention_cutoff, sweep
from forpost.imports.services import purge_old_uploads
from forpost.registrations.services import apply_retention, retention_plan
from forpost.reports.services import purge_old_jobs


class Command(BaseCommand):
    help = (
        "Erase notes and goals after NOTE_RETENTION_MONTHS (default 12) and reduce registrations "
        "older than REGISTRATION_SLIM_YEARS (default 5) to what statistics need. Delete generated "
        "files, import uploads and task results after FILE_RETENTION_DAYS (default 30), and an "
        "export holding notes when its notes are erased."
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
        dry_run = options["dry_run"]
        before = file_retention_cutoff()
        files = purge_old_jobs(actor=None, before=before, notes_before=plan.notes_before, dry_run=dry_run)
        uploads = purge_old_uploads(actor=None, before=before, notes_before=plan.notes_before, dry_run=dry_run)
        swept = sweep(default_storage, before=before, dry_run=dry_run)
        self.stdout.write(
            f"{verb}: {files.jobs} generated files and {uploads} import uploads (made before "
            f"{before:%Y-%m-%d}, or holding notes from before {plan.notes_before}), "
            f"{files.task_results} task results and {swept} files left without a record."
        )
        # Forms kept over a session timeout live an hour at most (forpost.accounts.middleware).
        if not options["dry_run"]:
            self.stdout.write(f"Erased {purge_stashes()} forms kept over a session timeout.")
            self.stdout.write(f"Erased {purge_rate_windows()} counters of calls and requests.")
