"""A family answers the feedback card on a phone (390 px) in Danish and in Arabic, in
Chromium with axe-core (WCAG 2.1 A/AA) and no CSP violation."""

from pathlib import Path

import pytest
from django.apps import apps

from forpost.core.browser import assert_accessible
from forpost.feedback.models import Answer, Response
from forpost.public.languages import public_reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def questions():
    # A transactional test before this one may have flushed what the migration seeded.
    from importlib import import_module

    import_module("forpost.feedback.migrations.0002_first_questions").seed(apps, None)


@pytest.mark.parametrize(
    ("language", "yes", "partly", "thanks"),
    [("da", "Ja", "Delvist", "Tak"), ("ar", "نعم", "جزئيًا", "شكرًا")],
)
def test_a_family_answers_the_card_on_a_phone(
    language, yes, partly, thanks, browser_page, live_server, cast, questions
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + public_reverse("feedback:card", language, slug=cast.norrebro.slug))
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("h1").count() == 1
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"feedback-card-{language}-390.png"), full_page=True)

    fieldsets = page.locator("fieldset.fb-question")
    assert fieldsets.count() == 4
    # Each answer is a label big enough to tap (the Designsystem draws the radio in it).
    box = fieldsets.nth(0).locator("li").first.bounding_box()
    assert box["height"] >= 44
    fieldsets.nth(0).locator("label", has_text=yes).click()
    fieldsets.nth(1).locator("label", has_text=yes).click()
    fieldsets.nth(2).locator("label", has_text=partly).click()
    assert fieldsets.nth(2).get_by_label(partly, exact=True).is_checked()
    page.locator("textarea").fill("Godt at kunne komme uden aftale." if language == "da" else "شكرا على المساعدة")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/tak/")
    assert page.locator("h1").inner_text().startswith(thanks)
    assert_accessible(page)

    stored = Response.objects.get()
    assert stored.centre == cast.norrebro
    assert dict(Answer.objects.values_list("question__code", "value")) == {
        "easy_to_come": "yes",
        "listened_to": "yes",
        "helped": "partly",
    }


def test_the_poster_with_the_qr_code_is_accessible(browser_page, live_server, cast, questions):
    from django.urls import reverse

    from forpost.core.browser import browser_login

    page = browser_page
    browser_login(page, live_server, cast.bob)
    page.goto(live_server.url + reverse("feedback_staff:poster", kwargs={"pk": cast.norrebro.pk}))
    assert page.locator("img.fb-poster-qr").get_attribute("src").startswith("data:image/svg+xml")
    assert page.locator(".fb-poster-links li").count() == 6
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "feedback-poster-1366.png"), full_page=True)
