from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.concepts.loader import get_concept
from forpost.concepts.models import Attestation, AttestationStatus
from forpost.concepts.testing import ATTESTED_2010, make_attestation

YEAR = timezone.localdate().year


def wheel_url(centre, year=YEAR):
    return reverse("concepts:wheel", kwargs={"slug": centre.slug, "year": year})


def attest_url(centre, rid=ATTESTED_2010, year=YEAR):
    return reverse("concepts:attest", kwargs={"slug": centre.slug, "year": year, "requirement_id": rid})


def test_the_version_list_shows_both_versions_and_their_laws(cast, client_for):
    page = client_for(cast.alice).get(reverse("concepts:list")).content.decode()
    assert "Koncept for Familierådgivningerne 2010" in page
    assert "Konceptet for Servicebutikkerne 2006" in page
    assert "Barnets Lov §§ 28–30" in page
    assert "Serviceloven § 11" in page


def test_a_version_shows_every_requirement_grouped_by_area(cast, client_for):
    page = client_for(cast.erin).get(reverse("concepts:detail", args=["familieraadgivning-2010"])).content.decode()
    for requirement in get_concept("familieraadgivning-2010").requirements:
        assert f'id="{requirement.id}"' in page
    assert "Metodisk tilgang" in page
    assert "anerkendende løsningsfokuseret tilgang" in page


def test_an_unknown_version_is_404(cast, client_for):
    assert client_for(cast.erin).get(reverse("concepts:detail", args=["nope-2000"])).status_code == 404


def test_the_theory_of_change_lists_each_chain_in_order_with_its_evidence(cast, client_for):
    page = client_for(cast.frank).get(reverse("concepts:theory", args=["familieraadgivning-2010"])).content.decode()
    assert page.count('<ol class="fp-chain">') == 5
    bridge = page[page.index('id="chain-bridge"') :]
    assert bridge.index("fp-chain-stage-activity") < bridge.index("fp-chain-stage-mechanism")
    assert bridge.index("fp-chain-stage-mechanism") < bridge.index("fp-chain-stage-outcome")


def test_the_coordinator_sees_the_wheel_with_statuses_in_words_and_may_attest(cast, client_for):
    response = client_for(cast.bob).get(wheel_url(cast.norrebro))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in page
    assert re.search(r'class="fp-status fp-status-(planned|due|overdue|fulfilled)">\w', page)
    assert attest_url(cast.norrebro) in page


def test_a_counsellor_sees_the_wheel_but_may_not_attest(cast, client_for):
    client = client_for(cast.alice)
    assert attest_url(cast.norrebro) not in client.get(wheel_url(cast.norrebro)).content.decode()
    assert client.post(attest_url(cast.norrebro)).status_code == 404
    assert not Attestation.objects.exists()


def test_the_coordinator_of_another_centre_gets_404(cast, client_for):
    client = client_for(cast.dana)
    assert client.get(wheel_url(cast.norrebro)).status_code == 404
    assert client.post(attest_url(cast.norrebro), {"comment": ""}).status_code == 404


def test_attesting_through_the_form(cast, client_for):
    response = client_for(cast.bob).post(attest_url(cast.norrebro), {"comment": "Fælles supervision"})
    assert response.status_code == 302
    attestation = Attestation.objects.get()
    assert (attestation.centre, attestation.year, attestation.comment) == (cast.norrebro, YEAR, "Fælles supervision")


def test_an_attestation_without_a_comment_is_refused_and_keeps_what_was_typed(cast, client_for):
    response = client_for(cast.bob).post(attest_url(cast.norrebro), {"comment": "", "period_start": f"{YEAR}-02-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in page
    assert f'value="{YEAR}-02-01"' in page
    assert not Attestation.objects.exists()


def test_the_attest_form_offers_the_centres_activities_of_the_year(cast, client_for):
    from forpost.collaboration.testing import make_activity

    mine = make_activity(cast.norrebro, date=date(YEAR, 1, 1))
    theirs = make_activity(cast.valby, date=date(YEAR, 1, 1))
    page = client_for(cast.bob).get(attest_url(cast.norrebro)).content.decode()
    assert f'value="{mine.pk}"' in page
    assert f'value="{theirs.pk}"' not in page


def test_central_staff_approve_from_the_queue(cast, client_for):
    attestation = make_attestation(cast.norrebro, year=YEAR, by=cast.bob, comment="Supervision", status="submitted")
    client = client_for(cast.erin)
    page = client.get(reverse("concepts:review")).content.decode()
    assert "Supervision" in page and "Familierådgivningen Nørrebro" in page
    assert client.post(reverse("concepts:approve", args=[attestation.pk])).status_code == 302
    attestation.refresh_from_db()
    assert (attestation.status, attestation.reviewed_by) == ("approved", cast.erin)
    assert "Supervision" not in client.get(reverse("concepts:review")).content.decode().split("<h2>")[0]


def test_returning_without_a_reason_is_refused_on_the_queue(cast, client_for):
    attestation = make_attestation(cast.norrebro, year=YEAR, by=cast.bob, comment="Supervision", status="submitted")
    response = client_for(cast.erin).post(
        reverse("concepts:return", args=[attestation.pk]), {f"a{attestation.pk}-reason": ""}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.status == "submitted"


def test_a_returned_attestation_shows_the_reason_and_is_attested_again(cast, client_for):
    attestation = make_attestation(cast.norrebro, year=YEAR, by=cast.bob, comment="Supervision", status="submitted")
    client_for(cast.erin).post(
        reverse("concepts:return", args=[attestation.pk]), {f"a{attestation.pk}-reason": "Hvor ofte?"}
    )
    coordinator = client_for(cast.bob)
    assert "Hvor ofte?" in coordinator.get(wheel_url(cast.norrebro)).content.decode()
    page = coordinator.get(attest_url(cast.norrebro)).content.decode()
    assert "Hvor ofte?" in page and "Supervision" in page
    assert coordinator.post(attest_url(cast.norrebro), {"comment": "Supervision hver uge"}).status_code == 302
    attestation.refresh_from_db()
    assert (attestation.status, attestation.comment) == ("submitted", "Supervision hver uge")


def test_the_queue_is_refused_to_coordinators_and_management(cast, client_for):
    attestation = make_attestation(cast.norrebro, year=YEAR, status="submitted")
    for user in (cast.bob, cast.frank):
        client = client_for(user)
        assert client.get(reverse("concepts:review")).status_code == 403
        assert client.post(reverse("concepts:approve", args=[attestation.pk])).status_code == 403
    attestation.refresh_from_db()
    assert attestation.status == "submitted"


def test_a_comment_with_an_identifier_is_refused_with_a_message(cast, client_for):
    response = client_for(cast.bob).post(attest_url(cast.norrebro), {"comment": "Mor 010190-1234"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Attestation.objects.exists()


def test_an_indicator_requirement_has_no_attest_page(cast, client_for):
    client = client_for(cast.bob)
    assert client.get(attest_url(cast.norrebro, "fr2010.ydelser.aabningstid")).status_code == 404
    assert client.get(attest_url(cast.norrebro, "fr2010.no_such")).status_code == 404


def test_withdrawing_through_the_wheel(cast, client_for):
    make_attestation(cast.norrebro, year=YEAR, by=cast.bob, status=AttestationStatus.SUBMITTED)
    url = reverse("concepts:withdraw", kwargs={"slug": "norrebro", "year": YEAR, "requirement_id": ATTESTED_2010})
    client = client_for(cast.bob)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Attestation.objects.exists()


@pytest.mark.parametrize("year", [2005, 1, 99999, YEAR + 2])
def test_a_year_out_of_range_is_404(cast, client_for, year):
    assert client_for(cast.bob).get(wheel_url(cast.norrebro, year)).status_code == 404
    assert client_for(cast.erin).get(reverse("concepts:city", args=[year])).status_code == 404


def test_an_old_year_shows_the_2006_concept(cast, client_for):
    page = client_for(cast.bob).get(wheel_url(cast.norrebro, 2008)).content.decode()
    assert "Konceptet for Servicebutikkerne 2006" in page


def test_central_staff_see_all_centres_side_by_side_in_an_accessible_table(cast, client_for):
    response = client_for(cast.erin).get(reverse("concepts:city", args=[YEAR]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<th scope="col"><a href="/app/concepts/wheel/') == 2
    assert "Familierådgivningen Nørrebro" in page and "Familierådgivningen Valby" in page
    assert '<th scope="row">' in page
    assert "<caption" in page


def test_the_city_view_is_refused_to_centre_staff(cast, client_for):
    assert client_for(cast.bob).get(reverse("concepts:city", args=[YEAR])).status_code == 403


def test_the_wheel_start_sends_each_user_to_their_wheel(cast, client_for):
    assert client_for(cast.bob).get(reverse("concepts:wheel_start"))["Location"] == wheel_url(cast.norrebro)
    assert client_for(cast.erin).get(reverse("concepts:wheel_start"))["Location"] == reverse(
        "concepts:city", args=[YEAR]
    )


def test_the_coordinators_dashboard_shows_the_year_wheel_panel(cast, client_for):
    page = client_for(cast.bob).get(reverse("core:dashboard")).content.decode()
    assert wheel_url(cast.norrebro) in page


def test_the_dashboard_panel_lists_overdue_duties(cast, client_for, monkeypatch):
    monkeypatch.setattr("forpost.concepts.dashboard.timezone.localdate", lambda: date(YEAR, 12, 30))
    page = client_for(cast.bob).get(reverse("core:dashboard")).content.decode()
    assert "overskredne opgaver" in page
    assert "Synlighed om tilbuddet" in page


def test_a_counsellor_has_no_year_wheel_panel_but_central_staff_have_a_link(cast, client_for):
    assert "panel_wheel" not in client_for(cast.alice).get(reverse("core:dashboard")).content.decode()
    assert (
        reverse("concepts:city", args=[YEAR]) in client_for(cast.erin).get(reverse("core:dashboard")).content.decode()
    )


def test_the_concepts_texts_are_shown_in_english_to_an_english_reader(cast, client_for):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    detail = client_for(cast.erin).get(reverse("concepts:detail", args=["familieraadgivning-2010"]), **english)
    page = detail.content.decode()
    assert "<h1>Concept for the family counselling centres, 2010</h1>" in page
    assert 'lang="da">Koncept for' not in page
    theory = client_for(cast.frank).get(reverse("concepts:theory", args=["familieraadgivning-2010"]), **english)
    assert ">Early help</h2>" in theory.content.decode()
