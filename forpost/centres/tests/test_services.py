"""Writes to hours, closures, holidays, staffing and budgets: checked, atomic and audited."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.centres import services
from forpost.centres.hours import WeeklySlot
from forpost.centres.models import Budget, Closure, HolidayOverride, OpeningHoursPattern, OpeningSlot
from forpost.centres.testing import make_budget, make_pattern

SLOTS = [WeeklySlot(0, time(14), time(17)), WeeklySlot(3, time(10), time(14))]


def entries(action, object_type):
    return AuditEntry.objects.filter(action=action, object_type=object_type)


def test_a_pattern_is_saved_with_its_slots_and_audited(cast):
    pattern = services.save_hours_pattern(
        actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 1, 1), valid_to=None, slots=SLOTS
    )
    assert [(s.weekday, s.starts_at) for s in pattern.slots.all()] == [(0, time(14)), (3, time(10))]
    entry = entries(AuditAction.CREATE, "centres.openinghourspattern").get()
    assert entry.actor == cast.bob
    assert entry.centre_id == cast.norrebro.pk
    assert entry.changes["slots"] == [None, ["0 14:00-17:00 drop_in", "3 10:00-14:00 drop_in"]]
    assert entry.changes["valid_from"] == [None, "2025-01-01"]


def test_an_overlapping_pattern_is_refused_with_the_other_patterns_dates(cast):
    make_pattern(cast.norrebro, valid_from=date(2025, 1, 1), valid_to=None)
    with pytest.raises(ValidationError) as caught:
        services.save_hours_pattern(
            actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 9, 1), valid_to=None, slots=SLOTS
        )
    assert "1. januar 2025" in caught.value.messages[0]
    assert OpeningHoursPattern.objects.filter(centre=cast.norrebro).count() == 1
    assert not entries(AuditAction.CREATE, "centres.openinghourspattern").exists()


def test_a_pattern_before_an_existing_one_is_refused_when_it_is_open_ended(cast):
    make_pattern(cast.norrebro, valid_from=date(2025, 9, 1), valid_to=date(2025, 12, 31))
    with pytest.raises(ValidationError):
        services.save_hours_pattern(
            actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 1, 1), valid_to=None, slots=SLOTS
        )
    # Ending the day before is fine.
    services.save_hours_pattern(
        actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 1, 1), valid_to=date(2025, 8, 31), slots=SLOTS
    )
    assert OpeningHoursPattern.objects.filter(centre=cast.norrebro).count() == 2


def test_another_centres_pattern_does_not_overlap(cast):
    make_pattern(cast.valby, valid_from=date(2025, 1, 1))
    services.save_hours_pattern(
        actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 1, 1), valid_to=None, slots=SLOTS
    )


def test_editing_a_pattern_does_not_clash_with_itself_and_replaces_the_slots(cast):
    pattern = make_pattern(cast.norrebro, valid_from=date(2025, 1, 1))
    services.save_hours_pattern(
        actor=cast.bob,
        centre=cast.norrebro,
        valid_from=date(2025, 2, 1),
        valid_to=None,
        slots=[WeeklySlot(2, time(9), time(15))],
        pattern=pattern,
    )
    pattern.refresh_from_db()
    assert pattern.valid_from == date(2025, 2, 1)
    assert list(OpeningSlot.objects.filter(pattern=pattern).values_list("weekday", flat=True)) == [2]
    change = entries(AuditAction.CHANGE, "centres.openinghourspattern").get()
    assert change.changes["valid_from"] == ["2025-01-01", "2025-02-01"]
    assert change.changes["slots"][1] == ["2 09:00-15:00 drop_in"]


def test_clashing_slots_are_refused(cast):
    with pytest.raises(ValidationError):
        services.save_hours_pattern(
            actor=cast.bob,
            centre=cast.norrebro,
            valid_from=date(2025, 1, 1),
            valid_to=None,
            slots=[WeeklySlot(0, time(9), time(12)), WeeklySlot(0, time(11), time(13))],
        )
    assert not OpeningHoursPattern.objects.exists()


def test_a_pattern_ending_before_it_starts_is_refused(cast):
    with pytest.raises(ValidationError):
        services.save_hours_pattern(
            actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 5, 1), valid_to=date(2025, 4, 1), slots=SLOTS
        )


def test_a_pattern_of_another_centre_cannot_be_edited_through_this_one(cast):
    pattern = make_pattern(cast.valby)
    with pytest.raises(ValidationError):
        services.save_hours_pattern(
            actor=cast.bob, centre=cast.norrebro, valid_from=date(2025, 1, 1), valid_to=None, slots=[], pattern=pattern
        )


def test_deleting_a_pattern_keeps_its_slots_in_the_audit_trail(cast):
    pattern = make_pattern(cast.norrebro)
    services.delete_hours_pattern(actor=cast.bob, pattern=pattern)
    assert not OpeningHoursPattern.objects.exists()
    entry = entries(AuditAction.DELETE, "centres.openinghourspattern").get()
    assert "0 14:00-17:00 drop_in" in entry.changes["slots"]


def test_a_closure_is_added_and_deleted_with_audit(cast):
    closure = services.add_closure(
        actor=cast.bob, centre=cast.norrebro, starts_on=date(2025, 7, 7), ends_on=date(2025, 7, 25), reason=" Sommer "
    )
    assert closure.reason == "Sommer"
    services.delete_closure(actor=cast.bob, closure=closure)
    assert not Closure.objects.exists()
    assert entries(AuditAction.CREATE, "centres.closure").count() == 1
    assert entries(AuditAction.DELETE, "centres.closure").count() == 1


def test_a_closure_ending_before_it_starts_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        services.add_closure(
            actor=cast.bob, centre=cast.norrebro, starts_on=date(2025, 7, 7), ends_on=date(2025, 7, 1), reason="x"
        )
    assert "Sidste lukkedag ligger før første lukkedag." in caught.value.messages


def test_a_holiday_can_be_kept_open_and_closed_again(cast):
    whit_monday = date(2025, 6, 9)
    services.set_holiday_override(actor=cast.bob, centre=cast.norrebro, day=whit_monday, open_anyway=True)
    services.set_holiday_override(actor=cast.bob, centre=cast.norrebro, day=whit_monday, open_anyway=True)
    assert HolidayOverride.objects.get(centre=cast.norrebro).date == whit_monday
    services.set_holiday_override(actor=cast.bob, centre=cast.norrebro, day=whit_monday, open_anyway=False)
    assert not HolidayOverride.objects.exists()
    assert entries(AuditAction.CREATE, "centres.holidayoverride").count() == 1
    assert entries(AuditAction.DELETE, "centres.holidayoverride").count() == 1


def test_an_ordinary_day_cannot_be_marked_as_a_holiday_kept_open(cast):
    with pytest.raises(ValidationError) as caught:
        services.set_holiday_override(actor=cast.bob, centre=cast.norrebro, day=date(2025, 6, 10), open_anyway=True)
    assert "10. juni 2025 er ikke en dansk helligdag" in caught.value.messages[0]


def test_a_staff_allocation_is_saved_and_changed_with_audit(cast):
    allocation = services.save_staff_allocation(
        actor=cast.bob,
        centre=cast.norrebro,
        role="caseworker",
        hours_per_week=Decimal("3.5"),
        valid_from=date(2025, 1, 1),
        valid_to=None,
    )
    services.save_staff_allocation(
        actor=cast.bob,
        centre=cast.norrebro,
        role="caseworker",
        hours_per_week=Decimal(4),
        valid_from=date(2025, 1, 1),
        valid_to=None,
        allocation=allocation,
    )
    change = entries(AuditAction.CHANGE, "centres.staffallocation").get()
    assert change.changes == {"hours_per_week": ["3.50", "4.00"]}


def test_zero_staff_hours_are_refused(cast):
    with pytest.raises(ValidationError):
        services.save_staff_allocation(
            actor=cast.bob,
            centre=cast.norrebro,
            role="caseworker",
            hours_per_week=Decimal(0),
            valid_from=date(2025, 1, 1),
            valid_to=None,
        )


def test_management_enters_a_budget_and_the_coordinator_confirms_it(cast):
    budget = services.set_budget(actor=cast.frank, centre=cast.norrebro, year=2026, amount=Decimal(450000))
    assert budget.entered_by == cast.frank and budget.confirmed_at is None
    services.confirm_budget_known(actor=cast.bob, budget=budget, amount_seen=Decimal(450000))
    budget.refresh_from_db()
    assert budget.confirmed_known_by == cast.bob
    assert budget.confirmed_at is not None
    assert entries(AuditAction.CHANGE, "centres.budget").get().actor == cast.bob


def test_a_changed_amount_must_be_confirmed_again(cast):
    budget = make_budget(cast.norrebro, year=2026, amount="450000")
    services.confirm_budget_known(actor=cast.bob, budget=budget)
    services.set_budget(actor=cast.frank, centre=cast.norrebro, year=2026, amount=Decimal(470000))
    budget.refresh_from_db()
    assert budget.amount == Decimal(470000)
    assert budget.confirmed_at is None and budget.confirmed_known_by is None


def test_the_same_amount_again_keeps_the_confirmation(cast):
    budget = make_budget(cast.norrebro, year=2026, amount="450000")
    services.confirm_budget_known(actor=cast.bob, budget=budget)
    services.set_budget(actor=cast.frank, centre=cast.norrebro, year=2026, amount=Decimal("450000.00"))
    budget.refresh_from_db()
    assert budget.confirmed_at is not None
    assert Budget.objects.count() == 1


def test_a_confirmation_of_an_amount_since_changed_is_refused(cast):
    budget = make_budget(cast.norrebro, year=2026, amount="450000")
    services.set_budget(actor=cast.frank, centre=cast.norrebro, year=2026, amount=Decimal(470000))
    with pytest.raises(ValidationError):
        services.confirm_budget_known(actor=cast.bob, budget=budget, amount_seen=Decimal(450000))
    budget.refresh_from_db()
    assert budget.confirmed_at is None


def test_a_budget_year_out_of_range_is_refused(cast):
    with pytest.raises(ValidationError):
        services.set_budget(actor=cast.frank, centre=cast.norrebro, year=1850, amount=Decimal(1))
