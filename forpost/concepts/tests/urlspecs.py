from forpost.accounts.scoping import ALL_ROLES, CENTRAL, CITY_READERS, MANAGE
from forpost.accounts.testing import url_spec
from forpost.concepts.models import Attestation, AttestationStatus
from forpost.concepts.testing import make_attestation
from forpost.core.testing import today

ATTESTED = "fr2010.metode.anerkendende"

url_spec("concepts:list", roles=ALL_ROLES)
url_spec("concepts:detail", roles=ALL_ROLES, kwargs=lambda cast: {"version_id": "familieraadgivning-2010"})
url_spec("concepts:theory", roles=ALL_ROLES, kwargs=lambda cast: {"version_id": "servicebutik-2006"})
url_spec("concepts:wheel_start", roles=ALL_ROLES, ok_statuses=(302,))
url_spec(
    "concepts:wheel",
    roles=ALL_ROLES,
    centre_bound=True,
    kwargs=lambda cast: {"slug": cast.norrebro.slug, "year": today().year},
)
url_spec(
    "concepts:attest",
    roles=MANAGE,
    centre_bound=True,
    kwargs=lambda cast: {"slug": cast.norrebro.slug, "year": today().year, "requirement_id": ATTESTED},
)
url_spec(
    "concepts:withdraw",
    roles=MANAGE,
    centre_bound=True,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda cast: {"slug": cast.norrebro.slug, "year": today().year, "requirement_id": ATTESTED},
)
url_spec("concepts:revision_create", roles=CENTRAL)
url_spec("concepts:city", roles=CITY_READERS, kwargs=lambda cast: {"year": today().year})


def _pending(cast):  # type: ignore[no-untyped-def]
    """Nørrebro's attestation awaiting approval (one per centre, year and requirement)."""
    found = Attestation.objects.filter(centre=cast.norrebro, year=today().year, requirement_id=ATTESTED).first()
    return (found or make_attestation(cast.norrebro, year=today().year, status=AttestationStatus.SUBMITTED)).pk


url_spec("concepts:review", roles=CENTRAL)
url_spec(
    "concepts:approve",
    roles=CENTRAL,
    method="POST",
    ok_statuses=(302,),
    kwargs=lambda cast: {"pk": _pending(cast)},
)
url_spec(
    "concepts:return",
    roles=CENTRAL,
    method="POST",
    ok_statuses=(302, 400),
    kwargs=lambda cast: {"pk": _pending(cast)},
)


# --- Action plans ----------------------------------------------------------------------------

NOT_MET = "fr2010.ydelser.aabningstid"  # Nørrebro of the cast keeps no drop-in hours: not met


def _action(cast):  # type: ignore[no-untyped-def]
    """An open action plan of Nørrebro's for last year."""
    from forpost.concepts.testing import make_action

    return make_action(cast.norrebro, year=today().year - 1).pk


url_spec("concepts:action_list", roles=CITY_READERS)
url_spec("concepts:actions_start", roles=ALL_ROLES, ok_statuses=(302,))
url_spec(
    "concepts:actions",
    roles=ALL_ROLES,
    centre_bound=True,
    kwargs=lambda cast: {"slug": cast.norrebro.slug},
)
url_spec(
    "concepts:action_create",
    roles=MANAGE,
    centre_bound=True,
    kwargs=lambda cast: {"slug": cast.norrebro.slug, "year": today().year - 1, "requirement_id": NOT_MET},
)
url_spec("concepts:action_edit", roles=MANAGE, centre_bound=True, kwargs=lambda cast: {"pk": _action(cast)})
url_spec("concepts:action_done", roles=MANAGE, centre_bound=True, kwargs=lambda cast: {"pk": _action(cast)})
