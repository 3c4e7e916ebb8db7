from datetime import date, time

from django.urls import reverse

from forpost.accounts.models import AuditEntry
from forpost.collaboration.models import ActivityType, PartnerType
from forpost.collaboration.queries import activities_by_type, public_volunteer_groups
from forpost.collaboration.testing import make_activity, make_partner, make_volunteer_group


def test_the_public_page_gets_the_active_groups_with_when_they_meet(cast):
    association = make_partner(cast.norrebro, type=PartnerType.VOLUNTEER_ASSOCIATION, name="Forældrenetværket")
    make_volunteer_group(
        cast.norrebro,
        name="Aftengruppe",
        association=association,
        association_name="",
        meets_weekday=1,
        meets_from=time(17),
        meets_to=time(19),
        meets_frequency="hver uge",
    )
    make_volunteer_group(cast.norrebro, name="Nedlagt", active_to=date(2021, 1, 1))
    make_volunteer_group(cast.valby, name="Valbys")
    groups = public_volunteer_groups(cast.norrebro, on=date(2024, 6, 1))
    assert [(str(g.name), g.association) for g in groups] == [("Aftengruppe", "Forældrenetværket")]
    assert (groups[0].meets.lower(), str(groups[0].frequency)) == ("tirsdag 17:00–19:00", "hver uge")


def test_activities_are_counted_by_type_for_the_year_against_the_duty(cast):
    make_activity(cast.norrebro, type="theme_event", date=date(2024, 1, 1))
    make_activity(cast.norrebro, type="theme_event", date=date(2024, 12, 31))
    make_activity(cast.norrebro, type="theme_event", date=date(2025, 1, 1))
    make_activity(cast.valby, type="theme_event", date=date(2024, 6, 1))
    counts = {c.type_label: c for c in activities_by_type([cast.norrebro.pk], 2024)}
    theme = counts[ActivityType.objects.get(code="theme_event").label]
    assert (theme.count, theme.yearly_minimum, theme.met) == (2, 1, True)
    steering = counts[ActivityType.objects.get(code="steering_group").label]
    assert (steering.count, steering.met) == (0, False)


def test_the_seeded_types_name_their_concept_version(db):
    assert ActivityType.objects.get(code="cross_professional_group").in_concept_2006
    assert not ActivityType.objects.get(code="cross_professional_group").in_concept_2010
    assert ActivityType.objects.get(code="cross_city_meeting").yearly_minimum == 4
    # 12 seeded, one for each collaboration duty the 2010 paper names apart (migration 0006),
    # and the local response, "rykket ud" (migration 0010).
    assert ActivityType.objects.count() == 18
    assert not ActivityType.objects.get(code="collaboration_meeting").active


def test_central_staff_keep_activity_types_in_the_admin_and_cannot_delete_a_used_one(cast, client_for):
    used = ActivityType.objects.get(code="outreach")
    make_activity(cast.norrebro, type="outreach")
    unused = ActivityType.objects.get(code="theme_event")
    client = client_for(cast.grace)  # administrators may delete unused types
    assert client.get(reverse("admin:collaboration_activitytype_delete", args=[used.pk])).status_code == 403
    assert client.get(reverse("admin:collaboration_activitytype_delete", args=[unused.pk])).status_code == 200
    erin = client_for(cast.erin)
    response = erin.post(
        reverse("admin:collaboration_activitytype_change", args=[used.pk]),
        {"name_da": used.name_da, "name_en": used.name_en, "in_concept_2010": "on", "position": "5"},
    )
    assert response.status_code == 302
    used.refresh_from_db()
    assert used.active is False  # retired
    assert AuditEntry.objects.filter(object_type="collaboration.activitytype", action="change").exists()
    assert client_for(cast.bob).get(reverse("admin:collaboration_activitytype_changelist")).status_code == 302
