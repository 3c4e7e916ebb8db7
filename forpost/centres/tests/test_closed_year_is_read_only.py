"""At close, everything dated in the year becomes read-only: registrations, activities, hours
and attestations. The status of a closed year reads the same before and after any attempt to
edit its registrations: through the forms, the API and the import; each attempt is refused
with the message that the year is closed."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from forpost.centres import closing, services
from forpost.centres.models import Closure, HolidayOverride, OpeningHoursPattern, StaffAllocation
from forpost.centres.testing import make_allocation, make_closure, make_pattern
from forpost.collaboration.models import Activity
from forpost.collaboration.testing import activity_type, make_activity
from forpost.concepts.models import Attestation, StatusText
from forpost.core.testing import post_form
from forpost.registrations.models import Course, Inquiry, Session
from forpost.registrations.testing import ensure_reference_data, make_course, make_inquiry, make_session

YEAR = 2025
REFUSED = "2025 er lukket"


def _edit_data(form, **changes):
    """What the rendered form would post back, with `changes`."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        data[field.html_name] = value
    return {**data, **changes}


def _slots(rows):
    data = {
        "slots-TOTAL_FORMS": str(len(rows)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "28",
    }
    for i, (weekday, start, end) in enumerate(rows):
        data |= {
            f"slots-{i}-weekday": weekday,
            f"slots-{i}-starts_at": start,
            f"slots-{i}-ends_at": end,
            f"slots-{i}-kind": "drop_in",
        }
    return data


def status_json(cast) -> str:
    """The city's status for the year as its JSON file reads, but for the moment it was made."""
    from forpost.reports.queries import city_status
    from forpost.reports.render import as_json

    data = as_json(city_status(user=cast.erin, year=YEAR))
    data.pop("generated_at")
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def stored(cast) -> dict:
    """Every row dated in the year, as stored."""
    return {
        "inquiries": sorted(Inquiry.all_objects.values_list("pk", "date", "minutes", "voided_at")),
        "courses": sorted(Course.all_objects.values_list("pk", "started_on", "ended_on", "voided_at")),
        "sessions": sorted(Session.all_objects.values_list("pk", "date", "voided_at")),
        "activities": sorted(Activity.objects.values_list("pk", "date", "participants")),
        "patterns": sorted(OpeningHoursPattern.objects.values_list("pk", "valid_from", "valid_to", "version")),
        "slots": sorted(
            OpeningHoursPattern.objects.values_list("pk", "slots__weekday", "slots__starts_at", "slots__ends_at")
        ),
        "closures": sorted(Closure.objects.values_list("pk", "starts_on", "ends_on")),
        "holidays": sorted(HolidayOverride.objects.values_list("date", "open_anyway")),
        "allocations": sorted(StaffAllocation.objects.values_list("pk", "hours_per_week", "valid_from", "valid_to")),
        "attestations": sorted(Attestation.objects.values_list("pk", "status", "comment")),
        "texts": sorted(StatusText.objects.values_list("pk", "highlights")),
    }


@pytest.fixture
def closed_year(cast):
    ensure_reference_data()
    inquiry = make_inquiry(cast.norrebro, date=date(YEAR, 3, 10), actor=cast.alice)
    course = make_course(cast.norrebro, actor=cast.alice, inquiry=make_inquiry(cast.norrebro, date=date(YEAR, 4, 1)))
    session = make_session(course, actor=cast.alice, date=date(YEAR, 4, 8))
    activity = make_activity(cast.norrebro, date=date(YEAR, 5, 1), participants=12)
    pattern = make_pattern(cast.norrebro, valid_from=date(YEAR, 1, 1), valid_to=date(YEAR, 6, 30))
    closure = make_closure(cast.norrebro, starts_on=date(YEAR, 7, 7), ends_on=date(YEAR, 7, 25))
    allocation = make_allocation(cast.norrebro, hours_per_week="6", valid_from=date(YEAR, 1, 1))
    closing.close_year(actor=cast.erin, year=YEAR, today=date(YEAR + 1, 2, 1))
    return {
        "inquiry": inquiry,
        "course": course,
        "session": session,
        "activity": activity,
        "pattern": pattern,
        "closure": closure,
        "allocation": allocation,
    }


def test_the_status_of_a_closed_year_reads_the_same_after_any_attempt_to_edit_it(cast, client_for, api, closed_year):
    from forpost.imports import services as imports
    from forpost.imports.testing import ROW, csv_bytes, make_import_file

    before_json, before_rows = status_json(cast), stored(cast)
    client = client_for(cast.bob)
    inquiry, course, session = closed_year["inquiry"], closed_year["course"], closed_year["session"]
    activity, pattern, closure = closed_year["activity"], closed_year["pattern"], closed_year["closure"]
    allocation = closed_year["allocation"]

    def refused_page(response):
        # Refused: the form again with the message (some pages answer 400), or back with it.
        assert response.status_code in (200, 302, 400), (response.status_code, response.request["PATH_INFO"])
        if response.status_code == 302:
            response = client.get(response["Location"])
        assert REFUSED in response.content.decode(), response.request["PATH_INFO"]

    def edit(url, **changes):
        refused_page(client.post(url, _edit_data(client.get(url).context["form"], **changes)))

    # --- The web forms ---------------------------------------------------------------------
    # Registrations: inquiries, courses, sessions (changed, added, voided).
    edit(reverse("registrations:inquiry_edit", args=[inquiry.pk]), minutes="45")
    edit(reverse("registrations:inquiry_edit", args=[inquiry.pk]), date=f"{YEAR + 1}-01-05")
    edit(reverse("registrations:course_edit", args=[course.pk]), started_on=f"{YEAR}-04-02")
    edit(reverse("registrations:session_edit", args=[session.pk]), date=f"{YEAR}-04-09")
    edit(reverse("registrations:session_create", args=[course.pk]), date=f"{YEAR}-04-15")
    for name, obj in (("inquiry_void", inquiry), ("course_void", course), ("session_void", session)):
        url = reverse(f"registrations:{name}", args=[obj.pk])
        refused_page(client.post(url, {"version": obj.version, "reason": "Fejlregistreret"}))
    # Activities: logged, changed, deleted.
    refused_page(
        post_form(
            client,
            reverse("collaboration:activity_create"),
            {"date": f"{YEAR}-05-02", "type": activity_type("theme_event").pk, "participants": "25"},
        )
    )
    edit(reverse("collaboration:activity_edit", args=[activity.pk]), participants="40")
    refused_page(client.post(reverse("collaboration:activity_delete", args=[activity.pk])))
    # Hours: opening-hour patterns, closures, holidays and the family unit's staff.
    slug = cast.norrebro.slug
    refused_page(
        post_form(
            client,
            reverse("centres:pattern_create", args=[slug]),
            {"valid_from": f"{YEAR}-07-01", "valid_to": f"{YEAR}-12-31", **_slots([(0, "09:00", "15:00")])},
        )
    )
    refused_page(
        post_form(
            client,
            reverse("centres:pattern_edit", args=[slug, pattern.pk]),
            {"valid_from": f"{YEAR}-01-01", "valid_to": f"{YEAR}-06-30", **_slots([(2, "10:00", "12:00")])},
        )
    )
    refused_page(client.post(reverse("centres:pattern_delete", args=[slug, pattern.pk])))
    refused_page(
        post_form(
            client,
            reverse("centres:closure_create", args=[slug]),
            {"starts_on": f"{YEAR}-10-13", "ends_on": f"{YEAR}-10-17", "reason": "Efterårsferie"},
        )
    )
    refused_page(client.post(reverse("centres:closure_delete", args=[slug, closure.pk])))
    refused_page(
        client.post(reverse("centres:holiday_override", args=[slug]), {"day": f"{YEAR}-12-26", "open_anyway": "on"})
    )
    refused_page(
        post_form(
            client,
            reverse("centres:allocation_create", args=[slug]),
            {"role": "family_consultant", "hours_per_week": "3", "valid_from": f"{YEAR}-03-01", "valid_to": ""},
        )
    )
    edit(reverse("centres:allocation_edit", args=[slug, allocation.pk]), hours_per_week="9")
    refused_page(client.post(reverse("centres:allocation_delete", args=[slug, allocation.pk])))
    # Attestations and the centre's own text for the year's status.
    refused_page(
        client.post(
            reverse("concepts:attest", args=[slug, YEAR, "fr2010.metode.anerkendende"]),
            {"comment": "Vi arbejdede anerkendende hele året.", "period_start": "", "period_end": ""},
        )
    )
    refused_page(
        client.post(
            reverse("reports:status_text", args=[slug]) + f"?year={YEAR}",
            {"year": YEAR, "highlights": "Et godt år", "local_focus": "", "challenges": "", "version": 0},
        )
    )

    # --- The API ----------------------------------------------------------------------------
    inquiry.refresh_from_db()
    for method, path, body in (
        ("patch", f"/api/v1/inquiries/{inquiry.pk}", {"minutes": 30, "version": inquiry.version}),
        ("patch", f"/api/v1/inquiries/{inquiry.pk}", {"date": f"{YEAR + 1}-01-05", "version": inquiry.version}),
        (
            "post",
            "/api/v1/inquiries",
            {
                "date": f"{YEAR}-03-10",
                "channel": "walk_in",
                "contact_person": "mother",
                "themes": ["upbringing"],
                "actions": ["advice"],
                "children": [{"age_band": "3-5", "sex": "girl"}],
            },
        ),
    ):
        response = api.call(method, path, user="bob", json=body)
        assert response.status_code == 422, response.content
        assert REFUSED in response.content.decode()

    # --- The import -------------------------------------------------------------------------
    import_file = make_import_file(cast.norrebro, actor=cast.alice, content=csv_bytes(ROW, ROW))
    checked = imports.check(actor=cast.alice, import_file=import_file)
    assert [n for n, reasons in checked.bad if REFUSED in " ".join(reasons)] == [2, 3]
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_inquiries(actor=cast.alice, import_file=import_file)
    assert refused.value.outcome.imported == 0

    assert stored(cast) == before_rows
    assert status_json(cast) == before_json


def test_a_period_begun_in_a_closed_year_can_still_be_ended_later(cast, closed_year):
    """Only the days in the closed year are locked: an open-ended allocation begun in it may
    be ended next year, not moved into it."""
    allocation = closed_year["allocation"]
    services.save_staff_allocation(
        actor=cast.bob,
        centre=cast.norrebro,
        allocation=allocation,
        role=allocation.role,
        hours_per_week=Decimal("6"),
        valid_from=allocation.valid_from,
        valid_to=date(YEAR + 1, 3, 31),
    )
    allocation.refresh_from_db()
    assert allocation.valid_to == date(YEAR + 1, 3, 31)
    with pytest.raises(closing.YearClosed):
        services.save_staff_allocation(
            actor=cast.bob,
            centre=cast.norrebro,
            allocation=allocation,
            role=allocation.role,
            hours_per_week=Decimal("6"),
            valid_from=allocation.valid_from,
            valid_to=date(YEAR, 10, 31),
        )
    # A new pattern from next year is fine; one reaching back into the closed year is not.
    services.save_hours_pattern(
        actor=cast.bob,
        centre=cast.norrebro,
        valid_from=date(YEAR + 1, 1, 1),
        valid_to=None,
        slots=[],
    )
    with pytest.raises(closing.YearClosed):
        services.save_hours_pattern(
            actor=cast.bob, centre=cast.norrebro, valid_from=date(YEAR, 12, 1), valid_to=date(YEAR, 12, 31), slots=[]
        )


def test_an_approved_correction_opens_the_centres_hours_as_its_registrations(cast, closed_year):
    correction = closing.request_correction(actor=cast.bob, centre=cast.norrebro, year=YEAR, reason="Ferie glemt")
    closing.decide_correction(actor=cast.erin, correction=correction, approve=True)
    services.add_closure(
        actor=cast.bob, centre=cast.norrebro, starts_on=date(YEAR, 10, 13), ends_on=date(YEAR, 10, 17), reason="Ferie"
    )
    with pytest.raises(closing.YearClosed):
        services.add_closure(
            actor=cast.dana, centre=cast.valby, starts_on=date(YEAR, 10, 13), ends_on=date(YEAR, 10, 17), reason="x"
        )
