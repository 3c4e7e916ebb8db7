"""Demo registrations: two years of realistic inquiries, courses and sessions at the demo
centres, or with `--scale N` a benchmark database of N inquiries over ten years.

Rows are made with bulk_create in batches, without services or audit rows: this is invented
data. At scale demo_scale writes the same mix with COPY or executemany, since ten million
inquiries must take minutes, not hours.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from forpost.accounts.models import Membership, Role
from forpost.centres.models import Centre, District, Origin
from forpost.core.demo import DemoContext

from .models import (
    NOT_STATED,
    Action,
    ActionKind,
    BridgeStatus,
    Channel,
    Child,
    ChildAge,
    ChildSex,
    ContactPerson,
    Course,
    CourseResult,
    FamilyType,
    HasCase,
    Inquiry,
    InquiryAction,
    InquiryTheme,
    LabelCounter,
    Method,
    ParentSex,
    Participant,
    Place,
    Referral,
    ReferralDestination,
    ReferralSource,
    Residence,
    ScoreNorm,
    Session,
    Theme,
)

ORDER = 40
BATCH = 5000

# Relative weights: a plausible mix at a drop-in centre.
CHANNEL_WEIGHTS = {"walk_in": 45, "phone": 30, "email": 8, "home_visit": 7, "outreach": 7, "other": 3}
THEME_WEIGHTS = {
    "upbringing": 22,
    "divorce": 16,
    "couple": 12,
    "wellbeing": 14,
    "small_children": 10,
    "school": 10,
    "grief": 4,
    "bullying": 5,
    "violence": 3,
    "substance": 3,
    "finances": 6,
    "other": 4,
}
SOURCE_WEIGHTS = {
    "own": 25,
    "health_visitor": 15,
    "daycare": 12,
    "school": 8,
    "family_unit": 6,
    "housing": 5,
    "volunteer": 3,
    "socialcenter": 2,
    "doctor": 4,
    "website": 8,
    "network": 10,
    "other": 2,
}
# Fewer inquiries in the summer holidays and around Christmas; none at weekends.
MONTH_FACTOR = {1: 1.1, 2: 1.1, 3: 1.1, 4: 1.0, 5: 1.0, 6: 0.9, 7: 0.4, 8: 0.9, 9: 1.2, 10: 1.1, 11: 1.1, 12: 0.7}
WEEKDAY_FACTOR = {0: 1.2, 1: 1.1, 2: 1.0, 3: 1.2, 4: 0.6, 5: 0.0, 6: 0.0}


class _Picker:
    def __init__(self, rng: random.Random, weights: dict[Any, float]) -> None:
        self.rng = rng
        self.items = list(weights)
        self.weights = list(weights.values())

    def one(self) -> Any:
        return self.rng.choices(self.items, self.weights)[0]

    def some(self, k: int) -> list[Any]:
        return list(dict.fromkeys(self.rng.choices(self.items, self.weights, k=k)))


class _Builder:
    """Makes inquiries day by day and flushes them, with their rows, in batches."""

    def __init__(self, ctx: DemoContext, centres: list[Centre]) -> None:
        rng = self.rng = ctx.rng
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.themes = {t.code: t for t in Theme.objects.all()}
        self.sources = {s.code: s for s in ReferralSource.objects.all()}
        self.actions = {a.code: a for a in Action.objects.all()}
        self.norms = {n.code: n for n in ScoreNorm.objects.all()}
        self.pick_channel = _Picker(
            rng, {self.channels[k]: w for k, w in CHANNEL_WEIGHTS.items() if k in self.channels}
        )
        self.pick_theme = _Picker(rng, {self.themes[k]: w for k, w in THEME_WEIGHTS.items() if k in self.themes})
        self.pick_source = _Picker(rng, {self.sources[k]: w for k, w in SOURCE_WEIGHTS.items() if k in self.sources})
        self.pick_origin = _Picker(
            rng,
            {
                Origin.DANISH: 55,
                Origin.IMMIGRANT_NON_WESTERN: 18,
                Origin.DESCENDANT_NON_WESTERN: 9,
                Origin.IMMIGRANT_WESTERN: 6,
                Origin.DESCENDANT_WESTERN: 2,
                NOT_STATED: 10,
            },
        )
        self.pick_contact = _Picker(
            rng,
            {
                ContactPerson.MOTHER: 55,
                ContactPerson.FATHER: 18,
                ContactPerson.BOTH_PARENTS: 12,
                ContactPerson.OTHER_FAMILY: 4,
                ContactPerson.CHILD: 3,
                ContactPerson.PROFESSIONAL: 6,
                ContactPerson.OTHER: 2,
            },
        )
        self.pick_family = _Picker(
            rng,
            {
                FamilyType.TOGETHER: 40,
                FamilyType.SEPARATED: 25,
                FamilyType.SINGLE: 20,
                FamilyType.OTHER: 5,
                FamilyType.NOT_STATED: 10,
            },
        )
        self.pick_age = _Picker(
            rng,
            {
                ChildAge.EXPECTED: 3,
                ChildAge.A0_2: 22,
                ChildAge.A3_5: 24,
                ChildAge.A6_9: 22,
                ChildAge.A10_12: 17,
                ChildAge.A13_17: 12,
            },
        )
        self.pick_case = _Picker(rng, {HasCase.NO: 70, HasCase.YES: 10, HasCase.DONT_KNOW: 20})
        self.centres = centres
        self.codes = {c.pk: c.code for c in centres}
        self.served: dict[int, list[District]] = {c.pk: list(c.districts_served.all()) for c in centres}
        staff: dict[int, list[Any]] = defaultdict(list)
        for m in Membership.objects.filter(centre__in=centres, role__in=[Role.COUNSELLOR, Role.COORDINATOR]):
            if m.centre_id is not None:
                staff[m.centre_id].append(m.user_id)
        self.staff = staff
        self.label_numbers: dict[tuple[int, int], int] = defaultdict(int)
        for counter in LabelCounter.objects.filter(centre__in=centres):
            self.label_numbers[(counter.centre_id, counter.year)] = counter.last
        self.pending: list[tuple[Inquiry, list[Any], list[Any], list[Any]]] = []
        self.made = 0
        self.today = ctx.today

    # --- one inquiry ----------------------------------------------------------------------------

    def add(self, centre: Centre, day: date) -> None:
        rng = self.rng
        contact = self.pick_contact.one()
        sex = {ContactPerson.MOTHER: ParentSex.FEMALE, ContactPerson.FATHER: ParentSex.MALE}.get(
            contact, rng.choice([ParentSex.FEMALE, ParentSex.MALE, ParentSex.NOT_STATED])
        )
        served = self.served[centre.pk]
        roll = rng.random()
        if roll < 0.8 and served:
            residence, district = Residence.DISTRICT, rng.choice(served)
        elif roll < 0.88:
            residence, district = Residence.OUTSIDE, None
        else:
            residence, district = Residence.NOT_STATED, None
        staff = self.staff.get(centre.pk) or [None]
        inquiry = Inquiry(
            centre=centre,
            registered_by_id=rng.choice(staff),
            date=day,
            time=time(rng.randint(9, 17), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))),
            channel=self.pick_channel.one(),
            contact_person=contact,
            family_type=self.pick_family.one(),
            parent_sex=sex,
            origin=self.pick_origin.one(),
            residence=residence,
            district=district,
            has_case=self.pick_case.one(),
            referral_source=self.pick_source.one() if rng.random() < 0.85 else None,
            minutes=rng.choice((15, 20, 30, 30, 45, 45, 60, 90)),
        )
        children = [
            (self.pick_age.one(), rng.choice([ChildSex.GIRL, ChildSex.BOY, ChildSex.NOT_STATED]))
            for _ in range(rng.choices((0, 1, 2, 3), (5, 60, 28, 7))[0])
        ]
        themes = self.pick_theme.some(rng.choices((1, 2, 3), (60, 30, 10))[0])
        roll = rng.random()
        actions = [self.actions["advice"]]
        if roll < 0.12:
            actions = [self.actions["course"]]
        elif roll < 0.17:
            actions = [self.actions["ref_family_unit"]]
        elif roll < 0.21:
            actions = [self.actions[rng.choice(["ref_volunteer", "ref_socialcenter", "ref_health", "ref_other"])]]
        if rng.random() < 0.01:
            actions.append(self.actions["concern"])
            inquiry.concern_reported_on = day
        self.pending.append((inquiry, themes, actions, children))
        if len(self.pending) >= BATCH:
            self.flush()

    # --- a batch of rows --------------------------------------------------------------------------

    def flush(self) -> None:
        if not self.pending:
            return
        rng = self.rng
        with transaction.atomic():
            inquiries = Inquiry.objects.bulk_create([p[0] for p in self.pending], batch_size=BATCH)
            themes, actions, children, referrals, courses = [], [], [], [], []
            for inquiry, (_, chosen_themes, chosen_actions, kids) in zip(inquiries, self.pending, strict=True):
                themes += [InquiryTheme(inquiry_id=inquiry.pk, theme_id=t.pk) for t in chosen_themes]
                actions += [InquiryAction(inquiry_id=inquiry.pk, action_id=a.pk) for a in chosen_actions]
                children += [Child(inquiry_id=inquiry.pk, age_band=a, sex=s) for a, s in kids]
                for action in chosen_actions:
                    if action.kind == ActionKind.REFERRAL:
                        to_unit = action.referral_destination == ReferralDestination.FAMILY_UNIT
                        referrals.append(
                            Referral(
                                centre_id=inquiry.centre_id,
                                inquiry=inquiry,
                                destination=action.referral_destination,
                                made_on=inquiry.date,
                                bridge_status=rng.choice(list(BridgeStatus)) if to_unit else "",
                            )
                        )
                    elif action.kind == ActionKind.COURSE:
                        courses.append(self._course(inquiry))
            InquiryTheme.objects.bulk_create(themes, batch_size=BATCH)
            InquiryAction.objects.bulk_create(actions, batch_size=BATCH)
            Child.objects.bulk_create(children, batch_size=BATCH)
            Referral.objects.bulk_create(referrals, batch_size=BATCH)
            made = Course.objects.bulk_create(courses, batch_size=BATCH)
            Session.objects.bulk_create([s for c in made for s in self._sessions(c)], batch_size=BATCH)
        self.made += len(inquiries)
        self.pending = []

    def _course(self, inquiry: Inquiry) -> Course:
        rng = self.rng
        started = min(self.today, inquiry.date + timedelta(days=rng.randint(0, 14)))
        key = (inquiry.centre_id, started.year)
        self.label_numbers[key] += 1
        length = rng.randint(3, 12) * 7
        ended = started + timedelta(days=length)
        is_open = ended >= self.today
        norm = self.norms[rng.choices(["adult", "adolescent", "child"], (75, 10, 15))[0]]
        return Course(
            centre_id=inquiry.centre_id,
            label=f"{self.codes[inquiry.centre_id]}-{started.year}-{self.label_numbers[key]:04d}",
            inquiry=inquiry,
            counsellor_id=inquiry.registered_by_id,
            started_on=started,
            score_norm=norm,
            ended_on=None if is_open else ended,
            result="" if is_open else rng.choices(list(CourseResult), (45, 25, 10, 12, 8))[0],
        )

    def _sessions(self, course: Course) -> list[Session]:
        rng = self.rng
        last_day = course.ended_on or self.today
        days = max(1, (last_day - course.started_on).days)
        count = rng.randint(2, 6)
        ors = Decimal(rng.randint(120, 300)) / 10
        scaling = rng.randint(1, 5)
        rows = []
        for n in range(count):
            day = course.started_on + timedelta(days=days * n // count)
            if day > self.today:
                break
            items = [min(Decimal(10), max(Decimal(0), ors / 4 + Decimal(rng.randint(-10, 10)) / 10)) for _ in range(4)]
            # Most sessions go well; about one in ten falls below the SRS flag.
            low = rng.random() < 0.1
            srs = [Decimal(rng.randint(70, 95) if low else rng.randint(92, 100)) / 10 for _ in range(4)]
            rows.append(
                Session(
                    course=course,
                    date=day,
                    minutes=rng.choice((45, 60, 60, 90)),
                    place=rng.choices(list(Place), (70, 15, 10, 5))[0],
                    participants=rng.choice(
                        [
                            [Participant.MOTHER],
                            [Participant.MOTHER, Participant.FATHER],
                            [Participant.MOTHER, Participant.CHILD],
                            [Participant.FATHER],
                        ]
                    ),
                    scaling=min(10, scaling),
                    ors_1=items[0],
                    ors_2=items[1],
                    ors_3=items[2],
                    ors_4=items[3],
                    ors_total=sum(items, Decimal(0)),
                    srs_1=srs[0],
                    srs_2=srs[1],
                    srs_3=srs[2],
                    srs_4=srs[3],
                    srs_total=sum(srs, Decimal(0)),
                )
            )
            ors = min(Decimal(40), ors + Decimal(rng.randint(-10, 40)) / 10)
            scaling += rng.randint(0, 2)
        return rows

    def save_counters(self) -> None:
        for (centre_id, year), last in self.label_numbers.items():
            LabelCounter.objects.update_or_create(centre_id=centre_id, year=year, defaults={"last": last})


# The methods a centre's courses work by (issue 19): each centre leans on a few. The rest of
# the courses, and any centre not named, draw from all of them.
METHOD_WEIGHTS = {
    "norrebro": {"familien_i_centrum": 40, "child_parent_talks": 30, "network_meeting": 15, "solution_focused": 15},
    "bispebjerg": {"solution_focused": 50, "child_parent_talks": 35, "family_group_conference": 15},
    "valby": {"child_parent_talks": 60, "solution_focused": 40},
    "vesterbro": {"network_meeting": 35, "family_therapy": 35, "child_parent_talks": 30},
    "amager": {"solution_focused": 45, "familien_i_centrum": 30, "network_meeting": 25},
    "osterbro": {"child_parent_talks": 40, "family_therapy": 30, "family_group_conference": 20, "other": 10},
}


def _methods(ctx: DemoContext, centres: list[Centre]) -> None:
    """Give most courses a method, and a few sessions one that differs from their course's.
    Chance comes from a generator derived from ctx.rng without drawing from it, so the
    registrations stay exactly as they were before methods were recorded."""
    rng = random.Random(repr(ctx.rng.getstate()) + "methods")
    methods = {m.code: m for m in Method.objects.filter(retired_at__isnull=True)}
    if not methods:
        return
    slugs = {c.pk: c.slug for c in centres}
    courses = list(Course.objects.filter(centre__in=centres, method__isnull=True).order_by("pk"))
    for course in courses:
        if rng.random() < 0.1:
            continue  # a course registered before the centre recorded methods
        weights = {k: w for k, w in METHOD_WEIGHTS.get(slugs[course.centre_id], {}).items() if k in methods}
        codes = list(weights or methods)
        course.method = methods[rng.choices(codes, list(weights.values()) if weights else None)[0]]
    Course.objects.bulk_update(courses, ["method"], batch_size=BATCH)
    # Now and then a session is a network meeting within a course of another method.
    network = methods.get("network_meeting")
    if network is None:
        return
    sessions = Session.objects.filter(course__in=[c for c in courses if c.method_id not in (None, network.pk)])
    differing = [s for s in sessions.order_by("pk") if rng.random() < 0.05]
    for session in differing:
        session.method = network
    Session.objects.bulk_update(differing, ["method"], batch_size=BATCH)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days)]


def build(ctx: DemoContext) -> None:
    centres = list(Centre.objects.order_by("pk"))
    if not centres:
        return
    if ctx.scale:
        build_scale(ctx, centres, ctx.scale)
        return
    if Inquiry.objects.filter(centre__in=centres).exists():
        ctx.say(f"Registrations: {Inquiry.objects.count()} inquiries already there.\n")
        return
    builder = _Builder(ctx, centres)
    start = ctx.today.replace(year=ctx.today.year - 2)
    for day in _days(start, ctx.today + timedelta(days=1)):
        factor = MONTH_FACTOR[day.month] * WEEKDAY_FACTOR[day.weekday()]
        for centre in centres:
            for _ in range(_poisson(ctx.rng, 2.2 * factor)):
                builder.add(centre, day)
    builder.flush()
    builder.save_counters()
    _methods(ctx, centres)
    ctx.say(
        f"Registrations: {builder.made} inquiries, {Course.objects.count()} courses, {Session.objects.count()} sessions.\n"
    )


def build_scale(ctx: DemoContext, centres: list[Centre], n: int) -> None:
    """N inquiries spread over the ten years of ctx.scale_years and over every centre (see
    demo_scale: a loader fast enough for ten million)."""
    from .demo_scale import load

    loader = load(ctx, centres, n)
    rows = ", ".join(f"{count:,} {name}" for name, count in loader.loaded.rows.items() if name != "Inquiry")
    ctx.say(
        f"Registrations: {loader.loaded.inquiries:,} inquiries at scale at {len(centres)} centres "
        f"in {loader.seconds:.0f} s ({rows}).\n"
    )


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; the means here are small.
    if mean <= 0:
        return 0
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
