"""One row per intent, no lost edits on the hours and staffing pages (issue 15, item 4)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from forpost.centres.models import Closure, OpeningHoursPattern, StaffAllocation
from forpost.centres.testing import make_allocation, make_pattern


def url(name, centre, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"slug": centre.slug, **kwargs})


def _rendered(client, address):  # type: ignore[no-untyped-def]
    form = client.get(address).context["form"]
    return {name: form[name].value() for name in ("submission_token", "version") if name in form.fields}


def _pattern_post(rows, valid_from="2025-01-01"):  # type: ignore[no-untyped-def]
    data = {"valid_from": valid_from, "valid_to": "", "slots-TOTAL_FORMS": str(len(rows)), "slots-INITIAL_FORMS": "0"}
    for i, (weekday, start, end) in enumerate(rows):
        data |= {f"slots-{i}-weekday": weekday, f"slots-{i}-starts_at": start, f"slots-{i}-ends_at": end}
        data[f"slots-{i}-kind"] = "drop_in"
    return data


def test_a_double_submitted_closure_is_saved_once(cast, client_for):
    client = client_for(cast.bob)
    address = url("centres:closure_create", cast.norrebro)
    data = {**_rendered(client, address), "starts_on": "2030-07-07", "ends_on": "2030-07-25", "reason": "Sommer"}
    first, second = client.post(address, data), client.post(address, data)
    assert first["Location"] == second["Location"]
    assert Closure.objects.count() == 1


def test_a_double_submitted_staff_allocation_does_not_double_the_staff_hours(cast, client_for):
    client = client_for(cast.bob)
    address = url("centres:allocation_create", cast.norrebro)
    data = {
        **_rendered(client, address),
        "role": "family_consultant",
        "hours_per_week": "6",
        "valid_from": "2025-01-01",
    }
    client.post(address, data)
    client.post(address, data)
    assert [a.hours_per_week for a in StaffAllocation.objects.all()] == [Decimal("6.00")]


def test_staff_hours_edited_in_two_tabs_do_not_erase_the_first_save(cast, client_for):
    allocation = make_allocation(cast.norrebro, hours_per_week="6", valid_from=date(2025, 1, 1))
    client = client_for(cast.bob)
    address = url("centres:allocation_edit", cast.norrebro, pk=allocation.pk)
    tab_one, tab_two = _rendered(client, address), _rendered(client, address)
    base = {"role": allocation.role, "valid_from": "2025-01-01"}
    assert client.post(address, {**base, **tab_one, "hours_per_week": "8"}).status_code == 302
    conflict = client.post(address, {**base, **tab_two, "hours_per_week": "6", "note": "Team Nord"})
    assert conflict.status_code == 409
    assert "Team Nord" in conflict.content.decode()
    allocation.refresh_from_db()
    assert (allocation.hours_per_week, allocation.note) == (Decimal("8.00"), "")


def test_opening_hours_edited_in_two_tabs_do_not_erase_the_first_save(cast, client_for):
    pattern = make_pattern(cast.norrebro, valid_from=date(2025, 1, 1))
    client = client_for(cast.bob)
    address = url("centres:pattern_edit", cast.norrebro, pk=pattern.pk)
    tab_one, tab_two = _rendered(client, address), _rendered(client, address)
    saved = client.post(address, {**tab_one, **_pattern_post([("1", "09:00", "15:00")])})
    assert saved.status_code == 302
    conflict = client.post(address, {**tab_two, **_pattern_post([("4", "10:00", "12:00")])})
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Fredag 10.00–12.00" in page and "Tirsdag 09.00–15.00" in page  # my slots and the saved ones
    assert [s.weekday for s in pattern.slots.all()] == [1]


def test_a_double_submitted_opening_hours_pattern_is_saved_once(cast, client_for):
    client = client_for(cast.bob)
    address = url("centres:pattern_create", cast.norrebro)
    data = {**_rendered(client, address), **_pattern_post([("0", "14:00", "17:00")])}
    client.post(address, data)
    second = client.post(address, data)
    assert second.status_code == 302  # the replay goes where the first went, without an overlap error
    assert OpeningHoursPattern.objects.count() == 1
