"""The concept file schema, enforced: every problem is reported with its file and path.

    familieraadgivning-2010.yaml: requirements[3].measure.indicator.threshold: must be a number

`validate(data, filename)` returns the list of such messages (empty when the file is good);
`build(data)` turns a valid file into a frozen ConceptVersion. SCHEMA.md documents the same
rules for people; keep the two together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
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


class _Checker:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{self.filename}: {path or '(top)'}: {message}")

    # Each check reports and returns whether the value fits, so callers can stop early.

    def mapping(self, value: Any, path: str, *, required: set[str], optional: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
        if not isinstance(value, dict):
            self.error(path, "must be a mapping")
            return False
        for key in sorted(required - set(value)):
            self.error(_join(path, key), "is required")
        for key in sorted(set(value) - required - optional, key=str):
            self.error(_join(path, str(key)), "is not a known field")
        return True

    def text(self, value: Any, path: str) -> bool:
        if not isinstance(value, str) or not value.strip():
            self.error(path, "must be non-empty text")
            return False
        return True

    def local_text(self, value: Any, path: str) -> bool:
        if not self.mapping(value, path, required={"da", "en"}):
            return False
        return self.text(value.get("da"), f"{path}.da") & self.text(value.get("en"), f"{path}.en")

    def date(self, value: Any, path: str, *, nullable: bool = False) -> bool:
        if value is None and nullable:
            return True
        if not isinstance(value, date):
            self.error(path, "must be a date (YYYY-MM-DD)")
            return False
        return True

    def number(self, value: Any, path: str) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, "must be a number")
            return False
        return True

    def choice(self, value: Any, path: str, choices: tuple[str, ...] | list[str]) -> bool:
        if value not in choices:
            self.error(path, f"must be one of {', '.join(choices)}")
            return False
        return True

    def list(self, value: Any, path: str, *, allow_empty: bool = False) -> bool:
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return False
        if not value and not allow_empty:
            self.error(path, "must not be empty")
            return False
        return True


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def validate(data: Any, filename: str) -> list[str]:
    """Every way `data` (a parsed concept file) breaks the schema; empty when it is valid."""
    c = _Checker(filename)
    top_required = {
        "schema_version",
        "id",
        "title",
        "in_force_from",
        "source",
        "legal_bases",
        "cited_in_paper",
        "requirements",
        "theory_of_change",
    }
    if not c.mapping(data, "", required=top_required, optional={"adopted", "adopted_by", "summary", "non_duties"}):
        return c.errors
    if data.get("schema_version") != SCHEMA_VERSION:
        c.error("schema_version", f"must be {SCHEMA_VERSION}")
    if "id" in data and (not isinstance(data["id"], str) or not VERSION_ID.match(data["id"])):
        c.error("id", "must be lower-case words joined by hyphens, e.g. familieraadgivning-2010")
    elif "id" in data and filename.rsplit("/", 1)[-1] not in (f"{data['id']}.yaml", f"{data['id']}.yml", "<string>"):
        c.error("id", f"must match the file name ({data['id']}.yaml)")
    if "title" in data:
        c.local_text(data["title"], "title")
    if "summary" in data:
        c.local_text(data["summary"], "summary")
    if "adopted" in data:
        c.date(data["adopted"], "adopted")
    if "adopted_by" in data:
        c.text(data["adopted_by"], "adopted_by")
    if "in_force_from" in data:
        c.date(data["in_force_from"], "in_force_from")
    if "source" in data and c.mapping(data["source"], "source", required={"title", "document"}):
        c.text(data["source"].get("title"), "source.title")
        c.text(data["source"].get("document"), "source.document")
    _legal_bases(c, data.get("legal_bases"))
    if "cited_in_paper" in data and c.list(data["cited_in_paper"], "cited_in_paper", allow_empty=True):
        for i, cited in enumerate(data["cited_in_paper"]):
            c.text(cited, f"cited_in_paper[{i}]")
    _requirements(c, data.get("requirements"))
    _theory_of_change(c, data.get("theory_of_change"))
    if "non_duties" in data and c.list(data["non_duties"], "non_duties", allow_empty=True):
        for i, item in enumerate(data["non_duties"]):
            path = f"non_duties[{i}]"
            if c.mapping(item, path, required={"passage", "reason"}):
                c.text(item.get("passage"), f"{path}.passage")
                c.local_text(item.get("reason"), f"{path}.reason")
    return c.errors


def _legal_bases(c: _Checker, value: Any) -> None:
    if value is None or not c.list(value, "legal_bases"):
        return
    for i, basis in enumerate(value):
        path = f"legal_bases[{i}]"
        if not c.mapping(basis, path, required={"law", "sections"}, optional={"valid_from", "valid_to", "note"}):
            continue
        c.text(basis.get("law"), f"{path}.law")
        c.text(basis.get("sections"), f"{path}.sections")
        ok = c.date(basis.get("valid_from"), f"{path}.valid_from", nullable=True)
        ok &= c.date(basis.get("valid_to"), f"{path}.valid_to", nullable=True)
        if ok and basis.get("valid_from") and basis.get("valid_to") and basis["valid_to"] < basis["valid_from"]:
            c.error(f"{path}.valid_to", "must not be before valid_from")
        if "note" in basis:
            c.local_text(basis["note"], f"{path}.note")


def _requirements(c: _Checker, value: Any) -> None:
    if value is None or not c.list(value, "requirements"):
        return
    seen: set[str] = set()
    for i, req in enumerate(value):
        path = f"requirements[{i}]"
        if not c.mapping(
            req,
            path,
            required={"id", "area", "label", "wording", "source", "due", "measure", "responsible"},
            optional={"strength", "scope", "note"},
        ):
            continue
        rid = req.get("id")
        if not isinstance(rid, str) or not REQUIREMENT_ID.match(rid):
            c.error(f"{path}.id", "must be dotted lower-case words, e.g. fr2010.ydelser.aabningstid")
        elif rid in seen:
            c.error(f"{path}.id", f"{rid} is used twice")
        else:
            seen.add(rid)
        if "area" in req:
            c.choice(req["area"], f"{path}.area", list(AREAS_BY_ID))
        if "label" in req:
            c.local_text(req["label"], f"{path}.label")
        if "wording" in req:
            c.text(req["wording"], f"{path}.wording")
        if "note" in req:
            c.local_text(req["note"], f"{path}.note")
        if "strength" in req:
            c.choice(req["strength"], f"{path}.strength", [s.value for s in Strength])
        if "scope" in req:
            c.choice(req["scope"], f"{path}.scope", [s.value for s in Scope])
        if "responsible" in req:
            c.choice(req["responsible"], f"{path}.responsible", [r.value for r in Responsible])
        _source(c, req.get("source"), f"{path}.source")
        _due(c, req.get("due"), f"{path}.due")
        _measure(c, req.get("measure"), f"{path}.measure")


def _source(c: _Checker, value: Any, path: str) -> None:
    if value is None or not c.mapping(value, path, required=set(), optional={"table_bullet", "passages"}):
        return
    if not value.get("table_bullet") and not value.get("passages"):
        c.error(path, "needs a table_bullet or at least one passage")
    if "table_bullet" in value:
        c.text(value["table_bullet"], f"{path}.table_bullet")
    if "passages" in value and c.list(value["passages"], f"{path}.passages"):
        for i, passage in enumerate(value["passages"]):
            c.text(passage, f"{path}.passages[{i}]")


def _due(c: _Checker, value: Any, path: str) -> None:
    if value in ("continuous", "weekly"):
        return
    months = [value] if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(months, list) or not months:
        c.error(path, "must be a month (1–12), a list of months, 'continuous' or 'weekly'")
        return
    for i, month in enumerate(months):
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            c.error(f"{path}[{i}]" if isinstance(value, list) else path, "must be a month from 1 to 12")
    if all(isinstance(m, int) for m in months) and months != sorted(set(months)):
        c.error(path, "months must be rising, each once")


def _measure(c: _Checker, value: Any, path: str) -> None:
    if value is None or not c.mapping(value, path, required=set(), optional={"indicator", "attested"}):
        return
    if ("indicator" in value) == ("attested" in value):
        c.error(path, "must have exactly one of indicator or attested")
        return
    if "attested" in value:
        apath = f"{path}.attested"
        if c.mapping(value["attested"], apath, required={"statement"}, optional={"data"}):
            c.text(value["attested"].get("statement"), f"{apath}.statement")
            data = value["attested"].get("data", [])
            if c.list(data, f"{apath}.data", allow_empty=True):
                for k, ref in enumerate(data):
                    if c.mapping(ref, f"{apath}.data[{k}]", required={"name", "label"}, optional={"params"}):
                        _indicator_ref(c, ref.get("name"), ref.get("params", {}), f"{apath}.data[{k}]")
                        c.local_text(ref.get("label"), f"{apath}.data[{k}].label")
        return
    ind = value["indicator"]
    ipath = f"{path}.indicator"
    if not isinstance(ind, dict):
        c.error(ipath, "must be a mapping")
        return
    _indicator_ref(c, ind.get("name"), ind.get("params", {}), ipath)
    try:
        Reading.model_validate({k: v for k, v in ind.items() if k != "params"})
    except ValidationError as error:
        for e in error.errors():
            key = ".".join(str(part) for part in e["loc"]) or (e["type"] if e["type"] == "partly_met_share" else "")
            if key == "name":
                continue  # the indicator's name is reported by _indicator_ref
            c.error(_join(ipath, key) if key else ipath, _message(e))


class Reading(BaseModel):
    """How a concept file reads an indicator requirement: the threshold and the comparison,
    and for a measure counted in parts (weeks) the share of them at the threshold that makes
    "delvis opfyldt" (partly met). One declaration validates, types and documents it; the
    indicator's own parameters (e.g. how many weeks a year may be excused) are the
    indicator's pydantic model (forpost.concepts.indicators)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(description="The indicator measured (forpost.concepts.indicators.BY_NAME).")
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
            raise PydanticCustomError("partly_met_share", "is required for an indicator measured per week")
        return self


def _message(e: Any) -> str:
    """A pydantic error in the words the rest of the schema uses."""
    kind = e["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind in ("float_type", "float_parsing", "int_type"):
        return "must be a number"
    if kind == "literal_error":
        return f"must be one of {', '.join(COMPARISONS)}"
    if kind in ("greater_than", "less_than_equal"):
        return "must be a share above 0 and at most 1"
    return str(e["msg"])


def _indicator_ref(c: _Checker, name: Any, params: Any, path: str) -> None:
    if not isinstance(name, str) or name not in indicators.BY_NAME:
        c.error(f"{path}.name", f"{name!r} is not a registered indicator")
        return
    if not isinstance(params, dict):
        c.error(f"{path}.params", "must be a mapping")
        return
    for key, problem in indicators.BY_NAME[name].check_params(params):
        c.error(_join(f"{path}.params", key) if key else f"{path}.params", problem)


def _theory_of_change(c: _Checker, value: Any) -> None:
    if value is None or not c.mapping(value, "theory_of_change", required={"chains"}):
        return
    chains = value.get("chains")
    if not c.list(chains, "theory_of_change.chains"):
        return
    seen: set[str] = set()
    for i, chain in enumerate(chains):
        path = f"theory_of_change.chains[{i}]"
        if not c.mapping(chain, path, required={"id", "title", "links"}):
            continue
        cid = chain.get("id")
        if not isinstance(cid, str) or not CHAIN_ID.match(cid):
            c.error(f"{path}.id", "must be a lower-case word, e.g. visibility")
        elif cid in seen:
            c.error(f"{path}.id", f"{cid} is used twice")
        else:
            seen.add(cid)
        c.local_text(chain.get("title"), f"{path}.title")
        links = chain.get("links")
        if not c.list(links, f"{path}.links"):
            continue
        stages = []
        for j, link in enumerate(links):
            lpath = f"{path}.links[{j}]"
            if not c.mapping(link, lpath, required={"stage", "text"}, optional={"evidence"}):
                continue
            if c.choice(link.get("stage"), f"{lpath}.stage", [s.value for s in Stage]):
                stages.append(Stage(link["stage"]))
            c.local_text(link.get("text"), f"{lpath}.text")
            evidence = link.get("evidence", [])
            if c.list(evidence, f"{lpath}.evidence", allow_empty=True):
                for k, ref in enumerate(evidence):
                    epath = f"{lpath}.evidence[{k}]"
                    if c.mapping(ref, epath, required={"name"}, optional={"params"}):
                        _indicator_ref(c, ref.get("name"), ref.get("params", {}), epath)
        order = [STAGE_ORDER.index(s) for s in stages]
        if order != sorted(order):
            c.error(f"{path}.links", "must run activity → output → mechanism → outcome")


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
