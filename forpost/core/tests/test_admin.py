from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.centres.models import District


def test_central_staff_reach_the_reference_data(client_for, cast):
    response = client_for(cast.erin).get(reverse("admin:index"))
    assert response.status_code == 200


def test_counsellors_and_management_do_not_reach_the_admin(client_for, cast):
    for user in (cast.alice, cast.bob, cast.frank):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_an_admin_change_is_audited(client_for, cast):
    district = District.objects.get(slug="valby")
    url = reverse("admin:centres_district_change", args=[district.pk])
    response = client_for(cast.erin).post(
        url, {"municipality": district.municipality_id, "name": "Valby Syd", "slug": "valby"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_type="centres.district")
    assert entry.changes["name"] == ["Valby", "Valby Syd"]
    assert entry.actor == cast.erin


def test_nobody_can_change_or_delete_the_audit_trail_in_the_admin(client_for, cast):
    entry = AuditEntry.objects.create(action=AuditAction.READ, actor_name="alice")
    client = client_for(cast.grace)
    assert client.get(reverse("admin:accounts_auditentry_changelist")).status_code == 200
    assert client.post(reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_only_administrators_manage_users(client_for, cast):
    assert client_for(cast.erin).get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client_for(cast.grace).get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_an_inline_membership_added_to_a_user_is_audited(client_for, cast):
    url = reverse("admin:accounts_user_change", args=[cast.erin.pk])
    data = {
        "username": "erin",
        "first_name": "Erin",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(cast.erin.memberships.get().pk),
        "memberships-0-user": str(cast.erin.pk),
        "memberships-0-role": "central_staff",
        "memberships-0-centre": "",
        "memberships-0-valid_from": "2000-01-01",
        "memberships-0-valid_to": "",
        "memberships-1-user": str(cast.erin.pk),
        "memberships-1-role": "management",
        "memberships-1-centre": "",
        "memberships-1-valid_from": "2026-01-01",
        "memberships-1-valid_to": "",
    }
    response = client_for(cast.grace).post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.membership")
    assert entry.changes["role"] == "management"
    assert entry.actor == cast.grace
