"""The whole year for one centre in a real browser (issue 13): the coordinator attests, central
staff return it, the coordinator attests again, central staff approve, close the year, approve a
correction, publish, and publish again with the list of what changed. Screenshots of the
approval queue and the publication page at 1366 and 390 px go to test-artifacts/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from forpost.centres.testing import restore_migration_data
from forpost.concepts.models import Attestation
from forpost.concepts.testing import ATTESTED_2010
from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.testing import ensure_reference_data, make_inquiry
from forpost.reports.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
YEAR = 2025


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def as_user(page, live_server, user):
    page.context.clear_cookies()
    browser_login(page, live_server, user)


def test_the_whole_year_of_one_centre(browser_page, live_server, cast, settings):
    restore_migration_data()
    ensure_reference_data()
    settings.MFA_REQUIRED_ROLES = []
    page = browser_page
    attest = live_server.url + reverse("concepts:attest", args=["norrebro", YEAR, ATTESTED_2010])
    queue = live_server.url + reverse("concepts:review")

    # The coordinator attests, with what was done.
    as_user(page, live_server, cast.bob)
    page.goto(attest)
    page.fill("#id_comment", "Supervision hver anden uge")
    page.click("#main-content button[type=submit].button-primary")
    page.wait_for_url(live_server.url + reverse("concepts:wheel", args=["norrebro", YEAR]))
    assert "attesteret, afventer godkendelse" in page.content().lower()

    # Central staff return it with a reason.
    as_user(page, live_server, cast.erin)
    page.goto(queue)
    assert "Supervision hver anden uge" in page.content()
    assert_accessible(page)
    shoot(page, "approval-queue")
    attestation = Attestation.objects.get()
    page.fill(f"#id_a{attestation.pk}-reason", "Hvem gav supervisionen?")
    page.click("button:has-text('Send retur med begrundelse')")
    page.wait_for_url(queue)
    assert "Ingen attestationer afventer godkendelse" in page.content()

    # The coordinator reads the reason and attests again.
    as_user(page, live_server, cast.bob)
    page.goto(attest)
    assert "Hvem gav supervisionen?" in page.content()
    page.fill("#id_comment", "Ekstern supervisor hver anden uge")
    page.click("#main-content button[type=submit].button-primary")
    page.wait_for_url(live_server.url + reverse("concepts:wheel", args=["norrebro", YEAR]))

    # Central staff approve; the status reads "attesteret og godkendt".
    as_user(page, live_server, cast.erin)
    page.goto(queue)
    page.click("button:has-text('Godkend')")
    page.wait_for_url(queue)
    attestation.refresh_from_db()
    assert attestation.status == "approved"
    page.goto(live_server.url + reverse("reports:centre", args=["norrebro"]) + f"?year={YEAR}")
    assert "attesteret og godkendt" in page.content()

    # Central staff close the year.
    for _ in range(6):
        make_inquiry(cast.norrebro, date=date(YEAR, 3, 10))
    page.goto(live_server.url + reverse("centres:closing"))
    assert_accessible(page)
    page.click(f"button:has-text('Luk {YEAR}')")
    page.wait_for_url(live_server.url + reverse("centres:closing"))
    assert "Lukket af erin" in page.content()

    def correction(reason):
        as_user(page, live_server, cast.bob)
        page.goto(live_server.url + reverse("centres:correction_request", args=["norrebro"]))
        page.fill("#id_reason", reason)
        page.click("button:has-text('Anmod om rettelsen')")
        page.wait_for_url(live_server.url + reverse("centres:correction_request", args=["norrebro"]))
        as_user(page, live_server, cast.erin)
        page.goto(live_server.url + reverse("centres:closing"))
        page.click("button[name=approve][value='1']")
        page.wait_for_url(live_server.url + reverse("centres:closing"))

    # A correction, approved: the centre may register what it forgot.
    correction("To henvendelser i marts blev ikke registreret")
    make_inquiry(cast.norrebro, date=date(YEAR, 3, 20))

    # Publish version 1.
    page.goto(live_server.url + reverse("reports:publications"))
    page.select_option("#id_year", str(YEAR))
    # The job runs at once under the test's task backend: the answer comes when it is done.
    with page.expect_navigation(url=live_server.url + "/app/reports/publications/*/", timeout=300_000):
        page.click("button:has-text('Offentliggør')", no_wait_after=True)
    first = Publication.objects.get()
    page.goto(live_server.url + reverse("reports:publication", args=[first.pk]))
    assert first.files.filter(centre=None).count() == 4
    assert first.files.get(centre=None, kind="pdf").sha256 in page.content()

    # A correction after publication, then version 2 with the change list and the correction.
    correction("Seks henvendelser i maj manglede")
    for _ in range(6):
        make_inquiry(cast.norrebro, date=date(YEAR, 5, 2))
    page.goto(live_server.url + reverse("reports:publications"))
    page.select_option("#id_year", str(YEAR))
    # The job runs at once under the test's task backend: the answer comes when it is done.
    with page.expect_navigation(url=live_server.url + "/app/reports/publications/*/", timeout=300_000):
        page.click("button:has-text('Offentliggør')", no_wait_after=True)
    second = Publication.objects.get(number=2)
    page.goto(live_server.url + reverse("reports:publication", args=[second.pk]))
    content = page.content()
    assert "Ændret siden version 1" in content
    assert second.changes and second.changes[0]["label"] in content
    assert "Seks henvendelser i maj manglede" in content
    assert "To henvendelser i marts" not in content  # approved before version 1: not a change since
    assert_accessible(page)
    shoot(page, "publication")

    # The public page lists both versions with their files.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("public:published"))
    assert page.content().count('class="pub-hash"') == 8  # 2 versions × 4 city files
    assert_accessible(page)
