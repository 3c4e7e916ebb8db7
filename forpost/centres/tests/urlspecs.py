from forpost.accounts.models import Role
from forpost.accounts.scoping import MANAGE
from forpost.accounts.testing import url_spec

BUDGET_SETTERS = frozenset({Role.MANAGEMENT})


def _slug(cast):  # type: ignore[no-untyped-def]
    return {"slug": cast.norrebro.slug}


def _pattern(cast):  # type: ignore[no-untyped-def]
    from forpost.centres.testing import make_pattern

    return {"slug": cast.norrebro.slug, "pk": make_pattern(cast.norrebro).pk}


def _closure(cast):  # type: ignore[no-untyped-def]
    from forpost.centres.testing import make_closure

    return {"slug": cast.norrebro.slug, "pk": make_closure(cast.norrebro).pk}


def _allocation(cast):  # type: ignore[no-untyped-def]
    from forpost.centres.testing import make_allocation

    return {"slug": cast.norrebro.slug, "pk": make_allocation(cast.norrebro).pk}


def _budget(cast):  # type: ignore[no-untyped-def]
    from forpost.centres.testing import make_budget

    return {"slug": cast.norrebro.slug, "pk": make_budget(cast.norrebro).pk}


url_spec("centres:list")
url_spec("centres:detail", kwargs=_slug, centre_bound=True)
url_spec("centres:hours", kwargs=_slug, centre_bound=True)
url_spec("centres:pattern_create", roles=MANAGE, kwargs=_slug, centre_bound=True)
url_spec("centres:pattern_edit", roles=MANAGE, kwargs=_pattern, centre_bound=True)
url_spec("centres:pattern_delete", roles=MANAGE, kwargs=_pattern, centre_bound=True, method="POST", ok_statuses=(302,))
url_spec("centres:closure_create", roles=MANAGE, kwargs=_slug, centre_bound=True)
url_spec("centres:closure_delete", roles=MANAGE, kwargs=_closure, centre_bound=True, method="POST", ok_statuses=(302,))
url_spec("centres:holiday_override", roles=MANAGE, kwargs=_slug, centre_bound=True, method="POST", ok_statuses=(302,))
url_spec("centres:staffing", kwargs=_slug, centre_bound=True)
url_spec("centres:allocation_create", roles=MANAGE, kwargs=_slug, centre_bound=True)
url_spec("centres:allocation_edit", roles=MANAGE, kwargs=_allocation, centre_bound=True)
url_spec(
    "centres:allocation_delete", roles=MANAGE, kwargs=_allocation, centre_bound=True, method="POST", ok_statuses=(302,)
)
url_spec("centres:budget", kwargs=_slug, centre_bound=True)
# Management is city-wide: every centre is theirs; an empty form is answered with its errors.
url_spec("centres:budget_set", roles=BUDGET_SETTERS, kwargs=_slug, centre_bound=True, method="POST")
url_spec("centres:budget_confirm", roles=MANAGE, kwargs=_budget, centre_bound=True, method="POST", ok_statuses=(302,))
