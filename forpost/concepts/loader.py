"""Loading the concept files in data/: once per process, validated, as frozen versions.

    load_concepts()               every version, oldest first
    concept_in_force(day)         the version in force on a day (None before the first)
    concept_for_year(year)        the version a year is measured against
    get_concept(version_id)       one version by id (None if unknown)

A new concept is a new file in data/, not new code.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from .definitions import ConceptVersion
from .schema import build, validate

DATA_DIR = Path(__file__).resolve().parent / "data"


class ConceptFileError(Exception):
    """One or more concept files break the schema; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def read_file(path: Path) -> tuple[ConceptVersion | None, list[str]]:
    """One file: the version it defines, or None with the list of problems."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{name}: cannot be read: {exc}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        return None, [f"{name}: {where}: is not valid YAML: {getattr(exc, 'problem', exc)}"]
    errors = validate(data, name)
    if errors:
        return None, errors
    return build(data), []


def check_directory(directory: Path = DATA_DIR) -> tuple[list[ConceptVersion], list[str]]:
    """Every version in `directory` and every problem (in files and across them)."""
    versions: list[ConceptVersion] = []
    errors: list[str] = []
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        errors.append(f"{directory}: no concept files (*.yaml) found")
    for path in paths:
        version, problems = read_file(path)
        errors += problems
        if version is not None:
            versions.append(version)
    versions.sort(key=lambda v: v.in_force_from)
    for earlier, later in itertools.pairwise(versions):
        if earlier.in_force_from == later.in_force_from:
            errors.append(f"{later.id}.yaml: in_force_from: same day as {earlier.id}")
    requirement_owner: dict[str, str] = {}
    for version in versions:
        for req in version.requirements:
            if req.id in requirement_owner:
                errors.append(f"{version.id}.yaml: requirement {req.id} is also in {requirement_owner[req.id]}")
            requirement_owner[req.id] = version.id
    # Each version ends the day before the next one begins.
    chained = [
        dataclasses.replace(v, in_force_to=(versions[i + 1].in_force_from - timedelta(days=1)))
        if i + 1 < len(versions)
        else v
        for i, v in enumerate(versions)
    ]
    return chained, errors


@lru_cache(maxsize=4)
def _load(directory: Path) -> tuple[ConceptVersion, ...]:
    versions, errors = check_directory(directory)
    if errors:
        raise ConceptFileError(errors)
    return tuple(versions)


def load_concepts(directory: Path = DATA_DIR) -> tuple[ConceptVersion, ...]:
    return _load(directory)


def clear_cache() -> None:
    _load.cache_clear()


def get_concept(version_id: str) -> ConceptVersion | None:
    return next((v for v in load_concepts() if v.id == version_id), None)


def concept_in_force(on: date) -> ConceptVersion | None:
    found = None
    for version in load_concepts():
        if version.in_force_from <= on:
            found = version
    return found


def concept_for_year(year: int) -> ConceptVersion | None:
    """The version a year is measured against: the one in force on its last day.

    (A version that comes into force during a year governs that year's status; 2006's
    concept, adopted on 14 September, is the measure for 2006.)
    """
    return concept_in_force(date(year, 12, 31))
