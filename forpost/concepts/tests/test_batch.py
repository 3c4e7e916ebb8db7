"""Each indicator is one batch for every centre in scope: the batch gives each centre exactly
what the same indicator gives that centre measured alone, and the counts it reads are the
same whether kept (whole years) or scanned from the registrations (any other period)."""

from __future__ import annotations

from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forpost.centres.models import Centre, OpeningHoursPattern, OpeningSlot, WeeklyHours, WeeklyHoursYear
from forpost.concepts import indicators
from forpost.concepts.evaluation import IndicatorCache, evaluate, evaluate_per_centre
from forpost.concepts.indicators.centres import AS_RECORDED
from forpost.concepts.loader import concept_for_year
from forpost.core.periods import CentreScope, Period


def _measured(year: int) -> list[tuple[str, dict]]:
    """Every (indicator, parameters) the concept in force and its theory of change name."""
    concept = concept_for_year(year)
    found = {}
    for requirement in concept.requirements:
        measure = requirement.measure
        # An indicator measure, or the data an attested statement is shown with.
        for ref in [measure] if hasattr(measure, "name") else measure.data:
            found[(ref.name, repr(sorted(ref.params.items())))] = (ref.name, dict(ref.params))
    for chain in concept.theory_of_change:
        for link in chain.links:
            for ref in link.evidence:
                found[(ref.name, repr(sorted(ref.params.items())))] = (ref.name, dict(ref.params))
    return list(found.values())


def _same(batch, alone) -> tuple:
    return (batch.value, batch.unit, batch.parts, batch.detail, batch.no_data_reason) == (
        alone.value,
        alone.unit,
        alone.parts,
        alone.detail,
        alone.no_data_reason,
    ), (batch, alone)


@pytest.mark.django_db
def test_every_centre_gets_from_the_batch_what_it_gets_alone_over_years_and_other_periods():
    call_command("demo", stdout=StringIO())
    from forpost.registrations.counts import rebuild

    rebuild()
    ids = list(Centre.objects.values_list("pk", flat=True))
    assert len(ids) >= 6
    this_year = timezone.localdate().year
    measured = _measured(this_year - 1)
    assert {name for name, _params in measured} <= set(indicators.BY_NAME)
    periods = [
        (date(this_year - 1, 1, 1), date(this_year, 1, 1)),  # a whole year: the status's counts and stored weeks
        (date(this_year - 1, 3, 1), date(this_year - 1, 9, 15)),  # any other period: the registrations
        (date(this_year - 1, 1, 1), date(this_year - 1, 9, 15)),  # a year so far: the first stored weeks
        (date(this_year - 2, 1, 1), date(this_year, 1, 1)),  # two whole years
    ]
    compared = 0
    for start, end in periods:
        for name, params in measured:
            batch = indicators.values(name, params, CentreScope.of(ids), Period(start, end))
            assert set(batch) == set(ids)
            for pk in ids:
                alone = indicators.values(name, params, CentreScope.one(pk), Period(start, end))[pk]
                same, detail = _same(batch[pk], alone)
                assert same, (name, params, start, end, pk, detail)
                compared += 1
    assert compared >= 4 * 6 * 20
    # The demo is not all zeros: the comparison compared real numbers.
    year = indicators.compute_per_centre(
        "registrations_count",
        centre_ids=ids,
        start=periods[0][0],
        end=periods[0][1],
        params={"kind": "inquiries"},
    )
    assert all(v.value > 100 for v in year.values())


@pytest.mark.django_db
def test_the_kept_counts_of_a_year_equal_a_grouped_scan_of_its_registrations():
    from forpost.registrations import counts

    call_command("demo", stdout=StringIO())
    counts.rebuild()
    year = timezone.localdate().year - 1
    scope = CentreScope.of(Centre.objects.values_list("pk", flat=True))
    kept = counts.counts_by_centre(scope, Period.year(year), ["total", "channel", "child_age", "course_ended"])
    scanned = counts._tally(
        scope, period=Period.year(year), dimensions=["total", "channel", "child_age", "course_ended"]
    )
    again: dict = {pk: {} for pk in scope.ids}
    for (pk, _y, dimension, value), n in scanned.items():
        again[pk].setdefault(dimension, {})[value] = n
    assert kept == again
    assert sum(by["total"][""] for by in kept.values()) > 500


@pytest.mark.django_db
def test_several_centres_together_are_their_counts_added_up_or_their_values_summed_up(cast):
    from forpost.registrations.testing import ensure_reference_data, make_inquiry

    ensure_reference_data()
    day = date(2025, 3, 3)
    for centre, n in ((cast.norrebro, 3), (cast.valby, 1)):
        for _ in range(n):
            make_inquiry(centre, date=day, has_case="no" if centre == cast.norrebro else "yes")
    both = CentreScope.of([cast.norrebro.pk, cast.valby.pk])
    for period in (Period.year(2025), Period(date(2025, 3, 1), date(2025, 4, 1))):
        assert indicators.value("registrations_count", {"kind": "inquiries"}, both, period).value == 4
        together = indicators.value("share_of_inquiries_without_case", {}, both, period)
        assert together.parts == (3, 4)
        assert (
            indicators.value("share_of_inquiries_without_case", {}, CentreScope.one(cast.valby.pk), period).value == 0
        )


@pytest.mark.django_db
def test_the_scorecard_for_many_centres_costs_the_same_queries_for_two_centres_as_for_six():
    call_command("demo", stdout=StringIO())
    year = timezone.localdate().year - 1
    concept = concept_for_year(year)
    ids = sorted(Centre.objects.values_list("pk", flat=True))
    start, end = date(year, 1, 1), date(year + 1, 1, 1)

    def queries(centres: list[int]) -> int:
        cache = IndicatorCache()
        with CaptureQueriesContext(connection) as captured:
            for requirement in concept.requirements:
                evaluate_per_centre(requirement, centre_ids=centres, start=start, end=end, cache=cache)
        return len(captured)

    queries(ids)  # the stored weeks are made on the first read
    assert queries(ids[:2]) == queries(ids)
    # And each centre's outcome is the outcome it gets alone.
    cache = IndicatorCache()
    for requirement in concept.requirements:
        each = evaluate_per_centre(requirement, centre_ids=ids, start=start, end=end, cache=cache)
        for pk in ids:
            assert each[pk].outcome == evaluate(requirement, centre_ids=[pk], start=start, end=end).outcome


@pytest.mark.django_db
def test_stored_weeks_follow_a_change_of_the_opening_hours_without_being_told(cast):
    from forpost.centres import weekly

    year = timezone.localdate().year - 1
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    centre = cast.norrebro
    pattern = OpeningHoursPattern.objects.create(centre=centre, valid_from=date(year - 1, 1, 1))
    for weekday in (0, 2):
        OpeningSlot.objects.create(
            pattern=pattern, weekday=weekday, starts_at=time(9), ends_at=time(12), kind="drop_in"
        )
    before = indicators.compute(
        "dropin_hours_per_week", centre_ids=[centre.pk], start=start, end=end, params=AS_RECORDED
    )
    assert WeeklyHours.objects.filter(centre=centre, year=year).count() == len(weekly.year_mondays(year))
    digest = WeeklyHoursYear.objects.get(centre=centre, year=year).digest
    # A bulk update, which no signal or service sees, still changes what is read.
    slots = OpeningSlot.objects.filter(pattern__centre=centre, kind="drop_in")
    assert slots.exists()
    slots.update(kind="appointment")
    after = indicators.compute(
        "dropin_hours_per_week", centre_ids=[centre.pk], start=start, end=end, params=AS_RECORDED
    )
    assert before.parts[0] > 40  # 6 hours in most weeks; holiday weeks are left out
    assert after.value == 0
    assert WeeklyHoursYear.objects.get(centre=centre, year=year).digest != digest
    # And it equals the day-by-day arithmetic over a period that is not a whole year.
    live = indicators.compute(
        "dropin_hours_per_week", centre_ids=[centre.pk], start=start, end=date(year, 12, 31), params=AS_RECORDED
    )
    assert live.value == after.value
    assert weekly.weeks(centre.pk, year, end=end)[0].dropin == 0


@pytest.mark.django_db
def test_the_city_year_wheel_costs_the_same_queries_for_two_centres_as_for_six(rf):
    from forpost.concepts.yearwheel import city_wheels, wheel_for

    call_command("demo", stdout=StringIO())
    today = timezone.localdate()
    centres = list(Centre.objects.order_by("pk"))

    def queries(chosen: list[Centre]) -> int:
        with CaptureQueriesContext(connection) as captured:
            city_wheels(chosen, today.year, today=today)
        return len(captured)

    queries(centres)
    assert queries(centres[:2]) == queries(centres)
    # Each centre's statuses on the city's grid are those of its own wheel.
    overview = city_wheels(centres, today.year, today=today)
    for wheel in overview.wheels:
        alone = wheel_for(wheel.centre, today.year, today=today)
        assert [d.status for d in wheel.duties] == [d.status for d in alone.duties]
        assert [d.evaluation.outcome for d in wheel.duties] == [d.evaluation.outcome for d in alone.duties]
