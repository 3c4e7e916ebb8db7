"""No audit entry holds a password (or its hash), a token or a session key, and reading the
trail or changing a password in the admin is itself recorded (issue 12, "Audit gaps")."""

import json

import pytest
from django.contrib import admin
from django.urls import reverse

from forpost.accounts import audit
from forpost.accounts.admin_site import AuditedAdmin, AuditedInline
from forpost.accounts.models import AuditAction, AuditEntry, User
from forpost.accounts.services import create_api_token
from forpost.core.testing import PASSWORD


def _audited_models():  # type: ignore[no-untyped-def]
    models = set()
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedAdmin):
            models.add(model)
            for inline in model_admin.inlines:
                if issubclass(inline, AuditedInline):
                    models.add(inline.model)
    return sorted(models, key=lambda m: m._meta.label)


def test_every_audited_admin_model_is_covered():
    labels = {m._meta.label for m in _audited_models()}
    assert {"accounts.User", "accounts.Membership", "accounts.AuditEntry", "centres.Centre"} <= labels


@pytest.mark.parametrize("model", _audited_models(), ids=lambda m: m._meta.label)
def test_no_audited_admin_model_writes_a_secret_field_into_the_trail(model, cast):
    obj = model._default_manager.first() or model()
    recorded = audit.snapshot(obj)
    assert not [name for name in recorded if audit.is_secret(name)]
    secret_fields = [f.attname for f in model._meta.concrete_fields if audit.is_secret(f.attname)]
    entry = audit.record(actor=None, action=AuditAction.CHANGE, obj=obj if obj.pk else None, changes=recorded)
    for name in secret_fields:
        value = getattr(obj, name)
        if value:
            assert str(value) not in json.dumps(entry.changes)


def test_an_administrator_deleting_a_user_writes_no_password_hash(client_for, cast):
    victim = User.objects.create_user(username="ida", password=PASSWORD)
    url = reverse("admin:accounts_user_delete", args=[victim.pk])
    response = client_for(cast.grace).post(url, {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_type="accounts.user")
    assert victim.password not in json.dumps(entry.changes)
    assert "password" not in entry.changes
    assert entry.changes["username"] == "ida"


def test_a_password_hash_token_or_session_key_passed_to_the_trail_is_not_kept(cast):
    token, raw = create_api_token(actor=cast.alice, name="x")
    entry = audit.record(
        actor=cast.alice,
        action=AuditAction.CHANGE,
        obj=cast.alice,
        changes={"password": [None, cast.alice.password], "digest": token.digest, "session_key": "abc123"},
    )
    stored = json.dumps(AuditEntry.objects.get(pk=entry.pk).changes)
    for secret in (cast.alice.password, token.digest, "abc123", raw):
        assert secret not in stored
    assert entry.changes["password"] == "changed"


def test_central_staff_reading_the_audit_trail_in_the_admin_is_recorded(client_for, cast):
    entry = AuditEntry.objects.create(action=AuditAction.READ, actor_name="alice", object_type="registrations.inquiry")
    client = client_for(cast.erin)
    assert client.get(reverse("admin:accounts_auditentry_changelist"), {"action": "read"}).status_code == 200
    search = AuditEntry.objects.get(action=AuditAction.SEARCH, object_type="accounts.auditentry")
    assert search.actor == cast.erin
    assert search.changes["action"] == "read"
    assert client.get(reverse("admin:accounts_auditentry_change", args=[entry.pk])).status_code == 200
    read = AuditEntry.objects.get(action=AuditAction.READ, object_type="accounts.auditentry")
    assert (read.actor, read.object_id) == (cast.erin, str(entry.pk))


def test_changing_ones_password_in_the_admin_is_recorded_without_the_password(client_for, cast):
    client = client_for(cast.erin)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "et-nyt-langt-kodeord-77",
            "new_password2": "et-nyt-langt-kodeord-77",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_type="accounts.user", object_id=str(cast.erin.pk))
    assert entry.changes == {"password": "changed", "via": "admin"}
    cast.erin.refresh_from_db()
    assert cast.erin.password not in json.dumps(entry.changes)
