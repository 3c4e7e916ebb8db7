"""The test cast (two centres and their users) and factories for centres, users, hours, closures,
staffing and budgets (tests and the URL walker). See forpost.accounts.testing for the walker."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from forpost.accounts.models import Membership, Role, User
from forpost.core.testing import PASSWORD

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
    SlotKind,
    StaffAllocation,
    StaffRole,
)

# A plain week with 7 drop-in hours: Monday 14–17, Thursday 10–14; phone hours Tuesday 9–10.
DEFAULT_SLOTS: list[tuple[int, time, time, str]] = [
    (0, time(14), time(17), SlotKind.DROP_IN),
    (3, time(10), time(14), SlotKind.DROP_IN),
    (1, time(9), time(10), SlotKind.PHONE),
]


def make_pattern(
    centre: Centre,
    *,
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    slots: list[tuple[int, time, time, str]] | None = None,
) -> OpeningHoursPattern:
    pattern = OpeningHoursPattern.objects.create(centre=centre, valid_from=valid_from, valid_to=valid_to)
    for weekday, start, end, kind in DEFAULT_SLOTS if slots is None else slots:
        OpeningSlot.objects.create(pattern=pattern, weekday=weekday, starts_at=start, ends_at=end, kind=kind)
    return pattern


def make_closure(
    centre: Centre,
    *,
    starts_on: date = date(2030, 7, 1),
    ends_on: date = date(2030, 7, 31),
    reason: str = "Sommerferie",
) -> Closure:
    return Closure.objects.create(centre=centre, starts_on=starts_on, ends_on=ends_on, reason=reason)


def make_holiday_override(centre: Centre, day: date) -> HolidayOverride:
    return HolidayOverride.objects.create(centre=centre, date=day, open_anyway=True)


def make_allocation(
    centre: Centre,
    *,
    role: str = StaffRole.FAMILY_CONSULTANT,
    hours_per_week: Decimal | str = "6",
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    **fields: Any,
) -> StaffAllocation:
    return StaffAllocation.objects.create(
        centre=centre,
        role=role,
        hours_per_week=Decimal(hours_per_week),
        valid_from=valid_from,
        valid_to=valid_to,
        **fields,
    )


def make_budget(centre: Centre, *, year: int | None = None, amount: Decimal | str = "450000", **fields: Any) -> Budget:
    return Budget.objects.create(
        centre=centre,
        year=year or timezone.localdate().year,
        amount=Decimal(amount),
        entered_at=fields.pop("entered_at", timezone.now()),
        **fields,
    )


# --- The named cast ----------------------------------------------------------------------------

_counter = itertools.count(1)


def make_municipality(name: str = "Københavns Kommune", code: str = "101") -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name": name})
    return municipality


def make_district(name: str, municipality: Municipality | None = None) -> District:
    from django.utils.text import slugify

    municipality = municipality or make_municipality()
    district, _ = District.objects.get_or_create(
        municipality=municipality,
        name=name,
        defaults={"slug": slugify(name.replace("ø", "o").replace("æ", "ae").replace("å", "aa"))},
    )
    return district


def make_family_unit(name: str = "Børnefamilieenhed Nord", municipality: Municipality | None = None) -> FamilyUnit:
    municipality = municipality or make_municipality()
    unit, _ = FamilyUnit.objects.get_or_create(municipality=municipality, name=name)
    return unit


def make_centre(
    name: str | None = None,
    *,
    code: str | None = None,
    district: District | None = None,
    serves: Iterable[District] = (),
    **fields: Any,
) -> Centre:
    n = next(_counter)
    name = name or f"Familierådgivning {n}"
    district = district or make_district("Nørrebro")
    centre = Centre.objects.create(
        municipality=district.municipality,
        name=name,
        slug=fields.pop("slug", None) or f"centre-{n}",
        code=code or f"C{n:03d}",
        district=district,
        family_unit=fields.pop("family_unit", None) or make_family_unit(municipality=district.municipality),
        street_address=fields.pop("street_address", f"Testvej {n}"),
        postcode=fields.pop("postcode", "2200"),
        city=fields.pop("city", "København N"),
        active_from=fields.pop("active_from", date(2009, 1, 1)),
        **fields,
    )
    centre.districts_served.set(list(serves) or [district])
    return centre


def make_user(username: str, *, role: Role | None = None, centre: Centre | None = None, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title(), **fields)
    if role is not None:
        make_membership(user, role=role, centre=centre)
    return user


def make_membership(
    user: User,
    *,
    role: Role,
    centre: Centre | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Membership:
    return Membership.objects.create(
        user=user, role=role, centre=centre, valid_from=valid_from or date(2000, 1, 1), valid_to=valid_to
    )


@dataclass
class Cast:
    norrebro: Centre
    valby: Centre
    alice: User
    bob: User
    charlie: User
    dana: User
    erin: User
    frank: User
    grace: User

    def users(self) -> dict[str, User]:
        return {n: getattr(self, n) for n in ("alice", "bob", "charlie", "dana", "erin", "frank", "grace")}


def make_cast() -> Cast:
    norrebro_district = make_district("Nørrebro")
    valby_district = make_district("Valby")
    norrebro = make_centre(
        "Familierådgivningen Nørrebro",
        code="NØR",
        slug="norrebro",
        district=norrebro_district,
        family_unit=make_family_unit("Børnefamilieenhed Nørrebro/Bispebjerg"),
    )
    valby = make_centre(
        "Familierådgivningen Valby",
        code="VAL",
        slug="valby",
        district=valby_district,
        family_unit=make_family_unit("Børnefamilieenhed Valby/Vesterbro"),
        postcode="2500",
        city="Valby",
    )
    return Cast(
        norrebro=norrebro,
        valby=valby,
        alice=make_user("alice", role=Role.COUNSELLOR, centre=norrebro),
        bob=make_user("bob", role=Role.COORDINATOR, centre=norrebro),
        charlie=make_user("charlie", role=Role.COUNSELLOR, centre=valby),
        dana=make_user("dana", role=Role.COORDINATOR, centre=valby),
        erin=make_user("erin", role=Role.CENTRAL_STAFF),
        frank=make_user("frank", role=Role.MANAGEMENT),
        grace=make_user("grace", role=Role.ADMINISTRATOR),
    )


# The data migrations' seed functions, in migration order: what a flush takes away.
SEED_MIGRATIONS = (
    ("forpost.centres.migrations.0002_copenhagen", "seed"),
    ("forpost.centres.migrations.0007_copenhagen_postcodes", "seed"),
    ("forpost.registrations.migrations.0003_seed_reference_data", "seed"),
    ("forpost.collaboration.migrations.0003_seed_activity_types", "seed"),
    ("forpost.collaboration.migrations.0006_collaboration_duty_types", "split"),
)


def restore_migration_data() -> None:
    """Seed again what the data migrations seeded, after a transactional test flushed it.

    A transactional test (live server, concurrency) ends with a flush, which also empties what
    the migrations seeded: Copenhagen's districts and postcodes, the reference lists, the
    activity types. A later transactional test that needs them (the demo) calls this first.
    Django's serialized rollback would do it but clashes with the content types a flush
    recreates. Nothing happens when the seeded data is there."""
    from importlib import import_module

    from django.apps import apps

    if Municipality.objects.filter(code="101").exists():
        return
    for module, function in SEED_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
