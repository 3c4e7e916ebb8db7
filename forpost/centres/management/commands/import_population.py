from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forpost.centres.models import Municipality
from forpost.centres.population import PopulationImportError, import_population


class Command(BaseCommand):
    help = "Import district population figures from a CSV file (see docs/population.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--municipality", default="101", help="Municipality code (default 101, Copenhagen).")
        parser.add_argument("--sample", action="store_true", help="Mark the figures as invented sample figures.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist as exc:
            raise CommandError(f"No municipality with code {options['municipality']}") from exc
        try:
            with open(options["file"], encoding="utf-8-sig") as handle:
                result = import_population(
                    actor=None, lines=handle, municipality=municipality, is_sample=options["sample"]
                )
        except PopulationImportError as exc:
            raise CommandError("Nothing imported:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"Imported population figures: {result.created} new, {result.updated} updated.")
