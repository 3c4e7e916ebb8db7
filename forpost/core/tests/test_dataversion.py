from forpost.core import dataversion
from forpost.registrations.testing import make_inquiry
from forpost.reports.facts import rebuild


def test_a_registration_raises_the_data_version_and_the_cached_value_is_computed_again(cast):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = dataversion.cached("test:key", compute, decode=int)
    assert dataversion.cached("test:key", compute, decode=int) == first == 1, "read back while nothing changed"
    before = dataversion.current()
    make_inquiry(cast.norrebro)
    assert dataversion.current() > before
    assert dataversion.cached("test:key", compute, decode=int) == 2, "a write makes the cached value stale"


def test_rebuilding_the_kept_counts_raises_the_data_version(db):
    before = dataversion.current()
    rebuild()
    assert dataversion.current() == before + 1
