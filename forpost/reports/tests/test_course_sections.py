"""Courses, outcomes and referrals in the status: a hand-computed year."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from forpost.registrations import services
from forpost.registrations.testing import make_course, make_referral, make_session
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def ors(total):
    quarter = Decimal(total) / 4
    return {"ors_1": quarter, "ors_2": quarter, "ors_3": quarter, "ors_4": quarter}


def end(course, result, on=date(2025, 2, 20)):
    course.refresh_from_db()
    return services.end_course(actor=None, course=course, expected_version=course.version, ended_on=on, result=result)


@pytest.fixture
def year(cast):
    """Nørrebro 2025, adult ORS norm (cut-off 25, reliable change 5). Four courses end:
    c1 scaling 3→7, ORS 20→28 (reliable, recovered), goal reached;
    c2 scaling 5→6, ORS 22→24, partly; c3 one session, dropped out; c4 no session, referred on.
    A fifth starts and runs on. c1 is referred to the family unit; contact was made."""
    first = date(2025, 1, 10)
    c1 = make_course(cast.norrebro, started_on=first, inquiry=None)
    make_session(c1, date=first, scaling=3, **ors(20))
    make_session(c1, date=date(2025, 2, 1), scaling=7, **ors(28))
    c2 = make_course(cast.norrebro, started_on=first)
    make_session(c2, date=first, scaling=5, **ors(22))
    make_session(c2, date=date(2025, 2, 1), scaling=6, **ors(24))
    c3 = make_course(cast.norrebro, started_on=first)
    make_session(c3, date=first, scaling=4)
    c4 = make_course(cast.norrebro, started_on=first)
    referral = make_referral(c1)
    services.set_bridge_status(
        actor=None, referral=referral, expected_version=referral.version, bridge_status="contact_made"
    )
    for course, result in ((c1, "reached"), (c2, "partly"), (c3, "dropped_out"), (c4, "referred_on")):
        end(course, result)
    make_course(cast.norrebro, started_on=date(2025, 6, 1))
    return cast


def section(cast, key):
    status = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
    return next(s for s in status.sections if s.key == key)


def values(table):
    return {r.key: r.cells[0].value for r in table.rows}


def test_courses_by_result_sessions_and_length(year):
    courses = section(year, "courses")
    facts = dict(courses.facts)
    assert facts["Courses started"].value == 5
    assert facts["Courses ended"].value == 4
    tables = {t.key: t for t in courses.tables}
    assert values(tables["results"]) == {
        "reached": 1,
        "partly": 1,
        "not_reached": 0,
        "dropped_out": 1,
        "referred_on": 1,
    }
    assert values(tables["sessions"]) == {"0": 1, "1": 1, "2-3": 2, "4-6": 0, "7+": 0}
    assert values(tables["length"]) == {"lt1": 0, "1-3": 4, "3-6": 0, "gt6": 0}  # 41 days each


def test_outcomes_are_hidden_below_the_minimum_number_of_courses(year):
    facts = dict(section(year, "courses").facts)
    assert "Reliable improvement (ORS)" not in facts
    assert section(year, "courses").notes


def test_outcome_numbers_when_enough_courses(year, settings):
    settings.SUPPRESSION_THRESHOLD = 1  # minimum 2 courses with scores
    facts = dict(section(year, "courses").facts)
    # Numbers that carry their Danish text (the workbook writes the number).
    assert facts["Average change in scaling (0–10)"].value == 2.5  # (4 + 1) / 2
    assert facts["Average change in ORS (0–40)"].value == 5.0  # (8 + 2) / 2
    assert str(facts["Average change in scaling (0–10)"]) == "+2.5"
    assert facts["Reliable improvement (ORS)"] == "50 %"
    assert facts["Recovered, of those who started below the cut-off"] == "50 %"


def test_referrals_and_the_bridge(year, settings):
    settings.SUPPRESSION_THRESHOLD = 1
    referrals = section(year, "referrals")
    tables = {t.key: t for t in referrals.tables}
    assert values(tables["destinations"])["family_unit"] == 1
    assert values(tables["bridge"]) == {"offered": 0, "contact_made": 1, "case_opened": 0}
    assert dict(referrals.facts)["Referrals to the family unit that led to contact"] == "100 %"
