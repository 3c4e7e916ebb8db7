import pytest

from forpost.concepts import loader


@pytest.fixture(autouse=True)
def _fresh_concepts():
    # The loader caches per directory; tests that write their own files use tmp dirs.
    yield
    loader.clear_cache()
