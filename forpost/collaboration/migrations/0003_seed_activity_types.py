"""Seed the activity types named by the concept papers (2006 and 2010).

Danish names first (the primary language), English beside them. The yearly duties are the
2010 concept's: visit or invite daycare yearly, one theme event, one meeting with the
volunteer groups, 4 cross-city meetings and 2 steering-group meetings a year.
"""

from django.db import migrations

# code, Danish name, English name, 2006, 2010, yearly duty
TYPES = [
    (
        "daycare_visit",
        "Besøg hos eller invitation af daginstitutioner",
        "Visit to, or invitation of, daycare institutions",
        False,
        True,
        1,
    ),
    ("theme_event", "Temaarrangement for professionelle", "Theme event for professionals", False, True, 1),
    (
        "collaboration_meeting",
        "Samarbejdsmøde med sundhedspleje, boligsocial indsats, Socialcenter eller andre forposter",
        "Collaboration meeting with health visitors, housing social work, Socialcenter or other outposts",
        False,
        True,
        None,
    ),
    (
        "volunteer_meeting",
        "Årligt møde med de frivillige grupper",
        "The yearly meeting with the volunteer groups",
        False,
        True,
        1,
    ),
    (
        "cross_city_meeting",
        "Tværgående møde mellem familierådgivningerne",
        "Cross-city meeting of the centres",
        False,
        True,
        4,
    ),
    ("steering_group", "Møde med følgegruppen", "Steering-group meeting (følgegruppe)", False, True, 2),
    (
        "assessment_group",
        "Deltagelse i undersøgelsesgruppen eller andre møder i børnefamilieenheden",
        "Taking part in the family unit's assessment group or other meetings of the unit",
        False,
        True,
        None,
    ),
    ("outreach", "Opsøgende arbejde i bydelen", "Outreach in the district", False, True, None),
    (
        "information_material",
        "Informationsmateriale uddelt (foldere, plakater mv.)",
        "Information material handed out (leaflets, posters, …)",
        False,
        True,
        None,
    ),
    (
        "volunteer_supervision",
        "Supervision af eller introduktion for frivillige",
        "Supervision of, or an introduction for, volunteers",
        False,
        True,
        None,
    ),
    (
        "cross_professional_group",
        "Tværfaglig gruppe (2006: § 37a-grupper)",
        "Cross-professional group (2006: § 37a groups)",
        True,
        False,
        None,
    ),
    (
        "health_visitor_activity",
        "Sundhedsplejeaktivitet i rådgivningen",
        "Health-visitor activity hosted in the centre",
        True,
        False,
        None,
    ),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("collaboration", "ActivityType")
    for position, (code, name, name_en, in_2006, in_2010, yearly) in enumerate(TYPES, start=1):
        ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "in_concept_2006": in_2006,
                "in_concept_2010": in_2010,
                "yearly_minimum": yearly,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0002_rooms_activities_meetings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
