from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forpost.accounts import audit
from forpost.accounts.models import AuditAction, AuditEntry, Role
from forpost.accounts.services import grant_membership


def test_a_service_change_is_recorded_with_actor_and_diff(cast):
    membership = grant_membership(
        actor=cast.grace, user=cast.erin, role=Role.MANAGEMENT, valid_from=timezone.localdate()
    )
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.membership")
    assert entry.actor == cast.grace
    assert entry.actor_name == "grace"
    assert entry.object_id == str(membership.pk)
    assert entry.changes["role"] == "management"


def test_diff_lists_only_what_changed():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_the_entry_knows_the_centre_of_the_object(cast):
    entry = audit.record(actor=cast.alice, action=AuditAction.READ, obj=cast.norrebro)
    assert entry.centre_id == cast.norrebro.pk


def test_logging_in_is_recorded(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=cast.alice).count() == 1


def test_searching_the_trail_is_itself_recorded_with_its_criteria(client_for, cast):
    client = client_for(cast.erin)
    response = client.get(reverse("accounts:audit"), {"action": "login", "actor": "alice"})
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH).latest("at")
    assert entry.actor == cast.erin
    assert entry.changes["action"] == "login"
    assert entry.changes["actor"] == "alice"


def test_the_trail_search_filters_by_user_and_action(client_for, cast):
    audit.record(actor=cast.alice, action=AuditAction.READ, obj=cast.norrebro)
    audit.record(actor=cast.charlie, action=AuditAction.READ, obj=cast.valby)
    client = client_for(cast.erin)
    page = client.get(reverse("accounts:audit"), {"actor": "charlie", "action": "read"}).context["page"]
    assert [e.actor_name for e in page] == ["charlie"]


def test_a_bad_date_range_comes_back_with_a_message(client_for, cast):
    client = client_for(cast.erin)
    response = client.get(reverse("accounts:audit"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_nonsense_search_input_never_breaks_the_page(client_for, cast):
    client = client_for(cast.erin)
    response = client.get(reverse("accounts:audit"), {"date_from": "banana", "centre": "x", "page": "-1"})
    assert response.status_code == 200


def test_counsellors_cannot_read_the_trail(client_for, cast):
    assert client_for(cast.alice).get(reverse("accounts:audit")).status_code == 403


def test_purge_deletes_only_entries_older_than_the_retention(cast):
    old = audit.record(actor=cast.alice, action=AuditAction.READ, obj=cast.norrebro)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=200))
    recent = audit.record(actor=cast.alice, action=AuditAction.READ, obj=cast.norrebro)
    out = StringIO()
    call_command("purge_audit", stdout=out)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert "Deleted 1 audit entries" in out.getvalue()
    assert AuditEntry.objects.filter(action=AuditAction.PURGE).get().changes["deleted"] == 1


def test_purge_dry_run_deletes_nothing(cast):
    old = audit.record(actor=cast.alice, action=AuditAction.READ, obj=cast.norrebro)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    out = StringIO()
    call_command("purge_audit", "--dry-run", stdout=out)
    assert AuditEntry.objects.filter(pk=old.pk).exists()
    assert "Would delete 1" in out.getvalue()
