"""Each duty goes to the role that owns it: the concept file names the owner, the year wheel
shows it, and the reminders reach the owner's users."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from django.core import mail
from django.urls import reverse

from forpost.concepts.definitions import Responsible
from forpost.concepts.loader import DATA_DIR, load_concepts
from forpost.concepts.models import ReminderSent
from forpost.concepts.reminders import send_reminders
from forpost.concepts.schema import validate

FILE = "familieraadgivning-2010.yaml"
BUDGET = "fr2010.ressourcer.budget_udmeldt"


@pytest.fixture
def addressed(cast):
    for user in (cast.bob, cast.dana, cast.erin, cast.frank):
        user.email = f"{user.username}@example.kk.dk"
        user.save()
    return cast


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_every_requirement_names_its_owner():
    for version in load_concepts():
        for requirement in version.requirements:
            assert isinstance(requirement.responsible, Responsible), requirement.id
    by_id = {r.id: r for r in load_concepts()[-1].requirements}
    assert by_id[BUDGET].responsible == Responsible.MANAGEMENT
    assert by_id["fr2010.tvaers.indkaldelse"].responsible == Responsible.CENTRAL_STAFF
    assert by_id["fr2010.dokumentation.status_paa_tvaers"].responsible == Responsible.CENTRAL_STAFF
    assert by_id["fr2010.ydelser.aabningstid"].responsible == Responsible.CENTRE


def test_a_requirement_without_an_owner_is_a_schema_error():
    data = yaml.safe_load((DATA_DIR / FILE).read_text(encoding="utf-8"))
    del data["requirements"][0]["responsible"]
    assert validate(data, FILE) == [f"{FILE}: requirements[0].responsible: is required"]
    data["requirements"][0]["responsible"] = "everybody"
    assert validate(data, FILE) == [
        f"{FILE}: requirements[0].responsible: must be one of centre, central_staff, management"
    ]


def test_the_budget_reminder_reaches_management_and_not_the_coordinators(addressed):
    # 20 January: the budget is to be announced by 31 January at every centre, and is not.
    found = send_reminders(today=date(2025, 1, 20), days=14)
    to_frank = _to(addressed.frank)
    assert {m.subject for m in to_frank} == {
        "Forpost: 1 opgave forfalder snart i Familierådgivningen Nørrebro",
        "Forpost: 1 opgave forfalder snart i Familierådgivningen Valby",
    }
    assert all("Budgettet udmeldes af områdechefen" in m.body for m in to_frank)
    assert all("konceptet gør områdechefen ansvarlig" in m.body for m in to_frank)
    for coordinator in (addressed.bob, addressed.dana):
        assert not any("Budgettet udmeldes" in m.body for m in _to(coordinator))
    assert not any("Budgettet udmeldes" in m.body for m in _to(addressed.erin))
    assert {(r.centre.slug, r.owner) for r in found if r.sent} == {
        ("norrebro", Responsible.MANAGEMENT),
        ("valby", Responsible.MANAGEMENT),
    }
    # Recorded like every reminder: never sent twice.
    send_reminders(today=date(2025, 1, 21), days=14)
    assert len(_to(addressed.frank)) == 2
    assert ReminderSent.objects.filter(requirement_id=BUDGET).count() == 2


def test_the_cross_city_meetings_go_to_central_staff_once_for_the_city(addressed):
    # 20 March: central staff are to have called the first of the four meetings by 31 March.
    send_reminders(today=date(2025, 3, 20), days=14)
    to_erin = _to(addressed.erin)
    assert [m.subject for m in to_erin] == ["Forpost: 1 opgave for hele byen forfalder snart"]
    assert "BFCK Stab indkalder til de 4 møder" in to_erin[0].body
    assert "/app/concepts/city/2025/" in to_erin[0].body
    for other in (addressed.bob, addressed.dana, addressed.frank):
        assert not any("BFCK Stab indkalder til de 4 møder" in m.body for m in _to(other))
    # The centres' own attendance stays with their coordinators.
    assert any("4 tværgående møder om året" in m.body for m in _to(addressed.bob))
    send_reminders(today=date(2025, 3, 21), days=14)
    assert len(_to(addressed.erin)) == 1
    assert ReminderSent.objects.filter(centre__isnull=True).count() == 1


def test_a_city_duty_without_an_addressed_owner_is_reported_not_recorded(cast):
    found = send_reminders(today=date(2025, 3, 20), days=14)
    city = [r for r in found if r.centre is None]
    assert [(r.owner, r.recipients, r.sent) for r in city] == [(Responsible.CENTRAL_STAFF, (), False)]
    assert not ReminderSent.objects.exists()


def test_the_year_wheel_shows_each_duty_s_owner(cast, client_for):
    page = client_for(cast.bob).get(reverse("concepts:wheel", args=["norrebro", 2025])).content.decode()
    owners = dict(re.findall(r'data-owner="(\w+)">([^<]+)<', page))
    assert owners == {"centre": "Rådgivningens koordinator", "management": "Områdechefen"}
    budget_row = page[page.index("Budgettet udmeldes af områdechefen") :]
    assert budget_row.index('data-owner="management"') < budget_row.index("</tr>")
    city = client_for(cast.erin).get(reverse("concepts:city", args=[2025])).content.decode()
    assert "ansvarlig: områdechefen" in city
