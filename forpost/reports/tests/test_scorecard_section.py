import pytest
from django.utils import timezone, translation

from forpost.concepts.loader import concept_for_year
from forpost.concepts.models import Attestation
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(centres, key, city=False):
    status = build_status(year=2025, centres=centres, city_wide=city, suppress=True, title="T")
    return next(s for s in status.sections if s.key == key)


def test_the_scorecard_names_the_concept_and_both_laws(cast):
    facts = dict(section([cast.norrebro], "scorecard").facts)
    assert facts["Concept"] == str(concept_for_year(2025).title)
    assert "Serviceloven" in facts["Law cited by the concept"]
    assert "Barnets Lov" in facts["Legal basis in the year"]


def test_every_requirement_has_a_row_and_an_attestation_counts(cast):
    concept = concept_for_year(2025)
    attested = next(r for r in concept.requirements if r.measure.__class__.__name__ == "AttestedMeasure")
    Attestation.objects.create(
        centre=cast.norrebro,
        year=2025,
        concept_id=concept.id,
        requirement_id=attested.id,
        attested_by=cast.bob,
        attested_at=timezone.now(),
        statement=attested.measure.statement,
    )
    rows = {r.key: r.cells for r in section([cast.norrebro], "scorecard").tables[0].rows}
    assert set(rows) == {r.id for r in concept.requirements}
    assert rows[attested.id][0] == "attested"


def test_the_city_scorecard_counts_centres_by_outcome(cast):
    from forpost.concepts.definitions import Scope

    concept = concept_for_year(2025)
    table = section([cast.norrebro, cast.valby], "scorecard", city=True).tables[0]
    for requirement, row in zip(concept.requirements, table.rows, strict=True):
        if requirement.scope == Scope.CENTRE:
            assert sum(int(c) for c in row.cells[:-1]) == 2
