"""The themes the 2010 paper names are all in the seeded reference list (issue 19).

The paper's examples are read from the paper itself ("rådgivning i forbindelse med …, mv."),
and "generel familieplanlægningsvejledning", the § 11 service it names, is a theme too. A new
example in a new paper fails here until it has a theme."""

import os
import re
from pathlib import Path

from forpost.registrations.models import Theme

PAPER = Path(__file__).resolve().parents[2] / "concepts" / "tests" / "data" / "koncept-2010.txt"
# The concept papers as the project received them, beside the checkout (../shared/seeds; FORPOST_SEEDS
# points elsewhere). The 2010 paper is the one whose file name starts "000_". Where they are, they
# are read too, so the copy in the repository cannot drift from them.
SEEDS = Path(os.environ.get("FORPOST_SEEDS", Path(__file__).resolve().parents[4] / "shared" / "seeds"))

# The paper's words → the theme that records them (the seeded codes).
THEME_FOR = {
    "samlivsproblemer": "couple",
    "skilsmisse": "divorce",
    "børn der har mistet forældre": "grief",
    "børn der bliver moppet": "bullying",
    "opdragelsesproblemer": "upbringing",
    "generel familieplanlægningsvejledning": "family_planning",
}


def examples_in_the_paper(paper: Path = PAPER) -> list[str]:
    text = " ".join(paper.read_text(encoding="utf-8").split())
    listed = re.search(r"eksempelvis indebærer rådgivning i forbindelse med (.*?) mv\.", text)
    assert listed is not None, "the paper's list of examples was not found"
    examples = [part.strip() for part in listed.group(1).split(",")]
    services = re.search(r"konsulentbistand til løsning af vanskeligheder i familien samt (generel \w+)", text)
    assert services is not None, "the paper's § 11 services were not found"
    return [*examples, services.group(1)]


def test_every_theme_example_of_the_paper_is_a_seeded_active_theme(db):
    for paper in [PAPER, *sorted(SEEDS.glob("000_*.txt"))]:
        assert examples_in_the_paper(paper) == list(THEME_FOR), f"{paper}: the examples changed; map each to a theme"
    examples = list(THEME_FOR)
    active = {t.code: t for t in Theme.objects.active()}
    missing = [e for e in examples if THEME_FOR[e] not in active]
    assert not missing


def test_family_planning_is_a_theme_in_danish_and_english(db):
    theme = Theme.objects.get(code="family_planning")
    assert (theme.name_da, theme.name_en) == ("Familieplanlægning", "Family planning")
    # Offered before "Other", which stays last.
    assert theme.sort_order < Theme.objects.get(code="other").sort_order
