from datetime import date, time
from unittest import mock

from forpost.centres.models import OpeningHoursPattern, OpeningSlot


def test_opening_hours_are_public_day_by_day_in_local_time(client, cast):
    pattern = OpeningHoursPattern.objects.create(centre=cast.norrebro, valid_from=date(2020, 1, 1))
    OpeningSlot.objects.create(pattern=pattern, weekday=0, starts_at=time(14), ends_at=time(17))
    # Monday 31 March 2025, the day after the clock went forward: 14:00 is at +02:00.
    with mock.patch("forpost.api.centres.timezone.localdate", return_value=date(2025, 4, 2)):
        data = client.get("/api/v1/centres/norrebro/opening-hours?weeks=2").json()
    assert data["time_zone"] == "Europe/Copenhagen"
    assert [d["date"] for d in data["days"][:2]] == ["2025-03-31", "2025-04-01"]
    assert len(data["days"]) == 14
    monday = data["days"][0]
    assert monday["closed"] == ""
    assert monday["intervals"] == [
        {"kind": "drop_in", "start": "2025-03-31T14:00:00+02:00", "end": "2025-03-31T17:00:00+02:00"}
    ]
    assert data["days"][1]["intervals"] == []


def test_weeks_out_of_range_and_unknown_centres_are_refused(client, cast):
    assert client.get("/api/v1/centres/norrebro/opening-hours?weeks=9").status_code == 422
    assert client.get("/api/v1/centres/norrebro/opening-hours?weeks=x").status_code == 422
    assert client.get("/api/v1/centres/atlantis/opening-hours").status_code == 404
