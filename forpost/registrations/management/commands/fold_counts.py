from typing import Any

from django.core.management.base import BaseCommand

from forpost.registrations.counts import fold_all


class Command(BaseCommand):
    help = (
        "Fold the rows the registration services appended to the status's counts into one row a "
        "key (every minute, from cron or the worker). Reads are exact without it; it keeps them small."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        folded = fold_all()
        self.stdout.write(f"Folded {folded:,} count rows.")
