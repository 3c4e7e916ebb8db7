from io import StringIO

from django.core.management import call_command

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
