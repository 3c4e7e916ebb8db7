from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from forpost.centres import weekly
from forpost.registrations.counts import rebuild
from forpost.registrations.models import InquiryFact


class Command(BaseCommand):
    help = (
        "Recompute the inquiry counts behind the annual status from the registrations, and bring "
        "each centre's stored weekly hours up to date (after a bulk load or a repair)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="Only this year (may repeat).")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild(years=options["year"])
        self.stdout.write(f"Rebuilt {rows:,} count rows.")
        years = options["year"] or sorted(set(InquiryFact.objects.values_list("year", flat=True)))
        centre_years = weekly.refresh(years)
        self.stdout.write(f"Weekly hours up to date for {centre_years:,} centre-years.")
