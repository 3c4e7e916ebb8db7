"""The counsellor guides a family to an offer in the directory from the desk form itself
(issue 19): the referral records the offer and its kind, dated the day of the inquiry."""

import pytest
from django.urls import reverse

from forpost.accounts.models import AuditAction, AuditEntry
from forpost.collaboration.testing import make_offer
from forpost.registrations.models import Inquiry, OfferKind, Referral, ReferralDestination

from .test_views import CREATE, _walk_in


@pytest.fixture
def offers(desk):
    cast = desk.cast
    return {
        "private": make_offer(None, name="Familieterapeut (privat)", kind=OfferKind.PRIVATE, follow_up_agreed=True),
        "own": make_offer(cast.norrebro, name="Fædregruppen", kind=OfferKind.VOLUNTARY),
        "valby": make_offer(cast.valby, name="Valby legestue", kind=OfferKind.PUBLIC),
        "former": make_offer(None, name="Lukket tilbud", kind=OfferKind.PUBLIC, active=False),
    }


def test_the_desk_form_offers_the_citys_and_the_own_centres_active_offers(client_for, desk, offers):
    form = client_for(desk.cast.alice).get(CREATE).context["form"]
    assert set(form.fields["offer"].queryset) == {offers["private"], offers["own"]}
    assert form["offer"].value() in (None, "")


def test_a_walk_in_guided_to_a_private_offer_records_the_offer_and_its_kind(client_for, desk, offers):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk, offer=str(offers["private"].pk)))
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.inquiry, referral.destination) == (inquiry, ReferralDestination.OFFER)
    assert (referral.offer, referral.offer_kind, referral.offer_contact) == (offers["private"], OfferKind.PRIVATE, "")
    assert referral.made_on == inquiry.date
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="registrations.referral").count() == 1
    # The inquiry's page shows it, ready for the contact to be marked later.
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert f'id="offer-contact-{referral.pk}"' in page


def test_a_walk_in_without_an_offer_makes_no_referral(client_for, desk, offers):
    client = client_for(desk.cast.alice)
    client.post(CREATE, _walk_in(client, desk))
    assert Inquiry.objects.count() == 1
    assert not Referral.objects.exists()


def test_an_offer_of_another_centre_is_refused_and_nothing_is_saved(client_for, desk, offers):
    client = client_for(desk.cast.alice)
    response = client.post(CREATE, _walk_in(client, desk, offer=str(offers["valby"].pk)))
    assert response.status_code == 200
    assert "offer" in response.context["form"].errors
    assert not Inquiry.objects.exists() and not Referral.objects.exists()


def test_editing_the_inquiry_keeps_its_offer_and_guides_to_another_once(client_for, desk, offers):
    client = client_for(desk.cast.alice)
    client.post(CREATE, _walk_in(client, desk, offer=str(offers["private"].pk)))
    inquiry = Inquiry.objects.get()
    edit = reverse("registrations:inquiry_edit", args=[inquiry.pk])

    def save(**extra):
        form = client.get(edit).context["form"]
        data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, [])}
        data["date"], data["time"] = data["date"].isoformat(), data["time"].strftime("%H:%M")
        data["themes"] = [str(getattr(t, "pk", t)) for t in data.get("themes", [])]
        data["actions"] = [str(getattr(a, "pk", a)) for a in data.get("actions", [])]
        data.update(extra)
        response = client.post(edit, data)
        assert response.status_code == 302, response.context["form"].errors

    save(minutes="20")  # an edit that names no offer leaves the referral to the offer alone
    assert list(Referral.objects.values_list("offer", flat=True)) == [offers["private"].pk]
    save(offer=str(offers["private"].pk))  # the same offer again: still one referral
    assert Referral.objects.count() == 1
    save(offer=str(offers["own"].pk), actions=[str(desk.to_volunteer.pk)])
    assert sorted(Referral.objects.values_list("destination", "offer_kind")) == [
        (ReferralDestination.OFFER, OfferKind.PRIVATE),
        (ReferralDestination.OFFER, OfferKind.VOLUNTARY),
        (desk.to_volunteer.referral_destination, ""),
    ]


def test_a_counsellor_guides_a_course_family_to_an_offer_and_another_centre_cannot(client_for, desk, offers):
    from forpost.registrations.testing import make_course

    course = make_course(desk.cast.norrebro)
    url = reverse("registrations:course_offer_referral", args=[course.pk])
    page = client_for(desk.cast.alice).get(course.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page
    data = {"offer": str(offers["own"].pk), "made_on": course.started_on.isoformat()}
    client = client_for(desk.cast.alice)
    form_page = client.get(course.get_absolute_url())
    token = form_page.context["offer_form"]["submission_token"].value()
    response = client.post(url, {**data, "submission_token": token})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.course, referral.inquiry, referral.offer_kind) == (course, None, OfferKind.VOLUNTARY)
    other = client_for(desk.cast.charlie).post(url, {**data, "submission_token": token})
    assert other.status_code == 404
    assert Referral.objects.count() == 1
