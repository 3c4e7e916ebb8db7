"""One activity type for each collaboration duty the concept papers name separately.

The 2010 table names collaboration with the health visitors, with housing social workers,
with Socialcenter København and with the family unit's other outposts as four duties, and
the coordinator's place in the assessment group apart from "andre relevante møder i
enheden". One type, "collaboration_meeting", stood for the first four and one,
"assessment_group", for the last two, so no activity could show which duty it served.

The old collaboration type is retired (kept on old activities). An activity of it whose
partners are of exactly one of the four kinds is given that kind's type: it was that
collaboration. The assessment-group type keeps its activities (they cannot be told apart
now) under its narrower name.
"""

from django.db import migrations

# code, Danish name, English name, position (between the seeded types)
NEW_TYPES = [
    (
        "health_visitor_collaboration",
        "Samarbejde med sundhedsplejen",
        "Collaboration with the health visitors",
        31,
    ),
    (
        "housing_collaboration",
        "Samarbejde med boligsociale medarbejdere",
        "Collaboration with housing social workers",
        32,
    ),
    (
        "socialcenter_collaboration",
        "Samarbejde med Socialcenter København",
        "Collaboration with Socialcenter København",
        33,
    ),
    (
        "outpost_collaboration",
        "Samarbejde med børnefamilieenhedens andre forpostfunktioner",
        "Collaboration with the family unit's other outposts",
        34,
    ),
    (
        "family_unit_meeting",
        "Andre relevante møder i børnefamilieenheden",
        "Other relevant meetings of the family unit",
        71,
    ),
]
# The partner kind whose collaboration each new type records.
BY_PARTNER = {
    "health_visitors": "health_visitor_collaboration",
    "housing_social_work": "housing_collaboration",
    "socialcenter": "socialcenter_collaboration",
    "other_outposts": "outpost_collaboration",
}


def split(apps, schema_editor):
    ActivityType = apps.get_model("collaboration", "ActivityType")
    Activity = apps.get_model("collaboration", "Activity")
    types = {}
    for code, name, name_en, position in NEW_TYPES:
        types[code], _created = ActivityType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "in_concept_2010": True, "position": position},
        )
    ActivityType.objects.filter(code="assessment_group").update(
        name="Deltagelse i undersøgelsesgruppen i børnefamilieenheden",
        name_en="Taking part in the family unit's assessment group",
    )
    old = ActivityType.objects.filter(code="collaboration_meeting").first()
    if old is None:
        return
    old.active = False
    old.save(update_fields=["active"])
    for activity in Activity.objects.filter(type=old).prefetch_related("partners"):
        kinds = {p.type for p in activity.partners.all()} & set(BY_PARTNER)
        if len(kinds) == 1:
            activity.type = types[BY_PARTNER[kinds.pop()]]
            activity.save(update_fields=["type"])


def unsplit(apps, schema_editor):
    ActivityType = apps.get_model("collaboration", "ActivityType")
    Activity = apps.get_model("collaboration", "Activity")
    old = ActivityType.objects.filter(code="collaboration_meeting").first()
    if old is not None:
        old.active = True
        old.save(update_fields=["active"])
        Activity.objects.filter(type__code__in=list(BY_PARTNER.values())).update(type=old)
    Activity.objects.filter(type__code="family_unit_meeting").update(
        type=ActivityType.objects.get(code="assessment_group")
    )
    ActivityType.objects.filter(code__in=[code for code, *_rest in NEW_TYPES]).delete()
    ActivityType.objects.filter(code="assessment_group").update(
        name="Deltagelse i undersøgelsesgruppen eller andre møder i børnefamilieenheden",
        name_en="Taking part in the family unit's assessment group or other meetings of the unit",
    )


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0005_constraint_messages")]

    operations = [migrations.RunPython(split, unsplit)]
