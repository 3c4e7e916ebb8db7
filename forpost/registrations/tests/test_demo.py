import random
from datetime import date

from forpost.core.demo import DemoContext
from forpost.registrations import demo
from forpost.registrations.models import Course, Inquiry, Session
from forpost.registrations.testing import ensure_reference_data


def test_scale_builds_exactly_n_inquiries_with_courses_over_ten_calendar_years(cast):
    ensure_reference_data()
    ctx = DemoContext(rng=random.Random(1), today=date(2026, 6, 1), scale=3000)
    demo.build(ctx)

    assert Inquiry.objects.count() == 3000
    assert Inquiry.objects.filter(centre=cast.valby).exists()
    years = {d.year for d in Inquiry.objects.dates("date", "year")}
    assert years == set(range(2017, 2027))
    assert Course.objects.count() > 200
    assert Session.objects.exists()
    labels = list(Course.objects.values_list("label", flat=True))
    assert len(labels) == len(set(labels))


def test_the_demo_is_idempotent_and_looks_like_two_years_of_work(cast):
    ensure_reference_data()
    demo.build(DemoContext(rng=random.Random(7), today=date(2026, 6, 1)))
    count = Inquiry.objects.count()
    demo.build(DemoContext(rng=random.Random(7), today=date(2026, 6, 1)))
    assert Inquiry.objects.count() == count
    # Two full years at two centres: a few thousand, with courses started after the summer too.
    assert 1000 < count < 5000
    assert Inquiry.objects.order_by("date").first().date >= date(2024, 6, 1)
    assert not Inquiry.objects.filter(date__week_day__in=[1, 7]).exists()  # no weekends
