"""Password sign-in: Django's ModelBackend, whose `get_user` (run once a request, for the
session's user) reads the user together with what every request asks next about them:
their memberships of today with the centres, whether they have a second factor, and the
generation of the reference data (forpost.accounts.scoping.Access). One query, where it was
four. A user without an active membership is read as Django reads them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from .scoping import Access

        rows = Access.read(user_id, with_user=True)
        if not rows:
            return super().get_user(user_id)
        user: Any = rows[0].user
        if not self.user_can_authenticate(user):
            return None
        user._forpost_access = Access(user, rows=rows)
        return user
