"""manage.py restore PATH: an archive made by `backup`, into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forpost.core import backup


class Command(BaseCommand):
    help = "Restore an archive made by `backup` into an empty database, then check it against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            done = backup.restore(path)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {done.rows} rows in {done.tables} tables and {done.files} files from {done.path}; "
            "every table's count matches the manifest."
        )
