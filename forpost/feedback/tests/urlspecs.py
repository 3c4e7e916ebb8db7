"""The feedback card's URLs for the walker (forpost/core/tests/test_url_scoping.py)."""

from forpost.accounts.testing import url_spec

url_spec("feedback:card", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
url_spec("feedback:thanks", public=True, kwargs=lambda cast: {"slug": cast.norrebro.slug})
# The poster with the QR code: staff of the centre (and city-wide readers).
url_spec("feedback_staff:poster", centre_bound=True, kwargs=lambda cast: {"pk": cast.norrebro.pk})
url_spec("feedback_staff:answers", centre_bound=True, kwargs=lambda cast: {"pk": cast.norrebro.pk})
