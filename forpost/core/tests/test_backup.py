"""The restore drill: back up the demo, wipe, restore, and find everything as it was."""

import hashlib
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from forpost.accounts.models import AuditEntry
from forpost.centres.testing import restore_migration_data
from forpost.core import backup


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "jobs" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "jobs" / "2026" / "aarsstatus.pdf").write_bytes(b"%PDF-1.7 a status")
    (settings.MEDIA_ROOT / "imports").mkdir()
    (settings.MEDIA_ROOT / "imports" / "fil.csv").write_text("dato;kanal\n2026-03-01;walk_in\n")
    return settings.MEDIA_ROOT


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _audit() -> list[tuple]:
    return list(AuditEntry.objects.order_by("pk").values_list("pk", "action", "object_type", "object_id", "changes"))


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_after_a_wipe_with_every_table_the_audit_and_the_files(media, tmp_path):
    restore_migration_data()
    call_command("demo", "--if-empty", verbosity=0)
    counts = backup.table_counts()
    audit = _audit()
    files = _files(media)
    assert counts["registrations_inquiry"] > 100 and audit

    archive = tmp_path / "forpost.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and "media/jobs/2026/aarsstatus.pdf" in names
    assert backup.read_manifest(archive)["tables"] == counts

    call_command("flush", "--no-input", verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert backup.table_counts()["registrations_inquiry"] == 0

    call_command("restore", str(archive))
    assert backup.table_counts() == counts
    assert _audit() == audit
    assert _files(media) == files


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_holds_data(media, tmp_path):
    from forpost.centres.testing import make_cast

    archive = tmp_path / "forpost.tar.gz"
    call_command("backup", str(archive))
    make_cast()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_touched(media, tmp_path):
    archive = tmp_path / "forpost.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "media/imports/fil.csv":
                content = b"dato;kanal\n2026-03-01;phone\n"
                member.size = len(content)
                import io

                data = io.BytesIO(content)
            target.addfile(member, data)
    (media / "imports" / "fil.csv").unlink()
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(damaged))
    assert not (media / "imports" / "fil.csv").exists()
