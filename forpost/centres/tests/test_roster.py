"""The centre's own staff (issue 19): a dated roster the coordinator keeps; the page warns
while the centre depends on one coordinator."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from forpost.accounts.models import AuditEntry
from forpost.centres.models import RosterEntry
from forpost.core.testing import post_form


def test_the_coordinator_adds_a_person_and_the_page_warns_of_one_coordinator(cast, client_for):
    client = client_for(cast.bob)
    url = reverse("centres:roster_create", kwargs={"slug": cast.norrebro.slug})
    response = post_form(
        client,
        url,
        {"name": "Mette", "role": "coordinator", "hours_per_week": "37", "valid_from": "1-1-2024", "valid_to": ""},
    )
    assert response.status_code == 302
    entry = RosterEntry.objects.get()
    assert (entry.centre, entry.role, entry.hours_per_week) == (cast.norrebro, "coordinator", Decimal(37))
    assert AuditEntry.objects.filter(object_type__icontains="rosterentry").exists()
    page = client.get(reverse("centres:roster", kwargs={"slug": cast.norrebro.slug})).content.decode()
    assert "Mette" in page and "Rådgivningen afhænger af én koordinator." in page


def test_a_leaver_gets_a_last_day_and_a_second_coordinator_lifts_the_warning(cast, client_for):
    entry = RosterEntry.objects.create(
        centre=cast.norrebro, name="Mette", role="coordinator", hours_per_week=Decimal(37), valid_from=date(2024, 1, 1)
    )
    RosterEntry.objects.create(
        centre=cast.norrebro, name="Sara", role="coordinator", hours_per_week=Decimal(30), valid_from=date(2024, 1, 1)
    )
    client = client_for(cast.bob)
    page = client.get(reverse("centres:roster", kwargs={"slug": cast.norrebro.slug})).content.decode()
    assert "afhænger af én koordinator" not in page
    url = reverse("centres:roster_edit", kwargs={"slug": cast.norrebro.slug, "pk": entry.pk})
    response = post_form(
        client,
        url,
        {
            "name": "Mette",
            "role": "coordinator",
            "hours_per_week": "37",
            "valid_from": "1-1-2024",
            "valid_to": "1-1-2025",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_to == date(2025, 1, 1)
    page = client.get(reverse("centres:roster", kwargs={"slug": cast.norrebro.slug})).content.decode()
    assert "afhænger af én koordinator" in page


def test_a_counsellor_sees_the_roster_but_cannot_change_it(cast, client_for):
    client = client_for(cast.alice)
    assert client.get(reverse("centres:roster", kwargs={"slug": cast.norrebro.slug})).status_code == 200
    create = client.get(reverse("centres:roster_create", kwargs={"slug": cast.norrebro.slug}))
    assert create.status_code in (403, 404)
