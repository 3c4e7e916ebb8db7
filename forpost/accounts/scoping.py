"""The one mechanism that scopes data to the user's centres.

Every model that belongs to a centre declares how to reach it::

    class Inquiry(models.Model):
        centre_path: ClassVar[str] = "centre"            # or "course__inquiry__centre", "pk" on Centre

Views, exports and the API never filter by centre themselves; they call::

    scoped(Inquiry, request.user)                        # what the user may read
    scoped(Inquiry, request.user, roles=REGISTER)        # where the user may register
    get_scoped_or_404(Inquiry, request.user, pk=pk)      # one object, 404 outside the scope

A user who holds one of `roles` city-wide (central staff, management, administrator) sees
every centre; a counsellor or coordinator sees the centres of their active memberships.
An object outside the scope is answered with 404, so its existence is not revealed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from .models import CENTRE_ROLES, CITY_ROLES, Membership, MembershipQuerySet, Role

M = TypeVar("M", bound=models.Model)

ALL_ROLES = frozenset(Role)
# Register and change registrations at a centre.
REGISTER = frozenset({Role.COUNSELLOR, Role.COORDINATOR})
# Run a centre: hours, staff, partners, rooms, the centre's part of the status.
MANAGE = frozenset({Role.COORDINATOR})
# City-wide readers (read-only dashboards, the status across the city).
CITY_READERS = frozenset({Role.CENTRAL_STAFF, Role.MANAGEMENT, Role.ADMINISTRATOR})
# Keep the city's lists and concepts, see the audit trail.
CENTRAL = frozenset({Role.CENTRAL_STAFF, Role.ADMINISTRATOR})
# Keep the users, their memberships and the single sign-on mapping.
ADMINISTER = frozenset({Role.ADMINISTRATOR})


class Access:
    """What one user may reach today, computed once per user object (i.e. per request)."""

    def __init__(self, user: Any, *, rows: list[Membership] | None = None) -> None:
        self.user = user
        self.memberships: list[Membership] = []
        # Whether the user has a second factor of their own (forpost.accounts.mfa), read with
        # the memberships; None when there are none to read it with.
        self.has_factor: bool | None = None
        if user.is_authenticated and user.is_active:
            self.memberships = rows if rows is not None else self.read(user.pk)
            if self.memberships:
                from forpost.core import generation

                self.has_factor = bool(getattr(self.memberships[0], "has_factor", False))
                generation.note(getattr(self.memberships[0], "generation", None))
        self.roles = frozenset(Role(m.role) for m in self.memberships)

    @staticmethod
    def read(user_id: Any, *, with_user: bool = False) -> list[Membership]:
        """One query for what every request asks first: the user's memberships of today with
        their centres (and the user: forpost.accounts.backends), each carrying whether the
        user has a second factor and the generation of the reference data."""
        return list(_memberships(with_user).active_on(timezone.localdate()).filter(user_id=user_id))

    def has_role(self, roles: Iterable[Role]) -> bool:
        return bool(self.roles & frozenset(roles))

    def is_city_wide(self, roles: Iterable[Role] = ALL_ROLES) -> bool:
        return bool(self.roles & frozenset(roles) & CITY_ROLES)

    def centre_ids(self, roles: Iterable[Role] = ALL_ROLES) -> frozenset[int] | None:
        """The centres where the user holds one of `roles`; None means every centre."""
        wanted = frozenset(roles)
        if self.is_city_wide(wanted):
            return None
        return frozenset(m.centre_id for m in self.memberships if m.role in wanted & CENTRE_ROLES and m.centre_id)

    def centre_list(self, roles: Iterable[Role] = ALL_ROLES) -> list[Any]:
        """The centres of `centres(roles)`, by name, from the memberships already read when
        the user holds the roles at named centres (no query); else from the database."""
        ids = self.centre_ids(roles)
        if ids is None:
            return list(self.centres(roles))
        found = {m.centre_id: m.centre for m in self.memberships if m.centre_id in ids}
        return sorted(found.values(), key=lambda c: (c.name, c.pk))

    def centres(self, roles: Iterable[Role] = ALL_ROLES) -> models.QuerySet[Any]:
        from .models import centre_model

        return scoped(centre_model(), self.user, roles=roles).order_by("name")


@functools.cache
def _memberships(with_user: bool) -> MembershipQuerySet:
    """The memberships with their centres (and users), whether the user has a second factor and
    the generation of the reference data: the same query at every request but for the user and
    the day, so it is built once (it is lazy and never run itself; each request runs a copy)."""
    from forpost.core import generation

    from .mfa import enrolled_expression

    related = ("centre", "user") if with_user else ("centre",)
    return Membership.objects.select_related(*related).annotate(
        has_factor=enrolled_expression("user_id"), generation=generation.expression()
    )


def access_for(user: Any) -> Access:
    cached = getattr(user, "_forpost_access", None)
    if cached is None:
        cached = Access(user)
        if user.is_authenticated:
            user._forpost_access = cached
    return cached


def scoped(
    model_or_qs: type[M] | models.QuerySet[M], user: Any, *, roles: Iterable[Role] = ALL_ROLES
) -> models.QuerySet[M]:
    """`model_or_qs` narrowed to the centres where `user` holds one of `roles`."""
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    path = getattr(qs.model, "centre_path", None)
    if path is None:
        raise ImproperlyConfigured(f"{qs.model.__name__} has no centre_path and cannot be scoped.")
    access = access_for(user)
    if not access.has_role(roles):
        return qs.none()
    ids = access.centre_ids(roles)
    if ids is None:
        return qs
    return qs.filter(**{f"{path}__in": ids})


def get_scoped_or_404(
    model_or_qs: type[M] | models.QuerySet[M], user: Any, *, roles: Iterable[Role] = ALL_ROLES, **lookup: Any
) -> M:
    try:
        return scoped(model_or_qs, user, roles=roles).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def role_required(roles: Iterable[Role]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Gate a view on a role (any centre). Centre-level checks still go through `scoped`."""
    wanted = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access_for(request.user).has_role(wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
