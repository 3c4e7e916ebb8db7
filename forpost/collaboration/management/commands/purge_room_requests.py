"""Delete room requests (with the association's contact details) 6 months after the decision.

Run daily from the scheduler, like the audit-log purge.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from forpost.collaboration.services import purge_room_requests


class Command(BaseCommand):
    help = "Delete room requests decided (or received, if never decided) more than 6 months ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args: Any, **options: Any) -> None:
        n = purge_room_requests(actor=None, dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(f"{verb} {n} room requests.")
