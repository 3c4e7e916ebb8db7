"""Where generated files and uploads are kept, and for how long.

A stored file's name is random (not the uploader's, not a fixed "henvendelser.csv"), and
MEDIA_ROOT is never served as static files, in development neither: a file leaves only
through a view that checks the login and the scope and writes the audit trail
(reports:job_download). The nightly `manage.py retention` deletes files after
FILE_RETENTION_DAYS (default 30), and an export that holds notes no later than the notes
themselves are erased.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.utils import timezone

_SUFFIX_RE = re.compile(r"\.[a-z0-9]{1,5}")


def _unguessable(folder: str, filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    return f"{folder}/{secrets.token_urlsafe(32)}{suffix if _SUFFIX_RE.fullmatch(suffix) else ''}"


def job_file_path(instance: Any, filename: str) -> str:
    """A background job's file: 256 random bits, the type's suffix kept."""
    return _unguessable("jobs", filename)


def upload_path(instance: Any, filename: str) -> str:
    """An uploaded file: 256 random bits, never the name the uploader gave it."""
    return _unguessable("imports", filename)


def file_retention_cutoff(now: datetime | None = None) -> datetime:
    """Files made before this moment are deleted by the nightly retention."""
    days = int(getattr(settings, "FILE_RETENTION_DAYS", 30))
    return (now or timezone.now()) - timedelta(days=days)


def delete_stored(storage: Storage, name: str) -> None:
    """Delete a stored file if it is still there (a second run, or a restored backup without it)."""
    if name and storage.exists(name):
        storage.delete(name)


KEPT_FOLDERS = ("jobs", "imports")


def sweep(storage: Storage, *, before: datetime, dry_run: bool = False) -> int:
    """Delete every file under the kept folders last written before `before`, whether a row
    still names it or not (a file whose row went in a crash, or the old year/month folders)."""
    swept = 0
    pending = list(KEPT_FOLDERS)
    while pending:
        folder = pending.pop()
        if not storage.exists(folder):
            continue
        dirs, files = storage.listdir(folder)
        pending.extend(f"{folder}/{d}" for d in dirs)
        for name in files:
            path = f"{folder}/{name}"
            if storage.get_modified_time(path) < before:
                swept += 1
                if not dry_run:
                    storage.delete(path)
    return swept
