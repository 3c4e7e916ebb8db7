import random
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from forpost.core.demo import DEMO_PASSWORD, DemoContext, build_demo

from ...models import Membership, User


# In accounts rather than core: it signs the demo users in the login list it prints.
class Command(BaseCommand):
    help = "Build the deterministic demo municipality (idempotent). Later apps add their demo data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=2010, help="Random seed (default 2010).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when demo users already exist.")
        parser.add_argument("--scale", type=int, default=None, help="Build a benchmark database of N inquiries.")
        parser.add_argument(
            "--centres",
            type=int,
            default=None,
            help="Centres in all (at least the 6 demo centres); above 6 adds benchmark centres bench-0007, ….",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and User.objects.filter(username="stab").exists():
            self.stdout.write("Demo data already loaded.")
            self._print_logins([])
            return
        if options["centres"] is not None and options["centres"] < 6:
            raise CommandError("--centres counts the 6 demo centres too, so it is at least 6.")
        ctx = DemoContext(
            rng=random.Random(options["seed"]),
            today=timezone.localdate(),
            scale=options["scale"],
            centres=options["centres"],
            out=self.stdout,
        )
        with transaction.atomic():
            build_demo(ctx)
        self._print_logins(ctx.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        rows = logins or [
            (m.user.username, f"{m.get_role_display()} {m.centre or ''}".strip())
            for m in Membership.objects.select_related("user", "centre").filter(user__username__in=DEMO_USERNAMES)
        ]
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, what in rows:
            self.stdout.write(f"  {username:<18} {what}")
        self.stdout.write(
            "Each has the address <username>@example.kk.dk; `manage.py yearwheel_reminders` e-mails each duty's"
            " owner, and the console mail backend prints the e-mails."
        )
        self.stdout.write("")


DEMO_USERNAMES = ["raadgiver", "koordinator", "raadgiver-valby", "koordinator-valby", "stab", "chef", "admin"]
