"""Issue 12, Deliver 3 ("Fast enough"): the status page stays within its goal by caching the
disclosure pass per data version. A second page with nothing written since reads the plan back;
a registration makes it stale and the next page computes it again. (The pass itself at 1,000
centres is timed by `make bench`: benchmarks/suppression.py, benchmarks/results.json.)"""

import pytest
from django.urls import reverse

from forpost.registrations.testing import make_inquiry
from forpost.reports import disclosure


@pytest.mark.django_db(transaction=True)  # each write commits, as in a request
def test_the_pass_runs_once_per_data_version_not_once_per_page(cast, client_for, monkeypatch):
    for _ in range(3):
        make_inquiry(cast.norrebro)
    calls = []
    real = disclosure.year_plan

    def counting(year, *, threshold, width=None):  # type: ignore[no-untyped-def]
        calls.append(year)
        return real(year, threshold=threshold, width=width)

    client = client_for(cast.erin)  # central staff: another centre's page is suppressed
    url = reverse("reports:centre", args=["norrebro"])
    year = 2026  # make_inquiry's date
    monkeypatch.setattr(disclosure, "year_plan", counting)
    # The first page computes the plan; filling the centres' weekly-hours memo on the way
    # (centres.weekly.ensure) changes no number, so it does not make the plan stale.
    assert client.get(url, {"year": str(year)}).context["status"].suppressed
    assert calls == [year]
    client.get(url, {"year": str(year)})
    client.get(reverse("reports:city"), {"year": str(year)})
    assert calls == [year], "read back while nothing was written"
    make_inquiry(cast.norrebro)
    client.get(url, {"year": str(year)})
    assert calls == [year, year], "a registration makes the cached plan stale"
    client.get(url, {"year": str(year)})
    client.get(reverse("reports:city"), {"year": str(year)})
    assert calls == [year, year], "computed once for the new version"
