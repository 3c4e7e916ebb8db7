import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations.models import Course, Inquiry, Session, SubmissionToken
from forpost.registrations.testing import make_course, make_inquiry, make_session

CREATE = reverse("registrations:inquiry_create")


def _walk_in(client, desk, **extra):
    """The common case as the browser posts it: a fresh form, one child, the mother, one theme, advice."""
    page = client.get(CREATE)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}
    data.update(
        {
            "child_1_age": "3-5",
            "child_1_sex": "girl",
            "contact_person": "mother",
            "themes": [str(desk.upbringing.pk)],
            "actions": [str(desk.advice.pk)],
        }
    )
    for key in ("date", "time"):
        data[key] = form[key].value().isoformat()[: 5 if key == "time" else 10]
    data.update(extra)
    return data


def test_the_form_defaults_only_to_the_centre_and_the_moment_walk_in_now_and_the_users_centre(client_for, desk):
    client = client_for(desk.cast.alice)
    form = client.get(CREATE).context["form"]
    assert form["channel"].value() == desk.walk_in.pk
    assert form["centre"].value() == desk.cast.norrebro.pk
    assert form["date"].value() == timezone.localdate()
    assert form["child_1_sex"].value() == "not_stated"
    # Facts about the family are chosen each time: no action, no child's age, no contact person.
    assert form["actions"].value() in (None, [])
    assert form["child_1_age"].value() in (None, "")
    assert form["contact_person"].value() in (None, "")


def test_registrer_with_nothing_chosen_saves_nothing_and_asks_for_the_child_and_who_made_contact(client_for, desk):
    client = client_for(desk.cast.alice)
    form = client.get(CREATE).context["form"]
    # Exactly what the browser sends on one click: the fresh form's values, nothing chosen.
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, [])}
    data["date"], data["time"] = data["date"].isoformat(), data["time"].strftime("%H:%M")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    errors = response.context["form"].errors
    assert errors["child_1_age"] == ["Vælg barnets alder eller “Ikke oplyst”."]
    assert errors["contact_person"] == ["Vælg, hvem der henvendte sig."]


def test_not_stated_is_an_explicit_choice_that_saves_an_inquiry_without_children(client_for, desk):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk, child_1_age="not_stated", actions=[]))
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert not inquiry.children.exists()
    assert not inquiry.actions.exists()
    assert inquiry.contact_person == "mother"
    # Editing it shows the choice that was made, not an empty field.
    form = client.get(reverse("registrations:inquiry_edit", args=[inquiry.pk])).context["form"]
    assert form["child_1_age"].value() == "not_stated"


def test_a_walk_in_is_registered_and_shown(client_for, desk):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk))
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inquiry.get_absolute_url()
    assert inquiry.centre == desk.cast.norrebro
    assert inquiry.channel == desk.walk_in
    assert inquiry.registered_by == desk.cast.alice
    assert [(c.age_band, c.sex) for c in inquiry.children.all()] == [("3-5", "girl")]


def test_a_double_submit_makes_one_inquiry_and_the_replay_goes_to_it(client_for, desk):
    client = client_for(desk.cast.alice)
    data = _walk_in(client, desk)
    first = client.post(CREATE, data)
    second = client.post(CREATE, data)
    assert Inquiry.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_forged_token_creates_nothing_and_keeps_the_form(client_for, desk):
    client = client_for(desk.cast.alice)
    data = _walk_in(client, desk, submission_token="forged", minutes="25")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    assert response.context["form"]["minutes"].value() == "25"
    assert response.context["form"]["submission_token"].value() != "forged"


def test_another_users_token_is_not_accepted(client_for, desk):
    token = SubmissionToken.objects.create(token="bobs-token", user=desk.cast.bob, purpose="inquiry")
    client = client_for(desk.cast.alice)
    client.post(CREATE, _walk_in(client, desk, submission_token=token.token))
    assert not Inquiry.objects.exists()


def test_a_cpr_number_in_the_note_is_refused_and_everything_else_kept(client_for, desk):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk, note="cpr 211062-5629", minutes="40"))
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    form = response.context["form"]
    assert "note" in form.errors
    assert form["minutes"].value() == "40"
    assert form["child_1_age"].value() == "3-5"
    assert "CPR" in response.content.decode()


def test_a_failed_submit_can_be_corrected_with_the_same_token(client_for, desk):
    client = client_for(desk.cast.alice)
    data = _walk_in(client, desk, note="ring 22 33 44 55")
    client.post(CREATE, data)
    data["note"] = "Alt vel"
    assert client.post(CREATE, data).status_code == 302
    assert Inquiry.objects.count() == 1


def test_choosing_course_started_leads_to_starting_a_course(client_for, desk):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk, actions=[str(desk.course.pk)]))
    inquiry = Inquiry.objects.get()
    assert response["Location"] == reverse("registrations:course_create", kwargs={"pk": inquiry.pk})


def test_starting_a_course_gives_it_a_label(client_for, desk):
    client = client_for(desk.cast.alice)
    inquiry = make_inquiry(desk.cast.norrebro)
    url = reverse("registrations:course_create", kwargs={"pk": inquiry.pk})
    token = client.get(url).context["form"]["submission_token"].value()
    data = {
        "started_on": "2026-03-10",
        "score_norm": desk.adult.pk,
        "goals": "Færre konflikter",
        "submission_token": token,
    }
    client.post(url, data)
    client.post(url, data)
    course = Course.objects.get()
    assert course.label == "NØR-2026-0001"


def test_adding_a_session_is_one_post(client_for, desk):
    client = client_for(desk.cast.alice)
    course = make_course(desk.cast.norrebro)
    url = reverse("registrations:session_create", kwargs={"pk": course.pk})
    token = client.get(url).context["form"]["submission_token"].value()
    data = {"date": course.started_on.isoformat(), "place": "centre", "scaling": "4", "submission_token": token}
    for i in range(1, 5):
        data[f"srs_{i}"] = "8"
    response = client.post(url, data)
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.scaling == 4
    assert session.srs_total == 32
    assert client.post(url, data).status_code == 302
    assert Session.objects.count() == 1


def test_the_list_is_scoped_filtered_and_each_search_is_logged(client_for, desk):
    cast = desk.cast
    mine = make_inquiry(cast.norrebro, channel=desk.phone)
    make_inquiry(cast.norrebro)
    make_inquiry(cast.valby, channel=desk.phone)
    client = client_for(cast.alice)
    response = client.get(reverse("registrations:inquiry_list"), {"channel": desk.phone.pk, "date_from": "2026-01-01"})
    assert list(response.context["page"]) == [mine]
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert entry.changes["channel"] == desk.phone.pk
    assert entry.changes["date_from"] == "2026-01-01"
    assert entry.changes["result_count"] == 1


def test_courses_filter_open_and_closed(client_for, desk):
    from forpost.registrations import services

    open_course = make_course(desk.cast.norrebro)
    closed = make_course(desk.cast.norrebro)
    services.end_course(actor=None, course=closed, expected_version=1, ended_on=closed.started_on, result="reached")
    client = client_for(desk.cast.bob)
    url = reverse("registrations:course_list")
    assert list(client.get(url, {"status": "open"}).context["page"]) == [open_course]
    assert list(client.get(url, {"status": "closed"}).context["page"]) == [closed]


def test_reading_a_detail_is_logged(client_for, desk):
    inquiry = make_inquiry(desk.cast.norrebro)
    course = make_course(desk.cast.norrebro, inquiry=inquiry)
    client = client_for(desk.cast.erin)
    assert client.get(inquiry.get_absolute_url()).status_code == 200
    assert client.get(course.get_absolute_url()).status_code == 200
    reads = AuditEntry.objects.filter(action=AuditAction.READ, actor=desk.cast.erin)
    assert {(e.object_type, e.object_id) for e in reads} == {
        ("registrations.inquiry", str(inquiry.pk)),
        ("registrations.course", str(course.pk)),
    }


def test_city_wide_readers_cannot_register(client_for, desk):
    assert client_for(desk.cast.frank).get(CREATE).status_code == 403


def test_it_denies_other_centre_edits(client_for, desk):
    inquiry = make_inquiry(desk.cast.norrebro)
    client = client_for(desk.cast.charlie)
    response = client.post(reverse("registrations:inquiry_edit", kwargs={"pk": inquiry.pk}), {"version": 1})
    assert response.status_code == 404


def _edit_data(client, url, **changes):
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            value = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    data.update(changes)
    return data


def test_two_counsellors_editing_one_course_get_a_conflict_page_with_both_versions(client, desk):
    course = make_course(desk.cast.norrebro, goals="Ro ved sengetid")
    url = reverse("registrations:course_edit", kwargs={"pk": course.pk})
    client.force_login(desk.cast.alice)
    alice_data = _edit_data(client, url, goals="Ro ved sengetid og morgenmad")
    client.force_login(desk.cast.bob)
    bob_data = _edit_data(client, url, goals="Færre skænderier")
    assert client.post(url, bob_data).status_code == 302

    client.force_login(desk.cast.alice)
    response = client.post(url, alice_data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Ro ved sengetid og morgenmad" in page
    assert "Færre skænderier" in page
    course.refresh_from_db()
    assert course.goals == "Færre skænderier"
    assert course.version == 2

    # The conflict page's own form saves Alice's version over Bob's, deliberately.
    resend = dict(alice_data.items())
    resend["version"] = "2"
    assert client.post(url, resend).status_code == 302
    course.refresh_from_db()
    assert (course.goals, course.version) == ("Ro ved sengetid og morgenmad", 3)


def test_a_stale_inquiry_edit_shows_the_conflict(client_for, desk):
    inquiry = make_inquiry(desk.cast.norrebro)
    client = client_for(desk.cast.alice)
    url = reverse("registrations:inquiry_edit", kwargs={"pk": inquiry.pk})
    stale = _edit_data(client, url, minutes="20")
    assert client.post(url, _edit_data(client, url, minutes="35")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert {"20", "35"} <= {row["mine"] for row in response.context["rows"]} | {
        row["theirs"] for row in response.context["rows"]
    }


def test_a_session_edit_keeps_scores(client_for, desk):
    session = make_session(make_course(desk.cast.norrebro), scaling=2)
    client = client_for(desk.cast.alice)
    url = reverse("registrations:session_edit", kwargs={"pk": session.pk})
    assert client.post(url, _edit_data(client, url, scaling="6")).status_code == 302
    session.refresh_from_db()
    assert (session.scaling, session.version) == (6, 2)


def test_ending_a_course_needs_a_result(client_for, desk):
    course = make_course(desk.cast.norrebro)
    client = client_for(desk.cast.alice)
    url = reverse("registrations:course_end", kwargs={"pk": course.pk})
    response = client.post(url, {"ended_on": course.started_on.isoformat(), "version": 1})
    assert response.status_code == 200
    data = {"ended_on": course.started_on.isoformat(), "result": "partly", "version": 1}
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    course.refresh_from_db()
    assert course.result == "partly"


def test_the_dashboard_shows_the_desk_panel(client_for, desk):
    from django.utils import timezone

    make_inquiry(desk.cast.norrebro, date=timezone.localdate())
    response = client_for(desk.cast.alice).get(reverse("core:dashboard"))
    page = response.content.decode()
    assert reverse("registrations:inquiry_create") in page
    panel = next(p for p in response.context["panels"] if p.template == "registrations/panel_desk.html")
    assert panel.context["numbers"].registered_today == 1


@pytest.mark.parametrize("who", ["erin", "frank"])
def test_city_wide_readers_see_no_desk_panel(client_for, desk, who):
    response = client_for(getattr(desk.cast, who)).get(reverse("core:dashboard"))
    assert all(p.template != "registrations/panel_desk.html" for p in response.context["panels"])
