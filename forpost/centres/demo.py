"""Demo organisation: six centres across Copenhagen's districts."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

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
    RosterEntry,
    RosterRole,
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

# Where each demo centre stands (read off a map at its address), for "use my location".
COORDINATES = {
    "norrebro": (Decimal("55.694100"), Decimal("12.540700")),
    "bispebjerg": (Decimal("55.703000"), Decimal("12.522800")),
    "valby": (Decimal("55.664500"), Decimal("12.513000")),
    "vesterbro": (Decimal("55.667200"), Decimal("12.546200")),
    "amager": (Decimal("55.658500"), Decimal("12.603000")),
    "osterbro": (Decimal("55.700500"), Decimal("12.579000")),
}

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
                "latitude": COORDINATES[slug][0],
                "longitude": COORDINATES[slug][1],
                # The 2006 paper: a centre may house the youth counselling service.
                "houses_youth_counselling": slug == "osterbro",
            },
        )
        centre.districts_served.set([districts[s] for s in served])
    if not PopulationFigure.objects.filter(is_sample=True).exists():
        with SAMPLE_POPULATION.open(encoding="utf-8") as handle:
            import_population(actor=None, lines=handle, municipality=city, is_sample=True)
    bench = _build_bench_centres(ctx, city, districts, units)
    ctx.say(f"Organisation: {Centre.objects.count()} centres in {len(districts)} districts.\n")
    for centre in Centre.objects.filter(slug__in=[c[1] for c in CENTRES]):
        plan = _demo_plan(centre.slug)
        _build_hours(ctx, centre, plan)
        _build_staffing(ctx, centre, plan)
        _build_budgets(ctx, centre, plan)
        _build_roster(ctx, centre)
    _bulk_build_plans(ctx, bench)
    ctx.say("Opening hours, closures, family-unit staff, budgets and rosters for the demo centres.\n")


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


# The centres' own staff (issue 19): (first name, role, hours a week, started N weeks before
# today or None = long ago, left N weeks before today or None). Valby depends on one
# coordinator (the 2006 paper's warning); Bispebjerg's second coordinator left this spring.
ROSTER: dict[str, list[tuple[str, str, str, int | None, int | None]]] = {
    "norrebro": [
        ("Mette", RosterRole.COORDINATOR, "37", None, None),
        ("Jonas", RosterRole.COORDINATOR, "30", None, None),
        ("Aisha", RosterRole.COUNSELLOR, "25", None, None),
        ("Peter", RosterRole.COUNSELLOR, "20", 30, None),
    ],
    "bispebjerg": [
        ("Hanne", RosterRole.COORDINATOR, "37", None, None),
        ("Lars", RosterRole.COORDINATOR, "20", None, 20),
        ("Sara", RosterRole.COUNSELLOR, "30", None, None),
    ],
    "valby": [
        ("Birgitte", RosterRole.COORDINATOR, "37", None, None),
        ("Omar", RosterRole.COUNSELLOR, "15", None, None),
    ],
    "vesterbro": [
        ("Karin", RosterRole.COORDINATOR, "37", None, None),
        ("Mads", RosterRole.COORDINATOR, "25", None, None),
        ("Leyla", RosterRole.COUNSELLOR, "20", None, None),
        ("Tove", RosterRole.OTHER, "8", None, None),
    ],
    "amager": [
        ("Susanne", RosterRole.COORDINATOR, "32", None, None),
        ("Emil", RosterRole.COORDINATOR, "32", None, None),
        ("Fatma", RosterRole.COUNSELLOR, "18", None, None),
    ],
    "osterbro": [
        ("Anne", RosterRole.COORDINATOR, "37", None, None),
        ("Kasper", RosterRole.COORDINATOR, "20", 60, None),
        ("Nadia", RosterRole.COUNSELLOR, "22", None, None),
    ],
}


@dataclass(frozen=True)
class _Plan:
    """How the demo shapes a centre's years: its weekly slots (and those of an earlier pattern,
    if it changed), summer closure week, family-unit staff, budget and whether this year's
    budget awaits confirmation."""

    slots: list[tuple[int, time, time, str]]
    summer_week: int
    staff: list[tuple[str, str, int | None]]
    budget: int
    unconfirmed_this_year: bool
    earlier_slots: list[tuple[int, time, time, str]] | None = None
    staff_day: bool = False
    open_whit_monday: bool = False


def _demo_plan(slug: str) -> _Plan:
    return _Plan(
        slots=SLOTS[slug],
        summer_week=SUMMER_WEEKS[slug],
        staff=STAFF[slug],
        budget=BUDGETS[slug],
        unconfirmed_this_year=slug in UNCONFIRMED_THIS_YEAR,
        open_whit_monday=slug == "norrebro",
    )


def _years(ctx: DemoContext) -> list[int]:
    """The years the demo closes centres for the holidays, the first of them also starting the
    hours and staff: the scale build's ten, else last year and this."""
    return list(ctx.scale_years) if ctx.scale else [ctx.today.year - 1, ctx.today.year]


def _first_day(ctx: DemoContext) -> date:
    return date(_years(ctx)[0], 1, 1)


def _slots(pattern: OpeningHoursPattern, slots: list[tuple[int, time, time, str]]) -> list[OpeningSlot]:
    return [OpeningSlot(pattern=pattern, weekday=w, starts_at=s, ends_at=e, kind=k) for w, s, e, k in slots]


def _patterns(ctx: DemoContext, centre: Centre, plan: _Plan) -> list[tuple[OpeningHoursPattern, list[Any]]]:
    """The centre's patterns with their slots; a changed pattern took over halfway."""
    first = _first_day(ctx)
    if plan.earlier_slots is None:
        return [(OpeningHoursPattern(centre=centre, valid_from=first, valid_to=None), plan.slots)]
    changed = date(first.year + (ctx.today.year - first.year + 1) // 2, 1, 1)
    return [
        (
            OpeningHoursPattern(centre=centre, valid_from=first, valid_to=changed - timedelta(days=1)),
            plan.earlier_slots,
        ),
        (OpeningHoursPattern(centre=centre, valid_from=changed, valid_to=None), plan.slots),
    ]


def _closures(ctx: DemoContext, centre: Centre, plan: _Plan) -> list[Closure]:
    rows = []
    for year in _years(ctx):
        monday = date.fromisocalendar(year, plan.summer_week, 1)
        rows.append(Closure(centre=centre, starts_on=monday, ends_on=monday + timedelta(days=13), reason="Sommerferie"))
        rows.append(
            Closure(centre=centre, starts_on=date(year, 12, 23), ends_on=date(year + 1, 1, 1), reason="Juleferie")
        )
        if plan.staff_day and ctx.scale:
            # A staff day each autumn on the centre's first drop-in weekday.
            weekday = min(w for w, _s, _e, k in plan.slots if k == D)
            day = date.fromisocalendar(year, 40 + year % 4, weekday + 1)
            rows.append(Closure(centre=centre, starts_on=day, ends_on=day, reason="Personaledag"))
    # A staff day in three weeks at one centre, on a drop-in day: the public page shows it.
    if centre.slug == "amager":
        staff_day = hours.monday_of(ctx.today) + timedelta(weeks=3, days=2)
        rows.append(Closure(centre=centre, starts_on=staff_day, ends_on=staff_day, reason="Personaledag"))
    return rows


def _overrides(ctx: DemoContext, centre: Centre, plan: _Plan) -> list[HolidayOverride]:
    """Open on Whit Monday (Anden pinsedag), for a centre with a Monday drop-in."""
    if not plan.open_whit_monday:
        return []
    first = _first_day(ctx)
    return [
        HolidayOverride(centre=centre, date=day, open_anyway=True)
        for day, name in hours.danish_holidays(first, date(ctx.today.year, 12, 31)).items()
        if name == "Anden pinsedag"
    ]


def _allocations(ctx: DemoContext, centre: Centre, plan: _Plan) -> list[StaffAllocation]:
    long_ago = _first_day(ctx)
    rows = []
    for role, per_week, weeks_ago in plan.staff:
        start = long_ago if weeks_ago is None else hours.monday_of(ctx.today) - timedelta(weeks=weeks_ago)
        rows.append(StaffAllocation(centre=centre, role=role, valid_from=start, hours_per_week=Decimal(per_week)))
    return rows


def _budgets(ctx: DemoContext, centre: Centre, plan: _Plan) -> list[Budget]:
    years = list(ctx.scale_years) if ctx.scale else [ctx.today.year - 2, ctx.today.year - 1, ctx.today.year]
    rows = []
    for year in years:
        # Budgets grow a little each year; the amounts are rounded to thousands.
        amount = Decimal(plan.budget + (year - ctx.today.year) * 12_000 + ctx.rng.randrange(0, 5) * 1_000)
        announced = datetime(year, 1, 8, 10, 0, tzinfo=hours.COPENHAGEN)
        confirmed = None
        if year < ctx.today.year or not plan.unconfirmed_this_year:
            confirmed = announced + timedelta(days=ctx.rng.randrange(2, 20), hours=3)
        rows.append(Budget(centre=centre, year=year, amount=amount, entered_at=announced, confirmed_at=confirmed))
    return rows


def _build_hours(ctx: DemoContext, centre: Centre, plan: _Plan) -> None:
    for pattern, slots in _patterns(ctx, centre, plan):
        made, created = OpeningHoursPattern.objects.get_or_create(
            centre=centre, valid_from=pattern.valid_from, defaults={"valid_to": pattern.valid_to}
        )
        if created:
            OpeningSlot.objects.bulk_create(_slots(made, slots))
    for closure in _closures(ctx, centre, plan):
        Closure.objects.get_or_create(
            centre=centre,
            starts_on=closure.starts_on,
            defaults={"ends_on": closure.ends_on, "reason": closure.reason},
        )
    for override in _overrides(ctx, centre, plan):
        HolidayOverride.objects.get_or_create(centre=centre, date=override.date, defaults={"open_anyway": True})


def _build_staffing(ctx: DemoContext, centre: Centre, plan: _Plan) -> None:
    for allocation in _allocations(ctx, centre, plan):
        StaffAllocation.objects.get_or_create(
            centre=centre,
            role=allocation.role,
            valid_from=allocation.valid_from,
            defaults={"hours_per_week": allocation.hours_per_week},
        )


def _build_roster(ctx: DemoContext, centre: Centre) -> None:
    if RosterEntry.objects.filter(centre=centre).exists():
        return
    first = _first_day(ctx)
    RosterEntry.objects.bulk_create(
        RosterEntry(
            centre=centre,
            name=name,
            role=role,
            hours_per_week=Decimal(hours),
            valid_from=first if start is None else ctx.today - timedelta(weeks=start),
            valid_to=None if left is None else ctx.today - timedelta(weeks=left),
        )
        for name, role, hours, start, left in ROSTER[centre.slug]
    )


def _build_budgets(ctx: DemoContext, centre: Centre, plan: _Plan) -> None:
    for budget in _budgets(ctx, centre, plan):
        Budget.objects.get_or_create(
            centre=centre,
            year=budget.year,
            defaults={"amount": budget.amount, "entered_at": budget.entered_at, "confirmed_at": budget.confirmed_at},
        )


# --- Benchmark centres (manage.py demo --centres K) -----------------------------------------

# The benchmark centres take their weekly slots from the demo centres' and from thinner ones,
# so that some of them stay below the concept's 6 drop-in hours a week all year.
THIN_SLOTS: list[list[tuple[int, time, time, str]]] = [
    [(1, time(14), time(17), D), (3, time(15), time(17), D), (0, time(9), time(10), P)],  # 5 hours
    [(2, time(9), time(13), D), (4, time(9), time(10), P)],  # 4 hours
    [(0, time(13), time(15), D), (2, time(13), time(15), D), (3, time(13), time(14, 30), D)],  # 5.5 hours
]
BENCH_SLOTS = [*SLOTS.values(), *THIN_SLOTS]
BENCH_STAFF = list(STAFF.values())


def bench_slug(n: int) -> str:
    return f"bench-{n:04d}"


def _bench_plan(n: int) -> _Plan:
    """A deterministic plan for benchmark centre number n (7, 8, …), varied by n."""
    slots = BENCH_SLOTS[n % len(BENCH_SLOTS)]
    return _Plan(
        slots=slots,
        summer_week=28 + n % 3,
        staff=BENCH_STAFF[n % len(BENCH_STAFF)],
        budget=380_000 + (n * 7919) % 31 * 5_000,
        unconfirmed_this_year=n % 5 == 0,
        # One in four changed its hours halfway through the ten years.
        earlier_slots=BENCH_SLOTS[(n + 4) % len(BENCH_SLOTS)] if n % 4 == 0 else None,
        staff_day=n % 3 == 0,
        open_whit_monday=n % 7 == 0 and any(w == 0 and k == D for w, _s, _e, k in slots),
    )


def _number(centre: Centre) -> int:
    return int(centre.slug.rsplit("-", 1)[1])


def _build_bench_centres(
    ctx: DemoContext, city: Municipality, districts: dict[str, District], units: list[FamilyUnit]
) -> list[tuple[Centre, _Plan]]:
    """Benchmark centres 7 to K, spread over the districts; returns those made now.

    bulk_create, so that a thousand centres take seconds."""
    if not ctx.centres or ctx.centres <= len(CENTRES):
        return []
    numbers = range(len(CENTRES) + 1, ctx.centres + 1)
    existing = set(Centre.objects.filter(slug__in=[bench_slug(n) for n in numbers]).values_list("slug", flat=True))
    ordered = sorted(districts.values(), key=lambda d: d.slug)
    new = []
    for n in numbers:
        if bench_slug(n) in existing:
            continue
        district = ordered[n % len(ordered)]
        new.append(
            Centre(
                municipality=city,
                name=f"Familierådgivning {n}",
                slug=bench_slug(n),
                code=f"B{n:04d}",
                district=district,
                family_unit=units[n % len(units)],
                street_address=f"{district.name.split('/')[0]}vej {n}",
                postcode=f"{2000 + n % 500}",
                city="København",
                phone=f"33 {n // 100 % 100:02d} {n % 100:02d} 00",
                email=f"familieraadgivning-{bench_slug(n)}@example.kk.dk",
                description=DESCRIPTION,
                active_from=date(2010, 1, 1),
            )
        )
    made = Centre.objects.bulk_create(new, batch_size=1000)
    # Each serves its own district and, one in three, the next one too.
    through: Any = Centre.districts_served.through
    served = []
    for centre in made:
        n = _number(centre)
        served.append(through(centre_id=centre.pk, district_id=centre.district_id))
        if n % 3 == 0:
            served.append(through(centre_id=centre.pk, district_id=ordered[(n + 1) % len(ordered)].pk))
    through.objects.bulk_create(served, batch_size=5000)
    return [(centre, _bench_plan(_number(centre))) for centre in made]


def _bulk_build_plans(ctx: DemoContext, centres: list[tuple[Centre, _Plan]]) -> None:
    """Hours, closures, staff and budgets of newly made centres, in a few bulk inserts."""
    if not centres:
        return
    patterns = [(pattern, slots) for centre, plan in centres for pattern, slots in _patterns(ctx, centre, plan)]
    OpeningHoursPattern.objects.bulk_create([p for p, _ in patterns], batch_size=2000)
    OpeningSlot.objects.bulk_create([s for p, slots in patterns for s in _slots(p, slots)], batch_size=5000)
    Closure.objects.bulk_create([c for centre, plan in centres for c in _closures(ctx, centre, plan)], batch_size=5000)
    HolidayOverride.objects.bulk_create(
        [o for centre, plan in centres for o in _overrides(ctx, centre, plan)], batch_size=5000
    )
    allocations = []
    for centre, plan in centres:
        allocations += _allocations(ctx, centre, plan)
        if _number(centre) % 3 == 1:
            # A caseworker's hours that ended after the first three years.
            allocations.append(
                StaffAllocation(
                    centre=centre,
                    role=StaffRole.CASEWORKER,
                    hours_per_week=Decimal(2),
                    valid_from=_first_day(ctx),
                    valid_to=date(_first_day(ctx).year + 2, 12, 31),
                )
            )
    StaffAllocation.objects.bulk_create(allocations, batch_size=5000)
    Budget.objects.bulk_create([b for centre, plan in centres for b in _budgets(ctx, centre, plan)], batch_size=5000)
    ctx.say(f"Benchmark centres: {len(centres)} made with their hours, closures, staff and budgets.\n")
