"""Every collaboration URL for the walker (forpost/core/tests/test_url_scoping.py)."""

from datetime import date

from forpost.accounts.scoping import CENTRAL, MANAGE, REGISTER
from forpost.accounts.testing import url_spec
from forpost.collaboration import testing as t


def _pk(obj):  # type: ignore[no-untyped-def]
    return {"pk": obj.pk}


def _attendance(cast):  # type: ignore[no-untyped-def]
    return t.make_meeting(cast.norrebro).attendances.get(centre=cast.norrebro)


def _series_booking(cast):  # type: ignore[no-untyped-def]
    series = t.make_series(t.make_room(cast.norrebro))
    return series


# Overview and lists: everyone with a role; each sees their own centres' rows.
url_spec("collaboration:index")
url_spec("collaboration:partner_list")
url_spec("collaboration:activity_list")
url_spec("collaboration:group_list")
url_spec("collaboration:meeting_list")
url_spec("collaboration:room_list")

# Creating: the user's own centre (coordinators; activities also counsellors).
url_spec("collaboration:partner_create", roles=MANAGE)
url_spec("collaboration:activity_create", roles=REGISTER)
url_spec("collaboration:group_create", roles=MANAGE)
url_spec("collaboration:room_create", roles=MANAGE)
url_spec("collaboration:meeting_create", roles=CENTRAL)
url_spec("collaboration:request_list", roles=MANAGE)

# One object of Nørrebro.
url_spec(
    "collaboration:partner_edit", roles=MANAGE, centre_bound=True, kwargs=lambda c: _pk(t.make_partner(c.norrebro))
)
url_spec(
    "collaboration:activity_edit", roles=REGISTER, centre_bound=True, kwargs=lambda c: _pk(t.make_activity(c.norrebro))
)
url_spec(
    "collaboration:activity_delete",
    roles=REGISTER,
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda c: _pk(t.make_activity(c.norrebro)),
)
url_spec("collaboration:group_detail", centre_bound=True, kwargs=lambda c: _pk(t.make_volunteer_group(c.norrebro)))
url_spec(
    "collaboration:group_edit",
    roles=MANAGE,
    centre_bound=True,
    kwargs=lambda c: _pk(t.make_volunteer_group(c.norrebro)),
)
url_spec(
    "collaboration:group_referral_create",
    roles=REGISTER,
    centre_bound=True,
    kwargs=lambda c: _pk(t.make_volunteer_group(c.norrebro)),
)
url_spec(
    "collaboration:group_referral_delete",
    roles=REGISTER,
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda c: _pk(t.make_referral(t.make_volunteer_group(c.norrebro))),
)
# A meeting is city-wide: everyone of the municipality sees it; central staff change it.
url_spec("collaboration:meeting_detail", kwargs=lambda c: _pk(t.make_meeting(c.norrebro)))
url_spec("collaboration:meeting_edit", roles=CENTRAL, kwargs=lambda c: _pk(t.make_meeting(c.norrebro)))
url_spec("collaboration:attendance_edit", roles=MANAGE, centre_bound=True, kwargs=lambda c: _pk(_attendance(c)))
url_spec("collaboration:room_detail", centre_bound=True, kwargs=lambda c: _pk(t.make_room(c.norrebro)))
url_spec("collaboration:room_edit", roles=MANAGE, centre_bound=True, kwargs=lambda c: _pk(t.make_room(c.norrebro)))
url_spec(
    "collaboration:room_renew_feed",
    roles=MANAGE,
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda c: _pk(t.make_room(c.norrebro)),
)
url_spec("collaboration:booking_create", roles=MANAGE, centre_bound=True, kwargs=lambda c: _pk(t.make_room(c.norrebro)))
url_spec(
    "collaboration:booking_detail", centre_bound=True, kwargs=lambda c: _pk(t.make_booking(t.make_room(c.norrebro)))
)
url_spec(
    "collaboration:booking_edit",
    roles=MANAGE,
    centre_bound=True,
    kwargs=lambda c: _pk(t.make_booking(t.make_room(c.norrebro))),
)
url_spec(
    "collaboration:booking_cancel",
    roles=MANAGE,
    centre_bound=True,
    kwargs=lambda c: _pk(t.make_booking(t.make_room(c.norrebro))),
)
url_spec("collaboration:series_edit", roles=MANAGE, centre_bound=True, kwargs=lambda c: _pk(_series_booking(c)))
url_spec("collaboration:series_cancel", roles=MANAGE, centre_bound=True, kwargs=lambda c: _pk(_series_booking(c)))
url_spec(
    "collaboration:request_detail",
    roles=MANAGE,
    centre_bound=True,
    kwargs=lambda c: _pk(t.make_room_request(t.make_room(c.norrebro))),
)
# A POST without data approves into the wanted room (302) — each walk makes a new request.
url_spec(
    "collaboration:request_approve",
    roles=MANAGE,
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda c: _pk(t.make_room_request(t.make_room(c.norrebro))),
)
url_spec(
    "collaboration:request_decline",
    roles=MANAGE,
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda c: _pk(t.make_room_request(t.make_room(c.norrebro), first_date=date(2030, 3, 6))),
)

# Public: associations ask for a room; the feed is reached by its secret key.
url_spec("public:rooms", public=True)
url_spec("public:room_thanks", public=True)
url_spec("public:room_check", public=True)
url_spec(
    "public:room_bookings", public=True, kwargs=lambda c: {"token": t.approve_with_link(t.make_room(c.norrebro))[1]}
)
url_spec("rooms_public:feed", public=True, kwargs=lambda c: {"token": t.make_room(c.norrebro).feed_token})
