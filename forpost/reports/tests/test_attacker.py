"""The attacker (tests/attacker.py) against every published status: the demo's years and random
municipalities. It reads only the API's JSON, as anyone with a token could."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from forpost.accounts.models import User
from forpost.accounts.services import create_api_token
from forpost.centres.models import Centre

from .attacker import attack

CITY = "__city__"


def threshold() -> int:
    return int(getattr(settings, "SUPPRESSION_THRESHOLD", 5))


def width() -> int:
    return int(getattr(settings, "SUPPRESSION_WIDTH", 0) or threshold())


def published(year: int, token: str) -> dict[str, dict[str, Any]]:
    """The city's status and every centre's, as the API gives them to central staff."""
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    docs = {}
    city = client.get(f"/api/v1/status/{year}", **headers)
    assert city.status_code == 200, city.content
    docs[CITY] = city.json()
    for slug in Centre.objects.values_list("slug", flat=True):
        response = client.get(f"/api/v1/status/{year}/{slug}", **headers)
        assert response.status_code == 200, response.content
        docs[slug] = response.json()
    return docs


def central_token() -> str:
    return create_api_token(actor=User.objects.get(username="stab"), name="attacker")[1]


@pytest.mark.django_db
def test_no_hidden_cell_of_any_year_of_the_demo_can_be_worked_out_from_what_is_published(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    call_command("demo", stdout=StringIO())
    token = central_token()
    found = []
    for year in (2024, 2025, 2026):
        docs = published(year, token)
        found += [f"{year} {f}" for f in attack(docs, CITY, threshold=threshold(), width=width())]
    assert not found, f"{len(found)} hidden cells worked out:\n" + "\n".join(found[:40])


@st.composite
def municipalities(draw: Any) -> list[list[dict[str, int]]]:
    """A few centres, each with a handful of inquiries described by their channel, month,
    weekday, contact and case, drawn so that small counts are common."""
    centres = draw(st.integers(min_value=2, max_value=4))
    return [
        draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "channel": st.integers(0, 3),
                        "month": st.integers(1, 12),
                        "case": st.sampled_from(["yes", "no", "unknown"]),
                        "young": st.booleans(),
                        "contact": st.integers(0, 2),
                    }
                ),
                min_size=0,
                max_size=40,
            )
        )
        for _ in range(centres)
    ]


def _store(municipality: list[list[dict[str, int]]], year: int) -> None:
    """The counts behind the status for the drawn inquiries (the status reads only these)."""
    from collections import Counter
    from datetime import date

    from forpost.centres.testing import make_centre
    from forpost.registrations.models import Channel, ContactPerson
    from forpost.reports.models import InquiryFact

    channels = list(Channel.objects.order_by("pk").values_list("pk", flat=True))
    contacts = list(ContactPerson.values)
    for i, inquiries in enumerate(municipality):
        centre = make_centre(f"Rådgivning {i}", code=f"R{i}", slug=f"random-{i}")
        counts: Counter[tuple[str, str]] = Counter()
        for inquiry in inquiries:
            counts[("total", "")] += 1
            counts[("channel", str(channels[inquiry["channel"] % len(channels)]))] += 1
            counts[("month", str(inquiry["month"]))] += 1
            counts[("weekday", str(date(year, inquiry["month"], 1).isoweekday()))] += 1
            counts[("has_case", inquiry["case"])] += 1
            counts[("child_0_12", "yes" if inquiry["young"] else "no")] += 1
            counts[("contact", contacts[inquiry["contact"] % len(contacts)])] += 1
            # Every inquiry counts once in each of these, as the registration services count it.
            counts[("family", ["together", "separated", "single"][inquiry["contact"] % 3])] += 1
            counts[("parent_sex", "female" if inquiry["young"] else "male")] += 1
            counts[("origin", "not_stated")] += 1
            counts[("district", "outside" if inquiry["channel"] % 2 else "not_stated")] += 1
            counts[("referral_source", "")] += 1
        InquiryFact.objects.bulk_create(
            InquiryFact(centre=centre, year=year, dimension=d, value=v, count=n) for (d, v), n in counts.items()
        )


@pytest.mark.django_db
@hypothesis_settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(municipality=municipalities())
def test_no_hidden_cell_of_a_random_municipality_can_be_worked_out(municipality, settings, cast):
    from django.db import transaction

    from forpost.registrations.testing import ensure_reference_data

    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    ensure_reference_data()
    year = 2025
    with transaction.atomic():
        _store(municipality, year)
        token = create_api_token(actor=cast.users()["erin"], name="attacker")[1]
        docs = published(year, token)
        found = attack(docs, CITY, threshold=threshold(), width=width())
        transaction.set_rollback(True)
    assert not found, f"{len(found)} hidden cells worked out:\n" + "\n".join(str(f) for f in found[:40])
