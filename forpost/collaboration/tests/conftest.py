import pytest

from forpost.collaboration.testing import make_room


@pytest.fixture
def room(cast):  # type: ignore[no-untyped-def]
    return make_room(cast.norrebro, name="Mødelokalet")
