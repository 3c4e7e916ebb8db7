"""The sign-in service that every identity provider's answer goes through (no provider here)."""

from datetime import date, timedelta

from forpost.accounts.models import AuditAction, AuditEntry, IdpMapping, Membership, Role
from forpost.accounts.services import IdpIdentity, sign_in_from_idp
from forpost.core.testing import today


def _dora(*groups: str) -> IdpIdentity:
    return IdpIdentity(
        provider="oidc",
        subject="0b8f-dora",
        username="dora",
        email="dora@kk.dk",
        first_name="Dora",
        last_name="Dahl",
        groups=groups,
    )


def test_a_mapping_an_administrator_moves_to_another_centre_moves_the_membership_at_the_next_sign_in(cast):
    mapping = IdpMapping.objects.create(value="FR-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro)
    dora = sign_in_from_idp(identity=_dora("FR-Raadgivere"))
    Membership.objects.filter(user=dora).update(valid_from=date(2025, 1, 1))
    mapping.centre = cast.valby
    mapping.save()
    sign_in_from_idp(identity=_dora("FR-Raadgivere"))
    old, new = Membership.objects.filter(user=dora).order_by("valid_from")
    assert (old.centre, old.valid_to) == (cast.norrebro, today() - timedelta(days=1))
    assert (new.centre, new.valid_from, new.valid_to) == (cast.valby, today(), None)


def test_two_groups_give_two_memberships_and_other_groups_are_ignored(cast):
    IdpMapping.objects.create(value="FR-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro)
    IdpMapping.objects.create(value="BFCK-Stab", role=Role.CENTRAL_STAFF)
    dora = sign_in_from_idp(identity=_dora("FR-Raadgivere", "BFCK-Stab", "Alle-Ansatte"))
    assert sorted(Membership.objects.filter(user=dora).values_list("role", flat=True)) == [
        "central_staff",
        "counsellor",
    ]


def test_memberships_an_administrator_granted_are_left_alone_by_the_identity_provider(cast):
    IdpMapping.objects.create(value="FR-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro)
    dora = sign_in_from_idp(identity=_dora("FR-Raadgivere"))
    Membership.objects.create(user=dora, role=Role.COORDINATOR, centre=cast.valby, valid_from=date(2026, 1, 1))
    sign_in_from_idp(identity=_dora("FR-Raadgivere"))
    assert Membership.objects.filter(user=dora, mapping__isnull=True).get().valid_to is None


def test_a_membership_that_began_today_is_removed_not_ended_and_the_trail_keeps_it(cast):
    IdpMapping.objects.create(value="FR-Raadgivere", role=Role.COUNSELLOR, centre=cast.norrebro)
    dora = sign_in_from_idp(identity=_dora("FR-Raadgivere"))
    assert sign_in_from_idp(identity=_dora()) is None
    assert not Membership.objects.filter(user=dora).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_type="accounts.membership").count() == 1
