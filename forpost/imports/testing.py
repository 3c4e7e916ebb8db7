"""Factories for imports (tests and the URL walker)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from forpost.centres.models import Centre

from . import services
from .models import ImportFile

HEADER = "Dato;Kanal;Kontaktperson;Temaer;Handlinger;Barn 1 alder;Note"
ROW = "14-01-2025;Telefon;Mor;Skilsmisse og samvær;Engangsrådgivning;3-5;"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def make_import_file(
    centre: Centre, *, actor: Any = None, content: bytes | None = None, name: str = "gammel.csv", mapped: bool = True
) -> ImportFile:
    upload = SimpleUploadedFile(name, content if content is not None else csv_bytes(ROW, ROW))
    import_file = services.upload_file(actor=actor, centre=centre, upload=upload)
    if mapped:
        table = services.read(import_file)
        services.save_columns(
            actor=actor, import_file=import_file, columns=services.suggested_columns(import_file, table.headers)
        )
    return import_file
