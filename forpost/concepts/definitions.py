"""A concept version as frozen data: what the files in data/ become once validated.

See SCHEMA.md for the file format. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The concept file's texts (labels, notes, titles) are given per language, {da: …, en: …}, and
# chosen and marked like translated model data (forpost.core.translated).
from forpost.core.translated import TextPerLanguage


@dataclass(frozen=True)
class Area:
    """One of the nine areas (rows) of the 2010 table "Det fælles indhold i Familierådgivningerne"."""

    id: str
    label: Promise
    # The row's heading exactly as the paper writes it (a test compares it with the paper).
    paper_heading: str

    def __str__(self) -> str:
        return str(self.label)


AREAS: tuple[Area, ...] = (
    Area("target_group", _("Target group"), "Målgruppe"),
    Area("services", _("Services"), "Ydelser"),
    Area("method", _("Method"), "Metodisk tilgang"),
    Area("local_professionals", _("Local collaboration with professionals"), "Samarbejde lokalt - professionelle"),
    Area("local_volunteers", _("Local collaboration with volunteers"), "Samarbejde lokalt - frivillige"),
    Area("family_unit", _("Collaboration with the family unit"), "Samarbejde med Børnefamilieenheden"),
    Area(
        "across_city",
        _("Collaboration across the city"),
        "Samarbejde mellem Familierådgivningerne på tværs af byen",
    ),
    Area("resources", _("Resources"), "Ressourcer"),
    Area("documentation", _("Documentation"), "Dokumentation"),
)
AREAS_BY_ID: Mapping[str, Area] = {a.id: a for a in AREAS}


class Strength(StrEnum):
    """How binding the paper's words are: "skal" (shall), "bør" (should), "kan" (may)."""

    SHALL = "shall"
    SHOULD = "should"
    MAY = "may"

    @property
    def label(self) -> Promise:
        return {
            Strength.SHALL: _("shall"),
            Strength.SHOULD: _("should"),
            Strength.MAY: _("may (not binding)"),
        }[self]


class Scope(StrEnum):
    """Whether the duty is measured for each centre or once for the whole city."""

    CENTRE = "centre"
    CITY = "city"


class Responsible(StrEnum):
    """Who owns a duty: who does it, whom the year wheel names and whom its reminders reach."""

    CENTRE = "centre"  # the centre's coordinator(s)
    CENTRAL_STAFF = "central_staff"  # BFCK Stab
    MANAGEMENT = "management"  # the area manager

    @property
    def label(self) -> Promise:
        return {
            Responsible.CENTRE: _("the centre's coordinator"),
            Responsible.CENTRAL_STAFF: _("central staff (BFCK Stab)"),
            Responsible.MANAGEMENT: _("the area manager"),
        }[self]

    @property
    def role(self) -> str:
        """The membership role (forpost.accounts.models.Role) whose users own the duty."""
        return {
            Responsible.CENTRE: "coordinator",
            Responsible.CENTRAL_STAFF: "central_staff",
            Responsible.MANAGEMENT: "management",
        }[self]


class DueKind(StrEnum):
    MONTHS = "months"
    CONTINUOUS = "continuous"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Due:
    """When in the year a duty falls due.

    MONTHS: by the end of each listed month (one month for a yearly duty; four for a duty
    that comes four times a year, whose threshold is then due in equal steps).
    CONTINUOUS / WEEKLY: the duty holds all year (weekly: in every week) and is judged at the
    end of December.
    """

    kind: DueKind
    months: tuple[int, ...] = ()

    @property
    def deadline_months(self) -> tuple[int, ...]:
        return self.months if self.kind == DueKind.MONTHS else (12,)

    @property
    def label(self) -> str:
        from django.utils.dates import MONTHS

        if self.kind == DueKind.CONTINUOUS:
            return str(_("all year"))
        if self.kind == DueKind.WEEKLY:
            return str(_("every week"))
        return ", ".join(str(MONTHS[m]) for m in self.months)


@dataclass(frozen=True)
class IndicatorMeasure:
    name: str
    params: Mapping[str, Any]
    threshold: float
    comparison: str  # one of COMPARISONS
    # The share of the parts (e.g. weeks) at the threshold that makes "partly met" (the
    # file's reading); None: any value above nothing is partly met.
    partly_met_share: float | None = None

    @property
    def kind(self) -> str:
        return "indicator"

    def met(self, value: float, threshold: float | None = None) -> bool:
        return compare(value, self.comparison, self.threshold if threshold is None else threshold)


@dataclass(frozen=True)
class AttestedMeasure:
    """No number can judge it: the coordinator attests it for the year. `data` names the
    indicators (no threshold) whose values the status shows beside the statement, where
    Forpost holds data that speaks to it."""

    statement: str
    data: tuple[DataRef, ...] = ()

    @property
    def kind(self) -> str:
        return "attested"


Measure = IndicatorMeasure | AttestedMeasure

COMPARISONS = (">=", ">", "<=", "<", "==")


def compare(value: float, comparison: str, threshold: float) -> bool:
    return {
        ">=": value >= threshold,
        ">": value > threshold,
        "<=": value <= threshold,
        "<": value < threshold,
        "==": value == threshold,
    }[comparison]


@dataclass(frozen=True)
class Source:
    """Where in the paper the requirement comes from: a bullet of the 2010 table and/or passages
    of the running text (quoted exactly, so a test can find them in the paper)."""

    table_bullet: str | None
    passages: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.table_bullet and self.passages:
            return str(_("the table and the running text"))
        return str(_("the table") if self.table_bullet else _("the running text"))


@dataclass(frozen=True)
class Requirement:
    id: str
    area: Area
    label: TextPerLanguage
    wording: str
    source: Source
    due: Due
    measure: Measure
    strength: Strength = Strength.SHALL
    scope: Scope = Scope.CENTRE
    responsible: Responsible = Responsible.CENTRE
    note: TextPerLanguage | None = None

    @property
    def is_attested(self) -> bool:
        return isinstance(self.measure, AttestedMeasure)


@dataclass(frozen=True)
class LegalBasis:
    """A law the duty rests on, for a dated period (None: open at that end)."""

    law: str
    sections: str
    valid_from: date | None = None
    valid_to: date | None = None
    note: TextPerLanguage | None = None

    def __str__(self) -> str:
        return f"{self.law} {self.sections}"

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class DataRef:
    """An indicator shown beside an attested statement, with the words that say what it shows."""

    name: str
    params: Mapping[str, Any]
    label: TextPerLanguage


@dataclass(frozen=True)
class EvidenceRef:
    """An indicator named as evidence for a link of the theory of change (no threshold)."""

    name: str
    params: Mapping[str, Any]


class Stage(StrEnum):
    ACTIVITY = "activity"
    OUTPUT = "output"
    MECHANISM = "mechanism"
    OUTCOME = "outcome"

    @property
    def label(self) -> Promise:
        return {
            Stage.ACTIVITY: _("Activities"),
            Stage.OUTPUT: _("Outputs"),
            Stage.MECHANISM: _("Mechanisms"),
            Stage.OUTCOME: _("Outcomes"),
        }[self]


STAGE_ORDER = (Stage.ACTIVITY, Stage.OUTPUT, Stage.MECHANISM, Stage.OUTCOME)


@dataclass(frozen=True)
class Link:
    stage: Stage
    text: TextPerLanguage
    evidence: tuple[EvidenceRef, ...] = ()


@dataclass(frozen=True)
class Chain:
    """One path through the theory of change: activities → outputs → mechanisms → outcomes."""

    id: str
    title: TextPerLanguage
    links: tuple[Link, ...]


@dataclass(frozen=True)
class NonDuty:
    """A passage of the paper that reads like a duty but is not one, and why."""

    passage: str
    reason: TextPerLanguage


@dataclass(frozen=True)
class ConceptVersion:
    id: str
    title: TextPerLanguage
    adopted: date | None
    adopted_by: str
    in_force_from: date
    source_title: str
    source_document: str
    legal_bases: tuple[LegalBasis, ...]
    cited_in_paper: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    theory_of_change: tuple[Chain, ...]
    non_duties: tuple[NonDuty, ...]
    summary: TextPerLanguage | None = None
    # The day before the next version comes into force; set by the loader.
    in_force_to: date | None = None
    # For a text central staff adopted in the app (forpost.concepts.models.ConceptRevision):
    # the day its reading applies from, and the row; None for a shipped file.
    reading_from: date | None = None
    revision: int | None = None

    def __str__(self) -> str:
        return str(self.title)

    def requirement(self, requirement_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)

    def legal_bases_on(self, day: date) -> tuple[LegalBasis, ...]:
        return tuple(b for b in self.legal_bases if b.in_force_on(day))

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)

    def by_area(self) -> list[tuple[Area, list[Requirement]]]:
        return [(area, [r for r in self.requirements if r.area == area]) for area in AREAS]
