"""The desk's POST is lean: registering one inquiry costs a fixed, small number of queries,
and keeping the status's counts in step adds one insert, not one update (or insert) a count.

History, measured with this test: 60 queries before the counts were appended (120 for the
first inquiry of a centre's year); 33 with one insert for the counts; 27 once the service no
longer asked again what the form had checked; 30 with the data version and the closed-year
check. Now (issue 18), as production runs it (no test transaction around it):

- read: the session; the user; the memberships with their centres, carrying whether the
  user has a second factor and the generation of the reference data (one query);
- the reference lists and the closed years come from the process's copy, valid for that
  generation (forpost.core.generation), so the form and the year check ask nothing;
- write, in one transaction: the inquiry, its themes, actions and children (one INSERT
  each), one data change, one INSERT of count rows, the audit entry, and the form token
  consumed and pointed at the inquiry in one UPDATE (SQLite also sends BEGIN);
- the session, unchanged and saved less than a minute ago, is not written again
  (forpost.accounts.sessions).

That is 11 on PostgreSQL and 12 on SQLite; the budget is 12."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forpost.accounts.models import AuditEntry
from forpost.core.models import DataChange
from forpost.registrations.models import Inquiry, SubmissionToken

from .test_views import CREATE, _walk_in

BUDGET = 12


def _full(client, desk):  # type: ignore[no-untyped-def]
    """Two children, two themes, an action: every kind of row the desk writes."""
    return _walk_in(
        client, desk, child_2_age="6-9", child_2_sex="boy", themes=[str(desk.upbringing.pk), str(desk.divorce.pk)]
    )


@pytest.mark.django_db(transaction=True)
def test_the_desk_post_takes_at_most_twelve_queries(client_for, desk, django_assert_max_num_queries):
    client = client_for(desk.cast.alice)
    client.post(CREATE, _full(client, desk))  # the first registration of the centre's year
    data = _full(client, desk)
    changes = DataChange.objects.count()
    with django_assert_max_num_queries(BUDGET) as captured:
        response = client.post(CREATE, data)
    assert response.status_code == 302
    sql = [q["sql"] for q in captured.captured_queries]
    # Every guarantee is still written: the inquiry, its counts (one insert), one data change,
    # the audit entry and the consumed token, and nothing else is asked or written.
    assert Inquiry.objects.count() == 2
    # The data change is written by the inquiry's INSERT as it reaches the database
    # (forpost.core.dataversion), so the log, which records a statement once it is over,
    # lists it first.
    assert [s.split(" (")[0] for s in sql if s.startswith("INSERT")] == [
        'INSERT INTO "core_datachange"',
        'INSERT INTO "registrations_inquiry"',
        'INSERT INTO "registrations_inquirytheme"',
        'INSERT INTO "registrations_inquiryaction"',
        'INSERT INTO "registrations_child"',
        'INSERT INTO "reports_inquiryfact"',
        'INSERT INTO "accounts_auditentry"',
    ]
    assert DataChange.objects.count() == changes + 1
    assert AuditEntry.objects.filter(action="create", object_type="registrations.inquiry").count() == 2
    token = SubmissionToken.objects.get(token=data["submission_token"])
    assert token.used_at is not None and token.object_id == str(Inquiry.objects.latest("pk").pk)
    assert not [s for s in sql if "SAVEPOINT" in s]
    assert not [s for s in sql if s.startswith("UPDATE") and "django_session" in s]


def test_registering_takes_the_same_few_queries_the_first_time_and_later(client_for, desk):
    """Inside a test's transaction each transaction is a savepoint (two queries more)."""
    client = client_for(desk.cast.alice)
    with CaptureQueriesContext(connection) as first:
        client.post(CREATE, _full(client, desk))  # the first registration of the centre's year
    data = _full(client, desk)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(CREATE, data)
    assert response.status_code == 302
    assert Inquiry.objects.count() == 2
    assert len(first) == len(captured)
    assert len(captured) <= BUDGET + 2, "\n".join(q["sql"][:120] for q in captured.captured_queries)
    # One insert keeps every count of the inquiry in step.
    counted = [q for q in captured.captured_queries if "inquiryfact" in q["sql"]]
    assert len(counted) == 1 and counted[0]["sql"].startswith("INSERT")
