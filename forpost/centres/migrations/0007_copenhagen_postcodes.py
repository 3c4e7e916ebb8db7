"""Seed Copenhagen's postcodes and the districts (bydele) they lie in, so a citizen who types
a postcode finds the centre for their district. Central staff keep them in the admin after.

Only Copenhagen Municipality's own postcodes: 1800–2000 are Frederiksberg, a municipality of
its own. Two postcodes cross district borders: 2300 København S is both Amagers, and
2100 København Ø holds Kastellet, which lies in Indre By."""

from django.db import migrations

# first, last, post town, district slugs (from 0002_copenhagen)
AREAS = [
    (1000, 1499, "København K", ["indre-by"]),
    (1500, 1799, "København V", ["vesterbro-kongens-enghave"]),
    (2100, 2100, "København Ø", ["osterbro", "indre-by"]),
    (2150, 2150, "Nordhavn", ["osterbro"]),
    (2200, 2200, "København N", ["norrebro"]),
    (2300, 2300, "København S", ["amager-vest", "amager-ost"]),
    (2400, 2400, "København NV", ["bispebjerg"]),
    (2450, 2450, "København SV", ["vesterbro-kongens-enghave"]),
    (2500, 2500, "Valby", ["valby"]),
    (2700, 2700, "Brønshøj", ["bronshoj-husum"]),
    (2720, 2720, "Vanløse", ["vanlose"]),
]


def seed(apps, schema_editor):
    Municipality = apps.get_model("centres", "Municipality")
    District = apps.get_model("centres", "District")
    PostcodeArea = apps.get_model("centres", "PostcodeArea")
    city = Municipality.objects.filter(code="101").first()
    if city is None:
        return
    districts = {d.slug: d for d in District.objects.filter(municipality=city)}
    for first, last, name, slugs in AREAS:
        area, _ = PostcodeArea.objects.get_or_create(first=first, last=last, defaults={"name": name})
        area.districts.add(*[districts[s] for s in slugs if s in districts])


def unseed(apps, schema_editor):
    PostcodeArea = apps.get_model("centres", "PostcodeArea")
    for first, last, _name, _slugs in AREAS:
        PostcodeArea.objects.filter(first=first, last=last).delete()


class Migration(migrations.Migration):
    dependencies = [("centres", "0006_postcode_areas_and_coordinates")]
    operations = [migrations.RunPython(seed, unseed)]
