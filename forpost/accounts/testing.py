"""The registry the URL walker uses.

The cast (forpost.centres.testing): two centres, Nørrebro and Valby, each with a counsellor and a coordinator, plus
city-wide users::

    alice   counsellor   Nørrebro          charlie counsellor   Valby
    bob     coordinator  Nørrebro          dana    coordinator  Valby
    erin    central staff (city-wide)      frank   management (city-wide)
    grace   administrator (city-wide)

Every app describes its URLs for the walker in `forpost/<app>/testing.py`::

    url_spec("centres:detail", roles=ALL_ROLES, kwargs=lambda cast: {"slug": cast.norrebro.slug})

The kwargs must point at an object of Nørrebro (cast.norrebro). The walker then proves
that anonymous users are sent to log in, the right roles of Nørrebro get the page, users
of Valby get 404, and other roles are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Role

# --- The URL walker's registry -------------------------------------------------------------


@dataclass(frozen=True)
class URLSpec:
    """How the walker should treat one named URL.

    roles: who may open it (at Nørrebro, or anywhere when city-wide).
    kwargs: builds the URL's arguments for an object of cast.norrebro.
    public: anyone, logged in or not, gets the page.
    centre_bound: the object belongs to Nørrebro, so users of Valby must get 404.
    method: "GET", or "POST" for views that only accept POST (checked by a POST without data).
    owner: the object belongs to this cast member alone (e.g. a personal API token): every
        other user must get 404.
    """

    name: str
    roles: frozenset[Role] = frozenset(Role)
    kwargs: Callable[[Any], dict[str, Any]] | None = None  # given the cast (forpost.centres.testing)
    public: bool = False
    centre_bound: bool = False
    method: str = "GET"
    query: str = ""
    ok_statuses: tuple[int, ...] = (200,)
    owner: str | None = None


URL_SPECS: dict[str, URLSpec] = {}


def url_spec(name: str, **options: Any) -> URLSpec:
    spec = URLSpec(name=name, **options)
    URL_SPECS[name] = spec
    return spec
