"""A small year of inquiries for the tests of the status's files: enough for shares, decimals,
dates and charts to appear, quick enough to make in every test."""

from __future__ import annotations

from datetime import date
from typing import Any

from forpost.registrations.models import Channel, Inquiry


def year_of_inquiries(cast: Any, year: int = 2025) -> None:
    from forpost.centres.models import PopulationFigure
    from forpost.registrations.counts import rebuild
    from forpost.registrations.testing import ensure_reference_data

    ensure_reference_data()
    channels = list(Channel.objects.order_by("code"))
    origins = ["danish", "danish", "immigrant_western", "immigrant_non_western", "descendant_non_western"]
    for n in range(60):
        Inquiry.objects.create(
            centre=cast.norrebro if n % 4 else cast.valby,
            date=date(year, 1 + n % 12, 1 + n % 27),
            channel=channels[n % len(channels)],
            has_case=("no", "yes", "unknown")[n % 3],
            origin=origins[n % len(origins)],
            minutes=15 + n % 40,
        )
    for origin, count in (("danish", 9000), ("immigrant_western", 900), ("immigrant_non_western", 1400)):
        PopulationFigure.objects.get_or_create(
            year=year,
            district=cast.norrebro.districts_served.first(),
            age_band="30-39",
            sex="female",
            origin=origin,
            defaults={"count": count},
        )
    rebuild()
