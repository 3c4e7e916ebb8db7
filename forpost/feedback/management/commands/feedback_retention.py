"""Erase old feedback comments and flood marks (run nightly beside `retention`)."""

from typing import Any

from django.core.management.base import BaseCommand

from forpost.feedback.services import erase_old_comments


class Command(BaseCommand):
    help = "Erase feedback comments older than NOTE_RETENTION_MONTHS and flood marks older than two days."

    def handle(self, *args: Any, **options: Any) -> None:
        comments, marks = erase_old_comments()
        self.stdout.write(f"Erased {comments} comments and {marks} flood marks.")
