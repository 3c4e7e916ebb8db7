"""Danish defaults for the reference lists, drawn from the concept papers and common
counselling practice. Central staff keep them in the admin from here on."""

from decimal import Decimal

from django.db import migrations

CHANNELS = [
    ("walk_in", "Fremmøde i åben rådgivning", "Walk-in during open counselling"),
    ("phone", "Telefon", "Phone"),
    ("email", "E-mail", "E-mail"),
    ("home_visit", "Hjemmebesøg", "Home visit"),
    ("outreach", "Opsøgende arbejde i bydelen", "Outreach in the district"),
    ("other", "Andet", "Other"),
]

THEMES = [
    ("couple", "Samlivsproblemer", "Couple problems"),
    ("divorce", "Skilsmisse og samvær", "Divorce and contact"),
    ("grief", "Sorg og tab", "Grief and loss"),
    ("bullying", "Mobning", "Bullying"),
    ("upbringing", "Opdragelse og grænser", "Upbringing and boundaries"),
    ("wellbeing", "Trivsel og psykisk sundhed", "Well-being and mental health"),
    ("small_children", "Søvn, spisning og udvikling hos små børn", "Sleep, eating and development in small children"),
    ("school", "Skole og dagtilbud", "School and daycare"),
    ("violence", "Vold i familien", "Violence in the family"),
    ("substance", "Misbrug i familien", "Substance abuse in the family"),
    ("finances", "Økonomi og bolig", "Finances and housing"),
    ("other", "Andet", "Other"),
]

SOURCES = [
    ("own", "Eget initiativ", "Own initiative"),
    ("health_visitor", "Sundhedsplejen", "Health visitors"),
    ("daycare", "Daginstitution", "Daycare"),
    ("school", "Skole eller fritidsklub", "School or after-school club"),
    ("family_unit", "Børnefamilieenheden", "The family unit"),
    ("housing", "Boligsocial medarbejder", "Housing social worker"),
    ("volunteer", "Frivillig forening", "Volunteer association"),
    ("socialcenter", "Socialcenter København", "Socialcenter København"),
    ("doctor", "Egen læge eller sundhedsvæsenet", "GP or health services"),
    ("website", "Hjemmeside, folder eller plakat", "Website, leaflet or poster"),
    ("network", "Familie, venner eller netværk", "Family, friends or network"),
    ("other", "Andet", "Other"),
]

ACTIONS = [
    ("advice", "Engangsrådgivning", "One-off advice", "advice", ""),
    ("course", "Forløb startet", "Course started", "course", ""),
    ("ref_family_unit", "Henvist til børnefamilieenheden", "Referred to the family unit", "referral", "family_unit"),
    ("ref_volunteer", "Henvist til frivillig gruppe", "Referred to a volunteer group", "referral", "volunteer_group"),
    (
        "ref_socialcenter",
        "Henvist til Socialcenter København",
        "Referred to Socialcenter København",
        "referral",
        "socialcenter",
    ),
    ("ref_health", "Henvist til sundhedsvæsenet", "Referred to health services", "referral", "health"),
    ("ref_other", "Henvist andetsteds", "Referred elsewhere", "referral", "other"),
    ("concern", "Underretning foretaget", "Report of concern made", "concern", ""),
]

# Duncan & Miller's clinical cut-offs for the ORS; reliable change 5 points; SRS below 36.
NORMS = [
    ("adult", "Voksne (ORS)", "Adults (ORS)", "25", 10),
    ("adolescent", "Unge 13–17 år (ORS)", "Adolescents 13–17 (ORS)", "28", 20),
    ("child", "Børn 6–12 år (CORS)", "Children 6–12 (CORS)", "32", 30),
]


def seed(apps, schema_editor):
    def fill(model_name, rows, extra=lambda row: {}):
        model = apps.get_model("registrations", model_name)
        for order, row in enumerate(rows, start=1):
            model.objects.update_or_create(
                code=row[0],
                defaults={"name_da": row[1], "name_en": row[2], "sort_order": order * 10, **extra(row)},
            )

    fill("Channel", CHANNELS)
    fill("Theme", THEMES)
    fill("ReferralSource", SOURCES)
    fill("Action", ACTIONS, lambda row: {"kind": row[3], "referral_destination": row[4]})
    ScoreNorm = apps.get_model("registrations", "ScoreNorm")
    for code, name_da, name_en, cutoff, order in NORMS:
        ScoreNorm.objects.update_or_create(
            code=code,
            defaults={
                "name_da": name_da,
                "name_en": name_en,
                "ors_cutoff": Decimal(cutoff),
                "reliable_change": Decimal(5),
                "srs_cutoff": Decimal(36),
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0002_registrations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
