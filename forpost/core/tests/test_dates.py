"""The one date field and the one list filter: absurd dates are field errors in the user's
language, never a server error (9999-12-31 + one day overflows, 0001-01-01 - one week too)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from forpost.core.forms import EARLIEST, DateField, Form, PeriodFilterForm, today, years_ahead


class Dated(Form):
    day = DateField(label="Dag")
    until_today = DateField(label="Til i dag", required=False, latest=today)


def test_a_date_within_the_sensible_bounds_is_accepted():
    form = Dated(data={"day": "2024-03-05", "until_today": today().isoformat()})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2024, 3, 5)


@pytest.mark.parametrize("value", ["1901-01-01", "0001-01-01", "1999-12-31"])
def test_a_date_before_the_earliest_is_a_danish_field_error(value):
    form = Dated(data={"day": value})
    assert not form.is_valid()
    assert form.errors["day"] == ["Datoen skal være 1. januar 2000 eller senere."]


def test_a_date_after_the_latest_is_a_field_error_in_english_too():
    with translation.override("en"):
        form = Dated(data={"day": "9999-12-31"})
        assert not form.is_valid()
        assert form.errors["day"] == [f"The date must be {years_ahead(10)().isoformat()} or earlier."]


def test_a_bound_of_today_is_worked_out_when_the_form_is_checked():
    form = Dated(data={"day": "2024-03-05", "until_today": (today() + timedelta(days=1)).isoformat()})
    assert not form.is_valid()
    assert list(form.errors) == ["until_today"]


def test_a_form_narrows_a_bound_and_says_why():
    form = Dated(data={"day": "2024-03-05"})
    form.fields["day"].bound(earliest=date(2024, 4, 1), too_early="Før forløbet startede (%(earliest)s).")
    assert not form.is_valid()
    assert form.errors["day"] == ["Før forløbet startede (1. april 2024)."]


def test_a_narrower_bound_never_widens_the_sensible_ones():
    field = DateField(earliest=date(1901, 1, 1), latest=date(9999, 12, 31))
    assert field.bounds() == (EARLIEST, years_ahead(10)())


@pytest.mark.parametrize("value", ["31-12-2024", "31.12.2024", "2024-12-31"])
def test_danish_ways_of_writing_a_date_are_understood(value):
    form = Dated(data={"day": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2024, 12, 31)


@pytest.mark.parametrize("value", ["99999-01-01", "2024-02-30", "i går", "2024-13-01"])
def test_a_date_that_is_no_date_is_an_invalid_date(value):
    form = Dated(data={"day": value})
    assert not form.is_valid()
    assert form.errors["day"] == ["Indtast en gyldig dato."]


def test_a_period_filter_refuses_an_end_before_its_start():
    form = PeriodFilterForm(data={"date_from": "2024-03-05", "date_to": "2024-03-04"})
    assert not form.is_valid()
    assert form.errors["date_to"] == ["Slutdatoen ligger før startdatoen."]


# --- Every list's date filter, through HTTP ------------------------------------------------------

LISTS = [
    ("registrations:inquiry_list", "alice"),
    ("registrations:course_list", "alice"),
    ("collaboration:activity_list", "bob"),
    ("accounts:audit", "erin"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,who", LISTS)
@pytest.mark.parametrize("param", ["date_from", "date_to"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_list_filter_far_outside_the_bounds_is_a_message_not_a_server_error(
    client_for, cast, name, who, param, value
):
    response = client_for(getattr(cast, who)).get(reverse(name), {param: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert param in form.errors
    assert "Datoen skal være" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_a_date_outside_the_bounds_goes_back_to_the_list_with_a_message(client_for, cast, fmt):
    client = client_for(cast.alice)
    response = client.get(reverse("imports:export_inquiries", args=[fmt]), {"date_to": "9999-12-31"})
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:inquiry_list") + "?date_to=9999-12-31"
    page = client.get(response["Location"])
    assert "Datoen skal være" in page.content.decode()
