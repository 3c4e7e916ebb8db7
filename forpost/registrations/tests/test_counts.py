"""The counts behind the status equal the registrations, however they were reached."""

import random
from datetime import date

import pytest

from forpost.registrations import counts as facts
from forpost.registrations.models import InquiryFact


def snapshot():
    """The kept counts as {(centre, year, dimension, value): n}: a key's rows summed."""
    found: dict = {}
    for f in InquiryFact.objects.all():
        key = (f.centre_id, f.year, f.dimension, f.value)
        found[key] = found.get(key, 0) + f.count
    return {k: n for k, n in found.items() if n}


def kept(**key):
    return sum(InquiryFact.objects.filter(**key).values_list("count", flat=True))


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
    assert kept(centre=cast.valby, dimension="total") == 99


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
    assert kept(dimension="child_0_12", value="yes") == 1


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
    assert kept(centre=cast.norrebro, year=2025, dimension="total") == 2


def test_the_rebuild_command_recounts_and_brings_the_weekly_hours_up_to_date(cast, lists):
    from io import StringIO

    from django.core.management import call_command

    from forpost.centres.models import WeeklyHoursYear

    rng = random.Random(3)
    for _ in range(4):
        make_inquiry(rng, cast.valby, lists)
    InquiryFact.objects.all().delete()
    out = StringIO()
    call_command("rebuild_facts", stdout=out)
    assert sum(f.count for f in InquiryFact.objects.filter(dimension="total")) == 4
    years = set(InquiryFact.objects.values_list("year", flat=True))
    # Every centre gets its stored weeks for every year with inquiries.
    stored = set(WeeklyHoursYear.objects.values_list("centre_id", "year"))
    assert stored == {(c, y) for c in (cast.norrebro.pk, cast.valby.pk) for y in years}
    assert "Weekly hours up to date" in out.getvalue()


def test_course_counts_kept_by_the_services_equal_a_rebuild(cast, lists):
    from decimal import Decimal

    from forpost.registrations import services
    from forpost.registrations.models import ScoreNorm

    rng = random.Random(7)
    norm = ScoreNorm.objects.get(code="adult")
    courses = []
    for _ in range(12):
        inquiry = make_inquiry(rng, rng.choice([cast.norrebro, cast.valby]), lists)
        inquiry.date = date(2024, rng.randint(1, 12), rng.randint(1, 28))
        inquiry.save()
        course = services.start_course(actor=cast.alice, inquiry=inquiry, score_norm=norm, started_on=inquiry.date)
        for n in range(rng.randint(0, 4)):
            item = Decimal(rng.randint(10, 90)) / 10
            scores = {f"ors_{i}": item for i in (1, 2, 3, 4)} if rng.random() < 0.8 else {}
            services.add_session(
                actor=cast.alice,
                course=course,
                date=date(2024, 12, 29) if n == 0 else date(2025, 1, n + 1),
                scaling=rng.choice([None, rng.randint(0, 10)]),
                **scores,
            )
        courses.append(course)
    # End most of them (some across the year boundary), then change a session and a start date.
    for course in courses[:9]:
        course.refresh_from_db()
        services.end_course(
            actor=cast.alice,
            course=course,
            expected_version=course.version,
            ended_on=date(2025, rng.randint(2, 12), 1),
            result=rng.choice(["reached", "partly", "dropped_out"]),
        )
    edited = courses[0].sessions.order_by("date").last()
    if edited is not None:
        services.update_session(actor=cast.alice, session=edited, expected_version=edited.version, scaling=10)
    moved = courses[10]
    moved.refresh_from_db()
    services.update_course(actor=cast.alice, course=moved, expected_version=moved.version, started_on=date(2024, 1, 2))
    # Referrals from courses, and the bridge moved on for one of them.
    for i, course in enumerate(courses[:6]):
        referral = services.refer_from_course(
            actor=cast.alice,
            course=course,
            destination="family_unit" if i % 2 else "health",
            made_on=date(2025, 2, 1),
        )
        if i == 1:
            services.set_bridge_status(
                actor=cast.alice, referral=referral, expected_version=referral.version, bridge_status="contact_made"
            )
    # The inquiries here were made without the services: compare the courses' and referrals' counts.
    mine = ("course_", "referral_to", "referral_bridge")
    incremental = {k: n for k, n in snapshot().items() if k[2].startswith(mine)}
    assert incremental[(courses[1].centre_id, 2025, "referral_bridge", "contact_made")] == 1
    assert sum(n for (_c, _y, d, _v), n in incremental.items() if d == "course_started") == 12
    assert sum(n for (_c, _y, d, _v), n in incremental.items() if d == "course_ended") == 9
    assert any(d == "course_ors_n" for (_c, _y, d, _v) in incremental)
    facts.rebuild()
    assert {k: n for k, n in snapshot().items() if k[2].startswith(mine)} == incremental


def test_a_changed_score_norm_recounts_its_courses_in_the_same_transaction(cast, lists):
    from decimal import Decimal

    from forpost.registrations import services
    from forpost.registrations.models import ScoreNorm

    norm = ScoreNorm.objects.get(code="adult")
    inquiry = make_inquiry(random.Random(5), cast.norrebro, lists)
    course = services.start_course(actor=cast.alice, inquiry=inquiry, score_norm=norm, started_on=inquiry.date)
    for day, item in ((inquiry.date, Decimal(4)), (inquiry.date, Decimal(5))):
        services.add_session(actor=cast.alice, course=course, date=day, **{f"ors_{i}": item for i in (1, 2, 3, 4)})
    course.refresh_from_db()
    services.end_course(
        actor=cast.alice, course=course, expected_version=course.version, ended_on=inquiry.date, result="reached"
    )

    def improved() -> int:
        return sum(InquiryFact.objects.filter(dimension="course_improved").values_list("count", flat=True))

    assert improved() == (1 if Decimal(4) >= norm.reliable_change else 0)
    # The change of 4 points is reliable under a norm of 3, not under 5: the counts follow.
    # Only the courses are recounted, not everything: a count off elsewhere stays off.
    InquiryFact.objects.create(centre=cast.valby, year=2020, dimension="total", value="", count=7)
    for reliable, expected in ((Decimal(3), 1), (Decimal(5), 0)):
        services.change_score_norm(actor=cast.erin, norm=norm, reliable_change=reliable)
        assert improved() == expected
        # The inquiry was made without the services: compare the courses' counts.
        assert [d for d in facts.differences() if d[0][2].startswith("course_")] == []
        assert kept(centre=cast.valby, year=2020, dimension="total") == 7


# --- Append-only counts: no hot row, exactly once -----------------------------------------------


def test_a_change_appends_its_counts_in_one_insert_and_updates_no_count_row(cast, lists):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(11)
    first = make_inquiry(rng, cast.norrebro, lists)
    facts.apply_change(None, facts.facts_of(first))
    second = make_inquiry(rng, cast.norrebro, lists)
    with CaptureQueriesContext(connection) as captured:
        facts.apply_change(None, facts.facts_of(second, themes=[], actions=[], children=[]))
    written = [q["sql"] for q in captured.captured_queries if "inquiryfact" in q["sql"]]
    assert len(written) == 1 and written[0].startswith("INSERT"), written


def test_folding_keeps_every_count_and_leaves_one_row_a_key(cast, lists):
    rng = random.Random(12)
    for _ in range(6):
        inquiry = make_inquiry(rng, rng.choice([cast.norrebro, cast.valby]), lists)
        facts.apply_change(None, facts.facts_of(inquiry))
    before = snapshot()
    rows = InquiryFact.objects.count()
    assert facts.fold_all() > 0
    assert snapshot() == before
    assert InquiryFact.objects.count() < rows
    keys = InquiryFact.objects.values_list("centre_id", "year", "dimension", "value")
    assert len(set(keys)) == len(keys)
    assert facts.differences() == []
    assert facts.fold_all() == 0  # nothing left to fold


def test_a_fold_that_finds_its_rows_taken_changes_nothing(cast, lists, monkeypatch):
    rng = random.Random(13)
    for _ in range(3):
        facts.apply_change(None, facts.facts_of(make_inquiry(rng, cast.norrebro, lists)))
    before = snapshot()
    real_delete = facts.InquiryFact.objects.filter

    # Another fold took one row between this fold's read and its delete.
    calls = {"n": 0}

    def racing_filter(*args, **kwargs):
        qs = real_delete(*args, **kwargs)
        if "pk__in" in kwargs and calls["n"] == 0:
            calls["n"] += 1
            real_delete(pk=kwargs["pk__in"][0]).delete()
            facts.InquiryFact.objects.create(**_row_of(before, kwargs["pk__in"][0]))
        return qs

    rows = {r.pk: r for r in InquiryFact.objects.all()}

    def _row_of(_before, pk):
        r = rows[pk]
        return {"centre_id": r.centre_id, "year": r.year, "dimension": r.dimension, "value": r.value, "count": r.count}

    monkeypatch.setattr(facts.InquiryFact.objects, "filter", racing_filter)
    with pytest.raises(facts.FoldRaced):
        facts.fold()
    monkeypatch.undo()
    assert snapshot() == before


def _threads(n, work):
    import threading

    from django.db import connections

    errors: list = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_twenty_counsellors_at_one_centre_and_a_rebuild_and_folds_meanwhile_count_each_inquiry_once(cast, lists):
    """Twenty registrations at one centre at once, while a rebuild and folds run: every
    inquiry is counted exactly once, and the kept counts equal a recount."""
    from django.db import connection

    from forpost.registrations import services
    from forpost.registrations.models import Inquiry

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's test database is in memory; threads need a file test database.")
    facts.rebuild()
    channel, theme = lists["channels"][0], lists["themes"][0]

    def work(i):
        if i == 20:
            facts.rebuild()
            return
        if i == 21:
            facts.fold_all()
            return
        services.register_inquiry(
            actor=cast.alice,
            centre=cast.norrebro,
            date=date(2025, 6, 2),
            channel=channel,
            contact_person="mother",
            residence="not_stated",
            themes=[theme],
            children=[("3-5", "girl")],
        )

    errors = _threads(22, work)
    assert errors == []
    assert Inquiry.objects.filter(centre=cast.norrebro, date=date(2025, 6, 2)).count() == 20
    assert facts.differences() == []
    assert kept(centre=cast.norrebro, year=2025, dimension="theme", value=str(theme.pk)) >= 20
    facts.fold_all()
    assert facts.differences() == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_folds_the_appended_counts_between_polls(cast, lists, settings):
    from django.core.management import call_command

    from forpost.registrations.testing import ensure_reference_data

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ensure_reference_data()
    rng = random.Random(14)
    for _ in range(3):
        facts.apply_change(None, facts.facts_of(make_inquiry(rng, cast.norrebro, lists)))
    before = snapshot()
    keys = InquiryFact.objects.values_list("centre_id", "year", "dimension", "value")
    assert len(set(keys)) < len(keys)
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    keys = InquiryFact.objects.values_list("centre_id", "year", "dimension", "value")
    assert len(set(keys)) == len(keys)
    assert snapshot() == before
