"""The import's pages in a real browser, checked by axe-core, driven like a user would."""

import pytest
from django.conf import settings
from django.urls import reverse

from forpost.core.browser import assert_accessible, browser_login
from forpost.registrations.models import Inquiry
from forpost.registrations.testing import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counsellor_imports_the_template_file_in_the_browser(browser_page, live_server, cast, tmp_path):
    ensure_reference_data()
    page = browser_page
    browser_login(page, live_server, cast.alice)
    page.goto(live_server.url + reverse("imports:upload"))
    assert_accessible(page)
    page.set_input_files("input[type=file]", str(settings.BASE_DIR / "docs" / "import-template.csv"))
    page.get_by_role("button", name="Upload og vælg kolonner").click()
    page.wait_for_url("**/columns/")
    assert_accessible(page)
    page.get_by_role("button", name="Kontrollér rækkerne").click()
    page.wait_for_selector("text=2 nye henvendelser")
    assert_accessible(page)
    page.get_by_role("button", name="Importér 2 henvendelser").click()
    page.wait_for_selector("text=2 henvendelser importeret")
    assert Inquiry.objects.filter(centre=cast.norrebro).count() == 2
