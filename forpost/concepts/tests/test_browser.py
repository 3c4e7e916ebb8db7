"""The year wheel, the city table and the concept pages in a real browser, checked by axe-core."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forpost.collaboration.models import Activity, ActivityType
from forpost.concepts.testing import ATTESTED_2010
from forpost.core.browser import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_attests_a_duty_on_the_year_wheel(browser_page, live_server, cast):
    year = timezone.localdate().year
    # A transactional test may run after another one flushed the seeded activity types.
    daycare, _created = ActivityType.objects.get_or_create(code="daycare_visit", defaults={"name": "Daginstitution"})
    Activity.objects.create(centre=cast.norrebro, type=daycare, date=date(year, 1, 2))
    page = browser_page
    browser_login(page, live_server, cast.bob)
    assert page.locator(f"a[href='{reverse('concepts:wheel', args=['norrebro', year])}']").count() >= 1
    page.goto(live_server.url + reverse("concepts:wheel", args=["norrebro", year]))
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page)
    page.click(f"a[href='{reverse('concepts:attest', args=['norrebro', year, ATTESTED_2010])}']")
    assert_accessible(page)
    page.fill("#id_comment", "Fælles supervision hver anden uge")
    page.click("button[type=submit].button-primary")
    page.wait_for_url(live_server.url + reverse("concepts:wheel", args=["norrebro", year]))
    assert "Fælles supervision hver anden uge" in page.content()
    assert_accessible(page)


def test_central_staff_read_the_city_table_and_the_concept(browser_page, live_server, cast):
    year = timezone.localdate().year
    page = browser_page
    browser_login(page, live_server, cast.erin)
    for url in (
        reverse("concepts:city", args=[year]),
        reverse("concepts:list"),
        reverse("concepts:detail", args=["familieraadgivning-2010"]),
        reverse("concepts:theory", args=["familieraadgivning-2010"]),
        reverse("concepts:wheel", args=["valby", year]),
    ):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_central_staff_change_a_threshold_seeing_the_problems_the_diff_and_the_preview(browser_page, live_server, cast):
    from forpost.concepts.loader import DATA_DIR
    from forpost.concepts.models import ConceptRevision

    year = timezone.localdate().year
    shipped = (DATA_DIR / "familieraadgivning-2010.yaml").read_text(encoding="utf-8")
    start = shipped.index("id: fr2010.ydelser.synlighed")
    at = shipped.index("threshold: 2", start)
    page = browser_page
    browser_login(page, live_server, cast.erin)
    page.goto(live_server.url + reverse("concepts:list"))
    page.click(f"a[href='{reverse('concepts:revision_create')}']")
    assert_accessible(page)
    page.fill("#id_valid_from", f"{year}-01-01")

    # The whole file in one go (typing 60 kB through fill() is slow on a loaded machine).
    page.eval_on_selector(
        "#id_text",
        "(el, text) => { el.value = text; }",
        shipped[:at] + "threshold: lots" + shipped[at + len("threshold: 2") :],
    )
    with page.expect_navigation():
        page.click("button[value=preview]")
    assert page.locator("#problems .fp-excerpt-here").count() == 1
    assert "threshold: lots" in page.locator("#problems .fp-excerpt-here").inner_text()
    assert_accessible(page)

    page.eval_on_selector(
        "#id_text",
        "(el, text) => { el.value = text; }",
        shipped[:at] + "threshold: 1" + shipped[at + len("threshold: 2") :],
    )
    with page.expect_navigation():
        page.click("button[value=preview]")
    assert page.locator(".fp-diff-added").count() == 1
    assert page.locator(".fp-diff-removed").count() == 1
    assert page.locator("#preview-heading").count() == 1
    assert_accessible(page)
    assert ConceptRevision.objects.count() == 0

    with page.expect_navigation():
        page.click("button[value=confirm]")
    page.wait_for_url(live_server.url + reverse("concepts:revision_create"))
    assert ConceptRevision.objects.get().valid_from == date(year, 1, 1)


def test_action_plans_from_the_coordinators_page_to_central_staffs_list(browser_page, live_server, cast):
    """The coordinator adds an action for a requirement not met and marks it done; central
    staff find it in the city's list, filter it, and every page passes axe."""
    from forpost.concepts.models import ActionPlan
    from forpost.concepts.testing import make_action

    last = timezone.localdate().year - 1
    make_action(cast.valby, year=last, what="Valbys åbne handling", due_on=timezone.localdate() - timedelta(days=1))
    page = browser_page
    browser_login(page, live_server, cast.bob)
    page.goto(live_server.url + reverse("concepts:actions", args=["norrebro"]) + f"?year={last}")
    assert_accessible(page)
    page.click(f"a[href='{reverse('concepts:action_create', args=['norrebro', last, 'fr2010.ydelser.aabningstid'])}']")
    assert_accessible(page)
    page.fill("#id_what", "En ekstra eftermiddag med åben rådgivning")
    page.fill("#id_responsible", "Koordinatoren")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.click("button[type=submit].button-primary")
    page.wait_for_url("**/actions/centre/norrebro/**")
    assert "En ekstra eftermiddag med åben rådgivning" in page.content()
    action = ActionPlan.objects.get(centre=cast.norrebro)
    page.click(f"a[href='{reverse('concepts:action_done', args=[action.pk])}']")
    assert_accessible(page)
    page.fill("#id_note", "Torsdag 14–17 er lagt ind")
    page.click("button[type=submit].button-primary")
    page.wait_for_url("**/actions/centre/norrebro/**")
    assert "Torsdag 14–17 er lagt ind" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    browser_login(page, live_server, cast.erin)
    page.goto(live_server.url + reverse("concepts:action_list"))
    assert "Valbys åbne handling" in page.content()
    assert "En ekstra eftermiddag" not in page.content()  # done: not among the open ones
    assert_accessible(page)
    page.select_option("#id_state", "overdue")
    page.click("form[method=get] button[type=submit]")
    page.wait_for_url("**state=overdue**")
    assert "Valbys åbne handling" in page.content()
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 800})
    assert_accessible(page)
