from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from forpost.accounts.models import Membership, Role
from forpost.accounts.scoping import CENTRAL, MANAGE, REGISTER, access_for, get_scoped_or_404, scoped
from forpost.centres.models import Centre, District
from forpost.centres.testing import make_membership, make_user


def names(qs):
    return sorted(c.slug for c in qs)


def test_a_counsellor_sees_only_her_centre(cast):
    assert names(scoped(Centre, cast.alice)) == ["norrebro"]
    assert names(scoped(Centre, cast.charlie)) == ["valby"]


def test_city_wide_roles_see_every_centre(cast):
    for user in (cast.erin, cast.frank, cast.grace):
        assert names(scoped(Centre, user)) == ["norrebro", "valby"]


def test_city_wide_readers_cannot_register_or_manage(cast):
    assert names(scoped(Centre, cast.erin, roles=REGISTER)) == []
    assert names(scoped(Centre, cast.frank, roles=MANAGE)) == []


def test_only_the_coordinator_manages_a_centre(cast):
    assert names(scoped(Centre, cast.bob, roles=MANAGE)) == ["norrebro"]
    assert names(scoped(Centre, cast.alice, roles=MANAGE)) == []


def test_the_wrong_centre_is_a_404(cast):
    assert get_scoped_or_404(Centre, cast.alice, slug="norrebro") == cast.norrebro
    with pytest.raises(Http404):
        get_scoped_or_404(Centre, cast.charlie, slug="norrebro")


def test_a_bad_lookup_value_is_a_404_not_an_error(cast):
    with pytest.raises(Http404):
        get_scoped_or_404(Centre, cast.alice, pk="not-a-number")


def test_an_ended_membership_gives_no_access(cast):
    user = make_user("eve")
    yesterday = date.today() - timedelta(days=1)
    make_membership(user, role=Role.COUNSELLOR, centre=cast.norrebro, valid_to=yesterday)
    assert names(scoped(Centre, user)) == []


def test_a_future_membership_gives_no_access_yet(cast):
    user = make_user("fred")
    make_membership(user, role=Role.COUNSELLOR, centre=cast.norrebro, valid_from=date.today() + timedelta(days=3))
    assert names(scoped(Centre, user)) == []


def test_a_counsellor_at_two_centres_sees_both(cast):
    make_membership(cast.alice, role=Role.COUNSELLOR, centre=cast.valby)
    assert names(scoped(Centre, cast.alice)) == ["norrebro", "valby"]


def test_an_inactive_user_sees_nothing(cast):
    cast.alice.is_active = False
    cast.alice.save()
    assert names(scoped(Centre, cast.alice)) == []


def test_anonymous_users_see_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert list(scoped(Centre, AnonymousUser())) == []


def test_a_model_without_centre_path_cannot_be_scoped(cast):
    with pytest.raises(ImproperlyConfigured):
        scoped(District, cast.alice)


def test_access_is_computed_once_per_user_object(cast, django_assert_num_queries):
    access_for(cast.bob)
    # Two queries for the two lists themselves; none for the memberships again.
    with django_assert_num_queries(2):
        list(scoped(Centre, cast.bob))
        list(scoped(Centre, cast.bob, roles=MANAGE))


def test_central_staff_is_central_but_management_is_not(cast):
    assert access_for(cast.erin).has_role(CENTRAL)
    assert not access_for(cast.frank).has_role(CENTRAL)


def test_a_centre_role_needs_a_centre(cast):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError):
        Membership(user=cast.erin, role=Role.COUNSELLOR, valid_from=date.today()).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.erin, role=Role.CENTRAL_STAFF, centre=cast.valby, valid_from=date.today())
