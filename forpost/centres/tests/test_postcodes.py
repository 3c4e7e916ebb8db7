"""Copenhagen's postcodes and the districts they lie in, and the centres' coordinates."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.centres.models import District, PostcodeArea
from forpost.centres.queries import postcode_match


def slugs(match):
    return set(District.objects.filter(pk__in=match.district_ids).values_list("slug", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("postcode", "town", "districts"),
    [
        (2200, "København N", {"norrebro"}),
        (2100, "København Ø", {"osterbro", "indre-by"}),
        (2300, "København S", {"amager-vest", "amager-ost"}),
        (2400, "København NV", {"bispebjerg"}),
        (2450, "København SV", {"vesterbro-kongens-enghave"}),
        (2500, "Valby", {"valby"}),
        (2700, "Brønshøj", {"bronshoj-husum"}),
        (2720, "Vanløse", {"vanlose"}),
        (1357, "København K", {"indre-by"}),
        (1674, "København V", {"vesterbro-kongens-enghave"}),
    ],
)
def test_copenhagens_postcodes_ship_with_their_districts(postcode, town, districts):
    match = postcode_match(postcode)
    assert match is not None
    assert match.town == town
    assert slugs(match) == districts


@pytest.mark.django_db
def test_a_postcode_outside_copenhagen_matches_nothing():
    # 2000 is Frederiksberg, a municipality of its own; 8000 is Aarhus.
    assert postcode_match(2000) is None
    assert postcode_match(8000) is None


@pytest.mark.django_db
def test_a_single_postcode_carved_out_of_a_run_names_its_own_town_and_adds_its_districts():
    area = PostcodeArea.objects.create(first=1550, last=1550, name="København V (Rådhuspladsen)")
    area.districts.add(District.objects.get(slug="indre-by"))
    match = postcode_match(1550)
    assert match.town == "København V (Rådhuspladsen)"
    assert slugs(match) == {"indre-by", "vesterbro-kongens-enghave"}


@pytest.mark.django_db
def test_a_run_must_not_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        PostcodeArea.objects.create(first=2500, last=2400, name="Baglæns")


def test_a_centre_has_both_coordinates_or_neither(cast):
    centre = cast.norrebro
    centre.latitude = Decimal("55.6941")
    with translation.override("da"), pytest.raises(ValidationError, match="både breddegrad og længdegrad"):
        centre.full_clean()
    centre.longitude = Decimal("12.5407")
    centre.full_clean()


def test_central_staff_keep_the_postcodes_in_the_admin_and_it_is_audited(client_for, cast):
    client = client_for(cast.erin)
    assert client.get(reverse("admin:centres_postcodearea_changelist")).status_code == 200
    nørrebro = District.objects.get(slug="norrebro")
    bispebjerg = District.objects.get(slug="bispebjerg")
    area = PostcodeArea.objects.get(first=2200)
    response = client.post(
        reverse("admin:centres_postcodearea_change", args=[area.pk]),
        {"first": "2200", "last": "2200", "name": "København N", "districts": [nørrebro.pk, bispebjerg.pk]},
    )
    assert response.status_code == 302
    assert slugs(postcode_match(2200)) == {"norrebro", "bispebjerg"}
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE, object_type="centres.postcodearea").exists()


def test_counsellors_do_not_reach_the_postcodes(client_for, cast):
    response = client_for(cast.alice).get(reverse("admin:centres_postcodearea_changelist"))
    assert response.status_code == 302
