"""Shared pytest fixtures. Test settings come from the environment (pyproject.toml, [tool.pytest])."""

import pytest


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    from forpost.centres.testing import make_cast

    return make_cast()


@pytest.fixture
def client_for(client):  # type: ignore[no-untyped-def]
    """Log a cast member in (without the password round trip) and return the client."""

    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user, backend="forpost.accounts.backends.ModelBackend")
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; tests that are not about hashing need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_reference_copies():  # type: ignore[no-untyped-def]
    # The in-memory copies of reference data (forpost.core.generation) are keyed by a number
    # that a rolled-back test can leave as it found it: each test starts without copies.
    from forpost.core import generation

    generation.clear()
    yield
    generation.clear()


# --- Real-browser tests ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _chromium():  # type: ignore[no-untyped-def]
    import os

    from forpost.core.browser import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's chromium for the browser tests; .ci/run installs it.")
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_page(_chromium, live_server):  # type: ignore[no-untyped-def]
    context = _chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page._forpost_console = []
    page.on("console", lambda message: page._forpost_console.append(message.text))
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Uploaded and generated files of a test go to its own directory, never to data/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _danish_by_default():  # type: ignore[no-untyped-def]
    # Each test starts in the site's language, as a fresh request does. A language left
    # active by an earlier test would otherwise decide which translation column
    # (modeltranslation's name_da, name_en, …) a factory's name= lands in.
    from django.utils import translation

    translation.activate("da")
    yield
    translation.deactivate()
