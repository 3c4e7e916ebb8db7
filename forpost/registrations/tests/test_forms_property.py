"""Property: whatever is posted to the desk forms, the answer is a saved record (302) or the
form again with errors (200); never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forpost.registrations.models import Inquiry, Session
from forpost.registrations.testing import make_course

TEXT = st.text(max_size=40)
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(["", "0", "10", "10.0", "40.5", "1e400", "NaN", "-0", "7,5"]),
)
DATEISH = st.one_of(
    st.dates().map(lambda d: d.isoformat()), st.sampled_from(["", "2026-02-30", "31.12.2026", "0000-01-01"])
)
TIMEISH = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(["", "25:00", "12:60"]))
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _value(draw, choices):
    return draw(st.one_of(TEXT, NUMBERISH, st.sampled_from(choices) if choices else TEXT))


@st.composite
def inquiry_posts(draw, form):
    data = {}
    for name, field in form.fields.items():
        if not draw(st.booleans()) and name != "submission_token":
            continue
        choices = (
            [str(getattr(k, "value", k)) for k, _ in getattr(field, "choices", [])] if hasattr(field, "choices") else []
        )
        choices = [c for c in choices if not c.startswith("[")]
        if name in ("themes", "actions"):
            data[name] = draw(st.lists(st.one_of(st.sampled_from(choices), TEXT), max_size=4))
        elif name in ("date", "concern_reported_on"):
            data[name] = draw(DATEISH)
        elif name == "time":
            data[name] = draw(TIMEISH)
        elif name == "submission_token":
            data[name] = draw(st.sampled_from([form["submission_token"].value(), "", "x" * 70]))
        else:
            data[name] = _value(draw, choices)
    return data


@pytest.mark.django_db
def test_any_inquiry_post_saves_or_shows_errors(client_for, desk):
    client = client_for(desk.cast.alice)
    url = reverse("registrations:inquiry_create")
    form = client.get(url).context["form"]

    @SETTINGS
    @given(data=inquiry_posts(form))
    def check(data):
        before = Inquiry.objects.count()
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Inquiry.objects.count() == before
            assert response.context["form"].errors

    check()


@st.composite
def session_posts(draw, form):
    data = {}
    for name, field in form.fields.items():
        if not draw(st.booleans()) and name != "submission_token":
            continue
        choices = [str(k) for k, _ in getattr(field, "choices", [])]
        if name == "participants":
            data[name] = draw(st.lists(st.one_of(st.sampled_from(choices), TEXT), max_size=3))
        elif name in ("date", "concern_reported_on"):
            data[name] = draw(DATEISH)
        elif name == "submission_token":
            data[name] = form["submission_token"].value()
        else:
            data[name] = _value(draw, choices)
    return data


@pytest.mark.django_db
def test_any_session_post_saves_or_shows_errors(client_for, desk):
    client = client_for(desk.cast.alice)
    course = make_course(desk.cast.norrebro)
    url = reverse("registrations:session_create", kwargs={"pk": course.pk})

    @SETTINGS
    @given(data=st.data())
    def check(data):
        form = client.get(url).context["form"]
        post = data.draw(session_posts(form))
        before = Session.objects.count()
        response = client.post(url, post)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Session.objects.count() == before

    check()


@pytest.mark.django_db
def test_any_edit_post_saves_conflicts_or_shows_errors(client_for, desk):
    from forpost.registrations.testing import make_inquiry

    client = client_for(desk.cast.alice)
    inquiry = make_inquiry(desk.cast.norrebro)
    url = reverse("registrations:inquiry_edit", kwargs={"pk": inquiry.pk})
    form = client.get(url).context["form"]

    @SETTINGS
    @given(data=inquiry_posts(form))
    def check(data):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 409)

    check()
