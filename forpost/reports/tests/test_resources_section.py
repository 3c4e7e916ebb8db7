from decimal import Decimal

import pytest
from django.utils import timezone, translation

from forpost.centres.models import Budget
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_resources_show_budget_and_weeks_without_hours(cast):
    Budget.objects.create(
        centre=cast.norrebro,
        year=2025,
        amount=Decimal("1250000"),
        entered_at=timezone.now(),
        confirmed_at=timezone.make_aware(timezone.datetime(2025, 2, 3, 10, 0)),
    )
    status = build_status(year=2025, centres=[cast.norrebro, cast.valby], city_wide=True, suppress=True, title="T")
    resources = next(s for s in status.sections if s.key == "resources")
    rows = {r.key: r.cells for r in resources.tables[0].rows}
    # Whole weeks inside 2025: Monday 6 January to the week of Monday 22 December, 51 weeks.
    # No opening hours are recorded, so none of them has 6 drop-in hours.
    assert rows["norrebro"][0] == "0 of 51"
    assert rows["norrebro"][2] == "1,250,000"
    assert rows["norrebro"][3:5] == ("yes", "3 February 2025")
    assert rows["valby"][2] == "–" and rows["valby"][3] == "no"


def test_a_budget_confirmed_just_after_midnight_on_new_years_day_is_dated_in_copenhagen(cast):
    """00:30 on 1 January in Copenhagen is 23:30 on 31 December in UTC: the date shown was UTC's."""
    from zoneinfo import ZoneInfo

    Budget.objects.create(
        centre=cast.norrebro,
        year=2025,
        amount=Decimal("900000"),
        entered_at=timezone.now(),
        confirmed_at=timezone.datetime(2025, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Copenhagen")),
    )
    status = build_status(year=2025, centres=[cast.norrebro], city_wide=False, suppress=False, title="T")
    resources = next(s for s in status.sections if s.key == "resources")
    assert resources.tables[0].rows[0].cells[3:5] == ("yes", "1 January 2025")
