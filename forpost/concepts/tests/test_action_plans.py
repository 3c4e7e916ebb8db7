"""Action plans (issue 13, part 4): for a requirement a centre did not meet, or met only partly,
the coordinator records what will be done, by whom and by when, and marks it done; central
staff see the open actions of the city; the next year's status shows them beside the verdict."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forpost.accounts.models import AuditEntry
from forpost.centres.models import ClosedYear
from forpost.concepts import services
from forpost.concepts.actions import verdict
from forpost.concepts.evaluation import Outcome
from forpost.concepts.loader import concept_for_year
from forpost.concepts.models import ActionPlan, AttestationStatus
from forpost.concepts.testing import ATTESTED_2010, make_action, make_attestation
from forpost.core.testing import post_form, today
from forpost.reports.queries import centre_status
from forpost.reports.render import as_json

# The cast's Nørrebro keeps no drop-in hours: the 6 hours a week are not met.
NOT_MET = "fr2010.ydelser.aabningstid"
LAST = today().year - 1


def create_url(centre, rid=NOT_MET, year=LAST):
    return reverse("concepts:action_create", kwargs={"slug": centre.slug, "year": year, "requirement_id": rid})


def centre_url(centre, year=LAST):
    return reverse("concepts:actions", kwargs={"slug": centre.slug}) + f"?year={year}"


def plan(**overrides):
    data = {"what": "En ekstra eftermiddag med åben rådgivning", "responsible": "Koordinatoren"}
    data["due_on"] = (today() + timedelta(days=60)).isoformat()
    return {**data, **overrides}


def test_the_requirement_is_not_met_at_norrebro_of_the_cast(cast):
    requirement = concept_for_year(LAST).requirement(NOT_MET)
    assert verdict(cast.norrebro, LAST, requirement) in (Outcome.NOT_MET, Outcome.PARTLY_MET)


def test_the_coordinator_records_an_action_for_a_requirement_not_met(cast, client_for):
    client = client_for(cast.bob)
    page = client.get(create_url(cast.norrebro))
    assert page.status_code == 200
    assert 'name="submission_token"' in page.content.decode()
    response = post_form(client, create_url(cast.norrebro), plan())
    assert response.status_code == 302
    action = ActionPlan.objects.get()
    assert (action.centre, action.year, action.requirement_id) == (cast.norrebro, LAST, NOT_MET)
    assert action.outcome in ("not_met", "partly_met")
    assert (action.what, action.responsible, action.done_on) == (
        "En ekstra eftermiddag med åben rådgivning",
        "Koordinatoren",
        None,
    )
    assert action.created_by == cast.bob
    entry = AuditEntry.objects.get(object_type="concepts.actionplan", action="create")
    assert entry.changes["what"] == "En ekstra eftermiddag med åben rådgivning"
    assert entry.centre_id == cast.norrebro.pk
    listing = client.get(centre_url(cast.norrebro)).content.decode()
    assert "En ekstra eftermiddag med åben rådgivning" in listing
    assert reverse("concepts:action_done", args=[action.pk]) in listing


def test_a_double_submit_makes_one_action(cast, client_for):
    client = client_for(cast.bob)
    token = client.get(create_url(cast.norrebro)).context["form"]["submission_token"].value()
    first = client.post(create_url(cast.norrebro), {**plan(), "submission_token": token})
    second = client.post(create_url(cast.norrebro), {**plan(), "submission_token": token})
    assert first.status_code == second.status_code == 302
    assert ActionPlan.objects.count() == 1


def test_the_coordinator_of_the_centre_links_add_action_beside_each_requirement_not_met(cast, client_for):
    listing = client_for(cast.bob).get(centre_url(cast.norrebro)).content.decode()
    assert create_url(cast.norrebro) in listing
    status_page = client_for(cast.bob).get(reverse("reports:centre", args=["norrebro"]) + f"?year={LAST}")
    assert create_url(cast.norrebro) in status_page.content.decode()
    # A requirement attested and approved is met: no link beside it.
    assert create_url(cast.norrebro, ATTESTED_2010) in status_page.content.decode()
    make_attestation(cast.norrebro, year=LAST)
    status_page = client_for(cast.bob).get(reverse("reports:centre", args=["norrebro"]) + f"?year={LAST}")
    assert create_url(cast.norrebro, ATTESTED_2010) not in status_page.content.decode()


def test_a_counsellor_reads_the_actions_but_may_not_add_one(cast, client_for):
    make_action(cast.norrebro, year=LAST)
    client = client_for(cast.alice)
    listing = client.get(centre_url(cast.norrebro)).content.decode()
    assert "En ekstra eftermiddag med åben rådgivning." in listing
    assert create_url(cast.norrebro) not in listing
    assert client.get(create_url(cast.norrebro)).status_code == 404
    status_page = client.get(reverse("reports:centre", args=["norrebro"]) + f"?year={LAST}").content.decode()
    assert create_url(cast.norrebro) not in status_page


def test_the_coordinator_of_another_centre_is_denied(cast, client_for):
    action = make_action(cast.norrebro, year=LAST)
    client = client_for(cast.dana)
    assert client.get(centre_url(cast.norrebro)).status_code == 404
    assert client.get(create_url(cast.norrebro)).status_code == 404
    assert client.post(create_url(cast.norrebro), plan()).status_code == 404
    assert client.get(reverse("concepts:action_edit", args=[action.pk])).status_code == 404
    assert client.post(reverse("concepts:action_edit", args=[action.pk]), plan(version=1)).status_code == 404
    assert client.post(reverse("concepts:action_done", args=[action.pk]), {"version": 1}).status_code == 404
    assert client.get(reverse("concepts:action_list")).status_code == 403
    assert ActionPlan.objects.count() == 1
    assert ActionPlan.objects.get().done_on is None


def test_the_coordinator_changes_the_action_and_marks_it_done_with_a_note(cast, client_for):
    action = make_action(cast.norrebro, year=LAST)
    client = client_for(cast.bob)
    edit = reverse("concepts:action_edit", args=[action.pk])
    assert 'name="version"' in client.get(edit).content.decode()
    response = post_form(client, edit, plan(responsible="Koordinatoren og rådgiverne"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.responsible, action.version) == ("Koordinatoren og rådgiverne", 2)
    change = AuditEntry.objects.get(object_type="concepts.actionplan", action="change")
    assert change.changes["responsible"] == ["Koordinatoren", "Koordinatoren og rådgiverne"]

    done = reverse("concepts:action_done", args=[action.pk])
    response = post_form(client, done, {"done_on": today().isoformat(), "note": "Torsdag 14–17 er lagt ind."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.done_on, action.done_note, action.version) == (today(), "Torsdag 14–17 er lagt ind.", 3)
    assert AuditEntry.objects.filter(object_type="concepts.actionplan", action="change").count() == 2
    listing = client.get(centre_url(cast.norrebro)).content.decode()
    assert "Torsdag 14–17 er lagt ind." in listing
    # Done once: the form sends the coordinator to the edit form, where the day may be emptied.
    assert client.get(done).status_code == 302
    response = post_form(client, edit, {**plan(), "done_on": "", "done_note": ""})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on is None


def test_a_day_that_has_not_come_is_not_a_day_done(cast, client_for):
    action = make_action(cast.norrebro, year=LAST)
    done = reverse("concepts:action_done", args=[action.pk])
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = post_form(client_for(cast.bob), done, {"done_on": tomorrow, "note": ""})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.done_on is None


def test_a_second_tab_gets_a_conflict_and_overwrites_nothing(cast, client_for):
    action = make_action(cast.norrebro, year=LAST)
    client = client_for(cast.bob)
    edit = reverse("concepts:action_edit", args=[action.pk])
    first = post_form(client, edit, plan(what="Første fane"))
    assert first.status_code == 302
    stale = client.post(edit, {**plan(what="Anden fane"), "version": 1})
    assert stale.status_code == 409
    action.refresh_from_db()
    assert (action.what, action.version) == ("Første fane", 2)
    stale_done = client.post(
        reverse("concepts:action_done", args=[action.pk]), {"version": 1, "done_on": today().isoformat()}
    )
    assert stale_done.status_code == 409
    action.refresh_from_db()
    assert action.done_on is None


@pytest.mark.parametrize("field", ["what", "responsible"])
def test_free_text_with_a_cpr_number_or_a_phone_number_is_refused(cast, client_for, field):
    client = client_for(cast.bob)
    response = post_form(client, create_url(cast.norrebro), plan(**{field: "Ring til 010203-1234 på 22 33 44 55"}))
    assert response.status_code == 400
    assert not ActionPlan.objects.exists()
    action = make_action(cast.norrebro, year=LAST)
    done = reverse("concepts:action_done", args=[action.pk])
    response = post_form(client, done, {"done_on": today().isoformat(), "note": "Familien på 010203-1234"})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.done_on is None


def test_a_requirement_met_needs_no_action(cast, client_for):
    make_attestation(cast.norrebro, year=LAST, status=AttestationStatus.APPROVED)
    page = client_for(cast.bob).get(create_url(cast.norrebro, ATTESTED_2010)).content.decode()
    assert "attesteret og godkendt" in page
    assert 'name="what"' not in page
    with pytest.raises(ValidationError):
        services.record_action(
            actor=cast.bob,
            centre=cast.norrebro,
            year=LAST,
            requirement_id=ATTESTED_2010,
            what="Noget",
            responsible="Koordinatoren",
            due_on=today(),
        )
    assert not ActionPlan.objects.exists()


def test_a_requirement_the_concept_does_not_have_is_404(cast, client_for):
    assert client_for(cast.bob).get(create_url(cast.norrebro, "fr2010.findes.ikke")).status_code == 404
    assert client_for(cast.bob).get(create_url(cast.norrebro, year=today().year + 1)).status_code == 404


def test_closing_the_year_does_not_stop_its_actions_but_closing_the_next_does(cast, client_for):
    """An action plan is planning for the year after: closing the year it answers leaves it
    open; closing the year after, whose status shows it, makes it read-only."""
    ClosedYear.objects.create(year=LAST, deadline=date(LAST + 1, 1, 31), closed_at=timezone.now())
    client = client_for(cast.bob)
    assert post_form(client, create_url(cast.norrebro), plan()).status_code == 302
    action = ActionPlan.objects.get()
    done = reverse("concepts:action_done", args=[action.pk])
    assert post_form(client, done, {"done_on": today().isoformat(), "note": ""}).status_code == 302
    action.refresh_from_db()
    assert action.done_on == today()

    # LAST is closed, and its status shows the actions answering LAST - 1: they stand as shown.
    older = make_action(cast.norrebro, year=LAST - 1)
    edit = reverse("concepts:action_edit", args=[older.pk])
    response = post_form(client, edit, plan(what="Ændret efter lukning"))
    assert response.status_code == 400
    assert "lukket" in response.content.decode()
    older.refresh_from_db()
    assert (older.what, older.version) == ("En ekstra eftermiddag med åben rådgivning.", 1)


def test_central_staff_see_every_open_action_across_the_city(cast, client_for):
    soon = today() + timedelta(days=30)
    norrebro = make_action(cast.norrebro, year=LAST, what="Nørrebros handling", due_on=soon)
    valby = make_action(cast.valby, year=LAST, what="Valbys handling", due_on=today() - timedelta(days=3))
    make_action(
        cast.valby, year=LAST, what="Valbys afsluttede handling", done_on=today(), done_note="Gennemført i marts"
    )
    client = client_for(cast.erin)
    page = client.get(reverse("concepts:action_list")).content.decode()
    assert "Nørrebros handling" in page and "Valbys handling" in page
    assert "Valbys afsluttede handling" not in page
    assert page.index("Valbys handling") < page.index("Nørrebros handling")  # the soonest due first

    by_centre = client.get(reverse("concepts:action_list") + f"?centre={cast.norrebro.pk}").content.decode()
    assert "Nørrebros handling" in by_centre and "Valbys handling" not in by_centre
    overdue = client.get(reverse("concepts:action_list") + "?state=overdue").content.decode()
    assert "Valbys handling" in overdue and "Nørrebros handling" not in overdue
    by_requirement = client.get(reverse("concepts:action_list") + f"?requirement={ATTESTED_2010}").content.decode()
    assert "Valbys handling" not in by_requirement and "Nørrebros handling" not in by_requirement
    done = client.get(reverse("concepts:action_list") + "?state=done").content.decode()
    assert "Gennemført i marts" in done and "Valbys handling" not in done
    assert client.get(reverse("concepts:action_list") + "?centre=999999&year=x").status_code == 200
    assert {norrebro.pk, valby.pk} <= set(ActionPlan.objects.open().values_list("pk", flat=True))

    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("concepts:action_list") in dashboard
    assert reverse("concepts:actions_start") in dashboard  # the menu


def test_the_next_years_status_shows_last_years_action_and_the_verdict_now(cast):
    this_year = today().year
    make_action(cast.norrebro, year=this_year - 1, what="Flere timer med åben rådgivning", responsible="Rådgiverne")
    make_action(
        cast.norrebro,
        year=this_year - 1,
        requirement_id=ATTESTED_2010,
        outcome="not_attested",
        what="Drøft tilgangen på personalemødet",
        done_on=today(),
        done_note="Drøftet i januar",
    )
    make_attestation(cast.norrebro, year=this_year)  # met now
    status = centre_status(user=cast.bob, slug="norrebro", year=this_year)
    scorecard = next(s for s in status.sections if s.key == "scorecard")
    now = {r.key: r.cells[0] for r in scorecard.tables[0].rows}
    table = next(t for t in scorecard.tables if t.key == "action_plans")
    rows = {r.cells[1]: r for r in table.rows}
    hours = rows["Flere timer med åben rådgivning"]
    assert hours.key == NOT_MET
    assert hours.cells[2] == "Rådgiverne"
    assert hours.cells[5] == now[NOT_MET]
    attested = rows["Drøft tilgangen på personalemødet"]
    assert attested.cells[0] == "ikke attesteret"
    assert "Drøftet i januar" in attested.cells[4]
    assert attested.cells[5] == now[ATTESTED_2010] == "attesteret og godkendt"
    # The JSON (and the API, the workbook and the PDF) come from the same rows.
    data = as_json(centre_status(user=cast.bob, slug="norrebro", year=this_year, force_suppress=True))
    section = next(s for s in data["sections"] if s["key"] == "scorecard")
    published = next(t for t in section["tables"] if t["key"] == "action_plans")
    assert [r["key"] for r in published["rows"]] == sorted([NOT_MET, ATTESTED_2010])
    # The year the actions answer does not show them; nor does the city's status.
    last_status = centre_status(user=cast.bob, slug="norrebro", year=this_year - 1)
    last_scorecard = next(s for s in last_status.sections if s.key == "scorecard")
    assert "action_plans" not in [t.key for t in last_scorecard.tables]
