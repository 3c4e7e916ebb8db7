from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forpost.registrations.counts import differences


class Command(BaseCommand):
    help = (
        "Recount every dimension of the status's counts from the registrations and compare with "
        "the kept counts, without changing them. Prints each difference and exits 1 if there is any "
        "(nightly, from cron; repair with rebuild_facts)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="Only this year (may repeat).")

    def handle(self, *args: Any, **options: Any) -> None:
        found = differences(years=options["year"])
        for (centre, year, dimension, value), kept, recounted in found:
            self.stdout.write(f"centre {centre} year {year} {dimension}={value!r}: kept {kept}, recounted {recounted}")
        if found:
            # CommandError exits with status 1, which is what cron and monitoring look at.
            raise CommandError(f"{len(found)} kept counts differ from a recount.", returncode=1)
        self.stdout.write("The kept counts equal a recount.")
