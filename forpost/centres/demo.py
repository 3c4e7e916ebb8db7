"""Demo organisation: six centres across Copenhagen's districts."""

from datetime import date
from pathlib import Path

from forpost.core.demo import DemoContext

from .models import Centre, District, FamilyUnit, Municipality, PopulationFigure
from .population import import_population

ORDER = 10
SAMPLE_POPULATION = Path(__file__).parent / "data" / "population_sample.csv"

UNITS = ["Børnefamilieenhed Nord", "Børnefamilieenhed Vest", "Børnefamilieenhed Syd", "Børnefamilieenhed Øst"]

# name, slug, code, home district, districts served, family unit, address, postcode, city, directions
CENTRES = [
    (
        "Familierådgivningen Nørrebro",
        "norrebro",
        "NØR",
        "norrebro",
        ["norrebro"],
        0,
        "Nørrebrogade 208",
        "2200",
        "København N",
        "Bus 5C to Nørrebros Runddel. The entrance is in the courtyard, ground floor, step-free.",
    ),
    (
        "Familierådgivningen Bispebjerg",
        "bispebjerg",
        "BIS",
        "bispebjerg",
        ["bispebjerg", "bronshoj-husum"],
        0,
        "Frederikssundsvej 60",
        "2400",
        "København NV",
        "S-train to Bispebjerg station, then a five-minute walk. Ring the bell marked Familierådgivning.",
    ),
    (
        "Familierådgivningen Valby",
        "valby",
        "VAL",
        "valby",
        ["valby", "vanlose"],
        1,
        "Valby Langgade 49",
        "2500",
        "Valby",
        "S-train or bus to Valby station; walk along Valby Langgade for four minutes. First floor, lift.",
    ),
    (
        "Familierådgivningen Vesterbro",
        "vesterbro",
        "VES",
        "vesterbro-kongens-enghave",
        ["vesterbro-kongens-enghave"],
        1,
        "Enghavevej 40",
        "1674",
        "København V",
        "Metro to Enghave Plads. The door is next to the library.",
    ),
    (
        "Familierådgivningen Amager",
        "amager",
        "AMA",
        "amager-vest",
        ["amager-vest", "amager-ost"],
        2,
        "Amagerbrogade 150",
        "2300",
        "København S",
        "Metro to Amagerbro; cross Amagerbrogade. Ground floor, step-free.",
    ),
    (
        "Familierådgivningen Østerbro",
        "osterbro",
        "ØST",
        "osterbro",
        ["osterbro", "indre-by"],
        3,
        "Østerbrogade 95",
        "2100",
        "København Ø",
        "Bus 1A or 15E to Trianglen. Second floor, lift in the back stairway.",
    ),
]

DESCRIPTION = (
    "Free, open and anonymous counselling for families with children. Drop in during open hours "
    "or call us. You do not have to give your name or CPR number."
)


def build(ctx: DemoContext) -> None:
    city = Municipality.objects.get(code="101")
    districts = {d.slug: d for d in District.objects.filter(municipality=city)}
    units = [FamilyUnit.objects.get_or_create(municipality=city, name=name)[0] for name in UNITS]
    for name, slug, code, home, served, unit, street, postcode, town, directions in CENTRES:
        centre, _ = Centre.objects.update_or_create(
            slug=slug,
            defaults={
                "municipality": city,
                "name": name,
                "code": code,
                "district": districts[home],
                "family_unit": units[unit],
                "street_address": street,
                "postcode": postcode,
                "city": town,
                "directions": directions,
                "phone": f"33 17 {10 + len(code) * 7 + ord(code[0]) % 50:02d} 00",
                "email": f"familieraadgivning-{slug}@example.kk.dk",
                "description": DESCRIPTION,
                "active_from": date(2010, 1, 1),
            },
        )
        centre.districts_served.set([districts[s] for s in served])
    if not PopulationFigure.objects.filter(is_sample=True).exists():
        with SAMPLE_POPULATION.open(encoding="utf-8") as handle:
            import_population(actor=None, lines=handle, municipality=city, is_sample=True)
    ctx.say(f"Organisation: {Centre.objects.count()} centres in {len(districts)} districts.\n")
