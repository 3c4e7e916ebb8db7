"""Walk every page of every app and inspect each form that posts (issue 15, item 4).

A form that creates a record must carry the one-time token (forpost.core.idempotency), so a
double submit makes one row; a form that edits a record must carry the version it was
rendered with (forpost.core.locking), so a second tab cannot silently erase the first. Every
other form that posts must be listed below with the reason it needs neither. A new form
that is none of these fails here.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from forpost.accounts.scoping import access_for
from forpost.accounts.testing import URL_SPECS
from forpost.core.tests.test_url_scoping import ALL_NAMES

# The URL a form posts to decides what it is.
CREATES = {
    "public:rooms",  # the public form carries a signed token (no user to bind one to)
    "registrations:course_referral",
    "accounts:user_invite",
    "registrations:inquiry_offer_referral",
    "registrations:course_offer_referral",
    "feedback:card",  # the public card carries a signed token (no user to bind one to)
    "reports:publish",
    "centres:correction_request",
    "concepts:revision_create",  # confirming adopts a concept text; checking and previewing save nothing
}
EDITS = {
    "reports:status_text",  # creates or changes the one text of a year: version 0 means none yet
    "reports:foreword",  # creates or changes the one foreword of a year: version 0 means none yet
    "registrations:course_end",
    "registrations:inquiry_void",
    "registrations:course_void",
    "registrations:session_void",
    "accounts:user_set_active",
    "accounts:user_detail",
    "registrations:referral_offer_contact",
    "concepts:action_done",  # marks one action plan done: carries the version it was rendered with
}
# Forms that post but neither create a record of their own nor edit one, and why.
ACTIONS = {
    "set_language": "stores the language in a cookie",
    "accounts:mfa_totp": "enrols the user's one authenticator app: a second one is refused",
    "public:room_bookings": "cancels one booking through the personal link: cancelling twice leaves it cancelled",
    "accounts:logout": "ends the session",
    "accounts:login": "logs in; no record is made",
    "accounts:keepalive": "extends the session",
    "accounts:revoke_api_token": "revoking twice leaves it revoked",
    # A replay could not show the secret again (it is shown once), so a token would not help;
    # a duplicate is listed with its name and can be revoked.
    "accounts:api_tokens": "each submit is a new personal token, shown once",
    "collaboration:activity_delete": "a second delete finds nothing (404)",
    "collaboration:group_referral_delete": "a second delete finds nothing (404)",
    "collaboration:room_renew_feed": "a second renewal only makes another secret address",
    "collaboration:booking_cancel": "cancelling twice leaves it cancelled",
    "collaboration:series_cancel": "cancelling from a day twice leaves the same occurrences",
    "collaboration:request_approve": "a decided request cannot be decided again",
    "collaboration:request_decline": "a decided request cannot be decided again",
    "centres:pattern_delete": "a second delete finds nothing (404)",
    "centres:closure_delete": "a second delete finds nothing (404)",
    "centres:allocation_delete": "a second delete finds nothing (404)",
    "centres:holiday_override": "sets one holiday open or closed: repeating it changes nothing",
    "centres:budget_set": "keyed by centre and year: a repeat sets the same amount",
    "centres:budget_confirm": "confirming twice leaves it confirmed",
    "concepts:attest": "one attestation per centre, year and requirement: a repeat shows the one made",
    "concepts:withdraw": "withdrawing twice leaves it withdrawn",
    "centres:deadline_set": "keyed by year: a repeat sets the same deadline",
    "centres:year_close": "closing twice is refused: the year stays closed",
    "centres:correction_decide": "a decided correction cannot be decided again",
    "concepts:approve": "a decided attestation cannot be decided again",
    "concepts:return": "a decided attestation cannot be decided again",
    "reports:city_export": "starts a download job of the user's own; no registration is made",
    "reports:centre_export": "starts a download job of the user's own; no registration is made",
    "registrations:referral_bridge": "sets the outcome of one referral: repeating it changes nothing",
    "imports:upload": "an uploaded file is checked before anything is imported",
    "imports:columns": "maps the columns of one uploaded file",
    "imports:check": "checks one uploaded file",
    "imports:run": "rows imported before are skipped: running a file twice imports it once",
}


class _Forms(HTMLParser):
    """The forms of a page that post: where to, and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._open: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            self._open = (values.get("action", ""), set())
            self.forms.append(self._open)
        elif tag in ("input", "select", "textarea", "button") and self._open is not None and values.get("name"):
            self._open[1].add(values["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _target(action: str, page: str) -> str:
    path = urlsplit(action).path or urlsplit(page).path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def _kind(name: str) -> str:
    if name in ACTIONS:
        return "action"
    if name in CREATES or name.rsplit(":", 1)[-1].endswith("_create"):
        return "create"
    if name in EDITS or name.rsplit(":", 1)[-1].endswith("_edit"):
        return "edit"
    return "unknown"


def _viewer(spec, cast):  # type: ignore[no-untyped-def]
    """A cast member who may open the page (of Nørrebro), or None for a public page."""
    if spec.public:
        return None
    if spec.owner:
        return cast.users()[spec.owner]
    for who in ("bob", "alice", "erin", "frank", "grace"):
        user = cast.users()[who]
        access = access_for(user)
        if access.has_role(spec.roles):
            return user
    return cast.grace


PAGES = [n for n in ALL_NAMES if URL_SPECS[n].method == "GET" and 200 in URL_SPECS[n].ok_statuses]


@pytest.mark.parametrize("name", PAGES)
def test_every_post_form_carries_its_token_or_version(name, cast, client):
    spec = URL_SPECS[name]
    viewer = _viewer(spec, cast)
    if viewer is not None:
        client.force_login(viewer, backend="forpost.accounts.backends.ModelBackend")
    url = reverse(spec.name, kwargs=spec.kwargs(cast) if spec.kwargs else None)
    if spec.query:
        url += "?" + spec.query
    response = client.get(url)
    assert response.status_code == 200, f"{name} answers {response.status_code}"
    if "html" not in response.get("Content-Type", ""):
        return  # a feed, a file or JSON: there is no form on it to inspect
    parser = _Forms()
    parser.feed(response.content.decode())
    for action, fields in parser.forms:
        target = _target(action, url)
        kind = _kind(target)
        assert kind != "unknown", f"{name}: a form posts to {target}; make it create, edit, or list it in ACTIONS"
        if kind == "create":
            assert "submission_token" in fields, f"{name}: the create form posting to {target} has no one-time token"
        if kind == "edit":
            assert "version" in fields, f"{name}: the edit form posting to {target} has no version"


def test_the_walk_reaches_the_forms_it_must_guard(cast, client):
    """The walk is no walk if it sees no forms: it must reach the seven paths of issue 15."""
    must = {
        "collaboration:activity_create",
        "collaboration:group_referral_create",
        "centres:closure_create",
        "centres:allocation_create",
        "collaboration:meeting_create",
        "public:rooms",
        "collaboration:partner_edit",
        "collaboration:group_edit",
        "collaboration:room_edit",
        "reports:status_text",
        "concepts:action_create",
        "concepts:action_edit",
        "concepts:action_done",
    }
    assert must <= set(PAGES)
