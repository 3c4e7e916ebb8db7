from datetime import date

import pytest
from django.utils import translation

from forpost.collaboration.models import Activity, ActivityType, GroupReferral, VolunteerGroup
from forpost.reports.status import build_status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(centres, key, *, city=False, suppress=False):
    status = build_status(year=2025, centres=centres, city_wide=city, suppress=suppress, title="T")
    return next(s for s in status.sections if s.key == key)


@pytest.fixture
def activities(cast):
    theme = ActivityType.objects.filter(yearly_minimum__isnull=False).order_by("position").first()
    theme.yearly_minimum = 2
    theme.save()
    for day in (3, 4):
        Activity.objects.create(centre=cast.norrebro, date=date(2025, 5, day), type=theme, participants=10)
    Activity.objects.create(centre=cast.valby, date=date(2024, 5, 3), type=theme, participants=10)  # another year
    return theme


def test_activities_are_counted_against_the_yearly_minimum(cast, activities):
    rows = {r.key: r.cells for r in section([cast.norrebro], "collaboration").tables[0].rows}
    count, minimum, verdict = rows[activities.code]
    assert (count, minimum, verdict) == ("2", "2", "met")
    city = {r.key: r.cells for r in section([cast.norrebro, cast.valby], "collaboration", city=True).tables[0].rows}
    # Valby's activity was in 2024: only Nørrebro reaches the minimum in 2025.
    assert city[activities.code] == ("2", "2", "1 of 2 centres")


def test_group_referrals_count_families_and_are_suppressed_outside(cast):
    group = VolunteerGroup.objects.create(
        centre=cast.norrebro,
        name="Netværksgruppe",
        association_name="Foreningen",
        description="Samtaler",
        target_group="primary",
        active_from=date(2024, 1, 1),
    )
    GroupReferral.objects.create(group=group, date=date(2025, 3, 1), direction="to_group", count=3)
    GroupReferral.objects.create(group=group, date=date(2025, 4, 1), direction="to_centre", count=9)
    plain = section([cast.norrebro], "volunteers")
    assert dict(plain.facts)["Active volunteer groups"] == "1"
    table = next(t for t in plain.tables if t.key == "group_referrals")
    assert {r.key: r.cells[0].value for r in table.rows} == {"to_centre": 9, "to_group": 3}
    hidden = next(t for t in section([cast.norrebro], "volunteers", suppress=True).tables if t.key == "group_referrals")
    assert [r.cells[0].suppressed for r in hidden.rows] == [True, True]
