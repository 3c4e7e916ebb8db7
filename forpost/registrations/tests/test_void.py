"""Void and reopen: a wrong registration leaves every count but stays visible to its centre;
an ended course can be reopened or its end corrected; ending asks to confirm; and the action
"course started" exists only with a course. The kept counts equal a recount after each."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations import counts as facts
from forpost.registrations import services
from forpost.registrations.models import ActionKind, Course, Inquiry, InquiryFact, Session
from forpost.registrations.testing import make_course, make_inquiry, make_referral, make_session

from .test_views import _walk_in

DAY = date(2026, 3, 10)


def kept(centre, dimension, value=""):
    rows = InquiryFact.objects.filter(centre=centre, year=DAY.year, dimension=dimension, value=value)
    return sum(rows.values_list("count", flat=True))


def _void(client, url, reason="Registreret to gange"):
    version = client.get(url).context["form"]["version"].value()
    return client.post(url, {"reason": reason, "version": version})


# --- "Forløb startet" -------------------------------------------------------------------------


def test_starting_a_course_counts_the_action_it_adds_to_the_inquiry(desk):
    inquiry = make_inquiry(desk.cast.norrebro, date=DAY)
    services.start_course(actor=desk.cast.alice, inquiry=inquiry, score_norm=desk.adult, started_on=DAY)
    assert kept(desk.cast.norrebro, "action", str(desk.course.pk)) == 1
    assert facts.differences() == []


def _walk_in_with_course(client, desk):
    data = _walk_in(client, desk, actions=[str(desk.advice.pk), str(desk.course.pk)])
    return client.post(reverse("registrations:inquiry_create"), data)


def test_cancelling_the_course_form_after_course_started_leaves_no_trace(client_for, desk):
    client = client_for(desk.cast.alice)
    response = _walk_in_with_course(client, desk)
    inquiry = Inquiry.objects.get()
    assert response["Location"] == reverse("registrations:course_create", kwargs={"pk": inquiry.pk})
    page = client.get(response["Location"]).content.decode()
    # "Cancel" is a plain link back to the inquiry: following it changes nothing.
    assert inquiry.get_absolute_url() in page
    client.get(inquiry.get_absolute_url())
    assert not inquiry.actions.filter(kind=ActionKind.COURSE).exists()
    assert kept(desk.cast.norrebro, "action", str(desk.course.pk)) == 0
    assert kept(desk.cast.norrebro, "action", str(desk.advice.pk)) == 1
    assert facts.differences() == []


def test_starting_the_course_from_the_form_adds_the_action_with_the_course(client_for, desk):
    client = client_for(desk.cast.alice)
    url = _walk_in_with_course(client, desk)["Location"]
    token = client.get(url).context["form"]["submission_token"].value()
    client.post(url, {"started_on": DAY.isoformat(), "score_norm": desk.adult.pk, "submission_token": token})
    inquiry = Inquiry.objects.get()
    assert inquiry.courses.count() == 1
    assert inquiry.actions.filter(kind=ActionKind.COURSE).count() == 1
    assert kept(desk.cast.norrebro, "action", str(desk.course.pk)) == 1
    assert facts.differences() == []


# --- Ending, reopening, correcting ----------------------------------------------------------------


def test_ending_a_course_asks_for_confirmation_first(client_for, desk):
    course = make_course(desk.cast.norrebro)
    client = client_for(desk.cast.alice)
    url = reverse("registrations:course_end", kwargs={"pk": course.pk})
    data = {"ended_on": DAY.isoformat(), "result": "reached", "version": course.version}
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.content.decode()
    course.refresh_from_db()
    assert course.is_open
    assert kept(desk.cast.norrebro, "course_ended") == 0
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    course.refresh_from_db()
    assert (course.ended_on, course.result) == (DAY, "reached")
    assert kept(desk.cast.norrebro, "course_ended") == 1


def test_an_ended_course_can_be_reopened_and_it_counts_as_ended_no_more(client_for, desk):
    course = make_course(desk.cast.norrebro)
    course = services.end_course(
        actor=desk.cast.alice, course=course, expected_version=course.version, ended_on=DAY, result="reached"
    )
    client = client_for(desk.cast.alice)
    assert "Genåbn forløbet" in client.get(course.get_absolute_url()).content.decode()
    response = client.post(
        reverse("registrations:course_reopen", kwargs={"pk": course.pk}), {"version": course.version}
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.is_open and course.result == ""
    assert kept(desk.cast.norrebro, "course_ended") == 0
    assert kept(desk.cast.norrebro, "course_result", "reached") == 0
    entry = AuditEntry.objects.filter(action=AuditAction.CHANGE, object_type="registrations.course").latest("at")
    assert entry.changes["ended_on"] == ["2026-03-10", None]
    assert facts.differences() == []


def test_the_end_of_an_ended_course_can_be_corrected(client_for, desk):
    course = make_course(desk.cast.norrebro)
    make_session(course, date=date(2026, 4, 1))
    course = services.end_course(
        actor=desk.cast.alice,
        course=course,
        expected_version=course.version,
        ended_on=date(2026, 4, 1),
        result="partly",
    )
    client = client_for(desk.cast.alice)
    url = reverse("registrations:course_end", kwargs={"pk": course.pk})
    form = client.get(url).context["form"]
    assert form["ended_on"].value() == date(2026, 4, 1)
    # Not before the last session.
    data = {"ended_on": "2026-03-20", "result": "reached", "version": course.version, "confirm": "yes"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ended_on" in response.context["form"].errors
    data["ended_on"] = "2026-06-30"
    assert client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert (course.ended_on, course.result) == (date(2026, 6, 30), "reached")
    assert kept(desk.cast.norrebro, "course_result", "partly") == 0
    assert kept(desk.cast.norrebro, "course_result", "reached") == 1
    assert facts.differences() == []


# --- Voiding ---------------------------------------------------------------------------------


def test_a_wrong_inquiry_can_be_voided_and_leaves_every_count(client_for, desk):
    wrong = make_inquiry(desk.cast.norrebro, date=DAY, actions=[desk.advice, desk.to_unit])
    make_inquiry(desk.cast.norrebro, date=DAY)
    assert kept(desk.cast.norrebro, "total") == 2
    assert kept(desk.cast.norrebro, "referral_to", "family_unit") == 1
    client = client_for(desk.cast.alice)
    response = _void(client, reverse("registrations:inquiry_void", kwargs={"pk": wrong.pk}))
    assert response.status_code == 302
    wrong = Inquiry.all_objects.get(pk=wrong.pk)
    assert wrong.is_voided and wrong.voided_by == desk.cast.alice
    assert wrong.void_reason == "Registreret to gange"
    assert kept(desk.cast.norrebro, "total") == 1
    assert kept(desk.cast.norrebro, "referral_to", "family_unit") == 0
    assert kept(desk.cast.norrebro, "referral_bridge", "offered") == 0
    assert facts.differences() == []
    entry = AuditEntry.objects.filter(object_type="registrations.inquiry", object_id=str(wrong.pk)).latest("at")
    assert entry.action == AuditAction.CHANGE
    assert entry.changes == {"voided": [False, True], "void_reason_length": len("Registreret to gange")}


def test_a_voided_inquiry_stays_visible_to_its_centre_marked_and_filterable(client_for, desk):
    wrong = make_inquiry(desk.cast.norrebro, date=DAY)
    make_inquiry(desk.cast.norrebro, date=DAY)
    services.void_inquiry(actor=desk.cast.bob, inquiry=wrong, expected_version=wrong.version, reason="Forkert centre")
    client = client_for(desk.cast.alice)
    lists = reverse("registrations:inquiry_list")
    assert client.get(lists).context["page"].paginator.count == 1
    only = client.get(lists, {"voided": "only"})
    assert [i.pk for i in only.context["page"]] == [wrong.pk]
    assert "annulleret" in only.content.decode()
    assert client.get(lists, {"voided": "include"}).context["page"].paginator.count == 2
    page = client.get(wrong.get_absolute_url())
    assert page.status_code == 200
    assert "Forkert centre" in page.content.decode()
    assert reverse("registrations:inquiry_edit", kwargs={"pk": wrong.pk}) not in page.content.decode()
    # It can no longer be changed, and another centre does not see it at all.
    edit = client.get(reverse("registrations:inquiry_edit", kwargs={"pk": wrong.pk}))
    assert edit.status_code == 302
    assert client_for(desk.cast.charlie).get(wrong.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        services.update_inquiry(actor=desk.cast.alice, inquiry=wrong, expected_version=wrong.version, minutes=5)


def test_voided_registrations_are_left_out_of_the_statistics_and_the_api(client, desk):
    from forpost.accounts.services import create_api_token
    from forpost.concepts import indicators
    from forpost.core.periods import CentreScope, Period

    wrong = make_inquiry(desk.cast.norrebro, date=DAY)
    make_inquiry(desk.cast.norrebro, date=DAY)
    services.void_inquiry(actor=desk.cast.alice, inquiry=wrong, expected_version=wrong.version, reason="Dobbelt")
    assert Inquiry.objects.count() == 1 and Inquiry.all_objects.count() == 2
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(actor=desk.cast.alice, name='t')[1]}"}
    assert client.get("/api/v1/inquiries", **bearer).json()["count"] == 1
    assert client.get(f"/api/v1/inquiries/{wrong.pk}", **bearer).status_code == 404
    # An indicator over a part of the year scans the registrations: the voided one is left out.
    scope, period = CentreScope.one(desk.cast.norrebro.pk), Period(date(2026, 3, 1), date(2026, 4, 1))
    assert indicators.value("registrations_count", {"kind": "inquiries"}, scope, period).value == 1


def test_a_voided_course_takes_its_sessions_referrals_and_the_course_action_out_of_the_counts(client_for, desk):
    course = make_course(desk.cast.norrebro)
    make_session(course, scaling=3)
    make_referral(course)
    assert kept(desk.cast.norrebro, "course_started") == 1
    client = client_for(desk.cast.alice)
    assert _void(client, reverse("registrations:course_void", kwargs={"pk": course.pk})).status_code == 302
    course = Course.all_objects.get(pk=course.pk)
    assert course.is_voided
    assert kept(desk.cast.norrebro, "course_started") == 0
    assert kept(desk.cast.norrebro, "referral_to", "family_unit") == 0
    assert kept(desk.cast.norrebro, "action", str(desk.course.pk)) == 0
    assert not course.inquiry.actions.filter(kind=ActionKind.COURSE).exists()
    assert not Session.objects.exists() and Session.all_objects.count() == 1
    assert facts.differences() == []
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Registreret to gange" in page
    assert reverse("registrations:session_create", kwargs={"pk": course.pk}) not in page
    # The inquiry without its course can now be voided too.
    inquiry = course.inquiry
    services.void_inquiry(actor=desk.cast.alice, inquiry=inquiry, expected_version=inquiry.version, reason="Fejl")
    assert kept(desk.cast.norrebro, "total") == 0


def test_an_inquiry_with_a_course_is_voided_only_after_its_course(desk):
    course = make_course(desk.cast.norrebro)
    with pytest.raises(ValidationError, match="annullér forløbet først"):
        services.void_inquiry(
            actor=desk.cast.alice, inquiry=course.inquiry, expected_version=course.inquiry.version, reason="Fejl"
        )
    assert kept(desk.cast.norrebro, "total") == 1


def test_a_voided_session_leaves_the_course_counts(client_for, desk):
    course = make_course(desk.cast.norrebro)
    make_session(course, scaling=2)
    wrong = make_session(course, date=date(2026, 3, 20), scaling=9)
    course.refresh_from_db()
    services.end_course(
        actor=desk.cast.alice,
        course=course,
        expected_version=course.version,
        ended_on=DAY.replace(day=25),
        result="reached",
    )
    assert kept(desk.cast.norrebro, "course_scaling_change") == 7
    client = client_for(desk.cast.alice)
    assert _void(client, reverse("registrations:session_void", kwargs={"pk": wrong.pk})).status_code == 302
    assert kept(desk.cast.norrebro, "course_scaling_n") == 0
    assert kept(desk.cast.norrebro, "course_sessions", "1") == 1
    assert facts.differences() == []
    page = client.get(course.get_absolute_url())
    assert page.context["outcome"].sessions == 1
    assert "annulleret" in page.content.decode()


def test_voiding_needs_a_reason_without_names_and_keeps_what_was_typed(client_for, desk):
    inquiry = make_inquiry(desk.cast.norrebro, date=DAY)
    client = client_for(desk.cast.alice)
    url = reverse("registrations:inquiry_void", kwargs={"pk": inquiry.pk})
    assert "reason" in _void(client, url, reason="  ").context["form"].errors
    response = _void(client, url, reason="Forkert: 010203-1234")
    assert "reason" in response.context["form"].errors
    assert response.context["form"]["reason"].value() == "Forkert: 010203-1234"
    assert not Inquiry.all_objects.get(pk=inquiry.pk).is_voided


def test_a_closed_year_cannot_be_voided_or_reopened(client_for, desk, settings):
    inquiry = make_inquiry(desk.cast.norrebro, date=DAY)
    settings.REGISTRATION_YEAR_OPEN_DAYS = -400  # 2026 closed already
    assert not services.year_is_open(2026)
    client = client_for(desk.cast.alice)
    response = _void(client, reverse("registrations:inquiry_void", kwargs={"pk": inquiry.pk}))
    assert response.status_code == 200
    assert "2026" in " ".join(response.context["form"].non_field_errors())
    assert not Inquiry.all_objects.get(pk=inquiry.pk).is_voided
    settings.REGISTRATION_YEAR_OPEN_DAYS = 31
    course = make_course(desk.cast.norrebro)
    course = services.end_course(
        actor=desk.cast.alice, course=course, expected_version=course.version, ended_on=DAY, result="reached"
    )
    settings.REGISTRATION_YEAR_OPEN_DAYS = -400
    with pytest.raises(ValidationError):
        services.reopen_course(actor=desk.cast.alice, course=course, expected_version=course.version)


def test_a_year_stays_open_until_31_january_of_the_next(settings):
    settings.REGISTRATION_YEAR_OPEN_DAYS = 31
    assert services.year_is_open(2025, today=date(2026, 1, 31))
    assert not services.year_is_open(2025, today=date(2026, 2, 1))


# --- verify_counts ----------------------------------------------------------------------------


def test_verify_counts_passes_when_the_kept_counts_equal_a_recount(desk):
    make_inquiry(desk.cast.norrebro, date=DAY)
    out = StringIO()
    call_command("verify_counts", stdout=out)
    assert "equal a recount" in out.getvalue()


def test_verify_counts_prints_each_difference_and_exits_1(desk):
    make_inquiry(desk.cast.norrebro, date=DAY)
    InquiryFact.objects.create(centre=desk.cast.norrebro, year=2026, dimension="total", count=4)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_counts", stdout=out)
    assert raised.value.returncode == 1
    assert f"centre {desk.cast.norrebro.pk} year 2026 total='': kept 5, recounted 1" in out.getvalue()


def test_a_voided_inquirys_note_is_erased_on_the_same_schedule(desk, settings):
    settings.REGISTRATION_YEAR_OPEN_DAYS = 3650
    inquiry = make_inquiry(desk.cast.norrebro, date=date(2024, 5, 1), note="Ringede igen")
    services.void_inquiry(actor=desk.cast.alice, inquiry=inquiry, expected_version=inquiry.version, reason="Dobbelt")
    result = services.apply_retention(actor=None, today=date(2026, 3, 1))
    assert result.inquiry_notes == 1
    assert Inquiry.all_objects.get(pk=inquiry.pk).note == ""
