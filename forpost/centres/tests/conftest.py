# The API fixture, for the test that a closed year refuses writes through the API too.
from forpost.api.tests.conftest import api  # noqa: F401
