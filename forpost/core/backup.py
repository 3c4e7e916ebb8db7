"""Backup and restore: one archive holds the database, the generated files and a manifest.

The archive (a gzipped tar) holds:
- `database.sqlite3`, written through SQLite's online backup API (consistent while the app
  runs), or `database.dump`, PostgreSQL's `pg_dump --format=custom`;
- `media/…`, every file under MEDIA_ROOT;
- `manifest.json`: when and from which engine, the row count of every table and the SHA-256
  of every other member.

`restore` checks every checksum before it touches anything, refuses a database that already
holds data (it restores into an empty, e.g. freshly migrated, database), restores, and then
checks every table's count against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
MANIFEST = "manifest.json"
# Restoring over these would mix two installations: the target must have none of them.
MUST_BE_EMPTY = ("accounts.User", "centres.Centre", "registrations.Inquiry")


class BackupError(Exception):
    """The archive is damaged, does not match its manifest, or cannot go where it was asked."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    tables: int
    rows: int
    files: int


def table_counts() -> dict[str, int]:
    """Rows in every table Django knows (models, many-to-many tables, third-party apps)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or (not model._meta.managed and not model._meta.auto_created):
            continue
        counts[model._meta.db_table] = model._base_manager.using(connection.alias).count()
    return dict(sorted(counts.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore's connection arguments, the password in the environment only."""
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return [*args, "--dbname", db["NAME"]], env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _dump_database(folder: Path) -> Path:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_MEMBER
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target
    if connection.vendor == "postgresql":
        target = folder / POSTGRES_MEMBER
        args, env = _database_env()
        subprocess.run(  # noqa: S603 - fixed program, arguments from the settings
            [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args],
            check=True,
            env=env,
            capture_output=True,
        )
        return target
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def backup(path: Path) -> Outcome:
    """Write one archive at `path` (created atomically: a partial archive is never left there)."""
    path = Path(path)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="forpost-backup-") as tmp:
        folder = Path(tmp)
        counts = table_counts()
        dump = _dump_database(folder)
        members = {dump.name: _sha256(dump)}
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        for file in media_files:
            members[f"media/{file.relative_to(media).as_posix()}"] = _sha256(file)
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "tables": counts,
            "files": members,
        }
        partial = path.with_name(path.name + ".partial")
        path.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for file in media_files:
                archive.add(file, arcname=f"media/{file.relative_to(media).as_posix()}")
        partial.replace(path)
    return Outcome(path, len(counts), sum(counts.values()), len(media_files))


def read_manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError("The archive has no manifest.")
        manifest: dict[str, Any] = json.loads(member.read())
    return manifest


def _is_empty() -> bool:
    """No users, centres or inquiries; a database without Forpost's tables is empty too."""
    try:
        return not any(apps.get_model(label)._base_manager.exists() for label in MUST_BE_EMPTY)
    except DatabaseError:
        return connection.vendor == "postgresql" and not connection.introspection.table_names()


def restore(path: Path) -> Outcome:
    """Restore an archive into this (empty) database and MEDIA_ROOT, then check the counts."""
    path = Path(path)
    try:
        manifest = read_manifest(path)
    except (OSError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise BackupError(f"Cannot read {path}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"The archive holds a {manifest['engine']} database; this one is {connection.vendor}.")
    if not _is_empty():
        raise BackupError("The database already holds data. Restore into an empty database.")
    with tempfile.TemporaryDirectory(prefix="forpost-restore-") as tmp:
        folder = Path(tmp)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(folder, filter="data")
        for name, expected in manifest["files"].items():
            member = folder / name
            if not member.is_file() or _sha256(member) != expected:
                raise BackupError(f"{name} does not match the manifest: the archive is damaged.")
        _load_database(folder, manifest["engine"])
        media = Path(settings.MEDIA_ROOT)
        files = [name for name in manifest["files"] if name.startswith("media/")]
        for name in files:
            target = media / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / name, target)
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Restored, but these tables differ from the manifest (expected, found): {wrong}")
    return Outcome(path, len(counts), sum(counts.values()), len(files))


def _load_database(folder: Path, engine: str) -> None:
    if engine == "sqlite":
        source = sqlite3.connect(folder / SQLITE_MEMBER)
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    args, env = _database_env()
    connection.close()  # pg_restore drops and recreates the tables this connection may hold
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from the settings
        [
            _program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
        ],
        input=(folder / POSTGRES_MEMBER).read_bytes(),
        env=env,
        capture_output=True,
        check=False,
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.decode(errors='replace')[:2000]}")
