"""Demo users of every role. All share the demo password, printed by `manage.py demo`.

Each has an e-mail address (<username>@example.kk.dk), so the reminders that go to a duty's
owner (manage.py yearwheel_reminders, closing_reminders) show in `make run`'s console."""

from datetime import date

from django.contrib.auth.hashers import make_password

from forpost.core.demo import DEMO_PASSWORD, DemoContext

from .models import Membership, Role, User, centre_model

ORDER = 20
EMAIL_DOMAIN = "example.kk.dk"  # example.* never delivers


def demo_email(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"


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
    centres = {c.slug: c for c in centre_model().objects.all()}
    for username, first, last, role, slug in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": demo_email(username)}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif not user.email:  # a demo database made before the users had addresses
            User.objects.filter(pk=user.pk).update(email=demo_email(username))
        centre = centres[slug] if slug else None
        Membership.objects.get_or_create(user=user, role=role, centre=centre, defaults={"valid_from": date(2010, 1, 1)})
        ctx.logins.append((username, f"{role.label} {centre or ''}".strip()))
    # One counsellor and one coordinator for each of the other centres, so every centre has
    # staff. In bulk and sharing one password hash: a benchmark municipality has a thousand
    # centres, and each Argon2 hash deliberately takes a noticeable fraction of a second.
    wanted = {
        f"{prefix}-{slug}": (prefix, role, centre)
        for slug, centre in sorted(centres.items())
        if slug not in ("norrebro", "valby")
        for role, prefix in ((Role.COUNSELLOR, "raadgiver"), (Role.COORDINATOR, "koordinator"))
    }
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = [name for name in wanted if name not in users]
    if missing:
        password = make_password(DEMO_PASSWORD)
        made = User.objects.bulk_create(
            [
                User(
                    username=name,
                    first_name=wanted[name][0].title(),
                    last_name=wanted[name][2].code,
                    email=demo_email(name),
                    password=password,
                )
                for name in missing
            ],
            batch_size=1000,
        )
        users |= {u.username: u for u in made}
    have = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", "role", "centre_id"))
    Membership.objects.bulk_create(
        [
            Membership(user=users[name], role=role, centre=centre, valid_from=date(2010, 1, 1))
            for name, (_prefix, role, centre) in wanted.items()
            if (users[name].pk, role, centre.pk) not in have
        ],
        batch_size=1000,
    )
