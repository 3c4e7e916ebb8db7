"""The concept file schema: the real files pass, and every kind of mistake is named precisely."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.core.checks import run_checks

from forpost.concepts import loader
from forpost.concepts.definitions import AttestedMeasure, DueKind, IndicatorMeasure, Scope
from forpost.concepts.loader import DATA_DIR, check_directory, concept_for_year, concept_in_force
from forpost.concepts.schema import validate

FILE = "familieraadgivning-2010.yaml"


@pytest.fixture
def data() -> dict:
    return yaml.safe_load((DATA_DIR / FILE).read_text(encoding="utf-8"))


def test_the_concept_files_in_the_repository_are_valid():
    versions, errors = check_directory()
    assert errors == []
    assert [v.id for v in versions] == ["servicebutik-2006", "familieraadgivning-2010"]


def test_the_versions_follow_each_other():
    old, new = loader.load_concepts()
    assert old.in_force_from == date(2006, 9, 14)
    assert old.in_force_to == date(2009, 12, 31)
    assert new.in_force_from == date(2010, 1, 1)
    assert new.in_force_to is None


def test_it_finds_the_version_in_force_on_a_day():
    assert concept_in_force(date(2006, 9, 13)) is None
    assert concept_in_force(date(2006, 9, 14)).id == "servicebutik-2006"
    assert concept_in_force(date(2009, 12, 31)).id == "servicebutik-2006"
    assert concept_in_force(date(2010, 1, 1)).id == "familieraadgivning-2010"
    assert concept_for_year(2006).id == "servicebutik-2006"
    assert concept_for_year(2005) is None
    assert concept_for_year(2031).id == "familieraadgivning-2010"


def test_both_laws_are_known_with_their_dates():
    version = loader.get_concept("familieraadgivning-2010")
    assert [str(b) for b in version.legal_bases_on(date(2015, 6, 1))] == ["Serviceloven § 11"]
    assert [str(b) for b in version.legal_bases_on(date(2024, 1, 1))] == ["Barnets Lov §§ 28–30"]
    assert loader.get_concept("servicebutik-2006").cited_in_paper == ("SEL § 32", "SEL § 32, stk. 2")


def test_the_issue_examples_are_measured_as_asked():
    version = loader.get_concept("familieraadgivning-2010")
    by_id = {r.id: r for r in version.requirements}
    dropin = by_id["fr2010.ydelser.aabningstid"]
    assert isinstance(dropin.measure, IndicatorMeasure)
    assert (dropin.measure.name, dropin.measure.threshold, dropin.due.kind) == (
        "dropin_hours_per_week",
        6,
        DueKind.WEEKLY,
    )
    assert by_id["fr2010.tvaers.moeder"].due.months == (3, 6, 9, 12)
    assert by_id["fr2010.tvaers.moeder"].measure.threshold == 4
    assert by_id["fr2010.tvaers.foelgegruppe"].measure.threshold == 2
    assert by_id["fr2010.tvaers.indkaldelse"].scope == Scope.CITY
    assert isinstance(by_id["fr2010.metode.anerkendende"].measure, AttestedMeasure)
    assert by_id["fr2010.ressourcer.bfe_personale"].measure.name == "family_unit_staff_hours_per_week"


def test_a_threshold_that_is_not_a_number_is_named_by_its_path(data):
    data["requirements"][3]["measure"]["indicator"]["threshold"] = "six"
    assert validate(data, FILE) == [f"{FILE}: requirements[3].measure.indicator.threshold: must be a number"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["requirements"][0].pop("area"), "requirements[0].area: is required"),
        (lambda d: d["requirements"][0].update(area="weather"), "requirements[0].area: must be one of"),
        (lambda d: d["requirements"][0].update(due=13), "requirements[0].due: must be a month from 1 to 12"),
        (lambda d: d["requirements"][0].update(due=[6, 3]), "requirements[0].due: months must be rising"),
        (lambda d: d["requirements"][0].update(due="sometimes"), "requirements[0].due: must be a month"),
        (lambda d: d["requirements"][1].update(id=d["requirements"][0]["id"]), "requirements[1].id: "),
        (lambda d: d["requirements"][0].update(colour="red"), "requirements[0].colour: is not a known field"),
        (lambda d: d["requirements"][0]["label"].pop("en"), "requirements[0].label.en: is required"),
        (
            lambda d: d["requirements"][1]["measure"]["indicator"].update(name="vibes"),
            "requirements[1].measure.indicator.name: 'vibes' is not a registered indicator",
        ),
        (
            lambda d: d["requirements"][1]["measure"]["indicator"]["params"].update(max_age="12"),
            "requirements[1].measure.indicator.params.max_age: Input should be a valid integer",
        ),
        (
            lambda d: d["requirements"][1]["measure"]["indicator"]["params"].update(colour=1),
            "requirements[1].measure.indicator.params.colour: unknown parameter",
        ),
        (
            lambda d: d["requirements"][1]["measure"]["indicator"]["params"].pop("min_age"),
            "requirements[1].measure.indicator.params.min_age: is required",
        ),
        (
            lambda d: d["requirements"][1]["measure"]["indicator"].update(comparison="≈"),
            "requirements[1].measure.indicator.comparison: must be one of",
        ),
        (
            lambda d: d["requirements"][0]["measure"].update(indicator={"name": "x"}),
            "requirements[0].measure: must have exactly one of indicator or attested",
        ),
        (lambda d: d["requirements"][0].update(source={}), "requirements[0].source: needs a table_bullet"),
        (lambda d: d.update(in_force_from="soon"), "in_force_from: must be a date"),
        (lambda d: d.update(id="Other"), "id: must be lower-case words"),
        (lambda d: d.update(id="other-2010"), "id: must match the file name"),
        (lambda d: d["legal_bases"][0].update(valid_from=date(2030, 1, 1)), "legal_bases[0].valid_to: must not be"),
        (
            lambda d: d["theory_of_change"]["chains"][0]["links"].reverse(),
            "theory_of_change.chains[0].links: must run activity",
        ),
        (
            lambda d: d["theory_of_change"]["chains"][0]["links"][0]["evidence"][0].update(name="nope"),
            "theory_of_change.chains[0].links[0].evidence[0].name: 'nope' is not a registered indicator",
        ),
        (
            lambda d: d["requirements"][4]["measure"]["indicator"]["params"].update(channels=[]),
            "requirements[4].measure.indicator.params.channels: List should have at least 1 item",
        ),
    ],
)
def test_each_mistake_gives_a_precise_error(data, change, message):
    broken = copy.deepcopy(data)
    change(broken)
    errors = validate(broken, FILE)
    assert any(e.startswith(f"{FILE}: {message}") for e in errors), errors


def _requirement(data, requirement_id):
    return next(r for r in data["requirements"] if r["id"] == requirement_id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["measure"]["indicator"]["params"].pop("excused_weeks"), "params.excused_weeks: is required"),
        (lambda r: r["measure"]["indicator"]["params"].update(excused_weeks="9"), "params.excused_weeks: Input should"),
        (lambda r: r["measure"]["indicator"]["params"].update(excused_weeks=-1), "params.excused_weeks: Input should"),
        (lambda r: r["measure"]["indicator"]["params"].update(holidays=1), "params.holidays: unknown parameter"),
        (lambda r: r["measure"]["indicator"].pop("partly_met_share"), "partly_met_share: is required"),
        (lambda r: r["measure"]["indicator"].update(partly_met_share=0), "partly_met_share: must be a share"),
    ],
)
def test_the_reading_of_a_weekly_minimum_is_checked_by_its_declaration(data, change, message):
    broken = copy.deepcopy(data)
    change(_requirement(broken, "fr2010.ydelser.aabningstid"))
    errors = validate(broken, FILE)
    assert any(message in e and "measure.indicator" in e for e in errors), errors


def test_a_tolerance_for_representation_must_be_a_share(data):
    broken = copy.deepcopy(data)
    _requirement(broken, "fr2010.maalgruppe.befolkning")["measure"]["indicator"]["params"]["tolerance"] = 2
    assert any("params.tolerance: Input should be less than or equal to 1" in e for e in validate(broken, FILE))


def test_a_file_that_is_not_yaml_is_reported_with_its_line(tmp_path: Path):
    (tmp_path / "broken-2030.yaml").write_text("id: broken\n  title: [\n", encoding="utf-8")
    _versions, errors = check_directory(tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("broken-2030.yaml: line ")


def test_a_broken_file_fails_the_system_check(tmp_path: Path, data, monkeypatch):
    data["requirements"][3]["measure"]["indicator"]["threshold"] = "six"
    (tmp_path / FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr("forpost.concepts.checks.DATA_DIR", tmp_path)
    errors = [e for e in run_checks() if e.id == "concepts.E001"]
    assert [e.msg for e in errors] == [f"{FILE}: requirements[3].measure.indicator.threshold: must be a number"]


def test_the_system_check_passes_on_the_real_files():
    assert [e for e in run_checks() if e.id == "concepts.E001"] == []


def test_loading_a_broken_directory_raises_with_every_problem(tmp_path: Path, data):
    data["requirements"][0].pop("area")
    data["requirements"][1]["due"] = 0
    (tmp_path / FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(loader.ConceptFileError) as caught:
        loader.load_concepts(tmp_path)
    assert len(caught.value.errors) == 2


def test_a_requirement_id_may_not_be_reused_by_another_version(tmp_path: Path, data):
    (tmp_path / FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    other = copy.deepcopy(data)
    other["id"] = "familieraadgivning-2030"
    other["in_force_from"] = date(2030, 1, 1)
    (tmp_path / "familieraadgivning-2030.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    _versions, errors = check_directory(tmp_path)
    assert any("is also in familieraadgivning-2010" in e for e in errors)


def test_one_declaration_validates_and_documents_the_file():
    from forpost.concepts.schema import ConceptFile

    schema = ConceptFile.model_json_schema()
    assert {"requirements", "theory_of_change", "in_force_from"} <= set(schema["required"])
    reading = schema["$defs"]["Reading"]
    assert "partly met" in reading["properties"]["partly_met_share"]["description"]


def test_a_month_in_a_list_is_named_by_its_place(data):
    broken = copy.deepcopy(data)
    broken["requirements"][0]["due"] = [3, 13]
    assert validate(broken, FILE) == [f"{FILE}: requirements[0].due[1]: must be a month from 1 to 12"]
