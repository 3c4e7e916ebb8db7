"""The indicators over registrations, and the promises of the list of indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from forpost.centres.models import PopulationFigure
from forpost.concepts import indicators
from forpost.concepts.indicators import BY_NAME, INDICATORS, IndicatorValue, compute
from forpost.concepts.representation import wilson
from forpost.registrations.models import Channel, Child, Inquiry, Referral, ReferralSource, ScoreNorm

YEAR = 2025
START, END = date(YEAR, 1, 1), date(YEAR + 1, 1, 1)


def inquiry(centre, *, on=date(YEAR, 3, 3), channel="walk_in", **fields) -> Inquiry:
    return Inquiry.objects.create(centre=centre, date=on, channel=Channel.objects.get(code=channel), **fields)


# Over whole years these read the annual status's counts; over other periods they scan.
FROM_COUNTS = {
    "registrations_count",
    "inquiry_channels_used",
    "share_of_children_aged",
    "share_of_inquiries_without_case",
    "share_of_inquiries_referred_by",
    "share_of_courses_with_reliable_improvement",
    "referral_count",
    "share_of_referrals_with_contact",
}


def value(name, centre, **params) -> IndicatorValue:
    """The indicator over the year, from the counts (which the registration services keep in
    step; these tests create rows directly, so they recount first), and checked against a
    scan of the registrations over the same days."""
    from forpost.registrations.counts import rebuild

    rebuild()
    found = compute(name, centre_ids=[centre.pk], start=START, end=END, params=params)
    if name in FROM_COUNTS:
        # [1 January, 31 December) is not a whole year, so it scans; no test data is on 31 December.
        scanned = compute(name, centre_ids=[centre.pk], start=START, end=date(YEAR, 12, 31), params=params)
        assert (found.value, found.parts) == (scanned.value, scanned.parts)
    return found


def test_every_registered_indicator_runs_on_an_empty_centre_without_inventing_numbers(cast):
    samples = {
        "activity_count": {"types": ["theme_event"]},
        "volunteer_groups_active": {},
        "share_of_volunteer_groups": {"target_group": "primary"},
        "registrations_count": {"kind": "inquiries"},
        "inquiry_channels_used": {"channels": ["walk_in"]},
        "share_of_children_aged": {"min_age": 0, "max_age": 12},
        "share_of_inquiries_referred_by": {"sources": ["daycare"]},
        "underrepresented_groups": {"dimensions": ["origin"], "tolerance": 0.5},
        "share_of_inquiries_by_channel": {"channels": ["home_visit"]},
        "share_of_ended_courses_with_scores": {"score": "ors"},
        "share_of_sessions_with_score": {"score": "srs"},
        "dropin_hours_per_week": {"excused_weeks": 9},
        "family_unit_staff_hours_per_week": {"excused_weeks": 9},
    }
    shares = set()
    for name, spec in BY_NAME.items():
        result = compute(name, centre_ids=[cast.norrebro.pk], start=START, end=END, params=samples.get(name, {}))
        assert isinstance(result, IndicatorValue)
        if spec.unit == indicators.Unit.SHARE:
            shares.add(name)
            # A share of nothing is no data, not 0 %.
            assert result.value is None, name
            assert result.no_data_reason
    assert "share_of_inquiries_without_case" in shares


def test_an_empty_period_has_no_data(cast):
    result = compute(
        "activity_count", centre_ids=[cast.norrebro.pk], start=END, end=END, params={"types": ["theme_event"]}
    )
    assert result.value is None


def test_it_counts_inquiries_and_the_channels_used(cast):
    inquiry(cast.norrebro)
    inquiry(cast.norrebro, channel="phone")
    inquiry(cast.norrebro, on=date(YEAR - 1, 12, 31))
    inquiry(cast.valby)
    assert value("registrations_count", cast.norrebro, kind="inquiries").value == 2
    used = value("inquiry_channels_used", cast.norrebro, channels=["walk_in", "home_visit"])
    assert (used.value, used.parts) == (1, (1, 2))


def test_the_share_of_children_aged_0_to_12(cast):
    first = inquiry(cast.norrebro)
    Child.objects.create(inquiry=first, age_band="0-2")
    Child.objects.create(inquiry=first, age_band="10-12")
    Child.objects.create(inquiry=first, age_band="13-17")
    Child.objects.create(inquiry=inquiry(cast.norrebro), age_band="expected")
    result = value("share_of_children_aged", cast.norrebro, min_age=0, max_age=12)
    # An expected child is not born: among the children, but inside no age range (as in the
    # status's key figure "about a child aged 0–12").
    assert (result.value, result.parts) == (0.5, (2, 4))
    assert result.display() == "50 %"


def test_the_share_without_a_case_leaves_out_dont_know(cast):
    inquiry(cast.norrebro, has_case="no")
    inquiry(cast.norrebro, has_case="no")
    inquiry(cast.norrebro, has_case="yes")
    inquiry(cast.norrebro, has_case="dont_know")
    result = value("share_of_inquiries_without_case", cast.norrebro)
    assert result.parts == (2, 3)
    assert "1" in result.detail


def test_the_share_referred_by_professionals(cast):
    inquiry(cast.norrebro, referral_source=ReferralSource.objects.get(code="daycare"))
    inquiry(cast.norrebro, referral_source=ReferralSource.objects.get(code="own"))
    inquiry(cast.norrebro)
    result = value("share_of_inquiries_referred_by", cast.norrebro, sources=["daycare", "health_visitor"])
    assert result.parts == (1, 2)


def test_referrals_and_the_bridge_to_the_family_unit(cast):
    first = inquiry(cast.norrebro)
    Referral.objects.create(
        centre=cast.norrebro, inquiry=first, destination="family_unit", made_on=first.date, bridge_status="contact_made"
    )
    Referral.objects.create(
        centre=cast.norrebro, inquiry=first, destination="family_unit", made_on=first.date, bridge_status="offered"
    )
    Referral.objects.create(centre=cast.norrebro, inquiry=first, destination="socialcenter", made_on=first.date)
    assert value("referral_count", cast.norrebro).value == 3
    assert value("referral_count", cast.norrebro, to=["family_unit"]).value == 2
    assert value("share_of_referrals_with_contact", cast.norrebro, to=["family_unit"]).parts == (1, 2)


def test_reliable_improvement_among_ended_courses(cast):
    from forpost.registrations import services

    norm = ScoreNorm.objects.get(code="adult")
    for first, last in ((Decimal(16), Decimal(32)), (Decimal(20), Decimal(22))):
        course = services.start_course(
            actor=cast.alice, inquiry=inquiry(cast.norrebro), score_norm=norm, started_on=date(YEAR, 2, 1)
        )
        for day, total in ((date(YEAR, 2, 1), first), (date(YEAR, 3, 1), last)):
            per_item = total / 4
            services.add_session(
                actor=cast.alice,
                course=course,
                date=day,
                ors_1=per_item,
                ors_2=per_item,
                ors_3=per_item,
                ors_4=per_item,
            )
        course.refresh_from_db()
        services.end_course(
            actor=cast.alice,
            course=course,
            expected_version=course.version,
            ended_on=date(YEAR, 3, 2),
            result="reached",
        )
    result = value("share_of_courses_with_reliable_improvement", cast.norrebro)
    assert result.parts == (1, 2)


def test_wilson_interval_matches_the_textbook():
    low, high = wilson(10, 100)
    assert round(low, 4) == 0.0552
    assert round(high, 4) == 0.1744
    assert wilson(0, 0) == (0.0, 0.0)


def test_it_flags_a_group_under_represented_against_the_population(cast):
    district = cast.norrebro.district
    for origin, count in (("danish", 700), ("immigrant_non_western", 300)):
        for sex in ("female", "male"):
            PopulationFigure.objects.create(
                year=YEAR, district=district, age_band="30-39", sex=sex, origin=origin, count=count
            )
    for _n in range(95):
        inquiry(cast.norrebro, origin="danish")
    for _n in range(5):
        inquiry(cast.norrebro, origin="immigrant_non_western")
    result = value("underrepresented_groups", cast.norrebro, dimensions=["origin"], tolerance=0.5)
    assert result.value == 1
    assert "Indvandrer" in result.evidence[0].label or "Immigrant" in result.evidence[0].label


def test_without_population_figures_representation_has_no_data(cast):
    inquiry(cast.norrebro, origin="danish")
    assert value("underrepresented_groups", cast.norrebro, dimensions=["origin"], tolerance=0.5).value is None


@pytest.mark.parametrize(
    ("name", "given", "problem"),
    [
        ("dropin_hours_per_week", {"minimum": "6", "excused_weeks": 1}, ("minimum", "Input should be a valid number")),
        ("dropin_hours_per_week", {"minimum": True, "excused_weeks": 1}, ("minimum", "Input should be a valid number")),
        ("dropin_hours_per_week", {"excused_weeks": 1.5}, ("excused_weeks", "Input should be a valid integer")),
        ("dropin_hours_per_week", {"minimum": 6}, ("excused_weeks", "is required")),
        (
            "inquiry_channels_used",
            {"channels": []},
            ("channels", "List should have at least 1 item after validation, not 0"),
        ),
        ("activity_count", {"types": ["b"]}, ("types", "Value error, 'b' must be one of")),
        ("registrations_count", {"kind": "z"}, ("kind", "Input should be 'inquiries' or 'courses'")),
        ("registrations_count", {}, ("kind", "is required")),
        (
            "registrations_count",
            {"kind": "inquiries", "kinds": 1},
            ("kinds", "unknown parameter of registrations_count (known: kind)"),
        ),
        ("activity_count", {}, ("", "Value error, give at least one of: types, partner_types")),
    ],
)
def test_an_indicator_checks_its_parameters_with_its_pydantic_model(name, given, problem):
    problems = BY_NAME[name].check_params(given)
    assert len(problems) == 1, problems
    assert problems[0][0] == problem[0]
    assert problems[0][1].startswith(problem[1]), problems


def test_well_formed_parameters_pass_and_are_typed():
    assert BY_NAME["dropin_hours_per_week"].check_params({"minimum": 6, "excused_weeks": 2}) == []
    params = BY_NAME["dropin_hours_per_week"].validate({"minimum": 6, "excused_weeks": 0})
    assert (params.minimum, params.excused_weeks) == (6.0, 0)
    # Every field says what it means: the model documents the parameter.
    for indicator in INDICATORS:
        for field_name, field in indicator.params.model_fields.items():
            assert field.description, (indicator.name, field_name)


def test_the_indicators_are_one_plain_list_with_one_name_each():
    assert len({i.name for i in INDICATORS}) == len(INDICATORS)
    assert list(BY_NAME) == [i.name for i in INDICATORS]


def test_volunteer_groups_their_rooms_and_their_referrals(cast):
    from datetime import datetime, time

    from django.utils import timezone

    from forpost.collaboration.models import Booking, GroupReferral, Room, VolunteerGroup

    group = VolunteerGroup.objects.create(
        centre=cast.norrebro,
        name="Netværksgruppen",
        association_name="Foreningen for familier",
        description="Samtalegruppe",
        active_from=date(YEAR - 1, 1, 1),
    )
    VolunteerGroup.objects.create(
        centre=cast.norrebro,
        name="Ældre gruppe",
        association_name="X",
        description="Y",
        target_group="secondary",
        active_from=date(YEAR - 3, 1, 1),
        active_to=date(YEAR - 1, 12, 31),
    )
    room = Room.objects.create(centre=cast.norrebro, name="Salen", capacity=20)
    at = timezone.make_aware(datetime.combine(date(YEAR, 4, 2), time(17)))
    Booking.objects.create(room=room, volunteer_group=group, starts_at=at, ends_at=at.replace(hour=19))
    Booking.objects.create(
        room=room,
        holder_name="Kor",
        starts_at=at.replace(day=3),
        ends_at=at.replace(day=3, hour=19),
        cancelled_at=timezone.now(),
    )
    GroupReferral.objects.create(group=group, date=date(YEAR, 5, 1), direction="to_centre", count=3)
    GroupReferral.objects.create(group=group, date=date(YEAR, 5, 2), direction="to_group", count=2)

    assert value("volunteer_groups_active", cast.norrebro).value == 1
    assert value("share_of_volunteer_groups", cast.norrebro, target_group="primary").value == 1.0
    bookings = value("volunteer_room_bookings", cast.norrebro)
    assert bookings.value == 1
    assert bookings.evidence[0].label == "Netværksgruppen"
    assert value("group_referrals", cast.norrebro).value == 5
    assert value("group_referrals", cast.norrebro, direction="to_centre").value == 3
