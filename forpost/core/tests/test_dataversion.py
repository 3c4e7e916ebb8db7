import pytest

from forpost.core import dataversion
from forpost.registrations.counts import rebuild
from forpost.registrations.testing import make_inquiry


@pytest.mark.django_db(transaction=True)  # each write commits, as in a request
def test_a_registration_raises_the_data_version_and_the_cached_value_is_computed_again(cast):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = dataversion.cached_object("test:key", compute)
    assert dataversion.cached_object("test:key", compute) == first == 1, "read back while nothing changed"
    before = dataversion.current()
    make_inquiry(cast.norrebro)
    assert dataversion.current() > before
    assert dataversion.cached_object("test:key", compute) == 2, "a write makes the cached value stale"


def test_rebuilding_the_kept_counts_raises_the_data_version(db):
    before = dataversion.current()
    rebuild()
    assert dataversion.current() == before + 1


@pytest.mark.django_db(transaction=True)  # each write commits, as in a request
def test_folding_the_changes_keeps_the_version_and_a_later_write_still_raises_it(cast):
    make_inquiry(cast.norrebro)
    make_inquiry(cast.valby)
    before = dataversion.current()
    assert dataversion.fold_all() > 0
    assert dataversion.current() == before, "the fold moves changes, it adds none"
    make_inquiry(cast.norrebro)
    assert dataversion.current() > before


def test_a_write_appends_a_change_and_updates_no_shared_row(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dataversion.current()
    with CaptureQueriesContext(connection) as queries:
        dataversion.bump()
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["INSERT"], "twenty counsellors at once must not queue on one row"
