"""Demo organisation: six centres across Copenhagen's districts."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from forpost.core.demo import DemoContext

from . import hours
from .models import (
    Budget,
    Centre,
    Closure,
    District,
    FamilyUnit,
    HolidayOverride,
    Municipality,
    OpeningHoursPattern,
    OpeningSlot,
    PopulationFigure,
    SlotKind,
    StaffAllocation,
    StaffRole,
)
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
        "Bus 5C til Nørrebros Runddel. Indgangen er i gården, i stueetagen og uden trin.",
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
        "S-tog til Bispebjerg Station og fem minutters gang. Ring på klokken, hvor der står Familierådgivning.",
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
        "S-tog eller bus til Valby Station; gå fire minutter ad Valby Langgade. 1. sal, der er elevator.",
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
        "Metro til Enghave Plads. Døren er ved siden af biblioteket.",
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
        "Metro til Amagerbro; gå over Amagerbrogade. Stueetagen, uden trin.",
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
        "Bus 1A eller 15E til Trianglen. 2. sal, elevator i bagtrappen.",
    ),
]

DESCRIPTION = (
    "Gratis, åben og anonym rådgivning til familier med børn. Kig ind i den åbne rådgivning, "
    "eller ring til os. Du skal ikke oplyse navn eller CPR-nummer."
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
    for centre in Centre.objects.filter(slug__in=[c[1] for c in CENTRES]):
        _build_hours(ctx, centre)
        _build_staffing(ctx, centre)
        _build_budgets(ctx, centre)
    ctx.say("Opening hours, closures, family-unit staff and budgets for the demo centres.\n")


# --- Opening hours, closures, staff, budgets ------------------------------------------------

D, A, P = SlotKind.DROP_IN, SlotKind.APPOINTMENT, SlotKind.PHONE
# Weekly slots: (weekday, from, to, kind). 6–8 drop-in hours a week. Bispebjerg has exactly
# 6 on Tuesdays and Thursdays, so a Thursday holiday or a closure puts a week below the minimum.
SLOTS: dict[str, list[tuple[int, time, time, str]]] = {
    "norrebro": [
        (0, time(14), time(17), D),
        (2, time(9), time(12), D),
        (3, time(15), time(17), D),
        (1, time(9), time(10), P),
        (4, time(9), time(10), P),
        (1, time(13), time(16), A),
    ],
    "bispebjerg": [(1, time(13), time(16), D), (3, time(13), time(16), D), (0, time(9), time(10), P)],
    "valby": [(0, time(10), time(13), D), (2, time(14), time(18), D), (3, time(9), time(10), P)],
    "vesterbro": [(1, time(15), time(18), D), (3, time(9), time(13), D), (0, time(12), time(13), P)],
    "amager": [(0, time(13), time(16), D), (2, time(14), time(17), D), (4, time(9), time(11), D)],
    "osterbro": [
        (0, time(9), time(12), D),
        (2, time(15), time(18), D),
        (3, time(16), time(17), D),
        (1, time(9), time(10), P),
    ],
}
# Summer closures are staggered so that a family can always find an open centre.
SUMMER_WEEKS = {"norrebro": 28, "bispebjerg": 29, "valby": 30, "vesterbro": 28, "amager": 29, "osterbro": 30}
# Family-unit staff hours: (role, hours a week, starts N weeks before today or None = long ago).
STAFF: dict[str, list[tuple[str, str, int | None]]] = {
    "norrebro": [(StaffRole.FAMILY_CONSULTANT, "4", None), (StaffRole.CASEWORKER, "3", None)],
    # Below the minimum until a family therapist joined six weeks ago.
    "bispebjerg": [(StaffRole.FAMILY_CONSULTANT, "4.5", None), (StaffRole.FAMILY_THERAPIST, "2", 6)],
    "valby": [(StaffRole.FAMILY_CONSULTANT, "6", None)],
    "vesterbro": [(StaffRole.CASEWORKER, "4", None), (StaffRole.FAMILY_THERAPIST, "3", None)],
    "amager": [(StaffRole.FAMILY_CONSULTANT, "3", None), (StaffRole.CASEWORKER, "3", None)],
    "osterbro": [(StaffRole.FAMILY_THERAPIST, "5", None), (StaffRole.OTHER, "2", None)],
}
BUDGETS = {
    "norrebro": 520_000,
    "bispebjerg": 455_000,
    "valby": 480_000,
    "vesterbro": 505_000,
    "amager": 470_000,
    "osterbro": 440_000,
}
# This year's budget is not yet confirmed as known at these centres.
UNCONFIRMED_THIS_YEAR = {"bispebjerg", "amager"}


def _build_hours(ctx: DemoContext, centre: Centre) -> None:
    first_year = ctx.today.year - 1
    pattern, created = OpeningHoursPattern.objects.get_or_create(
        centre=centre, valid_from=date(first_year, 1, 1), defaults={"valid_to": None}
    )
    if created:
        for weekday, start, end, kind in SLOTS[centre.slug]:
            OpeningSlot.objects.create(pattern=pattern, weekday=weekday, starts_at=start, ends_at=end, kind=kind)
    for year in (first_year, ctx.today.year):
        monday = date.fromisocalendar(year, SUMMER_WEEKS[centre.slug], 1)
        Closure.objects.get_or_create(
            centre=centre, starts_on=monday, defaults={"ends_on": monday + timedelta(days=13), "reason": "Sommerferie"}
        )
        Closure.objects.get_or_create(
            centre=centre,
            starts_on=date(year, 12, 23),
            defaults={"ends_on": date(year + 1, 1, 1), "reason": "Juleferie"},
        )
    # A staff day in three weeks at one centre, on a drop-in day: the public page shows it.
    if centre.slug == "amager":
        staff_day = hours.monday_of(ctx.today) + timedelta(weeks=3, days=2)
        Closure.objects.get_or_create(
            centre=centre, starts_on=staff_day, defaults={"ends_on": staff_day, "reason": "Personaledag"}
        )
    # Nørrebro keeps its Monday drop-in on Whit Monday (Anden pinsedag).
    if centre.slug == "norrebro":
        for day, name in hours.danish_holidays(date(first_year, 1, 1), date(ctx.today.year, 12, 31)).items():
            if name == "Anden pinsedag":
                HolidayOverride.objects.get_or_create(centre=centre, date=day, defaults={"open_anyway": True})


def _build_staffing(ctx: DemoContext, centre: Centre) -> None:
    long_ago = date(ctx.today.year - 1, 1, 1)
    for role, per_week, weeks_ago in STAFF[centre.slug]:
        start = long_ago if weeks_ago is None else hours.monday_of(ctx.today) - timedelta(weeks=weeks_ago)
        StaffAllocation.objects.get_or_create(
            centre=centre, role=role, valid_from=start, defaults={"hours_per_week": Decimal(per_week)}
        )


def _build_budgets(ctx: DemoContext, centre: Centre) -> None:
    for year in (ctx.today.year - 2, ctx.today.year - 1, ctx.today.year):
        # Budgets grow a little each year; the amounts are rounded to thousands.
        amount = Decimal(BUDGETS[centre.slug] + (year - ctx.today.year) * 12_000 + ctx.rng.randrange(0, 5) * 1_000)
        announced = datetime(year, 1, 8, 10, 0, tzinfo=hours.COPENHAGEN)
        confirmed = None
        if year < ctx.today.year or centre.slug not in UNCONFIRMED_THIS_YEAR:
            confirmed = announced + timedelta(days=ctx.rng.randrange(2, 20), hours=3)
        Budget.objects.get_or_create(
            centre=centre,
            year=year,
            defaults={"amount": amount, "entered_at": announced, "confirmed_at": confirmed},
        )
