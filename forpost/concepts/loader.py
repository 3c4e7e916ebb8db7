"""Loading the concept versions: the files shipped in data/, and the texts central staff adopted
in the app (ConceptRevision rows), validated, as frozen versions.

    load_concepts()               every version, oldest first (each as it reads today)
    concept_in_force(day)         the version in force on a day (None before the first)
    concept_for_year(year)        the version a year is measured against
    get_concept(version_id)       one version by id (None if unknown)
    timeline()                    every text in force from some day, files and stored, in order

A new concept is a new file in data/, or a text adopted in the app; not new code. The files
stay the shipped defaults: a stored text in force on a day wins over them.

No process keeps state that can go stale: several app servers share one database. The files
never change while a process runs, so they are read once. The stored texts are listed once per
request (or job) by their SHA-256, and a text is parsed once per process for its SHA-256: a
cache keyed by the content cannot hold an old reading.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db import DatabaseError

from .definitions import ConceptVersion
from .schema import build, validate

DATA_DIR = Path(__file__).resolve().parent / "data"

logger = logging.getLogger(__name__)


class ConceptFileError(Exception):
    """One or more concept files break the schema; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def first_alias(text: str) -> tuple[int, str] | None:
    """The line and name of the first alias (`*name`) in `text`, read as events, which never
    expands one."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            return (mark.line + 1 if mark is not None else 0, str(getattr(event, "anchor", "")))
    return None


def parse_text(text: str, name: str) -> tuple[ConceptVersion | None, list[str]]:
    """One concept text: the version it defines, or None with the list of problems.

    Aliases (`&a` … `*a`) are refused before the text is loaded: a few lines of nested aliases
    expand to billions of values when the schema walks them (an "alias bomb"), and a concept
    file never needs one."""
    try:
        alias = first_alias(text)
        if alias is not None:
            return None, [f"{name}: line {alias[0]}: uses an alias (*{alias[1]}): write it out"]
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        return None, [f"{name}: {where}: is not valid YAML: {getattr(exc, 'problem', exc)}"]
    errors = validate(data, name)
    if errors:
        return None, errors
    return build(data), []


def read_file(path: Path) -> tuple[ConceptVersion | None, list[str]]:
    """One file: the version it defines, or None with the list of problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{path.name}: cannot be read: {exc}"]
    return parse_text(text, path.name)


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
    return _chained(versions), errors


def _chained(versions: list[ConceptVersion]) -> list[ConceptVersion]:
    """Each version ends the day before the next one begins."""
    return [
        dataclasses.replace(v, in_force_to=(versions[i + 1].in_force_from - timedelta(days=1)))
        if i + 1 < len(versions)
        else v
        for i, v in enumerate(versions)
    ]


@lru_cache(maxsize=4)
def _shipped(directory: Path) -> tuple[tuple[ConceptVersion, str], ...]:
    """The files: read once per process (they change only with a deploy)."""
    versions, errors = check_directory(directory)
    if errors:
        raise ConceptFileError(errors)
    texts = {v.id: (directory / f"{v.id}.yaml").read_text(encoding="utf-8") for v in versions}
    return tuple((v, texts[v.id]) for v in versions)


# --- The stored texts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One text in force from `start`: a shipped file (revision None) or a stored text."""

    start: date
    version: ConceptVersion
    text: str
    revision: int | None = None
    sha256: str = ""


# (pk, valid_from, sha256) of every stored text, as read in this request or job; None: not read.
_stored_rows: tuple[tuple[int, date, str], ...] | None = None
# Parsed stored texts by SHA-256: the key is the content, so an entry is never stale.
_parsed: dict[str, tuple[ConceptVersion, str] | None] = {}
PARSED_LIMIT = 64


def forget_stored(**_kwargs: Any) -> None:
    """Read the list of stored texts again at the next use: at the start of every request
    and job (connected in apps.py), and after a text is adopted."""
    global _stored_rows
    _stored_rows = None


def _rows() -> tuple[tuple[int, date, str], ...]:
    global _stored_rows
    if _stored_rows is None:
        from .models import ConceptRevision

        try:
            found = tuple(ConceptRevision.objects.order_by("pk").values_list("pk", "valid_from", "sha256"))
        except (DatabaseError, RuntimeError):
            # No table yet (checks before `migrate`), or a test without a database: the files.
            return ()
        _stored_rows = found
    return _stored_rows


def _stored() -> list[Entry]:
    rows = _rows()
    missing = [pk for pk, _day, sha in rows if sha not in _parsed]
    if missing:
        from .models import ConceptRevision

        if len(_parsed) + len(missing) > PARSED_LIMIT:
            _parsed.clear()
        for pk, text, sha in ConceptRevision.objects.filter(pk__in=missing).values_list("pk", "text", "sha256"):
            version, problems = parse_text(text, "<string>")
            if version is None:
                # Validated when adopted; a later schema change may refuse it: say so, use the rest.
                logger.error("Stored concept text %s no longer passes the schema: %s", pk, problems)
                _parsed[sha] = None
            else:
                _parsed[sha] = (version, text)
    entries = []
    for pk, day, sha in rows:
        parsed = _parsed.get(sha)
        if parsed is not None:
            entries.append(Entry(start=day, version=parsed[0], text=parsed[1], revision=pk, sha256=sha))
    return entries


_timelines: dict[Any, list[Entry]] = {}


def timeline(directory: Path = DATA_DIR) -> list[Entry]:
    """The texts in force, as `_timeline` orders them; memoised by the stored rows it is
    made of, so a new stored text (a new row) is a new key."""
    key = (directory, _rows() if directory == DATA_DIR else ())
    if key not in _timelines:
        if len(_timelines) > PARSED_LIMIT:
            _timelines.clear()
        _timelines[key] = _timeline(directory)
    return _timelines[key]


def _timeline(directory: Path) -> list[Entry]:
    """Every text in force from some day, in the order they take over: the files by their
    in_force_from, the stored texts by the day they were adopted from (a stored text wins over
    a file starting the same day, a later one over an earlier). Each version's in_force_to is
    the day before a version with another id takes over."""
    entries = [Entry(start=v.in_force_from, version=v, text=text) for v, text in _shipped(directory)]
    if directory == DATA_DIR:
        entries += _stored()
    entries.sort(key=lambda e: (e.start, e.revision is not None, e.revision or 0))
    chained = []
    for i, entry in enumerate(entries):
        following = next(
            (e for e in entries[i + 1 :] if e.version.id != entry.version.id and e.start > entry.start), None
        )
        end = following.start - timedelta(days=1) if following else None
        version = dataclasses.replace(
            entry.version,
            in_force_to=end,
            reading_from=entry.start if entry.revision is not None else None,
            revision=entry.revision,
        )
        chained.append(dataclasses.replace(entry, version=version))
    return chained


def entry_in_force(on: date, directory: Path = DATA_DIR) -> Entry | None:
    found = None
    for entry in timeline(directory):
        if entry.start <= on:
            found = entry
    return found


def load_concepts(directory: Path = DATA_DIR, *, on: date | None = None) -> tuple[ConceptVersion, ...]:
    """Every version once, oldest first, each as it reads on `on` (default today): the text in
    force for it then, or its first text if none is yet."""
    from django.utils import timezone

    on = on or timezone.localdate()
    chosen: dict[str, ConceptVersion] = {}
    for entry in timeline(directory):
        if entry.version.id not in chosen or entry.start <= on:
            chosen[entry.version.id] = entry.version
    return tuple(sorted(chosen.values(), key=lambda v: v.in_force_from))


def clear_cache() -> None:
    _shipped.cache_clear()
    _parsed.clear()
    _timelines.clear()
    forget_stored()


def get_concept(version_id: str) -> ConceptVersion | None:
    return next((v for v in load_concepts() if v.id == version_id), None)


def concept_in_force(on: date) -> ConceptVersion | None:
    entry = entry_in_force(on)
    return entry.version if entry else None


def text_sha256(version: ConceptVersion) -> str:
    """The SHA-256 of the text `version` was read from: the adopted revision's, or the shipped
    file's. A publication records it, so the exact reading it was judged by can be found again."""
    import hashlib

    for entry in timeline():
        if entry.version.id == version.id and entry.version.revision == version.revision:
            return entry.sha256 or hashlib.sha256(entry.text.encode("utf-8")).hexdigest()
    return ""


def concept_for_year(year: int) -> ConceptVersion | None:
    """The version a year is measured against: the one in force on its last day.

    (A version that comes into force during a year governs that year's status; 2006's
    concept, adopted on 14 September, is the measure for 2006. A reading changed from a day
    in a year governs that year likewise.)
    """
    return concept_in_force(date(year, 12, 31))
