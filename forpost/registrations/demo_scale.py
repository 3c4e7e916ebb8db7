"""The scale demo's loader (`manage.py demo --scale N`): N inquiries over the ten years of
`DemoContext.scale_years` at every centre, with their children, themes, actions, referrals,
courses, sessions and label counters — the same tables and mix as `demo._Builder` makes.

Why raw SQL here, and only here: bulk_create builds and adapts a model instance per row
and managed ~2,200 inquiries a second, so ten million took over an hour. This loader makes
plain tuples, draws each column for a chunk of inquiries at once, gives every row its id
itself (so children point at their inquiry without reading ids back) and writes them with
COPY on PostgreSQL and executemany on SQLite, inside the demo's transaction.

Values are written as the text both databases read alike and as Django stores them on
SQLite: ISO dates, "HH:MM:SS" times, decimals as "12.5", timestamps as naive UTC (Django
sets the PostgreSQL session's time zone to UTC), JSON as json.dumps makes it. The same seed
gives the same rows on either database.
"""

from __future__ import annotations

import json
import random
import time as clock
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.db.models.fields import NOT_PROVIDED

from forpost.accounts.models import Membership, Role
from forpost.centres.hours import COPENHAGEN
from forpost.centres.models import Centre, Origin
from forpost.core.demo import DemoContext

from .models import (
    NOT_STATED,
    Action,
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
    ParentSex,
    Participant,
    Place,
    Referral,
    ReferralSource,
    Residence,
    ScoreNorm,
    Session,
    Theme,
)

# Inquiries made and written at a time: a few hundred thousand rows in memory.
CHUNK = 50_000

# The fields written, per model; every NOT NULL column must be among them (checked).
FIELDS: dict[type[models.Model], list[str]] = {
    Inquiry: [
        "id",
        "centre",
        "registered_by",
        "date",
        "time",
        "channel",
        "contact_person",
        "family_type",
        "parent_sex",
        "origin",
        "residence",
        "district",
        "has_case",
        "referral_source",
        "concern_reported_on",
        "minutes",
        "note",
        "created_at",
        "version",
    ],
    Child: ["id", "inquiry", "age_band", "sex"],
    InquiryTheme: ["id", "inquiry", "theme"],
    InquiryAction: ["id", "inquiry", "action"],
    Referral: ["id", "centre", "inquiry", "destination", "made_on", "bridge_status", "version"],
    Course: [
        "id",
        "centre",
        "label",
        "inquiry",
        "counsellor",
        "started_on",
        "score_norm",
        "goals",
        "ended_on",
        "result",
        "version",
        "created_at",
    ],
    Session: [
        "id",
        "course",
        "date",
        "minutes",
        "place",
        "participants",
        "scaling",
        "ors_1",
        "ors_2",
        "ors_3",
        "ors_4",
        "ors_total",
        "srs_1",
        "srs_2",
        "srs_3",
        "srs_4",
        "srs_total",
        "note",
        "version",
        "created_at",
    ],
}

# Fewer inquiries in the summer holidays and around Christmas; none at weekends (tenths).
MONTH_WEIGHT = {1: 11, 2: 11, 3: 11, 4: 10, 5: 10, 6: 9, 7: 4, 8: 9, 9: 12, 10: 11, 11: 11, 12: 7}
WEEKDAY_WEIGHT = {0: 12, 1: 11, 2: 10, 3: 12, 4: 6}
# Tenths of a score as the text of a decimal with one place: 0.0 … 40.0.
TENTHS = [f"{i // 10}.{i % 10}" for i in range(401)]
PARTICIPANTS = [
    json.dumps([p.value for p in group])
    for group in (
        [Participant.MOTHER],
        [Participant.MOTHER, Participant.FATHER],
        [Participant.MOTHER, Participant.CHILD],
        [Participant.FATHER],
    )
]
TIMES = [(f"{h:02d}:{m:02d}:00", h, m) for h in range(9, 18) for m in (0, 10, 15, 20, 30, 40, 45, 50)]


class _Column:
    """Weighted draws of one column, many at a time."""

    def __init__(self, rng: random.Random, weights: dict[Any, float]) -> None:
        self.rng = rng
        self.items = [getattr(k, "value", k) for k in weights]
        self.cum = list(accumulate(weights.values()))

    def draw(self, k: int) -> list[Any]:
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)


@dataclass
class Loaded:
    inquiries: int = 0
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class _Day:
    """A day's text, cached: its ISO date and its offset from UTC in Copenhagen (hours)."""

    __slots__ = ("iso", "offset")

    def __init__(self, day: date) -> None:
        self.iso = day.isoformat()
        offset = datetime.combine(day, time(12), tzinfo=COPENHAGEN).utcoffset()
        self.offset = int(offset.total_seconds()) // 3600 if offset else 0

    def utc(self, hour: int, minute: int = 0) -> str:
        """The timestamp of a local time of day (between 9 and 18) as naive UTC."""
        return f"{self.iso} {hour - self.offset:02d}:{minute:02d}:00"


class _Writer:
    """Writes plain tuples into a model's table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.postgres = connection.vendor == "postgresql"
        self.statements: dict[type[models.Model], str] = {}
        for model, names in FIELDS.items():
            columns = [str(model._meta.get_field(name).column) for name in names]  # type: ignore[union-attr]
            # A column with a database default (e.g. an empty void reason) fills itself.
            required = {
                str(f.column) for f in model._meta.concrete_fields if not f.null and f.db_default is NOT_PROVIDED
            }
            if missing := required - set(columns):
                raise RuntimeError(f"The scale loader does not fill {model.__name__}.{sorted(missing)}.")
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            if self.postgres:
                self.statements[model] = f"COPY {table} ({quoted}) FROM STDIN"
            else:
                marks = ", ".join("?" * len(columns))
                # Names from the models' metadata, quoted; values go as parameters.
                self.statements[model] = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608

    def __enter__(self) -> _Writer:
        with connection.cursor() as cursor:
            if self.postgres:
                # The rows are consistent by construction, and at ten million inquiries the
                # foreign-key checks (deferred by Django to the commit) would queue some fifty
                # million trigger events. A superuser skips them for the load; anyone else
                # has them run row by row rather than queue.
                cursor.execute("SELECT current_setting('is_superuser')")
                if cursor.fetchone()[0] == "on":
                    cursor.execute("SET LOCAL session_replication_role = replica")
                else:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                # Keep the indexes being filled in memory (256 MB) for the load.
                cursor.execute("PRAGMA cache_size")
                self.cache_size = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -262144")
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None:
            return  # the transaction rolls back, and SET LOCAL with it
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                cursor.execute(f"PRAGMA cache_size = {int(self.cache_size)}")

    def write(self, model: type[models.Model], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        statement = self.statements[model]
        raw: Any = connection.connection
        if self.postgres:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            raw.executemany(statement, rows)

    def finish(self) -> None:
        """Move the id sequences past the ids given, and let the planner know the tables."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(FIELDS)):
                cursor.execute(statement)
            for model in FIELDS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _next_ids() -> dict[type[models.Model], int]:
    # The base manager: the default one leaves voided rows out, and their ids are taken too.
    return {model: (model._base_manager.aggregate(m=Max("id"))["m"] or 0) + 1 for model in FIELDS}


def day_counts(days: Sequence[date], n: int) -> list[int]:
    """How many of n inquiries fall on each day: by the month and weekday weights, rounded
    so that they add up to exactly n."""
    weights = [MONTH_WEIGHT[d.month] * WEEKDAY_WEIGHT[d.weekday()] for d in days]
    total = sum(weights)
    counts, before = [], 0
    for running in accumulate(weights):
        now = running * n // total
        counts.append(now - before)
        before = now
    return counts


class ScaleLoader:
    def __init__(self, ctx: DemoContext, centres: list[Centre]) -> None:
        rng = self.rng = ctx.rng
        self.today = ctx.today
        self.centres = centres
        channels = {c.code: c.pk for c in Channel.objects.all()}
        themes = {t.code: t.pk for t in Theme.objects.all()}
        sources = {s.code: s.pk for s in ReferralSource.objects.all()}
        self.actions = {a.code: a for a in Action.objects.all()}
        norms = {n.code: n.pk for n in ScoreNorm.objects.all()}
        from .demo import CHANNEL_WEIGHTS, SOURCE_WEIGHTS, THEME_WEIGHTS

        self.channel = _Column(rng, {channels[k]: w for k, w in CHANNEL_WEIGHTS.items() if k in channels})
        self.theme = _Column(rng, {themes[k]: w for k, w in THEME_WEIGHTS.items() if k in themes})
        self.source = _Column(rng, {sources[k]: w for k, w in SOURCE_WEIGHTS.items() if k in sources})
        self.origin = _Column(
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
        self.contact = _Column(
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
        self.family = _Column(
            rng,
            {
                FamilyType.TOGETHER: 40,
                FamilyType.SEPARATED: 25,
                FamilyType.SINGLE: 20,
                FamilyType.OTHER: 5,
                FamilyType.NOT_STATED: 10,
            },
        )
        self.age = _Column(
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
        self.has_case = _Column(rng, {HasCase.NO: 70, HasCase.YES: 10, HasCase.DONT_KNOW: 20})
        self.child_count = _Column(rng, {0: 5, 1: 60, 2: 28, 3: 7})
        self.theme_count = _Column(rng, {1: 60, 2: 30, 3: 10})
        self.norm = _Column(rng, {norms["adult"]: 75, norms["adolescent"]: 10, norms["child"]: 15})
        self.result = _Column(rng, dict(zip(CourseResult, (45, 25, 10, 12, 8), strict=True)))
        self.place = _Column(rng, dict(zip(Place, (70, 15, 10, 5), strict=True)))
        # Centres differ in size: from half to one and a half times the average.
        self.centre = _Column(rng, {i: 0.5 + rng.random() for i in range(len(centres))})
        self.codes = [c.code for c in centres]
        served: dict[int, list[int]] = defaultdict(list)
        through: Any = Centre.districts_served.through
        for centre_id, district_id in through.objects.filter(centre__in=centres).values_list(
            "centre_id", "district_id"
        ):
            served[centre_id].append(district_id)
        self.served = [sorted(served[c.pk]) for c in centres]
        staff: dict[int, list[int]] = defaultdict(list)
        for centre_id, user_id in Membership.objects.filter(
            centre__in=centres, role__in=[Role.COUNSELLOR, Role.COORDINATOR]
        ).values_list("centre_id", "user_id"):
            staff[centre_id].append(user_id)
        self.staff: list[list[int | None]] = [sorted(staff[c.pk]) or [None] for c in centres]  # type: ignore[misc]
        self.labels: dict[tuple[int, int], int] = defaultdict(int)
        for counter in LabelCounter.objects.filter(centre__in=centres):
            self.labels[(counter.centre_id, counter.year)] = counter.last
        self.days: dict[date, _Day] = {}
        self.loaded = Loaded()

    def _day(self, day: date) -> _Day:
        found = self.days.get(day)
        if found is None:
            found = self.days[day] = _Day(day)
        return found

    # --- the whole load ----------------------------------------------------------------------

    def load(self, n: int, first: date) -> Loaded:
        days = [first + timedelta(days=i) for i in range((self.today - first).days + 1)]
        days = [d for d in days if d.weekday() < 5]
        ids = _next_ids()
        started = clock.monotonic()
        with _Writer() as writer:
            for chunk in _chunks(days, day_counts(days, n)):
                tables = self._chunk(chunk, ids)
                for model, rows in tables.items():
                    writer.write(model, rows)
                    self.loaded.rows[model.__name__] += len(rows)
                self.loaded.inquiries += len(chunk)
            LabelCounter.objects.bulk_create(
                [LabelCounter(centre_id=c, year=y, last=last) for (c, y), last in sorted(self.labels.items())],
                update_conflicts=True,
                unique_fields=["centre", "year"],
                update_fields=["last"],
                batch_size=5000,
            )
            writer.finish()
        self.seconds = clock.monotonic() - started
        return self.loaded

    # --- a chunk of inquiries ----------------------------------------------------------------

    def _chunk(self, days: list[date], ids: dict[type[models.Model], int]) -> dict[type[models.Model], list[Any]]:
        rng, m = self.rng, len(days)
        random = rng.random
        centre_idx = self.centre.draw(m)
        channels = self.channel.draw(m)
        contacts = self.contact.draw(m)
        families = self.family.draw(m)
        origins = self.origin.draw(m)
        cases = self.has_case.draw(m)
        sources = self.source.draw(m)
        child_counts = self.child_count.draw(m)
        ages = iter(self.age.draw(sum(child_counts)))
        theme_counts = self.theme_count.draw(m)
        themes = iter(self.theme.draw(sum(theme_counts)))
        actions = self.actions
        advice, course_action, concern = actions["advice"].pk, actions["course"].pk, actions["concern"].pk
        to_unit = actions["ref_family_unit"]
        elsewhere = [actions[c] for c in ("ref_volunteer", "ref_socialcenter", "ref_health", "ref_other")]
        female, male, sexes = ParentSex.FEMALE.value, ParentSex.MALE.value, [s.value for s in ParentSex]
        mother, father = ContactPerson.MOTHER.value, ContactPerson.FATHER.value
        child_sexes = [ChildSex.GIRL.value, ChildSex.BOY.value, ChildSex.NOT_STATED.value]
        district, outside, not_stated = Residence.DISTRICT.value, Residence.OUTSIDE.value, Residence.NOT_STATED.value
        bridges = [b.value for b in BridgeStatus]
        minutes_choice = (15, 20, 30, 30, 45, 45, 60, 90)

        inquiries, children, theme_rows, action_rows, referrals, courses = [], [], [], [], [], []
        inquiry_id, child_id = ids[Inquiry], ids[Child]
        theme_id, action_id, referral_id = ids[InquiryTheme], ids[InquiryAction], ids[Referral]
        for i in range(m):
            c = centre_idx[i]
            centre = self.centres[c]
            day = self._day(days[i])
            staff = self.staff[c]
            user = staff[int(random() * len(staff))]
            clock_time, hour, minute = TIMES[int(random() * len(TIMES))]
            contact = contacts[i]
            sex = female if contact == mother else male if contact == father else sexes[int(random() * 3)]
            served = self.served[c]
            roll = random()
            if roll < 0.8 and served:
                residence, district_id = district, served[int(random() * len(served))]
            else:
                residence, district_id = (outside if roll < 0.88 else not_stated), None
            source = sources[i] if random() < 0.85 else None
            minutes = minutes_choice[int(random() * 8)]
            roll = random()
            if roll < 0.12:
                chosen = [course_action]
            elif roll < 0.17:
                # The bridge to the family unit has a status; other referrals have none.
                chosen = [to_unit.pk]
                bridge = bridges[int(random() * 3)]
                referrals.append((referral_id, centre.pk, inquiry_id, to_unit.referral_destination, day.iso, bridge, 1))
                referral_id += 1
            elif roll < 0.21:
                action = elsewhere[int(random() * 4)]
                chosen = [action.pk]
                referrals.append((referral_id, centre.pk, inquiry_id, action.referral_destination, day.iso, "", 1))
                referral_id += 1
            else:
                chosen = [advice]
            concern_on = None
            if random() < 0.01:
                chosen.append(concern)
                concern_on = day.iso
            inquiries.append(
                (
                    inquiry_id,
                    centre.pk,
                    user,
                    day.iso,
                    clock_time,
                    channels[i],
                    contact,
                    families[i],
                    sex,
                    origins[i],
                    residence,
                    district_id,
                    cases[i],
                    source,
                    concern_on,
                    minutes,
                    "",
                    day.utc(hour, minute),
                    1,
                )
            )
            for _ in range(child_counts[i]):
                children.append((child_id, inquiry_id, next(ages), child_sexes[int(random() * 3)]))
                child_id += 1
            for theme in dict.fromkeys(next(themes) for _ in range(theme_counts[i])):
                theme_rows.append((theme_id, inquiry_id, theme))
                theme_id += 1
            for action_pk in chosen:
                action_rows.append((action_id, inquiry_id, action_pk))
                action_id += 1
            if chosen[0] == course_action:
                courses.append((inquiry_id, centre, days[i], user))
            inquiry_id += 1
        course_rows, session_rows = self._courses(courses, ids)
        ids[Inquiry], ids[Child] = inquiry_id, child_id
        ids[InquiryTheme], ids[InquiryAction], ids[Referral] = theme_id, action_id, referral_id
        return {
            Inquiry: inquiries,
            Child: children,
            InquiryTheme: theme_rows,
            InquiryAction: action_rows,
            Referral: referrals,
            Course: course_rows,
            Session: session_rows,
        }

    def _courses(
        self, started: list[tuple[int, Centre, date, int | None]], ids: dict[type[models.Model], int]
    ) -> tuple[list[Any], list[Any]]:
        random, today = self.rng.random, self.today
        norms = self.norm.draw(len(started))
        results = self.result.draw(len(started))
        course_id, session_id = ids[Course], ids[Session]
        courses, sessions = [], []
        for k, (inquiry_id, centre, inquiry_day, counsellor) in enumerate(started):
            start = min(today, inquiry_day + timedelta(days=int(random() * 15)))
            key = (centre.pk, start.year)
            self.labels[key] += 1
            end = start + timedelta(days=7 * (3 + int(random() * 10)))
            is_open = end >= today
            start_day = self._day(start)
            courses.append(
                (
                    course_id,
                    centre.pk,
                    f"{centre.code}-{start.year}-{self.labels[key]:04d}",
                    inquiry_id,
                    counsellor,
                    start_day.iso,
                    norms[k],
                    "",
                    None if is_open else end.isoformat(),
                    "" if is_open else results[k],
                    1,
                    start_day.utc(10),
                )
            )
            rows = self._sessions(course_id, start, today if is_open else end, session_id)
            sessions += rows
            session_id += len(rows)
            course_id += 1
        ids[Course], ids[Session] = course_id, session_id
        return courses, sessions

    def _sessions(self, course_id: int, start: date, last: date, first_id: int) -> list[tuple[Any, ...]]:
        random, today = self.rng.random, self.today
        span = max(1, (last - start).days)
        count = 2 + int(random() * 5)
        ors = 120 + int(random() * 181)  # tenths
        scaling = 1 + int(random() * 5)
        places = self.place.draw(count)
        rows = []
        for n in range(count):
            day = start + timedelta(days=span * n // count)
            if day > today:
                break
            items = [min(100, max(0, ors // 4 + int(random() * 21) - 10)) for _ in range(4)]
            # Most sessions go well; about one in ten falls below the SRS flag.
            low = random() < 0.1
            srs = [(70 + int(random() * 26)) if low else (92 + int(random() * 9)) for _ in range(4)]
            session_day = self._day(day)
            rows.append(
                (
                    first_id + n,
                    course_id,
                    session_day.iso,
                    (45, 60, 60, 90)[int(random() * 4)],
                    places[n],
                    PARTICIPANTS[int(random() * 4)],
                    min(10, scaling),
                    TENTHS[items[0]],
                    TENTHS[items[1]],
                    TENTHS[items[2]],
                    TENTHS[items[3]],
                    TENTHS[sum(items)],
                    TENTHS[srs[0]],
                    TENTHS[srs[1]],
                    TENTHS[srs[2]],
                    TENTHS[srs[3]],
                    TENTHS[sum(srs)],
                    "",
                    1,
                    session_day.utc(12),
                )
            )
            ors = min(400, ors + int(random() * 51) - 10)
            scaling += int(random() * 3)
        return rows


def _chunks(days: list[date], counts: list[int]) -> Iterator[list[date]]:
    """The inquiries' days, in order, CHUNK (or a day more) at a time."""
    chunk: list[date] = []
    for day, count in zip(days, counts, strict=True):
        chunk += [day] * count
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load(ctx: DemoContext, centres: Iterable[Centre], n: int) -> ScaleLoader:
    loader = ScaleLoader(ctx, list(centres))
    loader.load(n, date(ctx.scale_years[0], 1, 1))
    return loader
