"""manage.py backup PATH: the database, the generated files and a manifest in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forpost.core import backup


class Command(BaseCommand):
    help = "Write one archive at PATH: the database, MEDIA_ROOT and a manifest of row counts and checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            done = backup.backup(path)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up {done.rows} rows in {done.tables} tables and {done.files} files to {done.path}")
