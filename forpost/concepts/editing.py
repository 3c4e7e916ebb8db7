"""Central staff change the concept in the app: check a text, show it against the version in
force, and preview last year's scorecard under it. Nothing here writes (services.py adopts).

    check_text(text, valid_from=...)      -> Checked: the version, or the problems at their lines
    diff_rows(old, new)                    -> the changed lines with context, for an HTML table
    preview(version, centres=..., year=...) -> last year's verdicts under the new text and now
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from django.utils import formats
from django.utils.translation import gettext as _

from .definitions import ConceptVersion, Requirement, Scope
from .evaluation import IndicatorCache, Outcome, evaluate_per_centre
from .loader import Entry, entry_in_force, first_alias, parse_text, timeline

NAME = "<string>"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalised(text: str) -> str:
    """The text as stored: Unix line ends (a browser's textarea sends CRLF), one final newline."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip() + "\n"


@dataclass(frozen=True)
class Problem:
    """One problem of a text: where (a line, a path in the schema's words) and what."""

    line: int | None
    path: str
    message: str
    # The lines around it, as (number, text, is the line), for showing the place.
    excerpt: tuple[tuple[int, str, bool], ...] = ()


@dataclass
class Checked:
    text: str
    version: ConceptVersion | None = None
    problems: list[Problem] = field(default_factory=list)
    # The text in force on the day the new one would take over, which it replaces.
    replaces: Entry | None = None
    # Problems of the date the text is adopted from (shown at the date field).
    date_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.version is not None and not self.problems and not self.date_problems

    @property
    def sha256(self) -> str:
        return sha256(self.text)


# --- Where a schema path is in the text ---------------------------------------------------

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    return [int(index) if index else key for key, index in _PART.findall(path)]


def line_of(root: yaml.Node | None, path: str) -> int | None:
    """The line (from 1) of `path` ("requirements[3].measure.indicator.threshold") in the
    composed YAML: of the key when the path ends at a key (so an unknown or wrong field points
    at its own line), of the nearest enclosing node when the path is not in the text (a
    required field that is missing points at the mapping that lacks it)."""
    if root is None:
        return None
    node: yaml.Node = root
    line = node.start_mark.line + 1
    for part in _parts(path if path != "(top)" else ""):
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pair = next((p for p in node.value if isinstance(p[0], yaml.ScalarNode) and p[0].value == part), None)
            if pair is None:
                return line
            line = pair[0].start_mark.line + 1
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _excerpt(lines: list[str], line: int | None) -> tuple[tuple[int, str, bool], ...]:
    if line is None:
        return ()
    first, last = max(1, line - 1), min(len(lines), line + 1)
    return tuple((n, lines[n - 1], n == line) for n in range(first, last + 1))


def _problem(lines: list[str], root: yaml.Node | None, path: str, message: str, line: int | None = None) -> Problem:
    found = line if line is not None else line_of(root, path)
    return Problem(found, path, message, _excerpt(lines, found))


def _schema_problem(lines: list[str], root: yaml.Node | None, error: str) -> Problem:
    """The schema's "<file>: path: message" at its line."""
    rest = error.removeprefix(f"{NAME}: ")
    path, _sep, message = rest.partition(": ")
    return _problem(lines, root, path, message)


# --- Checking a text ------------------------------------------------------------------------


def _day(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def check_text(text: str, *, valid_from: date | None) -> Checked:
    """Whether `text` may be adopted from `valid_from`: the schema every file passes, and the
    rules across versions (an id, its first day and its requirements belong to one version;
    a new version starts on the day it is adopted from; a closed year keeps its reading)."""
    text = normalised(text)
    checked = Checked(text=text)
    lines = text.split("\n")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or exc)
        checked.problems.append(
            _problem(lines, None, "", _("is not valid YAML: %(problem)s") % {"problem": problem}, line)
        )
        return checked
    alias = first_alias(text)
    if alias is not None:
        # Refused before the schema walks it: nested aliases can expand to billions of values.
        checked.problems.append(
            _problem(
                lines,
                None,
                "",
                _("uses an alias (*%(name)s): write the value out; a concept file has no aliases") % {"name": alias[1]},
                alias[0],
            )
        )
        return checked
    version, errors = parse_text(text, NAME)
    if errors:
        checked.problems = [_schema_problem(lines, root, e) for e in errors]
        return checked
    assert version is not None
    if valid_from is None:
        return checked
    entries = timeline()
    first_of: dict[str, Entry] = {}
    for entry in entries:
        first_of.setdefault(entry.version.id, entry)
    checked.replaces = entry_in_force(valid_from)
    if version.id in first_of:
        begins = first_of[version.id].version.in_force_from
        if version.in_force_from != begins:
            checked.problems.append(
                _problem(
                    lines,
                    root,
                    "in_force_from",
                    _("must stay %(day)s for %(id)s; a new concept version needs a new id")
                    % {"day": begins.isoformat(), "id": version.id},
                )
            )
        elif valid_from < begins:
            checked.date_problems.append(
                _("%(id)s is in force from %(day)s: its reading cannot change before.")
                % {"id": version.id, "day": _day(begins)}
            )
        elif checked.replaces is not None and checked.replaces.version.id != version.id:
            checked.date_problems.append(
                _("On %(day)s %(other)s is in force, not %(id)s: change that version instead.")
                % {"day": _day(valid_from), "other": checked.replaces.version.id, "id": version.id}
            )
    else:
        if version.in_force_from != valid_from:
            checked.problems.append(
                _problem(
                    lines,
                    root,
                    "in_force_from",
                    _("a new concept version comes into force on the day it is adopted from (%(day)s)")
                    % {"day": valid_from.isoformat()},
                )
            )
        same_day = next((e for e in entries if e.version.in_force_from == version.in_force_from), None)
        if same_day is not None:
            checked.problems.append(
                _problem(lines, root, "in_force_from", _("same day as %(id)s") % {"id": same_day.version.id})
            )
        owner = {r.id: e.version.id for e in entries for r in e.version.requirements}
        for i, requirement in enumerate(version.requirements):
            if requirement.id in owner:
                checked.problems.append(
                    _problem(
                        lines,
                        root,
                        f"requirements[{i}].id",
                        _("%(requirement)s belongs to %(id)s; a new version gives its requirements new ids")
                        % {"requirement": requirement.id, "id": owner[requirement.id]},
                    )
                )
    from forpost.centres.closing import is_closed

    if is_closed(valid_from.year):
        checked.date_problems.append(
            _("%(year)s is closed: its status keeps the reading it was closed with.") % {"year": valid_from.year}
        )
    replaces = checked.replaces
    if (
        replaces is not None
        and replaces.version.id == version.id
        and sha256(normalised(replaces.text)) == checked.sha256
    ):
        checked.problems.append(Problem(None, "", _("the text is the same as the one in force on that day")))
    if not checked.problems and not checked.date_problems:
        checked.version = version
    return checked


# --- The diff ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "removed", "added", or "gap" (unchanged lines left out)
    old: int | None
    new: int | None
    text: str


def diff_rows(old: str, new: str, *, context: int = 3) -> list[DiffRow]:
    """The changed lines of `new` against `old`, each with `context` lines around it, as one
    column (readable on a phone, unlike side by side); empty when nothing changed."""
    a, b = normalised(old).split("\n"), normalised(new).split("\n")
    rows: list[DiffRow] = []
    for n, group in enumerate(difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context)):
        if n or group[0][1] > 0:
            rows.append(DiffRow("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffRow("same", i + 1, j1 + k + 1, a[i]) for k, i in enumerate(range(i1, i2))]
                continue
            rows += [DiffRow("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            rows += [DiffRow("added", None, j + 1, b[j]) for j in range(j1, j2)]
    if rows and rows[-1].kind != "gap" and (rows[-1].old or 0) < len(a):
        rows.append(DiffRow("gap", None, None, ""))
    return rows


# --- The preview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    requirement: Requirement
    before: Requirement | None
    now: str  # the verdicts as they read today, "8 met, 2 partly met"
    new: str  # the verdicts under the new text
    changed: bool


@dataclass(frozen=True)
class CentreChange:
    centre: str
    requirement: Requirement
    now: str
    new: str


@dataclass(frozen=True)
class Preview:
    year: int
    rows: list[PreviewRow]
    changes: list[CentreChange]
    centres: int

    @property
    def changed_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.changed]


def _tally(evaluations: Iterable[Any]) -> str:
    counts: dict[Outcome, int] = {}
    for each in evaluations:
        counts[each.outcome] = counts.get(each.outcome, 0) + 1
    return ", ".join(f"{counts[o]} {o.label}" for o in Outcome if counts.get(o))


def preview(version: ConceptVersion, *, centres: list[Any], year: int, attestations: dict[Any, Any]) -> Preview:
    """Last year's scorecard of `centres` under `version`, beside the verdicts as they read
    now (the version in force for that year): what the change would have made of it."""
    from .loader import concept_for_year

    current = concept_for_year(year)
    ids = [c.pk for c in centres]
    names = {c.pk: c.name for c in centres}
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    cache = IndicatorCache(evidence=False)
    rows, changes = [], []
    for requirement in version.requirements:
        if requirement.scope != Scope.CENTRE:
            continue
        attested = {pk: attestations.get((pk, requirement.id)) for pk in ids}
        new = evaluate_per_centre(requirement, centre_ids=ids, start=start, end=end, attestations=attested, cache=cache)
        before = current.requirement(requirement.id) if current else None
        old = (
            evaluate_per_centre(before, centre_ids=ids, start=start, end=end, attestations=attested, cache=cache)
            if before is not None
            else {}
        )
        reading_changed = before is None or (before.measure, before.strength) != (
            requirement.measure,
            requirement.strength,
        )
        verdicts_changed = any(old.get(pk) is None or old[pk].outcome != new[pk].outcome for pk in ids)
        rows.append(
            PreviewRow(
                requirement=requirement,
                before=before,
                now=_tally(old.values()) if old else "–",
                new=_tally(new.values()),
                changed=reading_changed or verdicts_changed,
            )
        )
        for pk in ids:
            if pk in old and old[pk].outcome != new[pk].outcome:
                changes.append(
                    CentreChange(names[pk], requirement, str(old[pk].outcome.label), str(new[pk].outcome.label))
                )
    changes.sort(key=lambda c: (c.centre, c.requirement.id))
    return Preview(year=year, rows=rows, changes=changes, centres=len(ids))
