"""Demo collaboration work: partners, two years of activities, volunteer groups, rooms
with weekly bookings, a few room requests waiting, and the 4 yearly cross-city meetings.

Idempotent: a centre that already has partners is left as it is. Bookings go through the
booking services (so the demo obeys the no-double-booking rule); the rest is bulk data.

At scale (`--scale`, perhaps a thousand centres) every centre gets partners, volunteer
groups with their referrals, a modest year of activities in each of the ten years and the
cross-city meetings, all with bulk_create; no rooms or bookings.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction

from forpost.centres.models import Centre, District, Municipality, OfferKind
from forpost.core.demo import DemoContext

from . import services
from .models import (
    CROSS_CITY_MEETING_TYPE,
    LOCAL_RESPONSE_TYPE,
    Activity,
    ActivityType,
    Attendance,
    CrossCityMeeting,
    GroupReferral,
    Offer,
    Partner,
    PartnerType,
    ReferralDirection,
    RequestKind,
    Room,
    RoomRequest,
    TargetGroup,
    VolunteerGroup,
)

ORDER = 40

# type, name pattern ({d} is the district), contact role
PARTNERS = [
    (PartnerType.HEALTH_VISITORS, "Sundhedsplejen {d}", "leder af sundhedsplejen"),
    (PartnerType.DAYCARE_SCHOOL, "Børnehuset Solsikken, {d}", "institutionsleder"),
    (PartnerType.DAYCARE_SCHOOL, "{d} Skole", "skoleleder"),
    (PartnerType.DAYCARE_SCHOOL, "Fritidsklubben Kometen, {d}", "klubleder"),
    (PartnerType.HOUSING_SOCIAL_WORK, "Boligsocial helhedsplan {d}", "boligsocial medarbejder"),
    (PartnerType.SOCIALCENTER, "Socialcenter København", "afdelingsleder"),
    (PartnerType.VOLUNTEER_ASSOCIATION, "Forældrenetværket {d}", "frivilligkoordinator"),
    (PartnerType.VOLUNTEER_ASSOCIATION, "Foreningen Børn og Alkohol, {d}", "formand"),
    (PartnerType.OTHER_OUTPOSTS, "Ungerådgivningen {d}", "koordinator"),
    (PartnerType.ASSESSMENT_GROUP, "Undersøgelsesgruppen, BFE", "teamleder"),
]

# name, association index in PARTNERS (or None: a named association), description, target, weekday, from, to
GROUPS = [
    (
        "Netværksgruppe for enlige forældre",
        6,
        "Samtale og fællesskab for enlige forældre med små børn.",
        "primary",
        1,
        time(17),
        time(19),
    ),
    (
        "Børnegruppe: når mor eller far drikker",
        7,
        "Gruppeforløb for børn 7–12 år i familier med alkoholproblemer.",
        "primary",
        2,
        time(16),
        time(17, 30),
    ),
    ("Lektiecafé", None, "Frivillige hjælper skolebørn med lektier og læsning.", "primary", 3, time(15), time(17)),
    (
        "Pårørendegruppe, psykisk sygdom",
        None,
        "Netværk for pårørende til mennesker med psykisk sygdom.",
        "secondary",
        0,
        time(18),
        time(20),
    ),
]
NAMED_ASSOCIATIONS = ["Røde Kors Lektiecafé", "SIND Pårørenderådgivning"]

ROOMS = [
    ("Mødelokalet", 14, "Trinfri adgang i stueplan. Handicaptoilet. Teleslynge."),
    ("Legestuen", 8, "Trinfri adgang. Puslebord."),
]
# What the approval e-mail tells an association, in Danish and English (the other
# languages fall back to Danish).
ROOM_NOTES = {
    "access_da": "Ring på klokken ved hoveddøren. Koordinatoren lukker jer ind og viser, hvor nøglen ligger.",
    "access_en": "Ring the bell at the main door. The coordinator lets you in and shows where the key is kept.",
    "house_rules_da": "Ryd op og sæt stolene på plads. Sluk lyset og lås døren, når I går. Ingen alkohol.",
    "house_rules_en": "Tidy up and put the chairs back. Turn off the lights and lock the door when you leave. No alcohol.",
}

# type code: events per year (roughly; the rng varies it)
ACTIVITY_RATES = {
    "daycare_visit": 3,
    "theme_event": 1,
    "health_visitor_collaboration": 3,
    "housing_collaboration": 2,
    "socialcenter_collaboration": 2,
    "outpost_collaboration": 2,
    "volunteer_meeting": 1,
    "steering_group": 2,
    "assessment_group": 6,
    "family_unit_meeting": 4,
    "outreach": 6,
    "information_material": 4,
    "volunteer_supervision": 3,
}
# A collaboration duty's activity has a partner of the kind the duty names.
DUTY_PARTNER = {
    "health_visitor_collaboration": PartnerType.HEALTH_VISITORS,
    "housing_collaboration": PartnerType.HOUSING_SOCIAL_WORK,
    "socialcenter_collaboration": PartnerType.SOCIALCENTER,
    "outpost_collaboration": PartnerType.OTHER_OUTPOSTS,
    "assessment_group": PartnerType.ASSESSMENT_GROUP,
}
MEETING_MONTHS = (3, 6, 9, 11)
MEETING_TOPICS = ["Tidlig indsats", "Samarbejde med sundhedsplejen", "Årsstatus", "Frivillige"]
MEETING_PLACE = "Børnefamiliecenter København, Bernstorffsgade"


def build(ctx: DemoContext) -> None:
    if ctx.scale:
        _build_scale(ctx)
        return
    centres = list(
        Centre.objects.filter(slug__in=["norrebro", "bispebjerg", "valby", "vesterbro", "amager", "osterbro"])
    )
    if not centres:
        return
    with transaction.atomic():
        made = 0
        for centre in centres:
            if Partner.objects.filter(centre=centre).exists():
                continue
            _centre(ctx, centre)
            made += 1
        _meetings(ctx, centres[0].municipality)
        _the_rest_of_the_papers(ctx, centres)
    ctx.say(f"Collaboration: partners, activities, groups and rooms at {made} centres.\n")


def _centre(ctx: DemoContext, centre: Centre) -> None:
    rng, today = ctx.rng, ctx.today
    district: District = centre.district
    partners = []
    for kind, pattern, role in PARTNERS:
        name = pattern.format(d=district.name)
        slug = centre.slug
        partners.append(
            Partner.objects.create(
                centre=centre,
                type=kind,
                name=name,
                district=district if "{d}" in pattern else None,
                contact_role=role,
                phone=f"33 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                email=f"kontakt-{kind.replace('_', '-')}-{slug}@example.dk",
            )
        )
    start = date(today.year - 2, 1, 1)
    groups = []
    for i, (name, assoc, description, target, weekday, t_from, t_to) in enumerate(GROUPS):
        groups.append(
            VolunteerGroup.objects.create(
                centre=centre,
                name=name,
                association=partners[assoc] if assoc is not None else None,
                association_name="" if assoc is not None else NAMED_ASSOCIATIONS[i - 2],
                description=description,
                target_group=TargetGroup(target),
                meets_weekday=weekday,
                meets_from=t_from,
                meets_to=t_to,
                meets_frequency="hver uge" if i != 3 else "hver anden uge",
                active_from=start,
            )
        )
    # Referrals between groups and centre: a few a month.
    referrals = []
    month = start
    while month <= today:
        for group in groups:
            for direction in ReferralDirection:
                if rng.random() < 0.4:
                    referrals.append(
                        GroupReferral(
                            group=group,
                            date=month + timedelta(days=rng.randint(0, 27)),
                            direction=direction,
                            count=rng.randint(1, 3),
                        )
                    )
        month = (month + timedelta(days=32)).replace(day=1)
    GroupReferral.objects.bulk_create([r for r in referrals if r.date <= today])
    # Two years of activities.
    types = {t.code: t for t in ActivityType.objects.all()}
    for year in (today.year - 2, today.year - 1, today.year):
        last = min(date(year, 12, 31), today)
        days = (last - date(year, 1, 1)).days
        for code, rate in ACTIVITY_RATES.items():
            for _ in range(max(0, round(rate * (days + 1) / 365 + rng.choice([-1, 0, 0, 1])))):
                activity = Activity.objects.create(
                    centre=centre,
                    date=date(year, 1, 1) + timedelta(days=rng.randint(0, days)),
                    type=types[code],
                    participants=rng.randint(3, 40),
                )
                chosen = rng.sample(partners, k=rng.randint(0, 2))
                if code in DUTY_PARTNER:
                    chosen = [p for p in partners if p.type == DUTY_PARTNER[code]][:1]
                activity.partners.set(chosen)
    # Rooms, weekly bookings for the groups, and requests waiting.
    rooms = [
        Room.objects.create(
            centre=centre,
            name=n,
            capacity=c,
            accessibility=a,
            contact=f"Koordinatoren, {centre.phone}" if centre.phone else "",
            **ROOM_NOTES,
        )
        for n, c, a in ROOMS
    ]
    for group in groups:
        services.book_weekly(
            actor=None,
            room=rooms[0],
            weekday=group.meets_weekday or 0,
            start_time=group.meets_from or time(17),
            end_time=group.meets_to or time(19),
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=300),
            holder=services.Holder(volunteer_group=group),
        )
    services.book_once(
        actor=None,
        room=rooms[1],
        starts_at=services.datetime.combine(today + timedelta(days=3), time(10), tzinfo=services.local_tz()),
        ends_at=services.datetime.combine(today + timedelta(days=3), time(12), tzinfo=services.local_tz()),
        holder=services.Holder(partner=partners[0]),
        purpose="Åbent hus for nybagte forældre",
    )
    for i in range(rng.randint(1, 2)):
        RoomRequest.objects.create(
            room=rooms[i % 2],
            association_name=rng.choice(["Mødrehjælpen, lokalafdeling", "Foreningen Far", "Ventilen"]),
            contact_email=f"lokaler-{centre.slug}-{i}@forening.example",
            purpose="Netværksmøde for forældre",
            participants=rng.randint(4, 8),
            kind=RequestKind.WEEKLY if i else RequestKind.ONCE,
            first_date=today + timedelta(days=14 + i),
            last_date=today + timedelta(days=120) if i else None,
            start_time=time(19),
            end_time=time(21),
        )


def _meetings(ctx: DemoContext, municipality: Municipality) -> None:
    """4 meetings a year for the past two years and this year, with attendance recorded
    for those already held."""
    today = ctx.today
    cross_city = ActivityType.objects.get(code=CROSS_CITY_MEETING_TYPE)
    for year in (today.year - 2, today.year - 1, today.year):
        for month in MEETING_MONTHS:
            day = date(year, month, 10)
            if CrossCityMeeting.objects.filter(municipality=municipality, date=day).exists():
                continue
            meeting = services.schedule_cross_city_meeting(
                actor=None,
                municipality=municipality,
                date=day,
                start_time=time(9),
                end_time=time(12),
                place=MEETING_PLACE,
                topic=MEETING_TOPICS[(month // 3) - 1],
            )
            if day >= today:
                continue
            for attendance in Attendance.objects.filter(meeting=meeting):
                attended = ctx.rng.random() < 0.9
                attendance.attended = attended
                attendance.attendees = ctx.rng.randint(1, 2) if attended else 0
                attendance.roles = "koordinator" if attended else ""
                attendance.save()
                if attended:
                    Activity.objects.create(
                        centre=attendance.centre,
                        date=day,
                        type=cross_city,
                        participants=attendance.attendees,
                        cross_city_meeting=meeting,
                    )


# --- At scale -------------------------------------------------------------------------------


def _activity_count(ctx: DemoContext, rate: int, year: int) -> int:
    """Roughly `rate` a year, fewer in the part of this year gone so far."""
    days = (min(date(year, 12, 31), ctx.today) - date(year, 1, 1)).days
    return max(0, round(rate * (days + 1) / 365 + ctx.rng.choice([-1, 0, 0, 1])))


def _build_scale(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    with_partners = set(Partner.objects.values_list("centre_id", flat=True).distinct())
    centres = [c for c in Centre.objects.select_related("district").order_by("pk") if c.pk not in with_partners]
    if not centres:
        return
    start = date(ctx.scale_years[0], 1, 1)
    partners = Partner.objects.bulk_create(
        [
            Partner(
                centre=centre,
                type=kind,
                name=pattern.format(d=centre.district.name),
                district=centre.district if "{d}" in pattern else None,
                contact_role=role,
                phone=f"33 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                email=f"kontakt-{kind.replace('_', '-')}-{centre.slug}@example.dk",
            )
            for centre in centres
            for kind, pattern, role in PARTNERS
        ],
        batch_size=5000,
    )
    by_centre = {centre.pk: partners[i * len(PARTNERS) : (i + 1) * len(PARTNERS)] for i, centre in enumerate(centres)}
    groups = VolunteerGroup.objects.bulk_create(
        [
            VolunteerGroup(
                centre=centre,
                name=name,
                association=by_centre[centre.pk][assoc] if assoc is not None else None,
                association_name="" if assoc is not None else NAMED_ASSOCIATIONS[i - 2],
                description=description,
                target_group=TargetGroup(target),
                meets_weekday=weekday,
                meets_from=t_from,
                meets_to=t_to,
                meets_frequency="hver uge" if i != 3 else "hver anden uge",
                active_from=start,
            )
            for centre in centres
            for i, (name, assoc, description, target, weekday, t_from, t_to) in enumerate(GROUPS)
        ],
        batch_size=5000,
    )
    # A few referrals between each group and its centre every year.
    referrals = []
    for group in groups:
        for year in ctx.scale_years:
            last = min(date(year, 12, 31), today)
            for direction in ReferralDirection:
                for _ in range(rng.randint(0, 3)):
                    day = date(year, 1, 1) + timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days))
                    referrals.append(GroupReferral(group=group, date=day, direction=direction, count=rng.randint(1, 3)))
    GroupReferral.objects.bulk_create(referrals, batch_size=5000)
    # Each year's activities by type, half of them with a partner.
    types = {t.code: t for t in ActivityType.objects.all()}
    activities: list[Activity] = []
    links: list[Partner | None] = []
    for centre in centres:
        for year in ctx.scale_years:
            last = min(date(year, 12, 31), today)
            for code, rate in ACTIVITY_RATES.items():
                for _ in range(_activity_count(ctx, rate, year)):
                    activities.append(
                        Activity(
                            centre=centre,
                            date=date(year, 1, 1) + timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days)),
                            type=types[code],
                            participants=rng.randint(3, 40),
                        )
                    )
                    if code in DUTY_PARTNER:
                        links.append(next(p for p in by_centre[centre.pk] if p.type == DUTY_PARTNER[code]))
                    else:
                        links.append(rng.choice(by_centre[centre.pk]) if rng.random() < 0.5 else None)
    made = Activity.objects.bulk_create(activities, batch_size=5000)
    through: Any = Activity.partners.through
    through.objects.bulk_create(
        [through(activity_id=a.pk, partner_id=p.pk) for a, p in zip(made, links, strict=True) if p is not None],
        batch_size=5000,
    )
    meetings = _scale_meetings(ctx, centres)
    ctx.say(
        f"Collaboration at scale: {len(partners):,} partners, {len(groups):,} volunteer groups, "
        f"{len(made):,} activities and {meetings} cross-city meetings at {len(centres):,} centres.\n"
    )


def _scale_meetings(ctx: DemoContext, centres: list[Centre]) -> int:
    """The 4 yearly cross-city meetings of the ten years, with each centre's attendance, and
    the activity attending writes (as record_attendance does)."""
    municipality = centres[0].municipality
    held = set(CrossCityMeeting.objects.filter(municipality=municipality).values_list("date", flat=True))
    meetings = CrossCityMeeting.objects.bulk_create(
        [
            CrossCityMeeting(
                municipality=municipality,
                date=date(year, month, 10),
                start_time=time(9),
                end_time=time(12),
                place=MEETING_PLACE,
                topic=MEETING_TOPICS[(month // 3) - 1],
            )
            for year in ctx.scale_years
            for month in MEETING_MONTHS
            if date(year, month, 10) not in held
        ]
    )
    cross_city = ActivityType.objects.get(code=CROSS_CITY_MEETING_TYPE)
    attendances, activities = [], []
    for meeting in meetings:
        for centre in centres:
            if meeting.date >= ctx.today:
                attendances.append(Attendance(meeting=meeting, centre=centre))
                continue
            attended = ctx.rng.random() < 0.9
            attendees = ctx.rng.randint(1, 2) if attended else 0
            attendances.append(
                Attendance(
                    meeting=meeting,
                    centre=centre,
                    attended=attended,
                    attendees=attendees,
                    roles="koordinator" if attended else "",
                )
            )
            if attended:
                activities.append(
                    Activity(
                        centre=centre,
                        date=meeting.date,
                        type=cross_city,
                        participants=attendees,
                        cross_city_meeting=meeting,
                    )
                )
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    Activity.objects.bulk_create(activities, batch_size=5000)
    return len(meetings)


# --- The rest of the papers (issue 19): offers, local responses, the wider strategy ------------

# The city's directory of offers: public, private and voluntary (the 2010 paper). name, kind,
# target group, contact, languages, agrees to follow-up.
CITY_OFFERS = [
    ("Sundhedsplejens åbne mødregruppe", OfferKind.PUBLIC, "Mødre med børn 0–1 år", "33 17 00 00", "da, ar, so", True),
    (
        "PPR – Pædagogisk Psykologisk Rådgivning",
        OfferKind.PUBLIC,
        "Børn 0–18 år med vanskeligheder i dagtilbud og skole",
        "ppr@example.kk.dk",
        "da, en",
        True,
    ),
    (
        "Familieterapeut Jensen, privat praksis",
        OfferKind.PRIVATE,
        "Par og forældre med børn 0–12 år",
        "www.familieterapi.example.dk",
        "da, en",
        True,
    ),
    (
        "Psykologhuset Nord",
        OfferKind.PRIVATE,
        "Børn og forældre, med tilskud efter lægehenvisning",
        "kontakt@psykologhuset.example.dk",
        "da, en, tr",
        False,
    ),
    (
        "Mødrehjælpens rådgivning",
        OfferKind.VOLUNTARY,
        "Gravide og familier med børn",
        "www.moedrehjaelpen.example.dk",
        "da, en, ar",
        True,
    ),
    ("Børnetelefonen", OfferKind.VOLUNTARY, "Børn og unge op til 18 år", "116 111", "da", False),
]
# Each centre's own: name pattern ({d} is its district), kind, target group, follow-up.
OWN_OFFERS = [
    ("Fædregruppen i {d}", OfferKind.VOLUNTARY, "Fædre med små børn", True),
    ("Åben legestue på {d} Bibliotek", OfferKind.PUBLIC, "Forældre med børn 0–6 år", False),
]
# A local response ("rykket ud"): what happened, and the professionals informed.
LOCAL_RESPONSES = [
    (
        "Flere forældre bekymrede efter en episode ved skolen. Rykket ud til et forældremøde og informeret skolen.",
        [PartnerType.DAYCARE_SCHOOL],
    ),
    (
        "Uro i gården om aftenen. Rykket ud sammen med den boligsociale medarbejder, og fritidsklubben er informeret.",
        [PartnerType.HOUSING_SOCIAL_WORK, PartnerType.DAYCARE_SCHOOL],
    ),
    (
        "Mange spørgsmål om mistrivsel i en børnehave. Holdt et åbent møde for forældrene og informeret sundhedsplejen.",
        [PartnerType.HEALTH_VISITORS, PartnerType.DAYCARE_SCHOOL],
    ),
]


def _the_rest_of_the_papers(ctx: DemoContext, centres: list[Centre]) -> None:
    """The directory of offers, a local response or two at each centre, and a family house
    as a partner with a joint activity. Chance comes from a generator derived from ctx.rng
    without drawing from it, so the rest of the demo stays as it was."""
    rng = random.Random(repr(ctx.rng.getstate()))
    today = ctx.today
    if not Offer.objects.exists():
        Offer.objects.bulk_create(
            Offer(
                centre=None,
                name=name,
                kind=kind,
                target_group=target,
                contact=contact,
                languages=languages,
                follow_up_agreed=follow_up,
            )
            for name, kind, target, contact, languages, follow_up in CITY_OFFERS
        )
        Offer.objects.create(
            centre=None,
            name="Forældrekurset Trygge Rammer",
            kind=OfferKind.PUBLIC,
            target_group="Forældre til børn 3–6 år",
            contact="www.kk.dk",
            active=False,
        )
        Offer.objects.bulk_create(
            Offer(
                centre=centre,
                name=pattern.format(d=centre.district.name),
                kind=kind,
                target_group=target,
                district=centre.district,
                contact=centre.email or "kontakt@example.dk",
                languages="da",
                follow_up_agreed=follow_up,
            )
            for centre in centres
            for pattern, kind, target, follow_up in OWN_OFFERS
        )
    local_response = ActivityType.objects.filter(code=LOCAL_RESPONSE_TYPE).first()
    if local_response is not None and not Activity.objects.filter(type=local_response).exists():
        for i, centre in enumerate(centres):
            for note, informed in rng.sample(LOCAL_RESPONSES, k=1 + i % 2):
                Activity.objects.create(
                    centre=centre,
                    date=today - timedelta(days=rng.randint(20, 600)),
                    type=local_response,
                    note=note,
                    district=centre.district,
                    informed=[str(kind) for kind in informed],
                )
    joint = ActivityType.objects.filter(code="outpost_collaboration").first()
    if joint is not None and not Partner.objects.filter(type=PartnerType.FAMILY_HOUSE).exists():
        for centre in centres[:3]:
            house = Partner.objects.create(
                centre=centre,
                type=PartnerType.FAMILY_HOUSE,
                name=f"Familiehuset {centre.district.name}",
                district=centre.district,
                contact_role="leder",
                email=f"familiehuset-{centre.slug}@example.dk",
            )
            activity = Activity.objects.create(
                centre=centre,
                date=today - timedelta(days=rng.randint(30, 300)),
                type=joint,
                participants=rng.randint(8, 30),
                note="Fælles temaaften for forældre med Familiehuset.",
            )
            activity.partners.set([house])
