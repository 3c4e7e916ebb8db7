"""Demo users of every role. All share the demo password, printed by `manage.py demo`."""

from datetime import date

from forpost.centres.models import Centre
from forpost.core.demo import DEMO_PASSWORD, DemoContext

from .models import Membership, Role, User

ORDER = 20

# username, first name, last name, role, centre slug
USERS = [
    ("raadgiver", "Rikke", "Rådgiver", Role.COUNSELLOR, "norrebro"),
    ("koordinator", "Karsten", "Koordinator", Role.COORDINATOR, "norrebro"),
    ("raadgiver-valby", "Vera", "Vang", Role.COUNSELLOR, "valby"),
    ("koordinator-valby", "Villads", "Vinther", Role.COORDINATOR, "valby"),
    ("stab", "Sara", "Stab", Role.CENTRAL_STAFF, None),
    ("chef", "Christian", "Chef", Role.MANAGEMENT, None),
    ("admin", "Anna", "Admin", Role.ADMINISTRATOR, None),
]


def build(ctx: DemoContext) -> None:
    centres = {c.slug: c for c in Centre.objects.all()}
    for username, first, last, role, slug in USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        centre = centres[slug] if slug else None
        Membership.objects.get_or_create(user=user, role=role, centre=centre, defaults={"valid_from": date(2010, 1, 1)})
        ctx.logins.append((username, f"{role.label} {centre or ''}".strip()))
    # One counsellor and one coordinator for each of the other centres, so every centre has staff.
    for slug, centre in centres.items():
        if slug in ("norrebro", "valby"):
            continue
        for role, prefix in ((Role.COUNSELLOR, "raadgiver"), (Role.COORDINATOR, "koordinator")):
            user, created = User.objects.get_or_create(
                username=f"{prefix}-{slug}", defaults={"first_name": prefix.title(), "last_name": centre.code}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.get_or_create(
                user=user, role=role, centre=centre, defaults={"valid_from": date(2010, 1, 1)}
            )
