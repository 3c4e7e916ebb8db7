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
    attestation = Attestation.objects.create(
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
    assert rows[attested.id][0] == "attested, awaiting approval"
    attestation.status = "approved"
    attestation.save()
    rows = {r.key: r.cells for r in section([cast.norrebro], "scorecard").tables[0].rows}
    assert rows[attested.id][0] == "attested and approved"


def test_the_city_scorecard_counts_centres_by_outcome(cast):
    from forpost.concepts.definitions import Scope

    concept = concept_for_year(2025)
    table = section([cast.norrebro, cast.valby], "scorecard", city=True).tables[0]
    for requirement, row in zip(concept.requirements, table.rows, strict=True):
        if requirement.scope == Scope.CENTRE:
            assert sum(int(c) for c in row.cells[: len(table.columns) - 3]) == 2


def test_a_city_requirement_is_marked_in_the_column_of_its_own_outcome(cast):
    """The city's own requirements (one outcome, the city's) used to print their outcome's
    label in the first column, "met", whatever the outcome was: page, workbook and JSON."""
    from forpost.concepts.definitions import Scope
    from forpost.concepts.evaluation import Outcome, evaluate

    concept = concept_for_year(2025)
    table = section([cast.norrebro, cast.valby], "scorecard", city=True).tables[0]
    outcome_columns = list(table.columns[1:-2])
    assert set(outcome_columns) <= {str(o.label) for o in Outcome}
    city_rows = [(r, row) for r, row in zip(concept.requirements, table.rows, strict=True) if r.scope == Scope.CITY]
    assert city_rows
    for requirement, row in city_rows:
        result = evaluate(
            requirement,
            centre_ids=(cast.norrebro.pk, cast.valby.pk),
            attestation=None,
            start=timezone.datetime(2025, 1, 1).date(),
            end=timezone.datetime(2026, 1, 1).date(),
        )
        marked = [outcome_columns[i] for i, cell in enumerate(row.cells[: len(outcome_columns)]) if cell]
        assert marked == [str(result.outcome.label)]
        assert not any(cell in outcome_columns for cell in row.cells)


def test_the_city_scorecard_shows_the_concept_files_reading_beside_each_requirement(cast):
    """The centre's scorecard had the reading beside its verdict; the city's had none."""
    from forpost.concepts.templatetags.concepts_tags import reading

    concept = concept_for_year(2025)
    table = section([cast.norrebro, cast.valby], "scorecard", city=True).tables[0]
    assert table.columns[-2:] == ("City value", "How it is read")
    assert len(table.metrics) == len(table.columns) - 1
    readings = {row.key: row.cells[-1] for row in table.rows}
    assert readings == {r.id: reading(r) for r in concept.requirements}
    dropin = readings["fr2010.ydelser.aabningstid"]
    assert dropin.startswith("Open drop-in hours in the weakest week: at least 6 hours a week.")
    assert "at most 9 weeks a year" in dropin
    assert "lies below 0.5" in readings["fr2010.maalgruppe.befolkning"]
    assert readings["fr2010.bfe.aarlig_status"]  # a requirement of the city as a whole has its reading too


def test_each_centre_page_of_the_city_file_has_its_scorecard_without_the_scorecard_section(cast):
    """The centre pages used to find the outcomes in a cache the scorecard happened to fill."""
    from forpost.reports.sections import centre_pages
    from forpost.reports.status import StatusContext

    ctx = StatusContext(
        year=2025,
        centre_ids=(cast.norrebro.pk, cast.valby.pk),
        city_wide=True,
        suppress=True,
        threshold=5,
        for_file=True,
    )
    pages = centre_pages(ctx)
    assert pages
    for page in pages:
        scorecards = [t for t in page.tables if t.key.startswith("scorecard_")]
        assert len(scorecards) == 1
        assert sum(int(row.cells[0]) for row in scorecards[0].rows) > 0
