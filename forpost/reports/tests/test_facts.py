"""The counts behind the status equal the registrations, however they were reached."""

import random
from datetime import date

import pytest

from forpost.reports import facts
from forpost.reports.models import InquiryFact


def snapshot():
    return {(f.centre_id, f.year, f.dimension, f.value): f.count for f in InquiryFact.objects.all() if f.count}


@pytest.fixture
def lists(db):
    from forpost.registrations.models import Action, Channel, ReferralSource, Theme
    from forpost.registrations.testing import ensure_reference_data

    # A transactional test before this one may have flushed the seeded lists.
    ensure_reference_data()

    return {
        "channels": list(Channel.objects.all()[:3]),
        "themes": list(Theme.objects.all()[:4]),
        "actions": list(Action.objects.all()[:3]),
        "sources": [None, *ReferralSource.objects.all()[:2]],
    }


def make_inquiry(rng, centre, lists):
    from forpost.centres.models import District
    from forpost.registrations.models import Child, ContactPerson, Inquiry

    district = rng.choice([None, District.objects.get(slug="valby")])
    inquiry = Inquiry.objects.create(
        centre=centre,
        date=date(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28)),
        channel=rng.choice(lists["channels"]),
        contact_person=rng.choice(ContactPerson.values),
        residence="district" if district else rng.choice(["outside", "not_stated"]),
        district=district,
        referral_source=rng.choice(lists["sources"]),
        minutes=rng.choice([None, 15, 45]),
        concern_reported_on=rng.choice([None, date(2025, 3, 3)]),
    )
    inquiry.themes.set(rng.sample(lists["themes"], rng.randint(0, 2)))
    inquiry.actions.set(rng.sample(lists["actions"], rng.randint(1, 2)))
    for _ in range(rng.randint(0, 3)):
        Child.objects.create(inquiry=inquiry, age_band=rng.choice(["expected", "0-2", "6-9", "13-17"]), sex="girl")
    return inquiry


def test_incremental_counts_equal_a_rebuild(cast, lists):
    rng = random.Random(4)
    made = []
    for _ in range(40):
        inquiry = make_inquiry(rng, rng.choice([cast.norrebro, cast.valby]), lists)
        facts.apply_change(None, facts.facts_of(inquiry))
        made.append(inquiry)
    # Change some (moving one across a year boundary) and delete others.
    for inquiry in made[:10]:
        before = facts.facts_of(inquiry)
        inquiry.date = date(2025 if inquiry.date.year == 2024 else 2024, 6, 1)
        inquiry.save()
        inquiry.themes.set(lists["themes"][:1])
        facts.apply_change(before, facts.facts_of(inquiry))
    for inquiry in made[10:15]:
        before = facts.facts_of(inquiry)
        inquiry.delete()
        facts.apply_change(before, None)
    incremental = snapshot()
    facts.rebuild()
    assert snapshot() == incremental
    totals = {k: v for k, v in incremental.items() if k[2] == "total"}
    assert sum(totals.values()) == 35


def test_a_rebuild_of_one_centre_leaves_the_others(cast, lists):
    rng = random.Random(1)
    for centre in (cast.norrebro, cast.valby):
        make_inquiry(rng, centre, lists)
    facts.rebuild()
    InquiryFact.objects.filter(centre=cast.valby).update(count=99)
    facts.rebuild(centre_ids=[cast.norrebro.pk])
    assert InquiryFact.objects.filter(centre=cast.valby, dimension="total").get().count == 99


def test_the_share_with_young_children_is_counted_per_inquiry(cast, lists):
    from forpost.registrations.models import Child

    rng = random.Random(2)
    inquiry = make_inquiry(rng, cast.norrebro, lists)
    inquiry.children.all().delete()
    Child.objects.create(inquiry=inquiry, age_band="0-2", sex="boy")
    Child.objects.create(inquiry=inquiry, age_band="3-5", sex="girl")
    found = facts.inquiry_facts(inquiry)
    assert found[("child_0_12", "yes")] == 1
    assert found[("children", "")] == 2
    facts.rebuild()
    assert InquiryFact.objects.get(dimension="child_0_12", value="yes").count == 1


@pytest.mark.django_db(transaction=True)
def test_two_first_inquiries_at_once_both_count(cast, lists):
    """Two transactions create the same count row at the same moment: neither fails."""
    import threading

    from django.db import connection

    rng = random.Random(9)
    inquiries = [make_inquiry(rng, cast.norrebro, lists) for _ in range(2)]
    for inquiry in inquiries:
        inquiry.date = date(2025, 1, 15)
        inquiry.save()
    InquiryFact.objects.all().delete()
    errors = []
    barrier = threading.Barrier(2)

    def count(inquiry):
        try:
            barrier.wait(timeout=30)
            facts.apply_change(None, facts.facts_of(inquiry))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=count, args=(i,)) for i in inquiries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert InquiryFact.objects.get(centre=cast.norrebro, year=2025, dimension="total").count == 2


def test_the_rebuild_command_recounts_and_brings_the_weekly_hours_up_to_date(cast, lists):
    from io import StringIO

    from django.core.management import call_command

    from forpost.centres.models import WeeklyHours

    rng = random.Random(3)
    for _ in range(4):
        make_inquiry(rng, cast.valby, lists)
    InquiryFact.objects.all().delete()
    out = StringIO()
    call_command("rebuild_facts", stdout=out)
    assert sum(f.count for f in InquiryFact.objects.filter(dimension="total")) == 4
    years = set(InquiryFact.objects.values_list("year", flat=True))
    # Every centre gets its stored weeks for every year with inquiries.
    stored = set(WeeklyHours.objects.values_list("centre_id", "year"))
    assert stored == {(c, y) for c in (cast.norrebro.pk, cast.valby.pk) for y in years}
    assert "Weekly hours up to date" in out.getvalue()
