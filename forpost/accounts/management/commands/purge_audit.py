from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from forpost.accounts.services import purge_audit_entries


class Command(BaseCommand):
    help = "Delete audit entries older than the retention period (AUDIT_RETENTION_DAYS). Run daily from cron."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=settings.AUDIT_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(days=options["days"])
        count = purge_audit_entries(actor=None, before=cutoff, dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(f"{verb} {count} audit entries older than {cutoff:%Y-%m-%d %H:%M}.")
