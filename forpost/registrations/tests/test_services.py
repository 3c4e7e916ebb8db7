from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.core.locking import Conflict
from forpost.registrations import services
from forpost.registrations.models import (
    BridgeStatus,
    Course,
    Inquiry,
    Referral,
    ReferralDestination,
    Residence,
    Session,
)
from forpost.registrations.queries import course_outcome
from forpost.registrations.testing import make_course, make_session


def _register(desk, **fields):
    defaults = {
        "actor": desk.cast.alice,
        "centre": desk.cast.norrebro,
        "date": date(2026, 3, 2),
        "time": time(10, 15),
        "channel": desk.walk_in,
        "themes": [desk.upbringing],
        "actions": [desk.advice],
        "children": [("3-5", "girl")],
    }
    defaults.update(fields)
    return services.register_inquiry(**defaults)


def test_it_registers_an_inquiry_with_children_themes_and_an_audit_row(desk):
    inquiry = _register(
        desk, children=[("expected", "not_stated"), ("6-9", "boy")], themes=[desk.upbringing, desk.divorce]
    )

    assert [(c.age_band, c.sex) for c in inquiry.children.all()] == [("expected", "not_stated"), ("6-9", "boy")]
    assert set(inquiry.themes.values_list("code", flat=True)) == {"upbringing", "divorce"}
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="registrations.inquiry")
    assert entry.object_id == str(inquiry.pk)
    assert entry.actor == desk.cast.alice
    assert entry.centre_id == desk.cast.norrebro.pk


def test_a_referral_action_makes_a_referral_and_the_family_unit_gets_a_bridge(desk):
    inquiry = _register(desk, actions=[desk.to_unit, desk.to_volunteer])

    referrals = {r.destination: r for r in inquiry.referrals.all()}
    assert referrals[ReferralDestination.FAMILY_UNIT].bridge_status == BridgeStatus.OFFERED
    assert referrals[ReferralDestination.VOLUNTEER_GROUP].bridge_status == ""


def test_the_bridge_moves_from_offered_to_case_opened(desk):
    referral = _register(desk, actions=[desk.to_unit]).referrals.get()
    services.set_bridge_status(
        actor=desk.cast.alice, referral=referral, expected_version=1, bridge_status=BridgeStatus.CASE_OPENED
    )
    referral.refresh_from_db()
    assert (referral.bridge_status, referral.version) == (BridgeStatus.CASE_OPENED, 2)


def test_a_report_of_concern_keeps_only_its_date(desk):
    inquiry = _register(desk, actions=[desk.concern])
    assert inquiry.concern_reported_on == date(2026, 3, 2)


def test_a_concern_date_without_the_action_is_refused(desk):
    with pytest.raises(ValidationError) as caught:
        _register(desk, concern_reported_on=date(2026, 3, 2))
    assert "concern_reported_on" in caught.value.error_dict


def test_a_district_is_required_when_the_family_lives_in_one(desk):
    with pytest.raises(ValidationError):
        _register(desk, residence=Residence.DISTRICT, district=None)
    inquiry = _register(desk, residence=Residence.DISTRICT, district=desk.cast.norrebro.district)
    assert inquiry.district == desk.cast.norrebro.district


def test_a_note_with_a_cpr_number_is_refused_by_the_service_too(desk):
    with pytest.raises(ValidationError):
        _register(desk, note="Barnets cpr er 211062-5629")
    assert not Inquiry.objects.exists()


def test_course_labels_count_per_centre_and_year(desk):
    cast = desk.cast
    first = make_course(cast.norrebro, started_on=date(2026, 1, 5))
    second = make_course(cast.norrebro, started_on=date(2026, 6, 1))
    other_year = make_course(cast.norrebro, started_on=date(2027, 1, 4))
    other_centre = make_course(cast.valby, started_on=date(2026, 2, 1))

    assert [first.label, second.label, other_year.label, other_centre.label] == [
        "NØR-2026-0001",
        "NØR-2026-0002",
        "NØR-2027-0001",
        "VAL-2026-0001",
    ]


def test_starting_a_course_marks_the_inquiry(desk):
    course = make_course(desk.cast.norrebro, actor=desk.cast.alice)
    assert "course" in course.inquiry.actions.values_list("code", flat=True)
    assert course.counsellor == desk.cast.alice


def test_session_totals_and_the_srs_flag(desk):
    course = make_course(desk.cast.norrebro)
    scores = {f"ors_{i}": Decimal("4.5") for i in range(1, 5)} | {f"srs_{i}": Decimal("8.5") for i in range(1, 5)}
    session = make_session(course, scaling=3, **scores)

    assert session.ors_total == Decimal("18.0")
    assert session.srs_total == Decimal("34.0")
    assert session.srs_flagged
    assert list(Session.objects.srs_flagged()) == [session]


def test_half_an_ors_is_refused(desk):
    course = make_course(desk.cast.norrebro)
    with pytest.raises(ValidationError):
        make_session(course, ors_1=Decimal(5))


def test_a_session_cannot_be_added_to_an_ended_course(desk):
    course = make_course(desk.cast.norrebro)
    services.end_course(actor=None, course=course, expected_version=1, ended_on=course.started_on, result="reached")
    with pytest.raises(ValidationError):
        make_session(course)


def _ors(total):
    item = Decimal(total) / 4
    return {f"ors_{i}": item for i in range(1, 5)}


def test_outcome_reliable_change_and_recovery_use_the_norm(desk):
    course = make_course(desk.cast.norrebro, norm="adult", started_on=date(2026, 1, 5))
    make_session(course, date=date(2026, 1, 5), scaling=2, **_ors(20))
    make_session(course, date=date(2026, 1, 19), scaling=4, **_ors(22))
    make_session(course, date=date(2026, 2, 2), scaling=7, **_ors(26))

    outcome = course_outcome(course)
    assert outcome.scaling_change == 5
    assert outcome.ors_change == Decimal(6)
    assert outcome.reliable_change is True
    assert outcome.recovered is True  # 20 < 25 <= 26


def test_the_child_norm_has_a_higher_cut_off(desk):
    course = make_course(desk.cast.norrebro, norm="child", started_on=date(2026, 1, 5))
    make_session(course, date=date(2026, 1, 5), **_ors(24))
    make_session(course, date=date(2026, 2, 2), **_ors(28))

    outcome = course_outcome(course)
    assert outcome.reliable_change is False  # 4 points
    assert outcome.recovered is False  # 28 < 32


def test_one_ors_score_gives_no_change(desk):
    course = make_course(desk.cast.norrebro)
    make_session(course, **_ors(20))
    assert course_outcome(course).ors_change is None


def test_a_stale_edit_raises_a_conflict_and_changes_nothing(desk):
    inquiry = _register(desk)
    services.update_inquiry(
        actor=desk.cast.alice,
        inquiry=Inquiry.objects.get(pk=inquiry.pk),
        expected_version=1,
        channel=desk.phone,
        themes=[desk.upbringing],
        actions=[desk.advice],
        children=[],
    )
    with pytest.raises(Conflict) as caught:
        services.update_inquiry(
            actor=desk.cast.bob,
            inquiry=Inquiry.objects.get(pk=inquiry.pk),
            expected_version=1,
            minutes=30,
            themes=[desk.divorce],
            actions=[desk.advice],
            children=[],
        )
    assert (caught.value.expected_version, caught.value.current_version) == (1, 2)
    inquiry.refresh_from_db()
    assert inquiry.minutes is None
    assert list(inquiry.themes.values_list("code", flat=True)) == ["upbringing"]


def test_a_used_reference_item_cannot_be_deleted(desk):
    _register(desk)
    assert desk.upbringing.is_in_use()
    with pytest.raises(ProtectedError):
        desk.upbringing.delete()
    with pytest.raises(ProtectedError):
        desk.walk_in.delete()


def test_removing_a_referral_action_drops_its_referral(desk):
    inquiry = _register(desk, actions=[desk.to_volunteer])
    services.update_inquiry(
        actor=desk.cast.alice, inquiry=inquiry, expected_version=1, themes=[], actions=[desk.advice], children=[]
    )
    assert not Referral.objects.filter(inquiry=inquiry).exists()


def test_a_course_referral_belongs_to_the_course(desk):
    course = make_course(desk.cast.norrebro)
    referral = services.refer_from_course(actor=None, course=course, destination=ReferralDestination.SOCIALCENTER)
    assert referral.centre == course.centre
    assert Course.objects.get(pk=course.pk).referrals.get() == referral
