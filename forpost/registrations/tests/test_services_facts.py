"""The registration services keep the annual status's counts in step, in the same transaction."""

from datetime import date

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.registrations import services
from forpost.registrations.counts import rebuild
from forpost.registrations.models import Channel, InquiryFact
from forpost.registrations.testing import make_inquiry


def counts():
    found: dict = {}
    for f in InquiryFact.objects.all():
        key = (f.centre_id, f.year, f.dimension, f.value)
        found[key] = found.get(key, 0) + f.count
    return {k: n for k, n in found.items() if n}


def test_registering_counts_the_inquiry(cast):
    inquiry = make_inquiry(cast.norrebro, date=date(2025, 3, 3))
    found = counts()
    assert found[(cast.norrebro.pk, 2025, "total", "")] == 1
    assert found[(cast.norrebro.pk, 2025, "channel", str(inquiry.channel_id))] == 1
    rebuild()
    assert counts() == found


def test_an_instance_already_changed_by_a_form_still_moves_the_counts_and_the_audit(cast):
    inquiry = make_inquiry(cast.norrebro, date=date(2025, 3, 3))
    old_channel = inquiry.channel_id
    phone = Channel.objects.exclude(pk=old_channel).first()
    # A bound ModelForm writes the new values onto the instance before the service runs.
    inquiry.channel, inquiry.date = phone, date(2024, 12, 30)
    services.update_inquiry(
        actor=cast.alice,
        inquiry=inquiry,
        expected_version=inquiry.version,
        themes=list(inquiry.themes.all()),
        actions=list(inquiry.actions.all()),
        children=list(inquiry.children.values_list("age_band", "sex")),
        channel=phone,
        date=date(2024, 12, 30),
    )
    found = counts()
    assert (cast.norrebro.pk, 2025, "total", "") not in found
    assert found[(cast.norrebro.pk, 2024, "channel", str(phone.pk))] == 1
    rebuild()
    assert counts() == found
    change = AuditEntry.objects.get(action=AuditAction.CHANGE, object_type="registrations.inquiry")
    assert change.changes["date"] == ["2025-03-03", "2024-12-30"]
