"""Each number the status publishes has one definition: where two places show the same metric
they show the same value, and where they measure different things their labels say so."""

from datetime import date

import pytest
from django.utils import translation

from forpost.concepts.evaluation import IndicatorCache
from forpost.registrations.models import Action, Course
from forpost.registrations.testing import make_course, make_inquiry
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _status(centres, city=False):
    return build_status(year=2025, centres=centres, city_wide=city, suppress=False, title="T")


def _section(status, key):
    return next(s for s in status.sections if s.key == key)


def _toc_evidence(status):
    return "; ".join(
        f"{row.cells[1]}: {row.cells[2]}" for t in _section(status, "theory_of_change").tables for row in t.rows
    )


def test_families_without_a_case_have_one_value_in_the_key_figure_and_the_theory_of_change(cast):
    """70 % under Målgruppe and 88 % in the theory of change: one left out "don't know"."""
    for has_case, n in (("no", 6), ("yes", 2), ("dont_know", 2)):
        for _i in range(n):
            make_inquiry(cast.norrebro, date=date(2025, 3, 4), has_case=has_case)
    status = _status([cast.norrebro])
    key_figure = dict(_section(status, "target_group").facts)["Share of families without a case at the family unit"]
    assert key_figure == "75 %"  # 6 of the 8 where it is known
    indicator = IndicatorCache().value(
        "share_of_inquiries_without_case",
        {},
        centre_ids=[cast.norrebro.pk],
        start=date(2025, 1, 1),
        end=date(2026, 1, 1),
    )
    assert indicator.display() == key_figure
    centres_row = _section(_status([cast.norrebro, cast.valby], city=True), "centres").tables[0].rows
    assert next(r for r in centres_row if r.key == "norrebro").cells[2] == key_figure


def test_an_expected_child_is_not_a_child_aged_0_to_12_in_the_key_figure_or_the_scorecard(cast):
    make_inquiry(cast.norrebro, date=date(2025, 3, 4), children=[("expected", "unknown")])
    make_inquiry(cast.norrebro, date=date(2025, 3, 5), children=[("3-5", "girl")])
    status = _status([cast.norrebro])
    key_figure = dict(_section(status, "target_group").facts)["Share of inquiries about a child aged 0–12"]
    assert key_figure == "50 %"
    for per_centre in (False, True):
        cache = IndicatorCache()
        args = {"centre_ids": [cast.norrebro.pk], "start": date(2025, 1, 1), "end": date(2026, 1, 1)}
        params = {"min_age": 0, "max_age": 12}
        if per_centre:
            value = cache.per_centre("share_of_children_aged", params, **args)[cast.norrebro.pk]
        else:
            value = cache.value("share_of_children_aged", params, **args)
        assert value.display() == "50 %", per_centre


def test_the_theory_of_change_of_the_city_shows_the_weakest_week_the_resources_table_shows(cast):
    """It said "no data" for the city while the resources table had every centre's weeks."""
    make_inquiry(cast.norrebro, date=date(2025, 3, 4))
    status = _status([cast.norrebro, cast.valby], city=True)
    evidence = _toc_evidence(status)
    assert "Open drop-in hours in the weakest week: no data" not in evidence
    assert "Open drop-in hours in the weakest week: 0 hours a week" in evidence
    resources = _section(status, "resources").tables[0].rows
    assert {r.cells[0] for r in resources} == {"0 of 51"}


def test_courses_started_and_inquiries_that_led_to_a_course_are_told_apart(cast):
    """ "Forløb startet" was 419 in the actions table and 423 courses: a course may start in another
    year than its inquiry. The two numbers now carry two labels."""
    course_action = Action.objects.get(code="course")
    make_inquiry(cast.norrebro, date=date(2024, 12, 30), actions=[course_action])
    make_inquiry(cast.norrebro, date=date(2025, 2, 3), actions=[course_action])
    make_course(cast.norrebro, started_on=date(2025, 1, 6))
    make_course(cast.norrebro, started_on=date(2025, 2, 4))
    assert Course.objects.filter(started_on__year=2025).count() == 2
    status = _status([cast.norrebro])
    actions = _section(status, "actions").tables[0]
    labels = {row.label: row.cells[0] for row in actions.rows}
    assert "Course started" not in labels
    assert labels["Inquiries that led to a course"].value == 1
    courses = _section(status, "courses")
    assert ("Courses started", 2) in [(label, getattr(v, "value", v)) for label, v in courses.facts]
