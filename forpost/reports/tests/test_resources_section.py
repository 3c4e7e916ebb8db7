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
    assert rows["norrebro"][3] == "yes, 2025-02-03"
    assert rows["valby"][2] == "–" and rows["valby"][3] == "no"
