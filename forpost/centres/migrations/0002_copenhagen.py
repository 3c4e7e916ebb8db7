"""Seed Copenhagen and its ten districts (bydele): reference data every installation starts from."""

from django.db import migrations

DISTRICTS = [
    ("Indre By", "indre-by"),
    ("Østerbro", "osterbro"),
    ("Nørrebro", "norrebro"),
    ("Vesterbro/Kongens Enghave", "vesterbro-kongens-enghave"),
    ("Valby", "valby"),
    ("Vanløse", "vanlose"),
    ("Brønshøj-Husum", "bronshoj-husum"),
    ("Bispebjerg", "bispebjerg"),
    ("Amager Øst", "amager-ost"),
    ("Amager Vest", "amager-vest"),
]


def seed(apps, schema_editor):
    Municipality = apps.get_model("centres", "Municipality")
    District = apps.get_model("centres", "District")
    city, _ = Municipality.objects.get_or_create(code="101", defaults={"name": "Københavns Kommune"})
    for name, slug in DISTRICTS:
        District.objects.get_or_create(municipality=city, slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
