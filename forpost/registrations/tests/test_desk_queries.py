"""The desk's POST is lean: registering one inquiry costs a fixed number of queries, and
keeping the status's counts in step adds one insert, not one update (or insert) a count.

Measured with this test: 60 queries before the counts were appended (120 for the first
inquiry of a centre's year, which created its count rows); 33 with one insert for the counts;
27 since the service stopped asking the database again what the form and _check_inquiry
have checked; 29 with the two appended data changes (forpost.core.dataversion: the
inquiry's and the counts', inserts that no other writer waits on); 30 with the check that
the year is not closed. Of those 30, eleven are
the session, the user, the second factor, the membership and the form's choices, and six
are savepoints."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forpost.registrations.models import Inquiry

from .test_views import CREATE, _walk_in


def test_registering_a_walk_in_takes_the_same_few_queries_the_first_time_and_later(client_for, desk):
    client = client_for(desk.cast.alice)
    data = _walk_in(
        client, desk, child_2_age="6-9", child_2_sex="boy", themes=[str(desk.upbringing.pk), str(desk.divorce.pk)]
    )
    with CaptureQueriesContext(connection) as first:
        client.post(CREATE, data)  # the first registration of the centre's year
    data = _walk_in(
        client, desk, child_2_age="6-9", child_2_sex="boy", themes=[str(desk.upbringing.pk), str(desk.divorce.pk)]
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.post(CREATE, data)
    assert response.status_code == 302
    assert Inquiry.objects.count() == 2
    assert len(first) == len(captured)
    assert len(captured) <= 30, "\n".join(q["sql"][:120] for q in captured.captured_queries)
    # One insert keeps every count of the inquiry in step.
    counted = [q for q in captured.captured_queries if "inquiryfact" in q["sql"]]
    assert len(counted) == 1 and counted[0]["sql"].startswith("INSERT")
