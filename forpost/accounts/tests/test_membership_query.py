"""The query of a user's memberships is built once per process (forpost.accounts.scoping), but
each request runs its own copy, for its user and its day."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from forpost.accounts.models import Role
from forpost.accounts.scoping import Access, _memberships
from forpost.centres.testing import make_membership


def test_each_request_reads_its_own_users_memberships_of_today(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    make_membership(cast.alice, role=Role.COUNSELLOR, centre=cast.valby, valid_to=today - timedelta(days=1))
    make_membership(cast.alice, role=Role.COORDINATOR, centre=cast.valby, valid_from=today + timedelta(days=1))
    client_for(cast.alice).get("/app/")
    assert [(m.user, m.role, m.centre) for m in Access.read(cast.alice.pk, with_user=True)] == [
        (cast.alice, Role.COUNSELLOR, cast.norrebro)
    ]
    assert {m.centre for m in Access.read(cast.charlie.pk)} == {cast.valby}
    assert all(query._result_cache is None for query in (_memberships(True), _memberships(False)))
