"""Sections of the annual status built from the inquiry counts and the population figures.

Each section reads InquiryFact (one grouped query for the whole status) and never the
registrations themselves, so the page costs the same at a thousand or ten million
inquiries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forpost.centres.models import Centre, District, Origin, PopulationFigure
from forpost.concepts.representation import wilson
from forpost.core.charts import Bar
from forpost.core.formats import values
from forpost.core.suppression import Cell, suppress_one_way

from .models import InquiryFact
from .status import (
    Chart,
    Row,
    Section,
    SectionFunction,
    StatusContext,
    Table,
    count_table,
    number,
    percent,
)
from .summary import summary, trends


def weekdays() -> dict[str, str]:
    """ISO weekday numbers to names in the active language."""
    from django.utils.dates import WEEKDAYS

    return {str(i + 1): str(WEEKDAYS[i]) for i in range(7)}


def facts(ctx: StatusContext, year: int | None = None, dimensions: tuple[str, ...] = ()) -> dict[str, dict[str, int]]:
    """{dimension: {value: count}} for the status's centres and year (only `dimensions`, if
    given), from one query."""
    year = year or ctx.year
    key = f"facts:{year}:{','.join(dimensions)}"
    if dimensions and f"facts:{year}:" in ctx.cache:
        return ctx.cache[f"facts:{year}:"]  # the whole year is read already
    if key not in ctx.cache:
        qs = InquiryFact.objects.filter(year=year)
        if dimensions:
            qs = qs.filter(dimension__in=dimensions)
        if not ctx.city_wide:
            qs = qs.filter(centre_id__in=ctx.centre_ids)
        found: dict[str, dict[str, int]] = {}
        for row in qs.values("dimension", "value").annotate(n=Sum("count")).order_by():
            found.setdefault(row["dimension"], {})[row["value"]] = row["n"]
        ctx.cache[key] = found
    result: dict[str, dict[str, int]] = ctx.cache[key]
    return result


def _mine(ctx: StatusContext, path: str) -> Q:
    """Rows of the status's centres. The city's status of every centre there is needs no
    condition (a thousand ids in a query cost more than they filter)."""
    key = "every_centre"
    if key not in ctx.cache:
        ctx.cache[key] = ctx.city_wide and len(ctx.centre_ids) == Centre.objects.count()
    return Q() if ctx.cache[key] else Q(**{f"{path}__in": ctx.centre_ids})


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _reference_labels(model: Any) -> dict[str, str]:
    return {str(item.pk): item.name for item in model.objects.all()}


def _ordered(counts: Mapping[str, int], labels: Mapping[str, str], *, keep_order: bool = False) -> dict[str, int]:
    """Counts for every label (zeros included), biggest first unless the order is natural."""
    full = {k: counts.get(k, 0) for k in labels}
    for k, v in counts.items():
        full.setdefault(k, v)
    if keep_order:
        return full
    return dict(sorted(full.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0]))))


def _table(
    ctx: StatusContext,
    key: str,
    title: str,
    label: str,
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    **kw: Any,
) -> tuple[Table, Chart]:
    return count_table(
        ctx,
        key=key,
        title=title,
        label=label,
        counts=counts,
        labels={k: labels.get(k, k or _("Not stated")) for k in counts},
        count_label=_("Inquiries"),
        share_label=_("Share"),
        total_label=_("Total"),
        **kw,
    )


def _fact(ctx: StatusContext, n: int) -> Cell:
    """A single key figure: hidden when it is a small count that leaves the centre."""
    return Cell(n, suppressed=ctx.suppress and 0 < n < ctx.threshold)


def _without_case_share(ctx: StatusContext, cases: Mapping[str, int]) -> str:
    """The share of families without a case, as the concept's indicator defines it: among the
    inquiries where it is known ("don't know" left out)."""
    from forpost.concepts.indicators import without_case

    no, known, _unknown = without_case(cases)
    if ctx.suppress and 0 < known < ctx.threshold:
        return "–"
    return percent(no, known)


def _no_inquiries(key: str, title: str) -> Section:
    return Section(key=key, title=title, no_data=True, intro=_("No inquiries are registered for this year."))


def volume(ctx: StatusContext) -> Section:
    from forpost.registrations.models import Channel, ContactPerson

    title = _("Inquiries")
    f = facts(ctx)
    total = f.get("total", {}).get("", 0)
    if not total:
        return _no_inquiries("volume", title)
    months = {str(m): _month_name(m) for m in range(1, 13)}
    month_table, month_chart = _table(
        ctx,
        "by_month",
        _("Inquiries by month"),
        _("Month"),
        _ordered(f.get("month", {}), months, keep_order=True),
        months,
    )
    # Columns have little room: the chart uses short month names, the table the full ones.
    month_chart = dataclasses.replace(
        month_chart,
        kind="column",
        bars=tuple(dataclasses.replace(bar, label=_short_month(i + 1)) for i, bar in enumerate(month_chart.bars)),
    )
    channels = _reference_labels(Channel)
    channel_table, channel_chart = _table(
        ctx, "by_channel", _("Inquiries by channel"), _("Channel"), _ordered(f.get("channel", {}), channels), channels
    )
    days = weekdays()
    weekday_table, _weekday_chart = _table(
        ctx,
        "by_weekday",
        _("Inquiries by weekday"),
        _("Weekday"),
        _ordered(f.get("weekday", {}), days, keep_order=True),
        days,
    )
    contacts = _labels(ContactPerson.choices)
    contact_table, contact_chart = _table(
        ctx, "by_contact", _("Who made contact"), _("Contact"), _ordered(f.get("contact", {}), contacts), contacts
    )
    minutes, timed = f.get("minutes", {}).get("", 0), f.get("minutes_n", {}).get("", 0)
    facts_shown: list[tuple[str, Any]] = [(_("Inquiries"), _fact(ctx, total))]
    if timed:
        facts_shown.append((_("Minutes per inquiry, on average"), values.decimal(minutes / timed, 0)))
    facts_shown.append((_("Reports of concern made"), _fact(ctx, f.get("concern", {}).get("", 0))))
    return Section(
        key="volume",
        title=title,
        intro=_("How many families came, when, how and who made the contact."),
        facts=tuple(facts_shown),
        tables=(month_table, channel_table, weekday_table, contact_table),
        charts=(month_chart, channel_chart, contact_chart),
    )


def target_group(ctx: StatusContext) -> Section:
    from forpost.registrations.models import ORIGIN_CHOICES, ChildAge, ChildSex, FamilyType, HasCase, ParentSex

    title = _("Target group")
    f = facts(ctx)
    total = f.get("total", {}).get("", 0)
    if not total:
        return _no_inquiries("target_group", title)
    ages = _labels(ChildAge.choices)
    age_table, age_chart = _table(
        ctx, "child_age", _("Children by age"), _("Age"), _ordered(f.get("child_age", {}), ages, keep_order=True), ages
    )
    age_table = dataclasses.replace(age_table, columns=(_("Age"), _("Children"), _("Share")))
    sexes = _labels(ChildSex.choices)
    child_sex_table, _c = _table(
        ctx,
        "child_sex",
        _("Children by sex"),
        _("Sex"),
        _ordered(f.get("child_sex", {}), sexes, keep_order=True),
        sexes,
    )
    child_sex_table = dataclasses.replace(child_sex_table, columns=(_("Sex"), _("Children"), _("Share")))
    families = _labels(FamilyType.choices)
    family_table, _c = _table(
        ctx, "family", _("Family type"), _("Family type"), _ordered(f.get("family", {}), families), families
    )
    parent = _labels(ParentSex.choices)
    parent_table, _c = _table(
        ctx,
        "parent_sex",
        _("The contacting parent's sex"),
        _("Sex"),
        _ordered(f.get("parent_sex", {}), parent, keep_order=True),
        parent,
    )
    origins = _labels(ORIGIN_CHOICES)
    origin_table, origin_chart = _table(
        ctx,
        "origin",
        _("The contacting parent's origin"),
        _("Origin"),
        _ordered(f.get("origin", {}), origins, keep_order=True),
        origins,
    )
    cases = _labels(HasCase.choices)
    case_counts = _ordered(f.get("has_case", {}), cases, keep_order=True)
    case_table, _c = _table(ctx, "has_case", _("Case at the family unit"), _("Case"), case_counts, cases)
    young = f.get("child_0_12", {}).get("yes", 0)
    return Section(
        key="target_group",
        title=title,
        intro=_(
            "The centres are for families with children with special needs, mainly children aged 0–12, "
            "and should reach families who have no case at the family unit."
        ),
        facts=(
            (_("Share of inquiries about a child aged 0–12"), percent(young, total)),
            (_("Share of families without a case at the family unit"), _without_case_share(ctx, f.get("has_case", {}))),
        ),
        tables=(age_table, child_sex_table, family_table, parent_table, origin_table, case_table),
        charts=(age_chart, origin_chart),
    )


def representativeness(ctx: StatusContext) -> Section:
    """Each origin group's share of the inquiries against its share of the adults (18–64) in
    the districts served, as a ratio with a 95 % Wilson interval: the yardstick, interval and
    tolerance of the scorecard's indicator (forpost.concepts.representation)."""
    from forpost.concepts.representation import ADULT_BANDS, tolerance_for

    title = _("Representativeness")
    f = facts(ctx)
    stated = {k: v for k, v in f.get("origin", {}).items() if k in Origin.values}
    n = sum(stated.values())
    districts = list(Centre.objects.filter(pk__in=ctx.centre_ids).values_list("districts_served", flat=True).distinct())
    figures = PopulationFigure.objects.filter(district__in=districts, year__lte=ctx.year, age_band__in=ADULT_BANDS)
    tolerance = tolerance_for(ctx.year)
    latest = figures.aggregate(y=Max("year"))["y"]
    if not n or latest is None:
        return Section(
            key="representativeness",
            title=title,
            no_data=True,
            intro=_("Needs inquiries with a stated origin and imported population figures for the districts served."),
        )
    population = {o.value: 0 for o in Origin}
    for row in figures.filter(year=latest).values("origin").annotate(c=Sum("count")).order_by():
        population[row["origin"]] = row["c"]
    pop_total = sum(population.values())
    cells = (
        suppress_one_way(stated, threshold=ctx.threshold).cells
        if ctx.suppress
        else {k: Cell(v) for k, v in stated.items()}
    )
    rows = []
    flagged = []
    for origin in Origin:
        k = origin.value
        count = stated.get(k, 0)
        cell = cells.get(k, Cell(count))
        pop_share = population[k] / pop_total if pop_total else 0
        if cell.suppressed or not pop_share:
            rows.append(Row(str(origin.label), (cell, "–", values.fraction(pop_share), "–", "–"), key=k))
            continue
        low, high = wilson(count, n)
        ratio = (count / n) / pop_share
        under = tolerance is not None and high / pop_share < tolerance
        verdict = (
            _("under-represented") if under else (_("over-represented") if low / pop_share > 1 else _("as expected"))
        )
        if under:
            flagged.append(str(origin.label))
        rows.append(
            Row(
                str(origin.label),
                (
                    cell,
                    percent(count, n),
                    values.fraction(pop_share),
                    values.interval(ratio, low / pop_share, high / pop_share),
                    verdict,
                ),
                key=k,
            )
        )
    table = Table(
        key="origin_vs_population",
        title=_("Origin of the contacting parent against the adult population, %(year)s") % {"year": latest},
        columns=(
            _("Origin"),
            _("Inquiries"),
            _("Share of inquiries"),
            _("Share of population"),
            _("Ratio (95 % interval)"),
            _("Assessment"),
        ),
        rows=tuple(rows),
        note=_(
            "Inquiries with origin not stated are left out. A group is under-represented when the whole interval lies "
            'below %(tolerance)s, the concept\'s reading of "to some extent".'
        )
        % {"tolerance": values.decimal(tolerance, 2) if tolerance is not None else "–"},
    )
    # The ratios as dots with their intervals around 1 (as many as expected); the table keeps the numbers.
    dots = tuple(
        Bar(row.label, row.cells[3].value, str(row.cells[3]), low=row.cells[3].low, high=row.cells[3].high)
        if isinstance(row.cells[3], values.Shown)
        else Bar(row.label, None, str(row.cells[3]))
        for row in rows
    )
    notes = (
        (_("Under-represented: %(groups)s.") % {"groups": ", ".join(flagged)},)
        if flagged
        else (_("No group is clearly under-represented."),)
    )
    return Section(
        key="representativeness",
        title=title,
        intro=_(
            "The clientele should to some extent mirror the population of the districts served (the 2010 concept)."
        ),
        tables=(table,),
        charts=(Chart(kind="dots", title=table.title, bars=dots),),
        notes=notes,
    )


def themes(ctx: StatusContext) -> Section:
    from forpost.registrations.models import Theme

    title = _("Themes")
    f = facts(ctx)
    if not f.get("total"):
        return _no_inquiries("themes", title)
    labels = _reference_labels(Theme)
    table, chart = _table(
        ctx,
        "themes",
        _("What the families came about"),
        _("Theme"),
        _ordered(f.get("theme", {}), labels),
        labels,
        note=_("An inquiry can have several themes, so the shares add up to more than 100 %."),
    )
    return Section(key="themes", title=title, tables=(table,), charts=(chart,))


def actions(ctx: StatusContext) -> Section:
    from forpost.registrations.models import Action

    title = _("Actions and referrals")
    f = facts(ctx)
    if not f.get("total"):
        return _no_inquiries("actions", title)
    labels = _reference_labels(Action)
    # The action "course started" is ticked on an inquiry of this year; a course may start in
    # another year than its inquiry, or without one. The number of courses started is the
    # courses section's: this row counts something else, and says so in its label.
    for pk in Action.objects.filter(code="course").values_list("pk", flat=True):
        labels[str(pk)] = _("Inquiries that led to a course")
    table, chart = _table(
        ctx, "actions", _("What the counsellor did"), _("Action"), _ordered(f.get("action", {}), labels), labels
    )
    return Section(key="actions", title=title, tables=(table,), charts=(chart,))


def visibility(ctx: StatusContext) -> Section:
    from forpost.registrations.models import ReferralSource

    title = _("How families found the centre")
    f = facts(ctx)
    total = f.get("total", {}).get("", 0)
    if not total:
        return _no_inquiries("visibility", title)
    labels = {"": _("Not stated"), **_reference_labels(ReferralSource)}
    counts = _ordered(f.get("referral_source", {}), labels)
    table, chart = _table(ctx, "sources", _("Found the centre through"), _("Source"), counts, labels)
    return Section(
        key="visibility",
        title=title,
        intro=_("Visibility: families and professionals must know the centre, so that they come or refer others."),
        tables=(table,),
        charts=(chart,),
    )


def districts(ctx: StatusContext) -> Section:
    from forpost.registrations.models import Residence

    title = _("Where the families live")
    f = facts(ctx)
    if not f.get("total"):
        return _no_inquiries("districts", title)
    labels = {str(d.pk): d.name for d in District.objects.all()} | _labels(Residence.choices)
    table, chart = _table(
        ctx, "districts", _("District of residence"), _("District"), _ordered(f.get("district", {}), labels), labels
    )
    return Section(key="districts", title=title, tables=(table,), charts=(chart,))


def _short_month(month: int) -> str:
    return values.short_month(month)


def _month_name(month: int) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS[month])


def district_population(ctx: StatusContext) -> Section:
    """Who lives in the districts the centres serve: the yardstick for representativeness."""
    districts = list(Centre.objects.filter(pk__in=ctx.centre_ids).values_list("districts_served", flat=True).distinct())
    figures = PopulationFigure.objects.filter(district__in=districts, year__lte=ctx.year)
    latest = figures.aggregate(year=Max("year"))["year"]
    title = _("Population of the districts served")
    if latest is None:
        return Section(key="population", title=title, no_data=True, intro=_("No population figures are imported."))
    rows = figures.filter(year=latest).values("origin").annotate(n=Sum("count")).order_by()
    counts = {o.value: 0 for o in Origin}
    for row in rows:
        counts[row["origin"]] = row["n"]
    sample = figures.filter(year=latest, is_sample=True).exists()
    # Population figures are public statistics, not registrations: they need no suppression.
    table, chart = count_table(
        dataclasses.replace(ctx, suppress=False),
        key="population_origin",
        title=_("Residents by origin, %(year)s") % {"year": latest},
        label=_("Origin"),
        counts=counts,
        labels={o.value: str(o.label) for o in Origin},
        count_label=_("Residents"),
        share_label=_("Share"),
        total_label=_("Total"),
        note=_("Sample figures for the demonstration, not statistics.") if sample else "",
    )
    return Section(
        key="population",
        title=title,
        intro=_("The centres' clientele should mirror the population of the districts they serve."),
        tables=(table,),
        charts=(chart,),
    )


def _texts(text: Any) -> tuple[tuple[str, str], ...]:
    if text is None:
        return ()
    pairs = (
        (_("Highlights of the year"), text.highlights),
        (_("Local focus and ways of working"), text.local_focus),
        (_("Challenges"), text.challenges),
    )
    return tuple((heading, body) for heading, body in pairs if body)


def own_text(ctx: StatusContext) -> Section | None:
    """The coordinator's words for a single centre's year (the city has one per centre)."""
    from .models import StatusText

    if ctx.city_wide:
        return None
    text = StatusText.objects.filter(centre_id__in=ctx.centre_ids, year=ctx.year).first()
    texts = _texts(text)
    return Section(
        key="own_text",
        title=_("The centre's own account"),
        texts=texts,
        no_data=not texts,
        intro="" if texts else _("The coordinator has not written the centre's text for this year yet."),
    )


def centres(ctx: StatusContext) -> Section | None:
    """In the city's status: a summary of each centre, with the coordinator's own words."""
    from .models import StatusText

    if not ctx.city_wide:
        return None
    by_centre: dict[int, dict[tuple[str, str], int]] = {}
    for row in (
        InquiryFact.objects.filter(
            _mine(ctx, "centre_id"), year=ctx.year, dimension__in=["total", "child_0_12", "has_case"]
        )
        .values("centre_id", "dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        by_centre.setdefault(row["centre_id"], {})[(row["dimension"], row["value"])] = row["n"]
    texts = {t.centre_id: t for t in StatusText.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    rows = []
    details = []
    for centre in Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name"):
        counts = by_centre.get(centre.pk, {})
        total = counts.get(("total", ""), 0)
        small = ctx.suppress and 0 < total < ctx.threshold
        cell = _fact(ctx, total)
        young = "–" if small else percent(counts.get(("child_0_12", "yes"), 0), total)
        cases_here = {value: n for (dimension, value), n in counts.items() if dimension == "has_case"}
        without = "–" if small else _without_case_share(ctx, cases_here)
        rows.append(Row(centre.name, (cell, young, without), key=centre.slug))
        if not ctx.for_file:  # a file has a page for each centre, with its text
            for heading, body in _texts(texts.get(centre.pk)):
                details.append((f"{centre.name} – {heading}", body))
    table = Table(
        key="centres",
        title=_("The centres side by side"),
        columns=(_("Centre"), _("Inquiries"), _("About a child aged 0–12"), _("Without a case at the family unit")),
        rows=tuple(rows),
    )
    return Section(
        key="centres",
        title=_("The centres"),
        intro=_("Each centre in brief, with the coordinator's own account of the year."),
        tables=(table,),
        texts=tuple(details),
    )


CENTRE_PAGE_DIMENSIONS = (
    "total",
    "channel",
    "child_0_12",
    "has_case",
    "course_started",
    "course_ended",
    "referral_to",
    "referral_bridge",
)


def centre_pages(ctx: StatusContext) -> tuple[Section, ...] | None:
    """In the city's file (PDF, workbook): a page for each centre, with its key numbers
    (suppressed, as everything in a file), its resources, its scorecard and its own text.

    Everything comes from a few queries for all centres together, whatever their number."""
    from forpost.centres.models import Budget
    from forpost.registrations.models import Channel

    from .models import StatusText

    if not (ctx.city_wide and ctx.for_file):
        return None
    counts: dict[int, dict[str, dict[str, int]]] = {pk: {} for pk in ctx.centre_ids}
    for row in (
        InquiryFact.objects.filter(_mine(ctx, "centre_id"), year=ctx.year, dimension__in=CENTRE_PAGE_DIMENSIONS)
        .values("centre_id", "dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        counts[row["centre_id"]].setdefault(row["dimension"], {})[row["value"]] = row["n"]
    period: dict[str, Any] = {"start": ctx.first_day, "end": date(ctx.year + 1, 1, 1)}
    dropin = _indicators(ctx).per_centre("dropin_hours_per_week", {}, centre_ids=ctx.centre_ids, **period)
    staff = _indicators(ctx).per_centre("family_unit_staff_hours_per_week", {}, centre_ids=ctx.centre_ids, **period)
    budgets = {b.centre_id: b for b in Budget.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    texts = {t.centre_id: t for t in StatusText.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    outcomes = _outcomes_by_centre(ctx)
    channels = _reference_labels(Channel)
    pages = []
    for centre in Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name").only("pk", "name", "slug"):
        f = counts[centre.pk]
        total = f.get("total", {}).get("", 0)
        small = ctx.suppress and 0 < total < ctx.threshold

        def share(part: int, whole: int, small: bool = small) -> str:
            return "–" if small or whole < ctx.threshold else percent(part, whole)

        bridge = f.get("referral_bridge", {})
        to_unit = sum(bridge.values())
        budget = budgets.get(centre.pk)
        shown: list[tuple[str, Any]] = [
            (_("Inquiries"), _fact(ctx, total)),
            (_("About a child aged 0–12"), share(f.get("child_0_12", {}).get("yes", 0), total)),
            (_("Without a case at the family unit"), "–" if small else _without_case_share(ctx, f.get("has_case", {}))),
            (_("Courses started"), _fact(ctx, f.get("course_started", {}).get("", 0))),
            (_("Courses ended"), _fact(ctx, f.get("course_ended", {}).get("", 0))),
            (_("Referrals to the family unit"), _fact(ctx, f.get("referral_to", {}).get("family_unit", 0))),
            (
                _("Referrals to the family unit that led to contact"),
                share(bridge.get("contact_made", 0) + bridge.get("case_opened", 0), to_unit, False),
            ),
            (_("Weeks with 6 drop-in hours"), _weeks_met(dropin[centre.pk])),
            (_("Weeks with 6 hours of family-unit staff"), _weeks_met(staff[centre.pk])),
            (_("Budget (DKK)"), number(int(budget.amount)) if budget else "–"),
        ]
        tables = []
        if total:
            channel_table, _c = _table(
                ctx,
                f"channels_{centre.slug}",
                _("Inquiries by channel"),
                _("Channel"),
                _ordered(f.get("channel", {}), channels),
                channels,
            )
            tables.append(channel_table)
        tally = outcomes.get(centre.pk)
        if tally:
            tables.append(
                Table(
                    key=f"scorecard_{centre.slug}",
                    title=_("Scorecard: requirements by outcome"),
                    columns=(_("Outcome"), _("Requirements")),
                    rows=tuple(Row(str(o.label), (number(n),), key=o.value) for o, n in tally.items()),
                )
            )
        pages.append(
            Section(
                key=f"centre-{centre.slug}",
                title=centre.name,
                facts=tuple(shown),
                tables=tuple(tables),
                texts=_texts(texts.get(centre.pk)),
            )
        )
    return tuple(pages)


# --- Courses, outcomes and referrals ---------------------------------------------------------


def courses(ctx: StatusContext) -> Section:
    """Courses that ended in the year: length, sessions, results and outcome scores.

    Read from the counts (forpost.reports.facts.course_row_facts), which hold for each
    centre and year how many courses started and ended, by result, sessions and length,
    and the sums behind the average score changes."""
    from forpost.registrations.models import CourseResult

    from .facts import LENGTH_BUCKETS, SESSION_BUCKETS

    title = _("Courses and outcomes")
    f = facts(ctx)

    def one(dimension: str) -> int:
        return f.get(dimension, {}).get("", 0)

    started, ended = one("course_started"), one("course_ended")
    if not ended and not started:
        return Section(key="courses", title=title, no_data=True, intro=_("No courses started or ended in this year."))
    results = dict.fromkeys(CourseResult.values, 0) | f.get("course_result", {})
    sessions = {key: f.get("course_sessions", {}).get(key, 0) for key, _lo, _hi in SESSION_BUCKETS}
    lengths = {key: f.get("course_length", {}).get(key, 0) for key, _lo, _hi in LENGTH_BUCKETS}
    n_scaling, n_ors = one("course_scaling_n"), one("course_ors_n")
    improved, recovered, started_below = one("course_improved"), one("course_recovered"), one("course_below_cutoff")
    result_labels = _labels(CourseResult.choices)
    result_table, result_chart = _table(ctx, "results", _("How the courses ended"), _("Result"), results, result_labels)
    result_table = dataclasses.replace(result_table, columns=(_("Result"), _("Courses"), _("Share")))
    session_labels = {
        "0": _("No sessions"),
        "1": _("1 session"),
        "2-3": _("2–3 sessions"),
        "4-6": _("4–6 sessions"),
        "7+": _("7 or more"),
    }
    session_table, _c = _table(ctx, "sessions", _("Sessions per course"), _("Sessions"), sessions, session_labels)
    session_table = dataclasses.replace(session_table, columns=(_("Sessions"), _("Courses"), _("Share")))
    length_labels = {
        "lt1": _("Under a month"),
        "1-3": _("1–3 months"),
        "3-6": _("3–6 months"),
        "gt6": _("Over 6 months"),
    }
    length_table, _c = _table(ctx, "length", _("Length of the courses"), _("Length"), lengths, length_labels)
    length_table = dataclasses.replace(length_table, columns=(_("Length"), _("Courses"), _("Share")))
    minimum = 2 * ctx.threshold
    shown: list[tuple[str, Any]] = [
        (_("Courses started"), _fact(ctx, started)),
        (_("Courses ended"), _fact(ctx, ended)),
    ]
    notes = []
    if n_scaling >= minimum:
        shown.append(
            (
                _("Average change in scaling (0–10)"),
                values.decimal(one("course_scaling_change") / n_scaling, 1, signed=True),
            )
        )
    if n_ors >= minimum:
        shown.append(
            (
                _("Average change in ORS (0–40)"),
                values.decimal(one("course_ors_change_tenths") / 10 / n_ors, 1, signed=True),
            )
        )
        shown.append((_("Reliable improvement (ORS)"), percent(improved, n_ors)))
    if started_below >= minimum:
        shown.append((_("Recovered, of those who started below the cut-off"), percent(recovered, started_below)))
    if n_ors < minimum or n_scaling < minimum:
        notes.append(
            _("Outcome scores are shown only where at least %(n)s courses have a first and a last score.")
            % {"n": minimum}
        )
    return Section(
        key="courses",
        title=title,
        intro=_(
            "Courses ended in the year. Change is from the first to the last score of a course; reliable "
            "improvement is an ORS rise of at least the reliable-change value, and recovery a rise from below "
            "the clinical cut-off to above it (values kept as reference data)."
        ),
        facts=tuple(shown),
        tables=(result_table, session_table, length_table),
        charts=(result_chart,),
        notes=tuple(notes),
    )


def referrals(ctx: StatusContext) -> Section:
    """Referrals out, and the bridge to the family unit (from the counts, see facts.py)."""
    from forpost.registrations.models import BridgeStatus, ReferralDestination

    title = _("Referrals and the bridge to the family unit")
    f = facts(ctx)
    by_destination = dict.fromkeys(ReferralDestination.values, 0) | f.get("referral_to", {})
    if not any(by_destination.values()):
        return Section(key="referrals", title=title, no_data=True, intro=_("No referrals were made in this year."))
    table, chart = _table(
        ctx, "destinations", _("Referred to"), _("Destination"), by_destination, _labels(ReferralDestination.choices)
    )
    table = dataclasses.replace(table, columns=(_("Destination"), _("Referrals"), _("Share")))
    bridge = dict.fromkeys(BridgeStatus.values, 0)
    for status, n in f.get("referral_bridge", {}).items():
        bridge[status or BridgeStatus.OFFERED] += n
    bridge_table, _c = _table(
        ctx,
        "bridge",
        _("Referrals to the family unit by status of the bridge"),
        _("Status"),
        bridge,
        _labels(BridgeStatus.choices),
    )
    bridge_table = dataclasses.replace(bridge_table, columns=(_("Status"), _("Referrals"), _("Share")))
    to_unit = sum(bridge.values())
    contact = bridge[BridgeStatus.CONTACT_MADE] + bridge[BridgeStatus.CASE_OPENED]
    return Section(
        key="referrals",
        title=title,
        intro=_("The centre builds the bridge to the family unit when a family needs a real social effort."),
        facts=(
            (
                _("Referrals to the family unit that led to contact"),
                percent(contact, to_unit) if to_unit >= ctx.threshold else "–",
            ),
        ),
        tables=(table, bridge_table),
        charts=(chart,),
    )


# --- Resources ---------------------------------------------------------------------------------


def resources(ctx: StatusContext) -> Section:
    """Drop-in hours, staff from the family unit and the budget, centre by centre.

    These are facts about the centres, not about citizens: they are shown in full.
    """
    from forpost.centres.models import Budget

    title = _("Resources")
    period = {"start": ctx.first_day, "end": date(ctx.year + 1, 1, 1)}
    budgets = {b.centre_id: b for b in Budget.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    # Each centre on its own, with a constant number of queries for the whole city.
    every_dropin = _indicators(ctx).per_centre("dropin_hours_per_week", {}, centre_ids=ctx.centre_ids, **period)
    every_staff = _indicators(ctx).per_centre(
        "family_unit_staff_hours_per_week", {}, centre_ids=ctx.centre_ids, **period
    )
    rows = []
    for centre in Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name").only("pk", "name", "slug"):
        dropin, staff = every_dropin[centre.pk], every_staff[centre.pk]
        budget = budgets.get(centre.pk)
        rows.append(
            Row(
                centre.name,
                (
                    _weeks_met(dropin),
                    _weeks_met(staff),
                    number(int(budget.amount)) if budget else "–",
                    (
                        _("yes, %(date)s")
                        % {"date": formats.date_format(timezone.localdate(budget.confirmed_at), "DATE_FORMAT")}
                    )
                    if budget and budget.confirmed_at
                    else _("no"),
                ),
                key=centre.slug,
            )
        )
    table = Table(
        key="resources",
        title=_("Resources by centre"),
        columns=(
            _("Centre"),
            _("Weeks with 6 drop-in hours"),
            _("Weeks with 6 hours of family-unit staff"),
            _("Budget (DKK)"),
            _("Budget confirmed known"),
        ),
        rows=tuple(rows),
        note=_(
            "Weeks with a public holiday or an announced closure on a drop-in day are not counted for drop-in hours."
        ),
    )
    return Section(
        key="resources",
        title=title,
        intro=_(
            "The concept asks for at least 6 open drop-in hours and 6 hours of staff from the family unit every week, and a budget the centre knows."
        ),
        tables=(table,),
    )


def _weeks_met(value: Any) -> str:
    if value.parts is None:
        return value.display()
    meeting, weeks = value.parts
    return _("%(meeting)s of %(weeks)s") % {"meeting": meeting, "weeks": weeks}


# --- Collaboration, volunteers and rooms ----------------------------------------------------------


def collaboration(ctx: StatusContext) -> Section:
    """Activities by type against the concept's yearly minimum, and the cross-city meetings.

    Activities are the centres' work, not people, so they are shown in full.
    """
    from django.db.models import Count, Q

    from forpost.collaboration.models import Activity, ActivityType, Attendance, CrossCityMeeting

    title = _("Collaboration and visibility")
    activities = Activity.objects.filter(_mine(ctx, "centre_id"), date__gte=ctx.first_day, date__lte=ctx.last_day)
    per_centre: dict[int, dict[int, int]] = {}
    for row in activities.values("type_id", "centre_id").annotate(n=Count("pk")).order_by():
        per_centre.setdefault(row["type_id"], {})[row["centre_id"]] = row["n"]
    in_force = "in_concept_2010" if ctx.year >= 2010 else "in_concept_2006"
    types = ActivityType.objects.filter(Q(**{in_force: True}) | Q(pk__in=list(per_centre))).order_by("position", "name")
    n_centres = len(ctx.centre_ids)
    rows = []
    bars = []
    for kind in types:
        counts = per_centre.get(kind.pk, {})
        total = sum(counts.values())
        if total:
            bars.append(Bar(kind.label, total, number(total)))
        minimum = kind.yearly_minimum
        if minimum is None:
            verdict = "–"
        elif n_centres == 1:
            verdict = _("met") if total >= minimum else _("not met")
        else:
            meeting = sum(1 for pk in ctx.centre_ids if counts.get(pk, 0) >= minimum)
            verdict = _("%(k)s of %(n)s centres") % {"k": meeting, "n": n_centres}
        rows.append(
            Row(kind.label, (number(total), number(minimum) if minimum is not None else "–", verdict), key=kind.code)
        )
    table = Table(
        key="activities",
        title=_("Activities by type"),
        columns=(_("Activity"), _("Number"), _("Yearly minimum per centre"), _("Minimum reached")),
        rows=tuple(rows),
    )
    chart = Chart(kind="bar", title=_("Activities by type"), bars=tuple(bars))
    meetings = CrossCityMeeting.objects.filter(date__gte=ctx.first_day, date__lte=ctx.last_day)
    attended = Attendance.objects.filter(_mine(ctx, "centre_id"), meeting__in=meetings, attended=True).count()
    held = meetings.count()
    facts_shown: list[tuple[str, Any]] = [(_("Cross-city meetings called"), number(held))]
    facts_shown.append(
        (
            _("Cross-city meetings attended"),
            number(attended) if n_centres == 1 else _("%(n)s attendances") % {"n": attended},
        )
    )
    return Section(
        key="collaboration",
        title=title,
        intro=_(
            "The concept asks each centre every year to visit or invite daycare institutions, to hold or join a theme "
            "event for professionals, to meet its volunteer groups, and to take part in the city's meetings."
        ),
        facts=tuple(facts_shown),
        tables=(table,),
        charts=(chart,) if chart.bars else (),
    )


def volunteers(ctx: StatusContext) -> Section:
    """Volunteer groups attached to the centres, referrals to and from them, and rooms lent."""
    from django.db.models import Count, Q, Sum

    from forpost.collaboration.models import Booking, GroupReferral, ReferralDirection, TargetGroup, VolunteerGroup

    title = _("Volunteers and rooms")
    groups = VolunteerGroup.objects.filter(_mine(ctx, "centre_id")).filter(
        Q(active_from__lte=ctx.last_day), Q(active_to__isnull=True) | Q(active_to__gte=ctx.first_day)
    )
    by_target = dict.fromkeys(TargetGroup.values, 0)
    for row in groups.values("target_group").annotate(n=Count("pk")).order_by():
        by_target[row["target_group"]] = row["n"]
    referrals = dict.fromkeys(ReferralDirection.values, 0)
    for row in (
        GroupReferral.objects.filter(_mine(ctx, "group__centre_id"), date__gte=ctx.first_day, date__lte=ctx.last_day)
        .values("direction")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        referrals[row["direction"]] = row["n"] or 0
    bookings = Booking.objects.filter(
        _mine(ctx, "room__centre_id"),
        starts_at__gte=ctx.start,
        starts_at__lt=ctx.end,
        cancelled_at__isnull=True,
    )
    lent = bookings.filter(Q(volunteer_group__isnull=False) | Q(partner__isnull=False) | ~Q(holder_name="")).count()
    target_labels = _labels(TargetGroup.choices)
    group_table = Table(
        key="groups",
        title=_("Volunteer groups by target group"),
        columns=(_("Target group"), _("Groups")),
        rows=tuple(Row(target_labels[k], (number(v),), key=k) for k, v in by_target.items()),
        total=Row(_("Total"), (number(sum(by_target.values())),)),
    )
    # Referrals count families: they are people, so small numbers are hidden when they leave the centre.
    referral_table, _c = count_table(
        ctx,
        key="group_referrals",
        title=_("Families referred between the centres and the volunteer groups"),
        label=_("Direction"),
        counts=referrals,
        labels=_labels(ReferralDirection.choices),
        count_label=_("Families"),
        share_label=_("Share"),
        total_label=_("Total"),
    )
    return Section(
        key="volunteers",
        title=title,
        intro=_("The centres lend rooms to volunteer groups and refer families to them and from them."),
        facts=(
            (_("Active volunteer groups"), number(sum(by_target.values()))),
            (_("Room bookings by associations and partners"), number(lent)),
        ),
        tables=(group_table, referral_table),
        no_data=not groups.exists() and not lent and not any(referrals.values()),
    )


# --- The concept: scorecard and theory of change ----------------------------------------------


def _indicators(ctx: StatusContext) -> Any:
    """One indicator cache for the whole status: resources, scorecard and theory of change
    ask for the same values (e.g. each centre's drop-in weeks) and get them computed once."""
    from forpost.concepts.evaluation import IndicatorCache

    return ctx.cache.setdefault("indicators", IndicatorCache())


def _shown(ctx: StatusContext, value: Any) -> str:
    """An indicator value as text; a share of a small group is hidden when it leaves the centre."""
    if value is None:
        return "–"
    if ctx.suppress and value.unit == "share" and value.parts and 0 < value.parts[1] < ctx.threshold:
        return f"<{ctx.threshold}"
    # Shares and counts keep their number, so the workbook writes a number (0.84 as 84 %).
    if value.value is not None and value.unit == "share":
        return values.fraction(value.value)
    if value.value is not None and value.unit == "count":
        return number(value.value)
    return str(value.display())


def _attestations(ctx: StatusContext) -> dict[tuple[int, str], Any]:
    from forpost.concepts.models import Attestation

    if "attestations" not in ctx.cache:
        ctx.cache["attestations"] = {
            (a.centre_id, a.requirement_id): a
            for a in Attestation.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)
        }
    found: dict[tuple[int, str], Any] = ctx.cache["attestations"]
    return found


def _evaluations_by_centre(ctx: StatusContext) -> dict[str, dict[int, Any]]:
    """{requirement id: {centre id: evaluation}} for every requirement a centre meets on its own,
    computed once per status for whichever section asks first (scorecard, centre pages)."""
    from forpost.concepts.definitions import Scope
    from forpost.concepts.evaluation import evaluate_per_centre
    from forpost.concepts.loader import concept_for_year

    if "evaluations_by_centre" not in ctx.cache:
        concept = concept_for_year(ctx.year)
        attestations = _attestations(ctx)
        found: dict[str, dict[int, Any]] = {}
        for requirement in concept.requirements if concept else ():
            if requirement.scope == Scope.CITY:
                continue
            found[requirement.id] = evaluate_per_centre(
                requirement,
                centre_ids=ctx.centre_ids,
                attestations={pk: attestations.get((pk, requirement.id)) for pk in ctx.centre_ids},
                start=ctx.first_day,
                end=date(ctx.year + 1, 1, 1),
                cache=_indicators(ctx),
            )
        ctx.cache["evaluations_by_centre"] = found
    evaluations: dict[str, dict[int, Any]] = ctx.cache["evaluations_by_centre"]
    return evaluations


def _outcomes_by_centre(ctx: StatusContext) -> dict[int, dict[Any, int]]:
    from forpost.concepts.evaluation import Outcome

    tallies: dict[int, dict[Any, int]] = {}
    for each in _evaluations_by_centre(ctx).values():
        for pk, result in each.items():
            tallies.setdefault(pk, dict.fromkeys(Outcome, 0))[result.outcome] += 1
    return tallies


def scorecard(ctx: StatusContext) -> Section:
    """Every requirement of the concept in force, with its outcome and the evidence behind it."""
    from forpost.concepts.definitions import Scope, Strength
    from forpost.concepts.evaluation import Outcome, evaluate
    from forpost.concepts.loader import concept_for_year
    from forpost.concepts.templatetags.concepts_tags import reading

    title = _("Scorecard against the concept")
    concept = concept_for_year(ctx.year)
    if concept is None:
        return Section(key="scorecard", title=title, no_data=True, intro=_("No concept was in force in this year."))
    period: dict[str, Any] = {"start": ctx.first_day, "end": date(ctx.year + 1, 1, 1), "cache": _indicators(ctx)}
    attestations = _attestations(ctx)
    single = len(ctx.centre_ids) == 1
    # "Used" and "not used" are the outcomes of "kan" items only: no empty columns without them.
    optional = any(r.strength == Strength.MAY for r in concept.requirements)
    outcomes = [o for o in Outcome if optional or o not in (Outcome.USED, Outcome.NOT_USED)]
    each_centre = {} if single else _evaluations_by_centre(ctx)
    rows = []
    for requirement in concept.requirements:
        label = f"{requirement.area.label}: {requirement.label}"
        if requirement.scope == Scope.CITY or single:
            centre = ctx.centre_ids[0] if single else None
            result = evaluate(
                requirement,
                centre_ids=ctx.centre_ids,
                attestation=attestations.get((centre, requirement.id)) if centre else None,
                **period,
            )
            evidence = result.value.detail if result.value is not None and result.value.detail else ""
            if result.attestation is not None:
                evidence = _("attested by the coordinator")
            if result.data:  # what Forpost's data says beside the coordinator's statement
                said = "; ".join(f"{label}: {_shown(ctx, value)}" for label, value in result.data)
                evidence = f"{evidence}. {said}" if evidence else said
            cells: tuple[Any, ...] = (
                str(result.outcome.label),
                _shown(ctx, result.value),
                evidence,
                reading(requirement),
            )
            if not single:
                # A requirement of the city as a whole has one outcome, the city's: it is marked
                # in its own outcome's column, never in the first column whatever it says.
                cells = (*(_("the city") if o == result.outcome else "" for o in outcomes), _shown(ctx, result.value))
            rows.append(Row(label, cells, key=requirement.id))
        else:
            tally = dict.fromkeys(outcomes, 0)
            for result in each_centre.get(requirement.id, {}).values():
                tally[result.outcome] += 1
            rows.append(Row(label, (*(number(tally[o]) for o in outcomes), ""), key=requirement.id))
    if single:
        columns: tuple[str, ...] = (_("Requirement"), _("Outcome"), _("Value"), _("Evidence"), _("How it is read"))
    else:
        columns = (_("Requirement"), *(str(o.label) for o in outcomes), _("City value"))
    bases = ", ".join(str(b) for b in concept.legal_bases_on(ctx.last_day)) or ", ".join(concept.cited_in_paper)
    return Section(
        key="scorecard",
        title=title,
        intro=_(
            "Each requirement of the concept in force, measured from what was registered or attested by the coordinator."
        ),
        facts=(
            (_("Concept"), str(concept.title)),
            (_("In force from"), formats.date_format(concept.in_force_from, "DATE_FORMAT")),
            (_("Law cited by the concept"), ", ".join(concept.cited_in_paper) or "–"),
            (_("Legal basis in the year"), bases),
        ),
        tables=(
            Table(
                key="scorecard",
                title=_("Requirements and outcomes") if single else _("Requirements: number of centres by outcome"),
                columns=columns,
                rows=tuple(rows),
            ),
        ),
    )


def _city_or_centre_value(ctx: StatusContext, name: str, params: Any) -> Any:
    """An indicator's value for the status's centres. An indicator measured one centre at a time
    (the weekly minimums) is summed up over the centres as the resources table shows them: the
    weakest week of any centre, and the weeks that met the minimum out of all weeks measured."""
    from dataclasses import replace

    cache = _indicators(ctx)
    period: dict[str, Any] = {"centre_ids": ctx.centre_ids, "start": ctx.first_day, "end": date(ctx.year + 1, 1, 1)}
    value = cache.value(name, params, **period)
    if value.value is not None or len(ctx.centre_ids) < 2:
        return value
    measured = [v for v in cache.per_centre(name, params, **period).values() if v.value is not None]
    if not measured:
        return value
    weakest = min(measured, key=lambda v: v.value)
    parts = None
    if all(v.parts for v in measured):
        parts = (sum(v.parts[0] for v in measured), sum(v.parts[1] for v in measured))
    return replace(weakest, parts=parts, evidence=(), detail="", no_data_reason="")


def theory_of_change(ctx: StatusContext) -> Section:
    """The concept's theory of change, each link with the indicators that give evidence for it."""
    from forpost.concepts.loader import concept_for_year

    title = _("Theory of change")
    concept = concept_for_year(ctx.year)
    if concept is None or not concept.theory_of_change:
        return Section(
            key="theory_of_change", title=title, no_data=True, intro=_("The concept has no theory of change.")
        )
    tables = []
    for chain in concept.theory_of_change:
        rows = []
        for link in chain.links:
            evidence = []
            for ref in link.evidence:
                from forpost.concepts import indicators

                value = _city_or_centre_value(ctx, ref.name, ref.params)
                evidence.append(f"{indicators.get(ref.name).label}: {_shown(ctx, value)}")
            rows.append(Row(str(link.stage.label), (str(link.text), "; ".join(evidence) or "–")))
        tables.append(
            Table(
                key=f"toc_{chain.id}",
                title=str(chain.title),
                columns=(_("Stage"), _("Assumption"), _("Evidence this year")),
                rows=tuple(rows),
            )
        )
    return Section(
        key="theory_of_change",
        title=title,
        intro=_("Activities lead through mechanisms to outcomes; the indicators show how each link stood this year."),
        tables=tuple(tables),
    )


# The sections of the status, in the order they are shown. One list, read by build_status():
# nothing is registered by importing a module, and a section may rely on no other having run.
SECTIONS: tuple[tuple[str, SectionFunction], ...] = (
    ("summary", summary),
    ("trends", trends),
    ("own_text", own_text),
    ("volume", volume),
    ("target_group", target_group),
    ("population", district_population),
    ("representativeness", representativeness),
    ("districts", districts),
    ("themes", themes),
    ("courses", courses),
    ("actions", actions),
    ("referrals", referrals),
    ("visibility", visibility),
    ("collaboration", collaboration),
    ("volunteers", volunteers),
    ("resources", resources),
    ("scorecard", scorecard),
    ("theory_of_change", theory_of_change),
    ("centres", centres),
    ("centre_pages", centre_pages),
)
