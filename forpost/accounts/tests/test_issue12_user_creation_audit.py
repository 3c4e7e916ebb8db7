"""Issue 12, "Audit gaps": an administrator creating a user wrote the password hash into an audit
entry that central staff can read. Whichever way a user is created (the service, the admin's
audited save), the trail names the user and never holds the hash, and central staff reading the
trail in the admin see no hash either."""

import json

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry, User
from forpost.accounts.services import create_user
from forpost.core.testing import PASSWORD


def _trail() -> str:
    return json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_creating_a_user_with_a_password_writes_no_hash_into_the_trail(cast):
    user = create_user(actor=cast.grace, username="ida", password=PASSWORD, first_name="Ida")
    assert user.password and user.has_usable_password()
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.user", object_id=str(user.pk))
    assert entry.changes["username"] == "ida"
    assert "password" not in entry.changes
    assert user.password not in _trail()
    assert user.password.split("$")[-1] not in _trail()  # not even the hash's last part


def test_the_admins_audited_save_of_a_new_user_writes_no_hash(cast):
    model_admin = admin.site._registry[User]
    user = User(username="jens")
    user.set_password(PASSWORD)
    request = RequestFactory().post("/")
    request.user = cast.grace
    model_admin.save_model(request, user, form=None, change=False)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.user", object_id=str(user.pk))
    assert entry.changes and "password" not in entry.changes
    assert user.password not in _trail()


def test_central_staff_reading_a_user_creation_in_the_admin_see_no_hash(client_for, cast):
    user = create_user(actor=cast.grace, username="ida", password=PASSWORD)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.user", object_id=str(user.pk))
    page = client_for(cast.erin).get(reverse("admin:accounts_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert user.password not in page.content.decode()
