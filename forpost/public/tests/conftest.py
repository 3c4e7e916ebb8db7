from datetime import date, datetime, time

import pytest

from forpost.centres.hours import COPENHAGEN
from forpost.centres.testing import make_closure, make_pattern

# Monday 1 September 2025, 15:00 in Copenhagen: drop-in is open (Monday 14–17).
NOW = datetime(2025, 9, 1, 15, 0, tzinfo=COPENHAGEN)


@pytest.fixture
def fixed_now(monkeypatch):
    """Freeze Django's clock, so that "open now" and "this week" are known."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def centre(cast):
    """Nørrebro with drop-in Monday 14–17 and Thursday 10–14, phone hours on Tuesday, and
    closed on Thursday 11 September for a staff day."""
    centre = cast.norrebro
    centre.directions = "Bus 5C til Nørrebros Runddel."
    centre.phone = "33 17 00 00"
    centre.email = "norrebro@example.kk.dk"
    centre.description = "Gratis og anonym rådgivning."
    centre.save()
    make_pattern(
        centre,
        valid_from=date(2025, 1, 1),
        slots=[
            (0, time(14), time(17), "drop_in"),
            (3, time(10), time(14), "drop_in"),
            (1, time(9), time(10), "phone"),
        ],
    )
    make_closure(centre, starts_on=date(2025, 9, 11), ends_on=date(2025, 9, 11), reason="Personaledag")
    return centre
