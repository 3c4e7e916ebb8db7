import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference(cast):  # type: ignore[no-untyped-def]
    from forpost.registrations.testing import ensure_reference_data

    ensure_reference_data()
    return cast
