"""Public pages stay light: every page, in every language, with a city's worth of centres
(the demo's six, with their texts, hours, closures and volunteer groups), is at most 15 kB of
HTML, and a page is made in a fixed number of queries."""

from datetime import date, time

import pytest

from forpost.centres.demo import CENTRES, DESCRIPTION
from forpost.centres.models import District
from forpost.centres.testing import make_centre, make_closure, make_pattern
from forpost.collaboration import queries as collaboration
from forpost.collaboration.queries import PublicVolunteerGroup
from forpost.core.translated import Translated
from forpost.public.languages import CODES, public_reverse

LIMIT = 15_000

GROUPS = [
    PublicVolunteerGroup(
        name=Translated("Børnegruppe: når mor eller far drikker", "da"),
        association="Foreningen Børn og Alkohol, Nørrebro",
        description=Translated("Gruppeforløb for børn 7–12 år i familier med alkoholproblemer.", "da"),
        meets="Onsdag 16:00–17:30",
        frequency=Translated("hver uge", "da"),
        target_group="Børn",
    ),
    PublicVolunteerGroup(
        name=Translated("Netværksgruppe for enlige forældre", "da"),
        association="Forældrenetværket Nørrebro",
        description=Translated("Samtale og fællesskab for enlige forældre med små børn.", "da"),
        meets="Tirsdag 17:00–19:00",
        frequency=Translated("hver uge", "da"),
        target_group="Forældre",
    ),
    PublicVolunteerGroup(
        name=Translated("Pårørendegruppe, psykisk sygdom", "da"),
        association="SIND Pårørenderådgivning",
        description=Translated("Netværk for pårørende til mennesker med psykisk sygdom.", "da"),
        meets="Mandag 18:00–20:00",
        frequency=Translated("hver anden uge", "da"),
        target_group="Pårørende",
    ),
    PublicVolunteerGroup(
        name=Translated("Lektiecafé", "da"),
        association="Røde Kors Lektiecafé",
        description=Translated("Frivillige hjælper skolebørn med lektier og læsning.", "da"),
        meets="Torsdag 15:00–17:00",
        frequency=Translated("hver uge", "da"),
        target_group="Børn",
    ),
]


@pytest.fixture
def city(db, monkeypatch, fixed_now):
    """The demo's six centres: drop-in on four days, phone hours, three closures ahead."""
    districts = {d.slug: d for d in District.objects.all()}
    for name, slug, code, home, served, _unit, street, postcode, town, directions in CENTRES:
        centre = make_centre(
            name,
            slug=slug,
            code=code,
            district=districts[home],
            serves=[districts[s] for s in served],
            street_address=street,
            postcode=postcode,
            city=town,
            directions=directions,
            phone="33 17 40 00",
            email=f"familieraadgivning-{slug}@example.kk.dk",
            description=DESCRIPTION,
        )
        make_pattern(
            centre,
            valid_from=date(2025, 1, 1),
            slots=[(d, time(10), time(14), "drop_in") for d in (0, 1, 3)]
            + [(2, time(14), time(18), "drop_in"), (1, time(9), time(10), "phone"), (4, time(9), time(10), "phone")],
        )
        for first, last, reason in (
            (date(2025, 9, 11), date(2025, 9, 11), "Personaledag"),
            (date(2025, 10, 13), date(2025, 10, 17), "Efterårsferie"),
            (date(2025, 10, 23), date(2025, 10, 23), "Temadag for hele huset"),
        ):
            make_closure(centre, starts_on=first, ends_on=last, reason=reason)
    monkeypatch.setattr(collaboration, "public_volunteer_groups", lambda centre: GROUPS)
    return CENTRES


def addresses(language):
    return {
        "home": public_reverse("public:home", language),
        "postcode": public_reverse("public:home", language) + "?postnummer=2300",
        "postcode error": public_reverse("public:home", language) + "?postnummer=abc",
        "unknown postcode": public_reverse("public:home", language) + "?postnummer=8000",
        "centre": public_reverse("public:centre", language, slug="norrebro"),
        "accessibility": public_reverse("public:accessibility", language),
    }


@pytest.mark.parametrize("language", CODES)
def test_every_public_page_is_at_most_15_kb_in(client, city, language):
    sizes = {name: len(client.get(url).content) for name, url in addresses(language).items()}
    assert max(sizes.values()) <= LIMIT, sizes
    # The fixture is a city's worth: the front page lists every one of the six centres.
    assert client.get(addresses(language)["home"]).content.decode().count('class="pub-card"') == 6


def test_a_centre_page_makes_a_fixed_number_of_queries(client, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        assert client.get(addresses("ar")["centre"]).status_code == 200
