"""The concept file schema, enforced: every problem is reported with its file and path.

    familieraadgivning-2010.yaml: requirements[3].measure.indicator.threshold: must be a number

The schema is one pydantic declaration (`ConceptFile` and its parts): it validates, types and
documents the file, with the indicators' own parameter models inside it. `validate(data,
filename)` returns the list of such messages (empty when the file is good); `build(data)` turns
a valid file into a frozen ConceptVersion. SCHEMA.md documents the same rules for people; keep
the two together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from forpost.core.translated import TextPerLanguage

from . import indicators
from .definitions import (
    AREAS_BY_ID,
    COMPARISONS,
    STAGE_ORDER,
    AttestedMeasure,
    Chain,
    ConceptVersion,
    DataRef,
    Due,
    DueKind,
    EvidenceRef,
    IndicatorMeasure,
    LegalBasis,
    Link,
    NonDuty,
    Requirement,
    Responsible,
    Scope,
    Source,
    Stage,
    Strength,
)

SCHEMA_VERSION = 1
VERSION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIREMENT_ID = re.compile(r"^[a-z0-9]+(\.[a-z0-9_]+)+$")
CHAIN_ID = re.compile(r"^[a-z0-9_]+$")


# --- The declaration ------------------------------------------------------------------------
#
# One pydantic model per part of the file: it validates, types and documents the part. A
# check that pydantic's types cannot say raises a PydanticCustomError whose message is the
# schema's own words; `_problems` turns every error into "file: path: message".


def _fail(kind: str, message: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, ctx or None)


def _text(value: str) -> str:
    if not value.strip():
        raise _fail("text", "must be non-empty text")
    return value


def _one_of(choices: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        if value not in choices:
            raise _fail("choice", "must be one of {choices}", choices=", ".join(choices))
        return value

    return AfterValidator(check)


def _matching(pattern: re.Pattern[str], message: str) -> Any:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise _fail("pattern", message)
        return value

    return AfterValidator(check)


Text = Annotated[str, AfterValidator(_text)]


def _non_empty(value: list[Any]) -> list[Any]:
    if not value:
        raise _fail("empty", "must not be empty")
    return value


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class LocalText(_Part):
    """Text in Danish and English: `{da: …, en: …}`."""

    da: Text
    en: Text


class DocumentSource(_Part):
    """The paper and where its text is kept."""

    title: Text
    document: Text


class LegalBasisPart(_Part):
    """A law the version rests on, with the days it applies (inclusive; absent = open)."""

    law: Text
    sections: Text
    valid_from: date | None = None
    valid_to: date | None = None
    note: LocalText | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LegalBasisPart:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise _fail("at", "must not be before valid_from", at="valid_to")
        return self


class RequirementSource(_Part):
    """Where the paper says it: the 2010 table's bullet and/or passages of the running text."""

    table_bullet: Text | None = None
    passages: Annotated[list[Text], AfterValidator(_non_empty)] | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> RequirementSource:
        if not self.table_bullet and not self.passages:
            raise _fail("source", "needs a table_bullet or at least one passage")
        return self


def _due(value: Any) -> Any:
    """A month (1–12), rising months each once, 'continuous' or 'weekly'."""
    if value in ("continuous", "weekly"):
        return value
    months = [value] if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(months, list) or not months:
        raise _fail("due", "must be a month (1–12), a list of months, 'continuous' or 'weekly'")
    for i, month in enumerate(months):
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise _fail("at", "must be a month from 1 to 12", at=f"[{i}]" if isinstance(value, list) else "")
    if months != sorted(set(months)):
        raise _fail("due", "months must be rising, each once")
    return value


def _params_problems(name: str, params: Any) -> list[tuple[str, str]]:
    if not isinstance(params, dict):
        return [("params", "must be a mapping")]
    return [
        (f"params.{key}" if key else "params", problem)
        for key, problem in indicators.BY_NAME[name].check_params(params)
    ]


class IndicatorRef(_Part):
    """A registered indicator (forpost.concepts.indicators.BY_NAME) and its parameters,
    checked against the indicator's own pydantic model."""

    name: str
    params: Any = None

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        if isinstance(data, dict):
            name = data.get("name")
            if not isinstance(name, str) or name not in indicators.BY_NAME:
                raise _fail("at", "{name!r} is not a registered indicator".replace("{name!r}", repr(name)), at="name")
            problems = _params_problems(name, data.get("params", {}))
            if problems:
                raise _fail("several", "the parameters do not fit", problems=problems)
        return data


class Reading(IndicatorRef):
    """How a concept file reads an indicator requirement: the threshold and the comparison,
    and for a measure counted in parts (weeks) the share of them at the threshold that makes
    "delvis opfyldt" (partly met). The indicator's own parameters (e.g. how many weeks a
    year may be excused) are the indicator's pydantic model (forpost.concepts.indicators)."""

    threshold: float = Field(description="The value the requirement is measured against.")
    comparison: Literal[">=", ">", "<=", "<", "=="] = Field(description="How the value meets the threshold.")
    partly_met_share: float | None = Field(
        None,
        gt=0,
        le=1,
        description='The share of the parts (e.g. weeks) at the threshold that makes "partly met"; never none.',
    )

    @model_validator(mode="after")
    def _weekly_needs_partly_met_share(self) -> Reading:
        spec = indicators.BY_NAME.get(self.name)
        if spec is not None and spec.unit == indicators.Unit.HOURS_PER_WEEK and self.partly_met_share is None:
            # A weekly minimum must say what makes "partly met", so that no week at all never is.
            raise _fail("at", "is required for an indicator measured per week", at="partly_met_share")
        return self


class DataRefPart(IndicatorRef):
    """An indicator shown beside an attested statement (no threshold)."""

    label: LocalText


class Attested(_Part):
    """The coordinator attests `statement` for the year; `data` is shown beside it."""

    statement: Text
    data: list[DataRefPart] = []


class Measure(_Part):
    """Exactly one of `indicator` (computed) and `attested`."""

    indicator: Reading | None = None
    attested: Attested | None = None

    @model_validator(mode="before")
    @classmethod
    def _exactly_one(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("indicator" in data) == ("attested" in data):
            raise _fail("measure", "must have exactly one of indicator or attested")
        return data


class RequirementPart(_Part):
    """One requirement of the paper: see SCHEMA.md."""

    id: Annotated[str, _matching(REQUIREMENT_ID, "must be dotted lower-case words, e.g. fr2010.ydelser.aabningstid")]
    area: Annotated[str, _one_of(tuple(AREAS_BY_ID))]
    label: LocalText
    wording: Text
    source: RequirementSource
    due: Annotated[Any, AfterValidator(_due)]
    measure: Measure
    strength: Annotated[str, _one_of(tuple(s.value for s in Strength))] = "shall"
    scope: Annotated[str, _one_of(tuple(s.value for s in Scope))] = "centre"
    responsible: Annotated[str, _one_of(tuple(r.value for r in Responsible))]
    note: LocalText | None = None


class LinkPart(_Part):
    stage: Annotated[str, _one_of(tuple(s.value for s in Stage))]
    text: LocalText
    evidence: list[IndicatorRef] = []


class ChainPart(_Part):
    """One chain of the theory of change, activity → output → mechanism → outcome."""

    id: Annotated[str, _matching(CHAIN_ID, "must be a lower-case word, e.g. visibility")]
    title: LocalText
    links: Annotated[list[LinkPart], AfterValidator(_non_empty)]

    @model_validator(mode="after")
    def _in_order(self) -> ChainPart:
        order = [STAGE_ORDER.index(Stage(link.stage)) for link in self.links]
        if order != sorted(order):
            raise _fail("at", "must run activity → output → mechanism → outcome", at="links")
        return self


class TheoryOfChange(_Part):
    chains: Annotated[list[ChainPart], AfterValidator(_non_empty)]


class NonDutyPart(_Part):
    """A passage that reads like a duty but is not, and why."""

    passage: Text
    reason: LocalText


def _unique(items: list[Any], what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise _fail("at", "{id} is used twice".replace("{id}", item.id), at=f"{what}[{i}].id")
        seen.add(item.id)


class ConceptFile(_Part):
    """A concept version as a file: the whole declaration SCHEMA.md documents."""

    schema_version: Literal[1]
    id: Annotated[
        str, _matching(VERSION_ID, "must be lower-case words joined by hyphens, e.g. familieraadgivning-2010")
    ]
    title: LocalText
    summary: LocalText | None = None
    adopted: date | None = None
    adopted_by: Text | None = None
    in_force_from: date
    source: DocumentSource
    legal_bases: Annotated[list[LegalBasisPart], AfterValidator(_non_empty)]
    cited_in_paper: list[Text]
    requirements: Annotated[list[RequirementPart], AfterValidator(_non_empty)]
    theory_of_change: TheoryOfChange
    non_duties: list[NonDutyPart] = []

    @model_validator(mode="after")
    def _ids_once(self, info: ValidationInfo) -> ConceptFile:
        _unique(self.requirements, "requirements")
        _unique(self.theory_of_change.chains, "theory_of_change.chains")
        filename = str((info.context or {}).get("filename", "<string>")).rsplit("/", 1)[-1]
        if filename not in (f"{self.id}.yaml", f"{self.id}.yml", "<string>"):
            raise _fail("at", "must match the file name ({id}.yaml)".replace("{id}", self.id), at="id")
        return self


def validate(data: Any, filename: str) -> list[str]:
    """Every way `data` (a parsed concept file) breaks the schema; empty when it is valid."""
    try:
        ConceptFile.model_validate(data, context={"filename": filename})
    except ValidationError as error:
        return [f"{filename}: {path or '(top)'}: {message}" for path, message in _problems(error)]
    return []


def _path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _join(path: str, key: str) -> str:
    if not key:
        return path
    if key.startswith("["):
        return path + key
    return f"{path}.{key}" if path else key


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    """Each pydantic error as (path, message) in the words the schema uses."""
    found = []
    for e in error.errors():
        path, kind, ctx = _path(e["loc"]), e["type"], e.get("ctx") or {}
        if kind == "several":
            found += [(_join(path, at), message) for at, message in ctx["problems"]]
        elif kind == "at":
            found.append((_join(path, ctx["at"]), e["msg"]))
        else:
            found.append((path, _message(e)))
    return found


def _message(e: Any) -> str:
    """A pydantic error in the words the rest of the schema uses."""
    kind = e["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be a mapping"
    if kind == "list_type":
        return "must be a list"
    if kind in ("string_type", "string_too_short"):
        return "must be non-empty text"
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return "must be a date (YYYY-MM-DD)"
    if kind in ("float_type", "float_parsing", "int_type"):
        return "must be a number"
    if kind == "literal_error" and e["loc"][-1:] == ("comparison",):
        return f"must be one of {', '.join(COMPARISONS)}"
    if kind == "literal_error" and e["loc"][-1:] == ("schema_version",):
        return f"must be {SCHEMA_VERSION}"
    if kind in ("greater_than", "less_than_equal"):
        return "must be a share above 0 and at most 1"
    return str(e["msg"])


# --- Building the frozen version from a valid file ------------------------------------------


def _lt(value: Mapping[str, str] | None) -> TextPerLanguage | None:
    return TextPerLanguage(value) if value else None


def _params(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in (value or {}).items()}
    return MappingProxyType(frozen)


def _build_due(value: Any) -> Due:
    if value in ("continuous", "weekly"):
        return Due(kind=DueKind(value))
    months = (value,) if isinstance(value, int) else tuple(value)
    return Due(kind=DueKind.MONTHS, months=months)


def build(data: Mapping[str, Any]) -> ConceptVersion:
    """A ConceptVersion from a file that `validate` accepted."""
    requirements = []
    for req in data["requirements"]:
        measure_data = req["measure"]
        measure: IndicatorMeasure | AttestedMeasure
        if "indicator" in measure_data:
            ind = measure_data["indicator"]
            measure = IndicatorMeasure(
                name=ind["name"],
                params=_params(ind.get("params")),
                threshold=float(ind["threshold"]),
                comparison=ind["comparison"],
                partly_met_share=float(ind["partly_met_share"]) if "partly_met_share" in ind else None,
            )
        else:
            measure = AttestedMeasure(
                statement=measure_data["attested"]["statement"].strip(),
                data=tuple(
                    DataRef(name=ref["name"], params=_params(ref.get("params")), label=_lt(ref["label"]))  # type: ignore[arg-type]
                    for ref in measure_data["attested"].get("data", [])
                ),
            )
        source = req["source"]
        requirements.append(
            Requirement(
                id=req["id"],
                area=AREAS_BY_ID[req["area"]],
                label=TextPerLanguage(req["label"]),
                wording=" ".join(req["wording"].split()),
                source=Source(
                    table_bullet=" ".join(source["table_bullet"].split()) if source.get("table_bullet") else None,
                    passages=tuple(" ".join(p.split()) for p in source.get("passages", [])),
                ),
                due=_build_due(req["due"]),
                measure=measure,
                strength=Strength(req.get("strength", "shall")),
                scope=Scope(req.get("scope", "centre")),
                responsible=Responsible(req["responsible"]),
                note=_lt(req.get("note")),
            )
        )
    chains = tuple(
        Chain(
            id=chain["id"],
            title=TextPerLanguage(chain["title"]),
            links=tuple(
                Link(
                    stage=Stage(link["stage"]),
                    text=TextPerLanguage(link["text"]),
                    evidence=tuple(
                        EvidenceRef(name=ref["name"], params=_params(ref.get("params")))
                        for ref in link.get("evidence", [])
                    ),
                )
                for link in chain["links"]
            ),
        )
        for chain in data["theory_of_change"]["chains"]
    )
    return ConceptVersion(
        id=data["id"],
        title=TextPerLanguage(data["title"]),
        summary=_lt(data.get("summary")),
        adopted=data.get("adopted"),
        adopted_by=data.get("adopted_by", ""),
        in_force_from=data["in_force_from"],
        source_title=data["source"]["title"],
        source_document=data["source"]["document"],
        legal_bases=tuple(
            LegalBasis(
                law=b["law"],
                sections=b["sections"],
                valid_from=b.get("valid_from"),
                valid_to=b.get("valid_to"),
                note=_lt(b.get("note")),
            )
            for b in data["legal_bases"]
        ),
        cited_in_paper=tuple(data["cited_in_paper"]),
        requirements=tuple(requirements),
        theory_of_change=chains,
        non_duties=tuple(
            NonDuty(passage=" ".join(n["passage"].split()), reason=TextPerLanguage(n["reason"]))
            for n in data.get("non_duties", [])
        ),
    )
