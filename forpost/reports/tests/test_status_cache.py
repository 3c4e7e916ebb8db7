"""Issue 18, Deliver 3: the status page is kept per data version, and can never show a stale
number. Every write of the data raises the version where it reaches the database (a model's
save, a queryset's update or delete, a bulk insert, raw SQL), so a kept status is read back only
while nothing it was made from has changed; the key holds the rest (centres, suppression,
language, day, code). Transactional: each write commits, as it does in a request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from forpost.core import dataversion
from forpost.registrations.models import Inquiry, InquiryFact
from forpost.registrations.testing import make_inquiry
from forpost.reports import status as status_module
from forpost.reports.queries import centre_status, city_status

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2026  # make_inquiry's date


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = status_module._build_status

    def counting(**kwargs: Any) -> Any:
        calls.append(kwargs["year"])
        return real(**kwargs)

    monkeypatch.setattr(status_module, "_build_status", counting)
    return calls


def inquiries(status: Any) -> Any:
    """The key figure "inquiries" as shown: its number, None where it is hidden, "none" where
    the status has none (no inquiries counted)."""
    cell = next((f.value for s in status.sections for f in s.facts if f.metric == "inquiries"), "none")
    return cell if cell == "none" else None if cell.suppressed else cell.value


def test_a_second_page_reads_the_status_back_and_a_registration_makes_it_new(cast, client_for, builds):
    for _ in range(6):
        make_inquiry(cast.norrebro)
    client = client_for(cast.erin)
    url = reverse("reports:city")
    first = client.get(url, {"year": YEAR}).context["status"]
    second = client.get(url, {"year": YEAR}).context["status"]
    assert builds == [YEAR], "read back while nothing was written"
    assert inquiries(second) == inquiries(first)
    assert [s.key for s in second.sections] == [s.key for s in first.sections]

    make_inquiry(cast.norrebro)
    third = client.get(url, {"year": YEAR}).context["status"]
    assert builds == [YEAR, YEAR], "a registration makes the kept status stale"
    assert inquiries(third) != inquiries(first)


def _total(cast: Any) -> Any:
    return InquiryFact.objects.filter(centre=cast.norrebro, year=YEAR, dimension="total")


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda cast: _total(cast).update(count=F("count") + 1), id="queryset-update"),
        pytest.param(lambda cast: _total(cast).delete(), id="queryset-delete"),
        pytest.param(
            lambda cast: InquiryFact.objects.bulk_create(
                [InquiryFact(centre=cast.norrebro, year=YEAR, dimension="total", value="", count=1)]
            ),
            id="bulk-create",
        ),
    ],
)
def test_a_write_without_model_signals_makes_the_kept_status_stale_too(cast, builds, write):
    """The kept counts are written in bulk; a write of them that no model signal sees still
    makes the kept status stale (the recount is what the number is read from)."""
    for _ in range(6):
        make_inquiry(cast.norrebro)
    before = centre_status(user=cast.bob, slug="norrebro", year=YEAR)
    assert inquiries(before) == 6
    version = dataversion.current()
    write(cast)
    assert dataversion.current() > version
    after = centre_status(user=cast.bob, slug="norrebro", year=YEAR)
    assert builds == [YEAR, YEAR]
    assert inquiries(after) != 6


def test_raw_sql_raises_the_version(cast):
    version = dataversion.current()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Inquiry._meta.db_table} SET centre_id = centre_id WHERE 1 = 0")  # noqa: S608 - a model's table
    assert dataversion.current() > version


def test_the_coordinators_own_numbers_are_never_served_to_someone_else(cast, builds):
    for _ in range(3):
        make_inquiry(cast.norrebro)
    own = centre_status(user=cast.bob, slug="norrebro", year=YEAR)  # Nørrebro's coordinator
    other = centre_status(user=cast.erin, slug="norrebro", year=YEAR)  # central staff
    assert not own.suppressed and inquiries(own) == 3
    assert other.suppressed and inquiries(other) is None, "three inquiries are a small count"
    assert builds == [YEAR, YEAR], "the suppressed status is its own, not the coordinator's"


def test_each_language_has_its_own_status(cast, builds):
    make_inquiry(cast.norrebro)
    with translation.override("da"):
        danish = city_status(user=cast.erin, year=YEAR)
    with translation.override("en"):
        english = city_status(user=cast.erin, year=YEAR)
        again = city_status(user=cast.erin, year=YEAR)
    assert builds == [YEAR, YEAR]
    assert danish.title != english.title == again.title


def test_a_transaction_that_has_written_neither_reads_nor_keeps_a_status(cast, builds):
    for _ in range(6):
        make_inquiry(cast.norrebro)
    city_status(user=cast.erin, year=YEAR)
    with transaction.atomic():
        make_inquiry(cast.norrebro)
        inside = city_status(user=cast.erin, year=YEAR)
        assert builds == [YEAR, YEAR], "its own write is not yet everyone's: computed afresh"
        make_inquiry(cast.norrebro)
        later = city_status(user=cast.erin, year=YEAR)
    assert builds == [YEAR, YEAR, YEAR], "nor kept: its later writes no longer raise the version"
    assert inquiries(later) != inquiries(inside)


def test_a_transaction_raises_the_version_once_and_again_after_a_rolled_back_savepoint(cast):
    make_inquiry(cast.norrebro)
    version = dataversion.current()
    with transaction.atomic():
        make_inquiry(cast.norrebro)
        make_inquiry(cast.norrebro)
    assert dataversion.current() == version + 1, "one change per transaction, not per statement"

    version = dataversion.current()
    with transaction.atomic():
        try:
            with transaction.atomic():
                make_inquiry(cast.norrebro)
                raise RuntimeError
        except RuntimeError:
            pass
        assert not dataversion.written(), "the rolled-back savepoint took its change with it"
        make_inquiry(cast.valby)
    assert dataversion.current() == version + 1


@pytest.mark.django_db(transaction=False)
def test_every_status_of_the_demo_is_kept_and_read_back_as_it_was_made(settings):
    """What is kept is what was made: every page status of the demo (the city and each centre,
    suppressed and as its own coordinator sees it, three years) survives being kept and read
    back, and renders to the same HTML. (Last year and the current, preliminary one.)"""
    import pickle
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.utils import timezone

    from forpost.centres.models import Centre

    settings.MFA_REQUIRED_ROLES = []
    call_command("demo", stdout=StringIO())
    users = get_user_model().objects
    staff, coordinator = users.get(username="stab"), users.get(username="koordinator")
    own = coordinator.memberships.first().centre
    this_year = timezone.localdate().year
    checked = 0
    other = Centre.objects.exclude(pk=own.pk).order_by("pk").first()
    for year in (this_year - 1, this_year):
        made = [
            city_status(user=staff, year=year),
            centre_status(user=coordinator, slug=own.slug, year=year),
            centre_status(user=staff, slug=other.slug, year=year),
        ]
        for status in made:
            kept = pickle.loads(pickle.dumps(status, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301
            assert kept == status
            context = {"status": status, "row_links": {}}
            assert render_to_string("reports/status_body.html", {**context, "status": kept}) == render_to_string(
                "reports/status_body.html", context
            )
            checked += 1
    assert checked == 2 * 3
