"""Every date at the desk lies where it can: between the centre's start and today, a session
within its course, a report of concern not in the future, and an end date that is a date."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, translation

from forpost.centres.testing import make_centre, make_membership
from forpost.core.forms import today
from forpost.registrations.models import Course, Inquiry, Referral, Session
from forpost.registrations.testing import make_course

from .test_views import CREATE, _walk_in

pytestmark = pytest.mark.django_db


def _dk(day: date) -> str:
    """The one Danish date style ("30. november 2026")."""
    with translation.override("da"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.mark.parametrize(
    "field,value,error",
    [
        ("date", "1901-01-01", "Datoen ligger før rådgivningen startede (1. januar 2009)."),
        ("date", "2008-12-31", "Datoen ligger før rådgivningen startede (1. januar 2009)."),
        ("date", "2031-01-01", f"Datoen ligger i fremtiden (i dag er {_dk(today())})."),
        ("concern_reported_on", "2030-01-01", f"En underretning dateres ikke i fremtiden (i dag er {_dk(today())})."),
    ],
)
def test_an_inquiry_dated_outside_the_centres_life_is_refused_with_a_danish_message(
    client_for, desk, field, value, error
):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk, **{field: value, "actions": [str(desk.concern.pk)]}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert not Inquiry.objects.exists()
    # What was typed is kept.
    assert response.context["form"]["child_1_age"].value() == "3-5"


def test_the_first_and_last_day_of_the_centres_life_are_accepted(client_for, desk):
    client = client_for(desk.cast.alice)
    for day in (date(2009, 1, 1), today()):
        response = client.post(CREATE, _walk_in(client, desk, date=day.isoformat()))
        assert response.status_code == 302, response.context["form"].errors
    assert sorted(Inquiry.objects.values_list("date", flat=True)) == [date(2009, 1, 1), today()]


def test_the_chosen_centres_own_start_holds_for_a_user_of_two_centres(client_for, desk):
    young = make_centre("Familierådgivningen Amager", code="AMA", active_from=date(2020, 1, 1))
    make_membership(desk.cast.alice, role=desk.cast.alice.memberships.get().role, centre=young)
    client = client_for(desk.cast.alice)
    data = _walk_in(client, desk, date="2015-06-01", centre=str(young.pk))
    response = client.post(CREATE, data)
    assert response.context["form"].errors["date"] == ["Datoen ligger før rådgivningen startede (1. januar 2020)."]
    data = _walk_in(client, desk, date="2015-06-01", centre=str(desk.cast.norrebro.pk))
    assert client.post(CREATE, data).status_code == 302


def _session(client, course, **fields):
    url = reverse("registrations:session_create", kwargs={"pk": course.pk})
    token = client.get(url).context["form"]["submission_token"].value()
    return client.post(url, {"place": "centre", "submission_token": token, **fields})


def test_a_session_after_its_course_ended_is_refused(client_for, desk):
    course = make_course(desk.cast.norrebro, started_on=date(2026, 3, 10))
    Course.objects.filter(pk=course.pk).update(ended_on=date(2026, 6, 1), result="goal_reached")
    session = Session.objects.create(course=course, date=date(2026, 5, 1))
    client = client_for(desk.cast.alice)
    url = reverse("registrations:session_edit", kwargs={"pk": session.pk})
    response = client.post(url, {"date": "2027-01-05", "place": "centre", "version": session.version})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Datoen ligger efter forløbet sluttede (1. juni 2026)."]
    session.refresh_from_db()
    assert session.date == date(2026, 5, 1)


def test_a_session_before_its_course_or_in_the_future_is_refused(client_for, desk):
    course = make_course(desk.cast.norrebro, started_on=date(2026, 3, 10))
    client = client_for(desk.cast.alice)
    response = _session(client, course, date="2026-03-09")
    assert response.context["form"].errors["date"] == ["Datoen ligger før forløbet startede (10. marts 2026)."]
    response = _session(client, course, date=(today() + timedelta(days=1)).isoformat())
    assert response.context["form"].errors["date"] == [f"Datoen ligger i fremtiden (i dag er {_dk(today())})."]
    response = _session(client, course, date="2026-03-10", concern_reported_on="2030-01-01")
    assert "concern_reported_on" in response.context["form"].errors
    assert not Session.objects.exists()
    assert _session(client, course, date="2026-03-10").status_code == 302


def test_a_course_cannot_start_before_its_centre_or_in_the_future(client_for, desk):
    course = make_course(desk.cast.norrebro)
    client = client_for(desk.cast.alice)
    url = reverse("registrations:course_edit", kwargs={"pk": course.pk})
    for value in ("1901-01-01", "2031-01-01", "9999-12-31"):
        data = {"started_on": value, "score_norm": desk.adult.pk, "goals": "", "version": course.version}
        response = client.post(url, data)
        assert response.status_code == 200
        assert "started_on" in response.context["form"].errors


@pytest.mark.parametrize("ended_on", ["9999-12-31", "0001-01-01", "2026-03-09", "2031-01-01"])
def test_ending_a_course_on_an_impossible_day_is_a_form_error(client_for, desk, ended_on):
    course = make_course(desk.cast.norrebro, started_on=date(2026, 3, 10))
    response = client_for(desk.cast.alice).post(
        reverse("registrations:course_end", kwargs={"pk": course.pk}),
        {"ended_on": ended_on, "result": "goal_reached", "version": course.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"]
    course.refresh_from_db()
    assert course.ended_on is None


def test_a_referral_from_a_course_is_not_dated_before_it_or_in_the_future(client_for, desk):
    course = make_course(desk.cast.norrebro, started_on=date(2026, 3, 10))
    client = client_for(desk.cast.alice)
    detail = client.get(course.get_absolute_url())
    token = detail.context["referral_form"]["submission_token"].value()
    url = reverse("registrations:course_referral", kwargs={"pk": course.pk})
    for value in ("2026-03-09", "2030-01-01", "9999-12-31"):
        response = client.post(url, {"destination": "family_unit", "made_on": value, "submission_token": token})
        assert response.status_code == 302
    assert not Referral.objects.filter(course=course).exists()
