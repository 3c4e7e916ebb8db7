"""The coordinator's hours, staffing and budget pages, and the dashboard's concept checks."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.centres import hours
from forpost.centres.models import Budget, Closure, HolidayOverride, OpeningHoursPattern, StaffAllocation
from forpost.centres.testing import make_allocation, make_budget, make_pattern
from forpost.core.testing import post_form


def url(name, centre, **kwargs):
    return reverse(name, kwargs={"slug": centre.slug, **kwargs})


def pattern_post(valid_from="2025-01-01", valid_to="", rows=()):
    data = {
        "valid_from": valid_from,
        "valid_to": valid_to,
        "slots-TOTAL_FORMS": "4",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "28",
    }
    for i in range(4):
        weekday, start, end, kind = rows[i] if i < len(rows) else ("", "", "", "drop_in")
        data.update(
            {
                f"slots-{i}-weekday": weekday,
                f"slots-{i}-starts_at": start,
                f"slots-{i}-ends_at": end,
                f"slots-{i}-kind": kind,
            }
        )
    return data


def test_a_coordinator_saves_a_weekly_pattern(cast, client_for):
    client = client_for(cast.bob)
    response = post_form(
        client,
        url("centres:pattern_create", cast.norrebro),
        pattern_post(rows=[("0", "14:00", "17:00", "drop_in"), ("3", "10:00", "13:30", "drop_in")]),
    )
    assert response.status_code == 302
    pattern = OpeningHoursPattern.objects.get(centre=cast.norrebro)
    assert [(s.weekday, s.ends_at) for s in pattern.slots.all()] == [(0, time(17)), (3, time(13, 30))]
    page = client.get(url("centres:hours", cast.norrebro)).content.decode()
    assert "6,5" in page or "6.5" in page


def test_an_overlapping_pattern_is_refused_in_the_form_with_a_clear_message(cast, client_for):
    make_pattern(cast.norrebro, valid_from=date(2025, 1, 1))
    client = client_for(cast.bob)
    response = client.post(
        url("centres:pattern_create", cast.norrebro),
        pattern_post(valid_from="2025-06-01", rows=[("0", "14:00", "17:00", "drop_in")]),
    )
    assert response.status_code == 200
    assert "overlapper" in response.content.decode()
    assert OpeningHoursPattern.objects.filter(centre=cast.norrebro).count() == 1
    # What was typed is kept.
    assert 'value="2025-06-01"' in response.content.decode()


def test_a_half_filled_slot_row_is_explained(cast, client_for):
    response = client_for(cast.bob).post(
        url("centres:pattern_create", cast.norrebro), pattern_post(rows=[("0", "14:00", "", "drop_in")])
    )
    assert response.status_code == 200
    assert not OpeningHoursPattern.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"valid_from": "not a date"},
        {"valid_from": "2025-01-01", "slots-TOTAL_FORMS": "x"},
        {"valid_from": "2025-01-01", "slots-TOTAL_FORMS": "1", "slots-INITIAL_FORMS": "0", "slots-0-weekday": "9"},
        {
            "valid_from": "2025-01-01",
            "slots-TOTAL_FORMS": "1",
            "slots-INITIAL_FORMS": "0",
            "slots-0-starts_at": "25:99",
        },
    ],
)
def test_bad_pattern_input_never_breaks_the_page(cast, client_for, data):
    response = client_for(cast.bob).post(url("centres:pattern_create", cast.norrebro), data)
    assert response.status_code == 200
    assert not OpeningHoursPattern.objects.exists()


def test_a_coordinator_edits_a_pattern(cast, client_for):
    pattern = make_pattern(cast.norrebro, valid_from=date(2025, 1, 1))
    client = client_for(cast.bob)
    form = client.get(url("centres:pattern_edit", cast.norrebro, pk=pattern.pk)).content.decode()
    assert 'value="14:00"' in form
    response = post_form(
        client,
        url("centres:pattern_edit", cast.norrebro, pk=pattern.pk),
        pattern_post(valid_from="2025-01-01", rows=[("1", "09:00", "15:00", "drop_in")]),
    )
    assert response.status_code == 302
    assert [s.weekday for s in pattern.slots.all()] == [1]


def test_counsellors_see_the_hours_but_cannot_change_them(cast, client_for):
    make_pattern(cast.norrebro)
    client = client_for(cast.alice)
    page = client.get(url("centres:hours", cast.norrebro)).content.decode()
    assert reverse("centres:pattern_create", kwargs={"slug": "norrebro"}) not in page
    assert client.get(url("centres:pattern_create", cast.norrebro)).status_code == 403


def test_the_hours_page_lists_the_weeks_below_the_minimum(cast, client_for):
    # Six hours on Tuesday and Thursday: the week of Ascension Day 2025 (week 22) has three.
    make_pattern(
        cast.norrebro,
        valid_from=date(2025, 1, 1),
        slots=[(1, time(13), time(16), "drop_in"), (3, time(13), time(16), "drop_in")],
    )
    response = client_for(cast.erin).get(url("centres:hours", cast.norrebro) + "?year=2025")
    page = response.content.decode()
    assert "Uge 22 (fra 26. maj 2025): 3 t" in page
    assert "Uge 23 (" not in page


def test_a_bad_year_falls_back_to_this_year(cast, client_for):
    response = client_for(cast.bob).get(url("centres:hours", cast.norrebro) + "?year=abc")
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().isocalendar().year


def test_a_coordinator_keeps_a_holiday_open_and_closes_it_again(cast, client_for):
    client = client_for(cast.bob)
    hours_url = url("centres:holiday_override", cast.norrebro)
    response = client.post(hours_url, {"day": "2025-06-09", "open_anyway": "on"})
    assert response.status_code == 302
    assert HolidayOverride.objects.filter(centre=cast.norrebro, date=date(2025, 6, 9)).exists()
    client.post(hours_url, {"day": "2025-06-09"})
    assert not HolidayOverride.objects.exists()


def test_keeping_an_ordinary_day_open_gives_a_message(cast, client_for):
    client = client_for(cast.bob)
    response = client.post(
        url("centres:holiday_override", cast.norrebro), {"day": "2025-06-10", "open_anyway": "on"}, follow=True
    )
    assert "ikke en dansk helligdag" in response.content.decode()
    assert not HolidayOverride.objects.exists()


def test_a_coordinator_adds_and_deletes_a_closure(cast, client_for):
    client = client_for(cast.bob)
    response = post_form(
        client,
        url("centres:closure_create", cast.norrebro),
        {"starts_on": "2025-07-07", "ends_on": "2025-07-25", "reason": "Sommerferie"},
    )
    assert response.status_code == 302
    closure = Closure.objects.get()
    client.post(url("centres:closure_delete", cast.norrebro, pk=closure.pk))
    assert not Closure.objects.exists()


def test_a_closure_ending_before_it_starts_is_explained(cast, client_for):
    response = client_for(cast.bob).post(
        url("centres:closure_create", cast.norrebro),
        {"starts_on": "2025-07-07", "ends_on": "2025-07-01", "reason": "x"},
    )
    assert response.status_code == 200
    assert "Sidste lukkedag ligger før første lukkedag." in response.content.decode()


def test_a_coordinator_records_staff_hours_in_danish_notation(cast, client_for):
    client = client_for(cast.bob)
    response = post_form(
        client,
        url("centres:allocation_create", cast.norrebro),
        {"role": "family_consultant", "hours_per_week": "4,5", "valid_from": "2025-01-01", "valid_to": ""},
    )
    assert response.status_code == 302
    assert StaffAllocation.objects.get().hours_per_week == Decimal("4.5")


def test_the_staffing_page_flags_weeks_below_six_hours(cast, client_for):
    make_allocation(cast.norrebro, hours_per_week="4", valid_from=date(2025, 1, 1))
    page = client_for(cast.bob).get(url("centres:staffing", cast.norrebro) + "?year=2025").content.decode()
    assert "52 uger under konceptets minimum på 6 personaletimer" in page


def test_management_enters_a_budget_in_danish_notation(cast, client_for):
    client = client_for(cast.frank)
    response = client.post(url("centres:budget_set", cast.norrebro), {"year": "2026", "amount": "450.000"})
    assert response.status_code == 302
    assert Budget.objects.get().amount == Decimal(450000)


@pytest.mark.parametrize("amount", ["abc", "-5", "1e99", ""])
def test_a_bad_budget_amount_is_explained(cast, client_for, amount):
    response = client_for(cast.frank).post(url("centres:budget_set", cast.norrebro), {"year": "2026", "amount": amount})
    assert response.status_code == 200
    assert not Budget.objects.exists()


def test_a_coordinator_cannot_enter_a_budget(cast, client_for):
    response = client_for(cast.bob).post(url("centres:budget_set", cast.norrebro), {"year": "2026", "amount": "1"})
    assert response.status_code == 403
    assert "Indtast et budget" not in client_for(cast.bob).get(url("centres:budget", cast.norrebro)).content.decode()


def test_the_coordinator_confirms_the_budget_is_known(cast, client_for):
    budget = make_budget(cast.norrebro, year=2026, amount="450000")
    client = client_for(cast.bob)
    page = client.get(url("centres:budget", cast.norrebro)).content.decode()
    assert "Bekræft at budgettet er kendt" in page
    response = client.post(url("centres:budget_confirm", cast.norrebro, pk=budget.pk), {"amount_seen": "450000.00"})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.confirmed_known_by == cast.bob


def test_another_centres_coordinator_cannot_confirm(cast, client_for):
    budget = make_budget(cast.norrebro, year=2026)
    response = client_for(cast.dana).post(
        url("centres:budget_confirm", cast.norrebro, pk=budget.pk), {"amount_seen": "450000.00"}
    )
    assert response.status_code == 404
    budget.refresh_from_db()
    assert budget.confirmed_at is None


def test_a_budget_of_another_centre_cannot_be_reached_through_ones_own(cast, client_for):
    budget = make_budget(cast.valby, year=2026)
    response = client_for(cast.bob).post(
        url("centres:budget_confirm", cast.norrebro, pk=budget.pk), {"amount_seen": "450000.00"}
    )
    assert response.status_code == 404


def test_the_coordinators_dashboard_shows_the_concept_checks(cast, client_for):
    today = timezone.localdate()
    make_pattern(cast.norrebro, valid_from=today - timedelta(days=400), slots=[(0, time(14), time(16), "drop_in")])
    make_allocation(cast.norrebro, hours_per_week="8", valid_from=today - timedelta(days=400))
    page = client_for(cast.bob).get(reverse("core:dashboard")).content.decode()
    assert "Konceptets minimumskrav" in page
    assert "under 6 timers åben rådgivning" in page
    assert "Minimum 6 personaletimer hver uge" in page
    assert "Der er ikke indtastet et budget for i år" in page


def test_central_staff_see_only_the_centres_that_fall_short(cast, client_for):
    today = timezone.localdate()
    for centre in (cast.norrebro, cast.valby):
        make_pattern(centre, valid_from=today - timedelta(days=400), slots=[(0, time(8), time(16), "drop_in")])
        make_allocation(centre, hours_per_week="8", valid_from=today - timedelta(days=400))
    make_budget(cast.valby, year=today.year, confirmed_at=timezone.now())
    make_budget(cast.norrebro, year=today.year)
    # Whatever holidays fall in the period, eight hours every Monday can only drop to zero on a
    # holiday Monday; keep the test to the budget by checking which centres are named.
    page = client_for(cast.erin).get(reverse("core:dashboard")).content.decode()
    assert "Centre under konceptets minimumskrav" in page or "Familierådgivninger under konceptets minimumskrav" in page
    panel = page.split("minimumskrav", 1)[1]
    assert "Familierådgivningen Nørrebro" in panel


def test_the_centre_page_shows_the_concept_check(cast, client_for):
    page = client_for(cast.alice).get(url("centres:detail", cast.norrebro)).content.decode()
    assert "Konceptets minimumskrav" in page


def test_concept_checks_cover_the_year_so_far_and_eight_weeks_ahead(cast):
    from forpost.centres.queries import concept_checks

    today = date(2026, 6, 17)
    check = concept_checks([cast.norrebro], today)[0]
    assert len(check.dropin_upcoming) == 8
    assert check.dropin_upcoming[0].monday == hours.monday_of(today)
    assert check.dropin_so_far[0].monday == date(2025, 12, 29)
    assert check.dropin_so_far[-1].monday == hours.monday_of(today) - timedelta(weeks=1)
    assert len(check.dropin_flags) == len(check.dropin_so_far) + 8
    assert not check.budget_confirmed and not check.all_well
