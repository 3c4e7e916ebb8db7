from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from forpost.reports.facts import rebuild


class Command(BaseCommand):
    help = "Recompute the inquiry counts behind the annual status from the registrations."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="Only this year (may repeat).")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild(years=options["year"])
        self.stdout.write(f"Rebuilt {rows:,} count rows.")
