"""Sessions in the database whose idle expiry moves at most once a minute.

A session ends after SESSION_IDLE_MINUTES without a request. Moving its expiry is a write,
and Django's SESSION_SAVE_EVERY_REQUEST makes one at every request, the desk's registration
included. This store keeps the expiry SESSION_IDLE_MINUTES plus one minute after the last
save and skips the save of an unchanged session saved less than a minute ago: a session still
ends between SESSION_IDLE_MINUTES and one minute more after its last request (never sooner,
so the page's timeout warning, forpost/session.js, stays right), and a counsellor registering
several inquiries a minute writes their session once a minute, not once a request.
A changed session is always written, and so is "Stay logged in" (accounts:keepalive marks
the session changed): the user asking to stay gets the full SESSION_IDLE_MINUTES from then.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

REFRESH = timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    _stored_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        found = super()._get_session_from_db()  # type: ignore[misc]
        self._stored_expiry = found.expire_date if found is not None else None
        return found

    def get_session_cookie_age(self) -> int:
        return int(settings.SESSION_COOKIE_AGE + REFRESH.total_seconds())

    def save(self, must_create: bool = False) -> None:
        fresh = (
            not must_create
            and not self.modified
            and self._stored_expiry is not None
            and self._stored_expiry - timezone.now() >= timedelta(seconds=settings.SESSION_COOKIE_AGE)
        )
        if fresh:
            return  # saved less than a minute ago: it ends at least SESSION_IDLE_MINUTES from now
        super().save(must_create=must_create)
        self._stored_expiry = None
