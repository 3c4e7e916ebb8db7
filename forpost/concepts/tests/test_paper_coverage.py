"""The concept files against the papers themselves (copies in tests/data).

- every bullet of the 2010 table has a requirement, in the row's area;
- the table's rows are exactly the areas of the schema;
- every quoted wording, bullet and passage is really in the paper;
- every "skal"/"bør" sentence of the running text of both papers is a requirement's passage
  or is listed, with a reason, as not being a duty.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forpost.concepts.definitions import AREAS
from forpost.concepts.loader import get_concept

DATA = Path(__file__).parent / "data"
TABLE_HEADING = "Det fælles indhold i Familierådgivningerne\t"


def normalise(text: str) -> str:
    return " ".join(text.split())


def paper(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def parse_table(text: str) -> dict[str, list[str]]:
    """The table's rows: area heading → its bullets, as the paper writes them."""
    table = text.split(TABLE_HEADING, 1)[1]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines():
        if "\t<ul" not in line:
            continue
        heading, cell = line.split("\t", 1)
        cell = re.sub(r"<ul[^>]*>", "", cell)
        rows[normalise(heading)] = [normalise(b) for b in cell.split("•") if normalise(b)]
    return rows


def running_text(text: str) -> str:
    return normalise(text.split(TABLE_HEADING, 1)[0])


def duty_sentences(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"])", running_text(text))
    return [s for s in sentences if re.search(r"\b(skal|bør)\b", s)]


@pytest.fixture(scope="module")
def table() -> dict[str, list[str]]:
    return parse_table(paper("koncept-2010.txt"))


def test_the_parser_finds_the_whole_table(table):
    assert len(table) == 9
    assert sum(len(b) for b in table.values()) == 31
    assert table["Ressourcer"][0] == "Budgettet udmeldes af områdechefen"


def test_the_areas_of_the_paper_are_exactly_the_areas_of_the_schema(table):
    assert set(table) == {a.paper_heading for a in AREAS}


def test_every_bullet_of_the_2010_table_has_a_requirement_in_its_area(table):
    version = get_concept("familieraadgivning-2010")
    headings = {a.id: a.paper_heading for a in AREAS}
    missing = []
    for heading, bullets in table.items():
        for bullet in bullets:
            matches = [r for r in version.requirements if r.source.table_bullet == bullet]
            if not matches:
                missing.append(f"{heading}: {bullet}")
            for req in matches:
                assert headings[req.area.id] == heading, f"{req.id} is in {req.area.id}, the paper says {heading}"
    assert not missing, "Bullets without a requirement:\n" + "\n".join(missing)


def test_every_table_bullet_named_in_the_file_is_in_the_table(table):
    bullets = {b for bs in table.values() for b in bs}
    version = get_concept("familieraadgivning-2010")
    unknown = [r.id for r in version.requirements if r.source.table_bullet and r.source.table_bullet not in bullets]
    assert not unknown


@pytest.mark.parametrize(
    ("version_id", "filename"),
    [("familieraadgivning-2010", "koncept-2010.txt"), ("servicebutik-2006", "koncept-2006.txt")],
)
def test_every_quote_is_in_the_paper(version_id, filename):
    text = normalise(paper(filename))
    version = get_concept(version_id)
    quotes = [(r.id, q) for r in version.requirements for q in (r.wording, *r.source.passages)]
    quotes += [("non_duty", n.passage) for n in version.non_duties]
    absent = [f"{rid}: {q}" for rid, q in quotes if q not in text]
    assert not absent, "Not found in the paper:\n" + "\n".join(absent)


@pytest.mark.parametrize(
    ("version_id", "filename"),
    [("familieraadgivning-2010", "koncept-2010.txt"), ("servicebutik-2006", "koncept-2006.txt")],
)
def test_every_duty_in_the_running_text_is_a_requirement_or_explained(version_id, filename):
    version = get_concept(version_id)
    quoted = [p for r in version.requirements for p in r.source.passages] + [n.passage for n in version.non_duties]
    uncovered = [s for s in duty_sentences(paper(filename)) if not any(q in s for q in quoted)]
    assert not uncovered, "Duties in the running text with no requirement:\n" + "\n".join(uncovered)


def test_the_duty_finder_sees_the_sentences_it_should():
    sentences = duty_sentences(paper("koncept-2010.txt"))
    assert any("årligt besøge eller invitere daginstitutioner" in s for s in sentences)
    assert any(s.startswith("Der bør også etableres") for s in sentences)
    assert not any("Kun herved vil man" in s for s in sentences)


def test_the_copies_are_the_papers_in_the_shared_seeds():
    seeds = Path(__file__).resolve().parents[4] / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("the shared seeds are not beside this checkout")
    assert paper("koncept-2010.txt") == (seeds / "000_4991f6e8c25cfe0a.txt").read_text(encoding="utf-8")
    assert paper("koncept-2006.txt") == (seeds / "002_f8d2dda966b32763.txt").read_text(encoding="utf-8")
