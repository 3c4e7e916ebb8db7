"""The directory of offers and a closed-loop referral, in Chromium with axe-core: a
counsellor guides a family from the desk's inquiry to a private offer and later marks that
contact was made."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from forpost.centres.testing import restore_migration_data
from forpost.collaboration.testing import make_offer
from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.models import OfferContact, OfferKind, Referral
from forpost.registrations.testing import ensure_reference_data, make_inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def offers(cast):
    restore_migration_data()
    ensure_reference_data()
    private = make_offer(
        None,
        name="Familieterapeut Jensen (privat praksis)",
        kind=OfferKind.PRIVATE,
        target_group="Forældre med børn 0–12 år",
        contact="www.familieterapi.example.dk",
        languages="da, en",
        follow_up_agreed=True,
    )
    make_offer(
        None,
        name="Sundhedsplejens åbne mødregruppe",
        kind=OfferKind.PUBLIC,
        target_group="Mødre med børn 0–1 år",
        district=cast.norrebro.district,
        contact="33 17 00 00",
        languages="da, ar, so",
    )
    make_offer(
        cast.norrebro,
        name="Fædregruppen i Folkets Hus",
        kind=OfferKind.VOLUNTARY,
        target_group="Fædre med små børn",
        district=cast.norrebro.district,
        contact="faedre@example.dk",
        languages="da, tr",
        follow_up_agreed=True,
    )
    return private


def test_the_directory_is_accessible_on_a_desk_and_a_phone(browser_page, live_server, cast, offers):
    page = browser_page
    browser_login(page, live_server, cast.bob)
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + reverse("collaboration:offer_list"))
        assert page.locator("tbody tr").count() == 3
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"offer-directory-{width}.png"), full_page=True)


def test_a_family_is_guided_to_a_private_offer_and_contact_is_marked_made(browser_page, live_server, cast, offers):
    inquiry = make_inquiry(cast.norrebro, date=date.today())
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + inquiry.get_absolute_url())
    page.select_option("#id_offer", str(offers.pk))
    page.click("text=Guid videre til tilbuddet")
    page.wait_for_url(live_server.url + inquiry.get_absolute_url())
    referral = Referral.objects.get()
    assert (referral.offer, referral.offer_kind, referral.offer_contact) == (offers, OfferKind.PRIVATE, "")
    assert_accessible(page)
    page.select_option(f"#offer-contact-{referral.pk}", OfferContact.MADE)
    page.locator(f"#offer-contact-{referral.pk}").locator("xpath=..").locator("button").click()
    page.wait_for_url(live_server.url + inquiry.get_absolute_url())
    referral.refresh_from_db()
    assert referral.offer_contact == OfferContact.MADE
    assert page.locator(f"#offer-contact-{referral.pk}").input_value() == OfferContact.MADE


def test_a_walk_in_is_guided_to_a_private_offer_from_the_desk_form_itself(browser_page, live_server, cast, offers):
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("registrations:inquiry_create"))
    page.select_option("#id_child_1_age", "3-5")
    page.select_option("#id_contact_person", "mother")
    # The offer sits in the form's "more" part: a walk-in without one keeps its few keys.
    assert not page.locator("#id_offer").is_visible()
    page.locator("details.fp-more > summary").click()
    page.select_option("#id_offer", str(offers.pk))
    assert page.locator("#id_offer option:checked").inner_text() == f"{offers.name} (Privat)"
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#id_offer").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "desk-form-offer-1366.png"))
    page.locator("form.fp-desk-form button.fp-save").click()
    page.wait_for_url(re.compile(r"/app/registrations/inquiries/\d+/$"))
    referral = Referral.objects.get()
    assert (referral.offer, referral.offer_kind, referral.inquiry.date) == (offers, OfferKind.PRIVATE, referral.made_on)
    # Later the counsellor learns the family reached the offer.
    page.select_option(f"#offer-contact-{referral.pk}", OfferContact.MADE)
    page.locator(f"#offer-contact-{referral.pk}").locator("xpath=..").locator("button").click()
    page.wait_for_url(live_server.url + referral.inquiry.get_absolute_url())
    referral.refresh_from_db()
    assert referral.offer_contact == OfferContact.MADE
    assert_accessible(page)
