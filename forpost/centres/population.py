"""Import of district population figures from CSV (format in docs/population.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from forpost.accounts import audit
from forpost.accounts.models import AuditAction

from .models import AgeBand, District, Municipality, Origin, PopulationFigure, Sex

COLUMNS = ["year", "district", "age_band", "sex", "origin", "count"]


class PopulationImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _rows(lines: Iterable[str]) -> Iterable[tuple[int, dict[str, str]]]:
    # Lines starting with '#' are comments (the sample file says so in its first line).
    content = [line for line in lines if not line.lstrip().startswith("#")]
    dialect = csv.Sniffer().sniff(content[0], delimiters=";,") if content else csv.excel
    reader = csv.DictReader(content, dialect=dialect)
    missing = set(COLUMNS) - set(reader.fieldnames or [])
    if missing:
        raise PopulationImportError([_("Missing columns: %(cols)s") % {"cols": ", ".join(sorted(missing))}])
    for number, row in enumerate(reader, start=2):
        yield number, {k: (v or "").strip() for k, v in row.items() if k}


@transaction.atomic
def import_population(
    *, actor: Any, lines: Iterable[str], municipality: Municipality, is_sample: bool = False
) -> ImportResult:
    """All rows or none: any bad row aborts the import with every error listed."""
    districts = {d.name.lower(): d for d in District.objects.filter(municipality=municipality)}
    districts.update({d.slug: d for d in districts.values()})
    errors: list[str] = []
    parsed: list[PopulationFigure] = []
    for number, row in _rows(lines):
        district = districts.get(row["district"].lower())
        problems = []
        if district is None:
            problems.append(_("unknown district %(d)r") % {"d": row["district"]})
        if row["age_band"] not in AgeBand.values:
            problems.append(_("unknown age band %(v)r") % {"v": row["age_band"]})
        if row["sex"] not in Sex.values:
            problems.append(_("unknown sex %(v)r") % {"v": row["sex"]})
        if row["origin"] not in Origin.values:
            problems.append(_("unknown origin %(v)r") % {"v": row["origin"]})
        if not row["year"].isdigit() or not 1900 <= int(row["year"]) <= 2200:
            problems.append(_("bad year %(v)r") % {"v": row["year"]})
        if not row["count"].isdigit():
            problems.append(_("count must be a whole number, not %(v)r") % {"v": row["count"]})
        if problems:
            errors.append(_("Line %(n)d: %(p)s") % {"n": number, "p": "; ".join(problems)})
            continue
        assert district is not None
        parsed.append(
            PopulationFigure(
                year=int(row["year"]),
                district=district,
                age_band=row["age_band"],
                sex=row["sex"],
                origin=row["origin"],
                count=int(row["count"]),
                is_sample=is_sample,
            )
        )
    if errors:
        raise PopulationImportError(errors)
    created = updated = 0
    for figure in parsed:
        _obj, was_created = PopulationFigure.objects.update_or_create(
            year=figure.year,
            district=figure.district,
            age_band=figure.age_band,
            sex=figure.sex,
            origin=figure.origin,
            defaults={"count": figure.count, "is_sample": figure.is_sample},
        )
        created += was_created
        updated += not was_created
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="centres.populationfigure",
        changes={"created": created, "updated": updated, "sample": is_sample},
    )
    return ImportResult(created=created, updated=updated)
