"""Property: whatever date (or non-date) lands in a list's date filter, a room page's week or
any form's date field, the answer is the page with a message, the form with errors, or a saved
record; never a server error."""

from datetime import date, time, timedelta

import pytest
from django import forms
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forpost.core.forms import today

DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.dates(min_value=date(1999, 1, 1), max_value=date(2040, 12, 31)).map(date.isoformat),
    st.dates().map(lambda d: f"{d:%d-%m-%Y}"),
    st.sampled_from(["", "9999-12-31", "0001-01-01", "0000-00-00", "2026-02-30", "31.12.2026", "99999-01-01", "i dag"]),
    st.text(max_size=20),
)
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

pytestmark = pytest.mark.django_db


def _world(cast):
    from forpost.collaboration.testing import make_room, make_series, make_volunteer_group
    from forpost.registrations.testing import make_course

    course = make_course(cast.norrebro, started_on=date(2026, 3, 10))
    room = make_room(cast.norrebro)
    monday = today() + timedelta(days=7 - today().weekday())
    series = make_series(room, starts_on=monday, ends_on=monday + timedelta(days=28), weekday=0)
    return {
        "course": course,
        "room": room,
        "group": make_volunteer_group(cast.norrebro),
        "series": series,
        "booking": series.bookings.order_by("starts_at").first(),
    }


def test_every_lists_date_filter_answers_without_a_server_error(client_for, cast):
    world = _world(cast)
    lists = [
        (cast.alice, reverse("registrations:inquiry_list"), ("date_from", "date_to")),
        (cast.alice, reverse("registrations:course_list"), ("date_from", "date_to")),
        (cast.alice, reverse("imports:export_inquiries", args=["csv"]), ("date_from", "date_to")),
        (cast.bob, reverse("collaboration:activity_list"), ("date_from", "date_to")),
        (cast.erin, reverse("accounts:audit"), ("date_from", "date_to")),
        (cast.bob, reverse("collaboration:room_detail", args=[world["room"].pk]), ("week",)),
        (cast.bob, reverse("collaboration:booking_create", args=[world["room"].pk]), ("day",)),
    ]
    for user, url, params in lists:
        _check_list(client_for(user), url, params)


def _refused_nul(response, values):
    """A NUL character is refused before any view with a 400 in the user's language
    (forpost.core.middleware.RejectNulMiddleware): a clear answer, not a server error."""
    return response.status_code == 400 and any("\x00" in str(v) for v in values.values())


def _check_list(client, url, params):
    @SETTINGS
    @given(values=st.fixed_dictionaries(dict.fromkeys(params, DATES)))
    def check(values):
        response = client.get(url, values)
        assert response.status_code in (200, 302) or _refused_nul(response, values), (url, values)

    check()


def _forms(cast, world):
    """(user, url, what a person would fill in besides the dates)."""
    from forpost.collaboration.testing import activity_type
    from forpost.registrations.models import ScoreNorm

    course, room = world["course"], world["room"]
    slug = cast.norrebro.slug
    return [
        (cast.alice, reverse("registrations:inquiry_create"), {"child_1_age": "3-5", "contact_person": "mother"}),
        (
            cast.alice,
            reverse("registrations:course_create", args=[course.inquiry_id]),
            {"score_norm": ScoreNorm.objects.first().pk},
        ),
        (cast.alice, reverse("registrations:course_edit", args=[course.pk]), {}),
        (cast.alice, reverse("registrations:course_end", args=[course.pk]), {"result": "goal_reached"}),
        (cast.alice, reverse("registrations:session_create", args=[course.pk]), {"place": "centre"}),
        (cast.alice, reverse("collaboration:activity_create"), {"type": activity_type("theme_event").pk}),
        (
            cast.alice,
            reverse("collaboration:group_referral_create", args=[world["group"].pk]),
            {"direction": "to_group", "count": "1"},
        ),
        (cast.bob, reverse("collaboration:group_create"), {"name": "Gruppe", "target_group": "parents"}),
        (cast.erin, reverse("collaboration:meeting_create"), {"start_time": "09:00", "end_time": "12:00"}),
        (
            cast.bob,
            reverse("collaboration:booking_create", args=[room.pk]),
            {"holder_name": "Forening", "kind": "weekly", "start_time": "17:00", "end_time": "19:00"},
        ),
        (cast.bob, reverse("collaboration:booking_edit", args=[world["booking"].pk]), {}),
        (cast.bob, reverse("collaboration:series_edit", args=[world["series"].pk]), {}),
        (cast.bob, reverse("collaboration:series_cancel", args=[world["series"].pk]), {}),
        (cast.bob, reverse("centres:closure_create", args=[slug]), {"reason": "Sommerferie"}),
        (cast.bob, reverse("centres:allocation_create", args=[slug]), {"role": "counsellor", "hours_per_week": "5"}),
        (
            None,
            reverse("public:rooms"),
            {
                "room": room.pk,
                "association_name": "Forening",
                "contact_email": "a@forening.example",
                "purpose": "Møde",
                "participants": "5",
                "kind": "weekly",
                "start_time": "17:00",
                "end_time": "19:00",
            },
        ),
    ]


def _filled(form):
    """What the page holds when it opens: its defaults, tokens and versions, as the browser posts them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", []):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, time):
            value = value.strftime("%H:%M")
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_every_forms_date_fields_answer_without_a_server_error(client, client_for, cast, settings):
    # Hypothesis posts the public room request far more often than a person may (its limit
    # per address is tested in forpost/public/tests/test_room_abuse.py).
    settings.ROOM_REQUESTS_PER_HOUR_PER_ADDRESS = settings.ROOM_REQUESTS_PER_HOUR = 1_000_000
    world = _world(cast)
    for user, url, extra in _forms(cast, world):
        browser = client_for(user) if user else client
        form = browser.get(url).context["form"]
        dated = [name for name, field in form.fields.items() if isinstance(field, forms.DateField)]
        assert dated, url
        _check_form(browser, url, dated, {k: str(v) for k, v in extra.items()})


def _check_form(browser, url, dated, filled_in):
    @SETTINGS
    @given(values=st.fixed_dictionaries(dict.fromkeys(dated, DATES)))
    def check(values):
        # A fresh page each time, so one saved example does not turn the next into a replay.
        fresh = _filled(browser.get(url).context["form"])
        response = browser.post(url, {**fresh, **filled_in, **values})
        assert response.status_code in (200, 302, 409) or _refused_nul(response, values), (url, values)

    check()
