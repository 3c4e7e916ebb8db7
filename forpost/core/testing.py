"""The test cast, factories, and the registry the URL walker uses.

The cast: two centres, Nørrebro and Valby, each with a counsellor and a coordinator, plus
city-wide users::

    alice   counsellor   Nørrebro          charlie counsellor   Valby
    bob     coordinator  Nørrebro          dana    coordinator  Valby
    erin    central staff (city-wide)      frank   management (city-wide)
    grace   administrator (city-wide)

Every app describes its URLs for the walker in `forpost/<app>/testing.py`::

    url_spec("centres:detail", roles=ALL_ROLES, kwargs=lambda cast: {"slug": cast.norrebro.slug})

The kwargs must point at an object of Nørrebro (cast.norrebro). The walker then proves
that anonymous users are sent to log in, the right roles of Nørrebro get the page, users
of Valby get 404, and other roles are refused.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from forpost.accounts.models import Membership, Role, User
from forpost.centres.models import Centre, District, FamilyUnit, Municipality

PASSWORD = "correct-horse-battery-staple"
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


# --- The URL walker's registry -------------------------------------------------------------


@dataclass(frozen=True)
class URLSpec:
    """How the walker should treat one named URL.

    roles: who may open it (at Nørrebro, or anywhere when city-wide).
    kwargs: builds the URL's arguments for an object of cast.norrebro.
    public: anyone, logged in or not, gets the page.
    centre_bound: the object belongs to Nørrebro, so users of Valby must get 404.
    method: "GET", or "POST" for views that only accept POST (checked by a POST without data).
    owner: the object belongs to this cast member alone (e.g. a personal API token): every
        other user must get 404.
    """

    name: str
    roles: frozenset[Role] = frozenset(Role)
    kwargs: Callable[[Cast], dict[str, Any]] | None = None
    public: bool = False
    centre_bound: bool = False
    method: str = "GET"
    query: str = ""
    ok_statuses: tuple[int, ...] = (200,)
    owner: str | None = None


URL_SPECS: dict[str, URLSpec] = {}


def url_spec(name: str, **options: Any) -> URLSpec:
    spec = URLSpec(name=name, **options)
    URL_SPECS[name] = spec
    return spec


def today() -> date:
    return timezone.localdate()


def post_form(client: Any, url: str, data: dict[str, Any]) -> Any:
    """Post `data` as the page at `url` would: with the one-time token or the version its
    form was rendered with (forpost.core.idempotency, forpost.core.locking)."""
    form = client.get(url).context["form"]
    hidden = {name: form[name].value() for name in ("submission_token", "version") if name in form.fields}
    return client.post(url, {**hidden, **data})


# The data migrations' seed functions, in migration order: what a flush takes away.
SEED_MIGRATIONS = (
    ("forpost.centres.migrations.0002_copenhagen", "seed"),
    ("forpost.centres.migrations.0007_copenhagen_postcodes", "seed"),
    ("forpost.registrations.migrations.0003_seed_reference_data", "seed"),
    ("forpost.collaboration.migrations.0003_seed_activity_types", "seed"),
    ("forpost.collaboration.migrations.0006_collaboration_duty_types", "split"),
    ("forpost.collaboration.migrations.0010_offers_partner_kinds_local_response", "seed"),
    ("forpost.registrations.migrations.0006_methods_and_offer_referrals", "seed"),
    ("forpost.feedback.migrations.0002_first_questions", "seed"),
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
