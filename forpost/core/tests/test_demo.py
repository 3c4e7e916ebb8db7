from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from forpost.accounts.models import Membership, Role, User
from forpost.centres.models import Centre


def counts():
    return (User.objects.count(), Membership.objects.count(), Centre.objects.count())


def test_the_demo_is_idempotent_and_has_every_role(db):
    out = StringIO()
    call_command("demo", stdout=out)
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Centre.objects.count() >= 6
    assert "Demo logins" in out.getvalue()
    assert User.objects.get(username="raadgiver").check_password("forpost-demo")


def test_the_scale_demo_builds_a_benchmark_municipality_of_twelve_centres(db):
    from django.db.models import Count, Sum

    from forpost.centres.models import Budget, OpeningHoursPattern
    from forpost.collaboration.models import Activity
    from forpost.registrations.models import Course, Inquiry, InquiryFact, LabelCounter, Session
    from forpost.registrations.testing import make_inquiry

    call_command("demo", scale=3000, centres=12, stdout=StringIO())

    assert Inquiry.objects.count() == 3000
    centres = list(Centre.objects.order_by("slug"))
    assert len(centres) == 12
    assert [c.slug for c in centres if c.slug.startswith("bench-")] == [f"bench-{n:04d}" for n in range(7, 13)]
    this_year = timezone.localdate().year
    ten_years = set(range(this_year - 9, this_year + 1))
    for centre in centres:
        assert centre.inquiries.exists(), centre.slug
        assert OpeningHoursPattern.objects.filter(centre=centre).exists(), centre.slug
        assert set(Budget.objects.filter(centre=centre).values_list("year", flat=True)) == ten_years, centre.slug
        assert Activity.objects.filter(centre=centre, date__year=this_year - 1).exists(), centre.slug
    assert {d.year for d in Inquiry.objects.dates("date", "year")} == ten_years
    assert Course.objects.count() > 200
    assert Session.objects.count() > Course.objects.count()
    labels = list(Course.objects.values_list("label", flat=True))
    assert len(labels) == len(set(labels))
    # Each centre's counter for a year stands at the courses it numbered that year.
    numbered = Course.objects.values("centre_id", "started_on__year").annotate(n=Count("pk"))
    counters = {(c.centre_id, c.year): c.last for c in LabelCounter.objects.all()}
    assert counters == {(r["centre_id"], r["started_on__year"]): r["n"] for r in numbered}

    call_command("rebuild_facts", stdout=StringIO())
    assert InquiryFact.objects.filter(dimension="total").aggregate(n=Sum("count"))["n"] == 3000
    # The loader gave the ids itself; the database still hands out fresh ones after them.
    last = Inquiry.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert make_inquiry(centres[0]).pk > last
