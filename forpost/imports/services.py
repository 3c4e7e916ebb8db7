"""Upload → column mapping → dry run → an all-or-nothing, idempotent import."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction
from forpost.centres.closing import ensure_open
from forpost.centres.models import Centre
from forpost.core.anonymity import CONFIRM_FIELD
from forpost.core.files import delete_stored
from forpost.registrations import services as registrations
from forpost.registrations.row_form import Lookups, bound_form

from .models import ColumnMapping, ImportedRow, ImportFile, ImportStatus
from .reading import FIELDS, Table, guess_columns, read_table

Progress = Callable[[int, int], None]


@transaction.atomic
def upload_file(*, actor: Any, centre: Centre, upload: UploadedFile) -> ImportFile:
    """Keep the uploaded file under MEDIA_ROOT (several app servers: not in memory)."""
    name = (upload.name or "import").rsplit("/", 1)[-1][:200]
    import_file = ImportFile(centre=centre, uploaded_by=actor, filename=name)
    import_file.file.save(name, upload, save=False)
    import_file.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=import_file, changes={"file": name})
    return import_file


def read(import_file: ImportFile) -> Table:
    with import_file.file.open("rb") as stream:
        return read_table(import_file.filename, stream)


def suggested_columns(import_file: ImportFile, headers: list[str]) -> dict[str, str]:
    """The file's own mapping, else the centre's last one, else guesses from the headers."""
    if import_file.columns:
        return dict(import_file.columns)
    remembered = ColumnMapping.objects.filter(centre=import_file.centre).first()
    guessed = guess_columns(headers)
    if remembered:
        known = {h: f for h, f in remembered.columns.items() if h in headers and f in FIELDS}
        return {**guessed, **known}
    return guessed


@transaction.atomic
def save_columns(*, actor: Any, import_file: ImportFile, columns: dict[str, str]) -> ImportFile:
    columns = {h: f for h, f in columns.items() if f in FIELDS}
    import_file.columns = columns
    import_file.status = ImportStatus.UPLOADED
    import_file.check_result, import_file.check_job = {}, None
    import_file.save(update_fields=["columns", "status", "check_result", "check_job"])
    mapping, _created = ColumnMapping.objects.get_or_create(centre=import_file.centre)
    mapping.columns = {**mapping.columns, **columns}
    mapping.updated_at = timezone.now()
    mapping.save()
    return import_file


@dataclass
class Outcome:
    rows: int = 0
    new: int = 0
    already: int = 0
    imported: int = 0
    bad: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad

    def as_dict(self, *, limit: int = 500) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "new": self.new,
            "already": self.already,
            "bad": [[n, reasons] for n, reasons in self.bad[:limit]],
            "bad_count": len(self.bad),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            rows=data.get("rows", 0),
            new=data.get("new", 0),
            already=data.get("already", 0),
            bad=[(n, list(reasons)) for n, reasons in data.get("bad", [])],
        )


def _values(table: Table, row: list[Any], columns: dict[str, str]) -> dict[str, Any]:
    index = {h: i for i, h in enumerate(table.headers)}
    return {f: row[index[h]] for h, f in columns.items() if h in index}


def fingerprint(centre: Centre, values: dict[str, Any], occurrence: int) -> str:
    """Stable per row: the centre, the mapped values, and which copy of an identical row it is."""
    plain = {k: "" if v is None else str(v).strip() for k, v in sorted(values.items())}
    data = json.dumps([centre.pk, plain, occurrence], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _rows(import_file: ImportFile) -> Iterator[tuple[int, dict[str, Any], str]]:
    table = read(import_file)
    seen: Counter[str] = Counter()
    for n, row in enumerate(table.rows, start=2):  # row 1 holds the headings
        values = _values(table, row, import_file.columns)
        base = fingerprint(import_file.centre, values, 0)
        seen[base] += 1
        yield n, values, fingerprint(import_file.centre, values, seen[base] - 1)


def _reasons(form: Any) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            out.append(f"{label}: {error}" if label else str(error))
    return out


def _process(*, actor: Any, import_file: ImportFile, write: bool, progress: Progress | None) -> Outcome:
    centre = import_file.centre
    lookups = Lookups([centre.municipality_id])
    centres = Centre.objects.filter(pk=centre.pk)
    done = set(ImportedRow.objects.filter(centre=centre).values_list("fingerprint", flat=True))
    outcome = Outcome()
    rows = list(_rows(import_file))
    for i, (n, values, print_) in enumerate(rows, start=1):
        outcome.rows += 1
        if progress is not None and i % 100 == 0:
            progress(i, len(rows))
        if print_ in done:
            outcome.already += 1
            continue
        # A likely name or address in an old note is counted, not refused: the soft warning
        # has no one to ask row by row (CPR numbers, e-mails and phone numbers are refused).
        values = {**values, "centre": centre.pk, CONFIRM_FIELD: True}
        form = bound_form(values, centres=centres, lookups=lookups)
        if form.errors:
            outcome.bad.append((n, _reasons(form)))
            continue
        try:
            # The dry run already tells a row dated in a closed year, which the import would refuse.
            ensure_open(day=form.service_kwargs().get("date"), centre=centre)
        except ValidationError as exc:
            outcome.bad.append((n, [str(m) for m in exc.messages]))
            continue
        outcome.new += 1
        if write and not outcome.bad:
            try:
                inquiry = registrations.register_inquiry(actor=actor, centre=centre, **form.service_kwargs())
            except ValidationError as exc:
                outcome.bad.append((n, [str(m) for m in exc.messages]))
                continue
            ImportedRow.objects.create(
                centre=centre, fingerprint=print_, import_file=import_file, inquiry=inquiry, row_number=n
            )
            done.add(print_)
            outcome.imported += 1
    return outcome


def count_rows(import_file: ImportFile) -> int:
    return len(read(import_file).rows)


def check(*, actor: Any, import_file: ImportFile, progress: Progress | None = None) -> Outcome:
    """The dry run: every row validated with the desk form's rules; nothing is saved."""
    outcome = _process(actor=actor, import_file=import_file, write=False, progress=progress)
    ImportFile.objects.filter(pk=import_file.pk).update(
        status=ImportStatus.CHECKED, rows=outcome.rows, check_result=outcome.as_dict()
    )
    return outcome


class ImportRefused(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(_("The file has rows with errors; nothing was imported."))
        self.outcome = outcome


@transaction.atomic
def import_inquiries(*, actor: Any, import_file: ImportFile, progress: Progress | None = None) -> Outcome:
    """All rows or none, in one transaction (a killed process leaves nothing behind);
    rows imported before (same fingerprint) are skipped, so a second import adds nothing."""
    locked = ImportFile.objects.select_for_update().get(pk=import_file.pk)
    outcome = _process(actor=actor, import_file=locked, write=True, progress=progress)
    if outcome.bad:
        raise ImportRefused(outcome)
    locked.status = ImportStatus.IMPORTED
    locked.rows = outcome.rows
    locked.imported = (locked.imported or 0) + outcome.imported
    locked.imported_at = timezone.now()
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=locked,
        changes={"rows": outcome.rows, "imported": outcome.imported, "already_imported": outcome.already},
    )
    return outcome


def purge_old_uploads(*, actor: Any, before: datetime, notes_before: date, dry_run: bool = False) -> int:
    """Delete uploads (row and file) made before `before`, and at once any that brought in a
    registration dated before `notes_before`: its notes are being erased, so the file's must go."""
    old = Q(created_at__lt=before) | Q(
        pk__in=ImportedRow.objects.filter(inquiry__date__lt=notes_before).values("import_file")
    )
    uploads = ImportFile.objects.filter(old)
    if dry_run:
        return uploads.count()
    deleted = 0
    for upload in uploads.iterator():
        with transaction.atomic():
            name = upload.file.name
            upload.delete()
            transaction.on_commit(lambda name=name: delete_stored(ImportFile.file.field.storage, name))  # type: ignore[misc]
        deleted += 1
    if deleted:
        audit.record(
            actor=actor,
            action=AuditAction.ERASE,
            object_type="imports.importfile",
            changes={"uploads": deleted, "before": before, "notes_before": notes_before},
        )
    return deleted
