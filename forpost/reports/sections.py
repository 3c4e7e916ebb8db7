"""Sections of the annual status built from the inquiry counts and the population figures.

Each section reads the registrations' counts (forpost.registrations.counts: one grouped
query for the whole status) and never the registrations themselves, so the page costs the same at a thousand or ten million
inquiries.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forpost.centres.models import Centre, District, Origin, PopulationFigure
from forpost.concepts.indicators.centres import AS_RECORDED
from forpost.concepts.representation import wilson
from forpost.core.charts import Bar
from forpost.core.formats import values
from forpost.core.metrics import BY_KEY, SAME_AS_COLUMN, for_ref, label, metric
from forpost.core.periods import Period
from forpost.core.suppression import TOTAL, Cell
from forpost.registrations.counts import counts_by_centre, totals

from .status import (
    HIDDEN_SHARE,
    Chart,
    Fact,
    Row,
    Section,
    SectionFunction,
    StatusContext,
    Table,
    count_table,
    cross_table,
    fact,
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
    given), from one read of the registrations' counts (forpost.registrations.counts)."""
    year = year or ctx.year
    key = f"facts:{year}:{','.join(dimensions)}"
    if dimensions and f"facts:{year}:" in ctx.cache:
        return ctx.cache[f"facts:{year}:"]  # the whole year is read already
    if key not in ctx.cache:
        ctx.cache[key] = totals(ctx.scope, Period.year(year), dimensions)
    result: dict[str, dict[str, int]] = ctx.cache[key]
    return result


def _mine(ctx: StatusContext, path: str) -> Q:
    """Rows of the status's centres (see StatusContext.scope)."""
    return ctx.scope.q(path)


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
    metric: str = "inquiries",
    **kw: Any,
) -> tuple[Table, Chart]:
    """A distribution of `metric` (the inquiries unless said) by `key`'s dimension."""
    from forpost.core.metrics import label as metric_label

    return count_table(
        ctx,
        dimension=kw.pop("dimension", TABLE_DIMENSIONS.get(key, "")),
        key=key,
        title=title,
        label=label,
        counts=counts,
        labels={k: labels.get(k, k or _("Not stated")) for k in counts},
        count_label=metric_label(metric),
        share_label=metric_label("share"),
        total_label=_("Total"),
        metric=metric,
        **kw,
    )


# The dimension of the kept counts behind each table: its marks come from the year's
# disclosure plan (forpost.reports.disclosure), which protects all linked tables together.
TABLE_DIMENSIONS = {
    "by_month": "month",
    "by_channel": "channel",
    "by_weekday": "weekday",
    "by_contact": "contact",
    "child_age": "child_age",
    "child_sex": "child_sex",
    "family": "family",
    "parent_sex": "parent_sex",
    "origin": "origin",
    "has_case": "has_case",
    "themes": "theme",
    "actions": "action",
    "sources": "referral_source",
    "districts": "district",
    "results": "course_result",
    "sessions": "course_sessions",
    "length": "course_length",
    "destinations": "referral_to",
    "bridge": "referral_bridge",
}


def _fact(ctx: StatusContext, n: int, dimension: str = "", value: str = "") -> Cell:
    """A single key figure: hidden when it is a small count that leaves the centre, or when the
    year's disclosure plan hides the count it is (`dimension`, `value`)."""
    if ctx.suppress and dimension:
        from .disclosure import plan_for, who

        return plan_for(ctx).cell(who(ctx), dimension, value, n)
    return Cell(n, suppressed=ctx.suppress and 0 < n < ctx.threshold)


def _hidden(ctx: StatusContext, dimension: str, value: str, n: int) -> bool:
    return _fact(ctx, n, dimension, value).suppressed


def _share_of(ctx: StatusContext, part: int, whole: int, *, hidden: bool = False) -> str:
    """A share that is also a count in disguise: hidden (the secondary mark) when a count it is
    computed from is hidden, or when the part or the rest is a small count."""
    if ctx.suppress and (hidden or 0 < part < ctx.threshold or 0 < whole - part < ctx.threshold):
        return HIDDEN_SHARE
    return percent(part, whole)


def _without_case_share(ctx: StatusContext, f: Mapping[str, Mapping[str, int]]) -> str:
    """The share of families without a case, as the catalogue defines it: among the inquiries
    where it is known ("don't know" left out)."""
    parts = metric("share_without_case").parts
    assert parts is not None
    no, known = parts(f)
    if not known:
        return percent(no, known)
    # Shown only when both counts it is made of are shown in the table of cases.
    cases = f.get("has_case", {})
    hidden = _hidden(ctx, "has_case", "no", cases.get("no", 0)) or _hidden(ctx, "has_case", "yes", cases.get("yes", 0))
    return _share_of(ctx, no, known, hidden=hidden or _hidden(ctx, "total", "", sum(cases.values())))


def _count(key: str, f: Mapping[str, Mapping[str, int]]) -> int:
    """A catalogue metric counted from the inquiry counts."""
    count = metric(key).count
    assert count is not None, key
    return count(f)


def _share(key: str, f: Mapping[str, Mapping[str, int]]) -> tuple[int, int]:
    """A catalogue share's (part, whole) from the inquiry counts."""
    parts = metric(key).parts
    assert parts is not None, key
    return parts(f)


def _no_inquiries(key: str, title: str) -> Section:
    return Section(key=key, title=title, no_data=True, intro=_("No inquiries are registered for this year."))


def volume(ctx: StatusContext) -> Section:
    from forpost.registrations.models import Channel, ContactPerson

    title = _("Inquiries")
    f = facts(ctx)
    total = _count("inquiries", f)
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
        ctx,
        "by_channel",
        _("Inquiries by channel"),
        _("Channel"),
        _ordered(f.get("channel", {}), channels),
        channels,
        dimension="channel",
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
    facts_shown: list[Fact] = [fact("inquiries", _fact(ctx, total, "total"))]
    if timed:
        facts_shown.append(fact("minutes_per_inquiry", values.decimal(float(round(minutes / timed)), 0)))
    facts_shown.append(fact("reports_of_concern", _fact(ctx, _count("reports_of_concern", f), "concern")))
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
        ctx,
        "child_age",
        _("Children by age"),
        _("Age"),
        _ordered(f.get("child_age", {}), ages, keep_order=True),
        ages,
        metric="children",
    )
    sexes = _labels(ChildSex.choices)
    child_sex_table, _c = _table(
        ctx,
        "child_sex",
        _("Children by sex"),
        _("Sex"),
        _ordered(f.get("child_sex", {}), sexes, keep_order=True),
        sexes,
        metric="children",
    )
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
    return Section(
        key="target_group",
        title=title,
        intro=_(
            "The centres are for families with children with special needs, mainly children aged 0–12, "
            "and should reach families who have no case at the family unit."
        ),
        facts=(
            fact(
                "share_child_0_12",
                _share_of(ctx, *_share("share_child_0_12", f), hidden=_hidden(ctx, "total", "", total)),
            ),
            fact("share_without_case", _without_case_share(ctx, f)),
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
    cells = {k: _fact(ctx, v, "origin", k) for k, v in stated.items()}
    # The shares and ratios are counts over the stated total: with any count hidden, they
    # would give it away, so all of them are hidden then.
    any_hidden = any(c.suppressed for c in cells.values())
    rows = []
    flagged = []
    for origin in Origin:
        k = origin.value
        count = stated.get(k, 0)
        cell = cells.get(k, Cell(count))
        pop_share = population[k] / pop_total if pop_total else 0
        if cell.suppressed or any_hidden or not pop_share:
            mark = HIDDEN_SHARE if cell.suppressed or any_hidden else "–"
            rows.append(Row(str(origin.label), (cell, mark, values.fraction(pop_share), mark, "–"), key=k))
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
            label("inquiries"),
            label("share_of_inquiries_stated"),
            label("share_of_population"),
            label("representation_ratio"),
            label("representation_assessment"),
        ),
        rows=tuple(rows),
        metrics=(
            "inquiries",
            "share_of_inquiries_stated",
            "share_of_population",
            "representation_ratio",
            "representation_assessment",
        ),
        dimension="origin_stated",
        adds_up=False,
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
        adds_up=False,
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
        ctx,
        "actions",
        _("What the counsellor did"),
        _("Action"),
        _ordered(f.get("action", {}), labels),
        labels,
        adds_up=False,
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
        count_label=label("residents"),
        share_label=label("share"),
        total_label=_("Total"),
        metric="residents",
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
    by_centre: dict[int, dict[str, dict[str, int]]] = counts_by_centre(
        ctx.scope, ctx.period, ["total", "child_0_12", "has_case"]
    )
    texts = {t.centre_id: t for t in StatusText.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    rows = []
    details = []
    for centre in Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name"):
        counts = by_centre.get(centre.pk, {})
        total = _count("inquiries", counts)
        one = dataclasses.replace(ctx, city_wide=False, centre_ids=(centre.pk,))
        cell = _fact(one, total, "total")
        young = _share_of(one, *_share("share_child_0_12", counts), hidden=cell.suppressed)
        without = _without_case_share(one, counts)
        rows.append(Row(centre.name, (cell, young, without), key=centre.slug))
        if not ctx.for_file:  # a file has a page for each centre, with its text
            for heading, body in _texts(texts.get(centre.pk)):
                details.append((f"{centre.name} – {heading}", body))
    table = Table(
        key="centres",
        title=_("The centres side by side"),
        columns=(_("Centre"), label("inquiries"), label("share_child_0_12"), label("share_without_case")),
        rows=tuple(rows),
        metrics=("inquiries", "share_child_0_12", "share_without_case"),
        dimension="centre",
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
    counts = counts_by_centre(ctx.scope, ctx.period, CENTRE_PAGE_DIMENSIONS)
    period: dict[str, Any] = {"start": ctx.first_day, "end": ctx.period.end}
    dropin = _indicators(ctx).per_centre("dropin_hours_per_week", AS_RECORDED, centre_ids=ctx.centre_ids, **period)
    staff = _indicators(ctx).per_centre(
        "family_unit_staff_hours_per_week", AS_RECORDED, centre_ids=ctx.centre_ids, **period
    )
    budgets = {b.centre_id: b for b in Budget.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    texts = {t.centre_id: t for t in StatusText.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    outcomes = _outcomes_by_centre(ctx)
    channels = _reference_labels(Channel)
    pages = []
    for centre in Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name").only("pk", "name", "slug"):
        f = counts[centre.pk]
        total = _count("inquiries", f)
        one = dataclasses.replace(ctx, city_wide=False, centre_ids=(centre.pk,))
        budget = budgets.get(centre.pk)
        inquiries = _fact(one, total, "total")
        shown: list[Fact] = [
            fact("inquiries", inquiries),
            fact(
                "share_child_0_12",
                _share_of(one, *_share("share_child_0_12", f), hidden=inquiries.suppressed),
            ),
            fact("share_without_case", _without_case_share(one, f)),
            fact("courses_started", _fact(one, _count("courses_started", f), "course_started")),
            fact("courses_ended", _fact(one, _count("courses_ended", f), "course_ended")),
            fact(
                "referrals_to_family_unit",
                _fact(one, _count("referrals_to_family_unit", f), "referral_to", "family_unit"),
            ),
            fact("referral_contact", _contact_share(one, f)),
            fact("dropin_weeks", _weeks_met(dropin[centre.pk])),
            fact("staff_weeks", _weeks_met(staff[centre.pk])),
            fact("budget", number(int(budget.amount)) if budget else "–"),
        ]
        tables = []
        if total:
            channel_table, _c = _table(
                one,
                f"channels_{centre.slug}",
                _("Inquiries by channel"),
                _("Channel"),
                _ordered(f.get("channel", {}), channels),
                channels,
                dimension="channel",
            )
            tables.append(channel_table)
        tally = outcomes.get(centre.pk)
        if tally:
            tables.append(
                Table(
                    key=f"scorecard_{centre.slug}",
                    title=_("Scorecard: requirements by outcome"),
                    columns=(_("Outcome"), label("requirements_by_outcome")),
                    rows=tuple(Row(str(o.label), (number(n),), key=o.value) for o, n in tally.items()),
                    metrics=("requirements_by_outcome",),
                    dimension="outcome",
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

    Read from the counts (forpost.registrations.counts.course_row_facts), which hold for each
    centre and year how many courses started and ended, by result, sessions and length,
    and the sums behind the average score changes."""
    from forpost.registrations.counts import LENGTH_BUCKETS, SESSION_BUCKETS
    from forpost.registrations.models import CourseResult

    title = _("Courses and outcomes")
    f = facts(ctx)

    def one(dimension: str) -> int:
        return f.get(dimension, {}).get("", 0)

    started, ended = _count("courses_started", f), _count("courses_ended", f)
    if not ended and not started:
        return Section(key="courses", title=title, no_data=True, intro=_("No courses started or ended in this year."))
    results = dict.fromkeys(CourseResult.values, 0) | f.get("course_result", {})
    sessions = {key: f.get("course_sessions", {}).get(key, 0) for key, _lo, _hi in SESSION_BUCKETS}
    lengths = {key: f.get("course_length", {}).get(key, 0) for key, _lo, _hi in LENGTH_BUCKETS}
    n_scaling, n_ors = one("course_scaling_n"), one("course_ors_n")
    recovered, started_below = one("course_recovered"), one("course_below_cutoff")
    result_labels = _labels(CourseResult.choices)
    result_table, result_chart = _table(
        ctx, "results", _("How the courses ended"), _("Result"), results, result_labels, metric="courses_ended"
    )
    session_labels = {
        "0": _("No sessions"),
        "1": _("1 session"),
        "2-3": _("2–3 sessions"),
        "4-6": _("4–6 sessions"),
        "7+": _("7 or more"),
    }
    session_table, _c = _table(
        ctx, "sessions", _("Sessions per course"), _("Sessions"), sessions, session_labels, metric="courses_ended"
    )
    length_labels = {
        "lt1": _("Under a month"),
        "1-3": _("1–3 months"),
        "3-6": _("3–6 months"),
        "gt6": _("Over 6 months"),
    }
    length_table, _c = _table(
        ctx, "length", _("Length of the courses"), _("Length"), lengths, length_labels, metric="courses_ended"
    )
    minimum = 2 * ctx.threshold
    shown: list[Fact] = [
        fact("courses_started", _fact(ctx, started, "course_started")),
        fact("courses_ended", _fact(ctx, ended, "course_ended")),
    ]
    notes = []
    if n_scaling >= minimum:
        # Numbers, not text: the files write them as numbers and the page in the reader's format.
        shown.append(fact("scaling_change", values.decimal(one("course_scaling_change") / n_scaling, 1, signed=True)))
    if n_ors >= minimum:
        shown.append(fact("ors_change", values.decimal(one("course_ors_change_tenths") / 10 / n_ors, 1, signed=True)))
        shown.append(fact("reliable_improvement", _share_of(ctx, *_share("reliable_improvement", f))))
    if started_below >= minimum:
        shown.append(fact("recovered", _share_of(ctx, recovered, started_below)))
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
        ctx,
        "destinations",
        _("Referred to"),
        _("Destination"),
        by_destination,
        _labels(ReferralDestination.choices),
        metric="referrals",
    )
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
        metric="referrals_to_family_unit",
    )
    return Section(
        key="referrals",
        title=title,
        intro=_("The centre builds the bridge to the family unit when a family needs a real social effort."),
        facts=(fact("referral_contact", _contact_share(ctx, f)),),
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
    period = {"start": ctx.first_day, "end": ctx.period.end}
    budgets = {b.centre_id: b for b in Budget.objects.filter(_mine(ctx, "centre_id"), year=ctx.year)}
    # Each centre on its own, with a constant number of queries for the whole city.
    every_dropin = _indicators(ctx).per_centre(
        "dropin_hours_per_week", AS_RECORDED, centre_ids=ctx.centre_ids, **period
    )
    every_staff = _indicators(ctx).per_centre(
        "family_unit_staff_hours_per_week", AS_RECORDED, centre_ids=ctx.centre_ids, **period
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
                    _("yes") if budget and budget.confirmed_at else _("no"),
                    formats.date_format(timezone.localdate(budget.confirmed_at), "DATE_FORMAT")
                    if budget and budget.confirmed_at
                    else "–",
                ),
                key=centre.slug,
            )
        )
    table = Table(
        key="resources",
        title=_("Resources by centre"),
        columns=(
            _("Centre"),
            label("dropin_weeks"),
            label("staff_weeks"),
            label("budget"),
            label("budget_confirmed"),
            label("budget_confirmed_on"),
        ),
        rows=tuple(rows),
        metrics=("dropin_weeks", "staff_weeks", "budget", "budget_confirmed", "budget_confirmed_on"),
        dimension="centre",
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


def _contact_share(ctx: StatusContext, f: Mapping[str, Mapping[str, int]]) -> str:
    """Referrals to the family unit that led to contact: shown from as many referrals as the
    suppression threshold (a share of two says little), and only when the counts it is made of
    are shown in the bridge table."""
    contact, to_unit = _share("referral_contact", f)
    if to_unit < ctx.threshold:
        return "–"
    bridge = f.get("referral_bridge", {})
    hidden = any(_hidden(ctx, "referral_bridge", k, n) for k, n in bridge.items() if n) or _hidden(
        ctx, "referral_to", "family_unit", to_unit
    )
    return _share_of(ctx, contact, to_unit, hidden=hidden)


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
        columns=(
            _("Activity"),
            label("activities"),
            label("activity_minimum"),
            label("activity_minimum_reached"),
        ),
        rows=tuple(rows),
        metrics=("activities", "activity_minimum", "activity_minimum_reached"),
        dimension="activity_type",
    )
    chart = Chart(kind="bar", title=_("Activities by type"), bars=tuple(bars))
    meetings = CrossCityMeeting.objects.filter(date__gte=ctx.first_day, date__lte=ctx.last_day)
    attended = Attendance.objects.filter(_mine(ctx, "centre_id"), meeting__in=meetings, attended=True).count()
    held = meetings.count()
    facts_shown: list[Fact] = [fact("cross_city_meetings_held", number(held))]
    facts_shown.append(
        fact(
            "cross_city_meetings_attended",
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

    from forpost.collaboration.models import GroupReferral, ReferralDirection, TargetGroup, VolunteerGroup

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
    # The catalogue's one definition of the rooms lent: the indicator the concept is judged by.
    lent = (
        _indicators(ctx)
        .value(
            "volunteer_room_bookings", {}, centre_ids=ctx.centre_ids, start=ctx.first_day, end=date(ctx.year + 1, 1, 1)
        )
        .value
        or 0
    )
    target_labels = _labels(TargetGroup.choices)
    group_table = Table(
        key="groups",
        title=_("Volunteer groups by target group"),
        columns=(_("Target group"), label("volunteer_groups")),
        rows=tuple(Row(target_labels[k], (number(v),), key=k) for k, v in by_target.items()),
        total=Row(_("Total"), (number(sum(by_target.values())),)),
        metrics=("volunteer_groups",),
        dimension="target_group",
    )
    # Referrals count families: they are people, so small numbers are hidden when they leave the centre.
    referral_table, _c = count_table(
        ctx,
        key="group_referrals",
        title=_("Families referred between the centres and the volunteer groups"),
        label=_("Direction"),
        counts=referrals,
        labels=_labels(ReferralDirection.choices),
        count_label=label("group_referrals"),
        share_label=label("share"),
        total_label=_("Total"),
        metric="group_referrals",
    )
    return Section(
        key="volunteers",
        title=title,
        intro=_("The centres lend rooms to volunteer groups and refer families to them and from them."),
        facts=(
            fact("volunteer_groups", number(sum(by_target.values()))),
            fact("room_bookings", number(lent)),
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


def _published(ctx: StatusContext, key: str) -> str | None:
    """A metric the key figures publish from the inquiry counts, exactly as they publish it
    (with the year's disclosure marks): the scorecard and the theory of change show the same
    value for the same key, never the indicator's unmasked number beside a hidden key figure."""
    f = facts(ctx)
    counted = {
        "inquiries": ("total", ""),
        "reports_of_concern": ("concern", ""),
        "courses_started": ("course_started", ""),
        "courses_ended": ("course_ended", ""),
        "referrals_to_family_unit": ("referral_to", "family_unit"),
    }
    if key in counted:
        return _cell_text(ctx, _fact(ctx, _count(key, f), *counted[key]))
    if key == "referrals":
        n = sum(f.get("referral_to", {}).values())
        return _cell_text(ctx, _fact(ctx, n, "referral_to", TOTAL)) if ctx.suppress else number(n)
    if key == "share_child_0_12":
        total = _count("inquiries", f)
        return _share_of(ctx, *_share(key, f), hidden=_hidden(ctx, "total", "", total))
    if key == "share_without_case":
        return _without_case_share(ctx, f)
    if key == "reliable_improvement":
        return _share_of(ctx, *_share(key, f))
    if key == "referral_contact":
        return _contact_share(ctx, f)
    return None


def _cell_text(ctx: StatusContext, cell: Cell) -> str:
    """A count as text: its mark when hidden, else written as every other count is (number())."""
    return cell.display(ctx.threshold) if cell.suppressed else number(cell.value)


def _shown(ctx: StatusContext, value: Any, key: str = "") -> str:
    """An indicator value as text, hidden when it leaves the centre as the key figures are: a
    metric the key figures publish as they publish it (_published); a share of a small group, or
    one that pins a small count, with the secondary mark; a small count of people as "<5" (the
    centres' own work, e.g. activities and meetings, is shown in full, as in its sections)."""
    if value is None:
        return "–"
    if key and value.value is None and _published(ctx, key) is not None:
        return "–"  # as the key figure shows the same metric without data
    if key and value.value is not None:
        published = _published(ctx, key)
        if published is not None:
            return published
    if ctx.suppress and value.unit == "share" and value.parts:
        part, whole = value.parts
        if any(0 < n < ctx.threshold for n in (part, whole, whole - part)):
            return HIDDEN_SHARE  # the share of a small group, or one that pins a small count
    people = metric(key).people if key in BY_KEY else True  # a number the catalogue does not know is hidden
    if ctx.suppress and people and value.unit == "count" and value.value and 0 < value.value < ctx.threshold:
        return f"<{ctx.threshold}"
    # Shares and counts keep their number, so the workbook writes a number (0.84 as 84 %).
    if value.value is not None and value.unit == "share":
        return values.fraction(value.value)
    if value.value is not None and value.unit == "count":
        return number(value.value)
    shown = _masked(ctx, str(value.display()))
    if re.fullmatch(r"-?\d+", shown):
        return number(int(shown))  # a bare number stays a number in the workbook
    return shown


SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])(\d+)(?![\d.,:/%-])")


def _masked(ctx: StatusContext, text: str) -> str:
    """A sentence of evidence with every whole number from 1 to threshold − 1 written as "<5"
    when it leaves the centre ("3 inquiries … were left out" would name a small group). Dates,
    times, decimals and percentages are left alone; a small number that counts weeks or hours
    is hidden too, which costs a detail and never tells an untruth."""
    if not ctx.suppress:
        return text
    return SMALL_NUMBER.sub(lambda m: f"<{ctx.threshold}" if 0 < int(m.group(1)) < ctx.threshold else m.group(1), text)


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
                end=ctx.period.end,
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
    period: dict[str, Any] = {"start": ctx.first_day, "end": ctx.period.end, "cache": _indicators(ctx)}
    attestations = _attestations(ctx)
    single = len(ctx.centre_ids) == 1
    # "Used" and "not used" are the outcomes of "kan" items only: no empty columns without them.
    optional = any(r.strength == Strength.MAY for r in concept.requirements)
    outcomes = [o for o in Outcome if optional or o not in (Outcome.USED, Outcome.NOT_USED)]
    each_centre = {} if single else _evaluations_by_centre(ctx)
    rows = []
    outcomes_now: dict[str, Any] = {}  # one centre's verdicts, for last year's actions beside them
    for requirement in concept.requirements:
        requirement_label = f"{requirement.area.label}: {requirement.label}"
        if requirement.scope == Scope.CITY or single:
            centre = ctx.centre_ids[0] if single else None
            result = evaluate(
                requirement,
                centre_ids=ctx.centre_ids,
                attestation=attestations.get((centre, requirement.id)) if centre else None,
                **period,
            )
            outcomes_now[requirement.id] = result.outcome
            evidence = _masked(ctx, result.value.detail) if result.value is not None and result.value.detail else ""
            if result.attestation is not None:
                evidence = _("attested by the coordinator")
            if result.data:  # what Forpost's data says beside the coordinator's statement
                said = "; ".join(f"{data_label}: {_shown(ctx, value)}" for data_label, value in result.data)
                evidence = f"{evidence}. {said}" if evidence else said
            cells: tuple[Any, ...] = (
                str(result.outcome.label),
                _shown(ctx, result.value, _measure_metric(requirement)),
                evidence,
                reading(requirement),
            )
            if not single:
                # A requirement of the city as a whole has one outcome, the city's: it is marked
                # in its own outcome's column, never in the first column whatever it says.
                shown = _shown(ctx, result.value, _measure_metric(requirement))
                cells = (
                    *(_("the city") if o == result.outcome else "" for o in outcomes),
                    shown,
                    reading(requirement),
                )
            rows.append(Row(requirement_label, cells, key=requirement.id, metric=_measure_metric(requirement)))
        else:
            tally = dict.fromkeys(outcomes, 0)
            for result in each_centre.get(requirement.id, {}).values():
                tally[result.outcome] += 1
            rows.append(
                Row(
                    requirement_label,
                    (*(number(tally[o]) for o in outcomes), "", reading(requirement)),
                    key=requirement.id,
                )
            )
    metrics: tuple[str, ...]
    if single:
        columns: tuple[str, ...] = (_("Requirement"), _("Outcome"), _("Value"), _("Evidence"), _("How it is read"))
        metrics = ("", SAME_AS_COLUMN, "", "")
    else:
        # The paper's reading beside the verdicts here too: how many centres met a requirement
        # means little without what "met" was taken to mean.
        columns = (_("Requirement"), *(str(o.label) for o in outcomes), _("City value"), _("How it is read"))
        metrics = (*("centres_by_outcome" for _o in outcomes), SAME_AS_COLUMN, "")
    bases = ", ".join(str(b) for b in concept.legal_bases_on(ctx.last_day)) or ", ".join(concept.cited_in_paper)
    return Section(
        key="scorecard",
        title=title,
        intro=_(
            "Each requirement of the concept in force, measured from what was registered or attested by the coordinator."
        ),
        facts=(
            fact("concept", str(concept.title)),
            fact("concept_in_force_from", formats.date_format(concept.in_force_from, "DATE_FORMAT")),
            fact("law_cited", ", ".join(concept.cited_in_paper) or "–"),
            fact("legal_basis", bases),
        ),
        tables=(
            Table(
                key="scorecard",
                title=_("Requirements and outcomes") if single else _("Requirements: number of centres by outcome"),
                columns=columns,
                rows=tuple(rows),
                metrics=metrics,
                dimension="requirement",
            ),
            *_last_years_actions(ctx, outcomes_now, single=single),
        ),
        # The view links "Add action" beside each requirement not met (forpost.concepts.actions).
        extra={"outcomes": outcomes_now} if single else {},
    )


def _last_years_actions(ctx: StatusContext, outcomes_now: Mapping[str, Any], *, single: bool) -> tuple[Table, ...]:
    """One centre's action plans for last year's requirements not met, each beside the
    requirement's verdict this year (forpost.concepts.models.ActionPlan); none without."""
    from forpost.concepts.actions import actions_answering, requirement_label

    last = ctx.year - 1
    if not single:
        return ()
    rows = []
    for action in actions_answering(ctx.centre_ids, last):
        if action.done_on is not None:
            done = _("yes, %(date)s") % {"date": formats.date_format(action.done_on, "SHORT_DATE_FORMAT")}
            done = f"{done}: {action.done_note}" if action.done_note else done
        else:
            done = _("no, overdue") if action.due_on < min(timezone.localdate(), ctx.last_day) else _("no")
        now = outcomes_now.get(action.requirement_id)
        rows.append(
            Row(
                requirement_label(last, action.requirement_id),
                (
                    str(action.get_outcome_display()),
                    action.what,
                    action.responsible,
                    formats.date_format(action.due_on, "SHORT_DATE_FORMAT"),
                    done,
                    str(now.label) if now is not None else _("not in the concept in force"),
                ),
                key=action.requirement_id,
            )
        )
    if not rows:
        return ()
    table = Table(
        key="action_plans",
        title=_("Last year's action plans and the verdict now"),
        columns=(
            _("Requirement"),
            _("Verdict %(year)s") % {"year": last},
            _("What will be done"),
            _("By whom"),
            _("By when"),
            _("Done"),
            _("Verdict %(year)s") % {"year": ctx.year},
        ),
        rows=tuple(rows),
        dimension="action_plan",
    )
    return (table,)


def _ref_metric(name: str, params: Any) -> tuple[str, str]:
    """The catalogue's key and label for an indicator with these parameters. An indicator a
    concept file names that the catalogue does not list yet (the catalogue test fails for it)
    is published under its own name and label rather than not at all."""
    from forpost.concepts import indicators

    found = for_ref(name, params)
    if found is not None:
        return found.key, str(found.label)
    return f"{name}:{sorted(dict(params).items())}", str(indicators.get(name).label)


def _measure_metric(requirement: Any) -> str:
    measure = requirement.measure
    return _ref_metric(measure.name, measure.params)[0] if hasattr(measure, "name") else ""


def _city_or_centre_value(ctx: StatusContext, name: str, params: Any) -> Any:
    """An indicator's value for the status's centres: one centre's, or the centres taken
    together as the indicator says (forpost.concepts.indicators.value)."""
    cache = _indicators(ctx)
    return cache.value(name, params, centre_ids=ctx.centre_ids, start=ctx.period.start, end=ctx.period.end)


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
            # One row for each indicator named as evidence, so that each value carries its metric.
            if not link.evidence:
                rows.append(Row(str(link.stage.label), (str(link.text), "–", "–")))
            for i, ref in enumerate(link.evidence):
                key, evidence_label = _ref_metric(ref.name, ref.params)
                value = _shown(ctx, _city_or_centre_value(ctx, ref.name, ref.params), key)
                stage, text = (str(link.stage.label), str(link.text)) if i == 0 else ("", "")
                rows.append(Row(stage, (text, evidence_label, value), metric=key))
        tables.append(
            Table(
                key=f"toc_{chain.id}",
                title=str(chain.title),
                columns=(_("Stage"), _("Assumption"), _("Indicator"), _("This year")),
                rows=tuple(rows),
                metrics=("", "", SAME_AS_COLUMN),
                dimension="evidence",
            )
        )
    return Section(
        key="theory_of_change",
        title=title,
        intro=_("Activities lead through mechanisms to outcomes; the indicators show how each link stood this year."),
        tables=tuple(tables),
    )


def definitions(ctx: StatusContext) -> Section:
    """The catalogue of published metrics, so that a reader can look up what each number counts."""
    from forpost.core.metrics import METRICS

    rows = tuple(Row(str(m.label), (str(m.definition), m.key), key=m.key) for m in METRICS)
    return Section(
        key="definitions",
        title=_("Definitions"),
        intro=_(
            "What each number in the status counts. Every number has one definition and one name, and the same "
            "name stands for the same number wherever it is shown; the key names it in the JSON and the API."
        ),
        tables=(
            Table(
                key="definitions",
                title=_("The numbers of the status"),
                columns=(_("Number"), _("Definition"), _("Key")),
                rows=rows,
            ),
        ),
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
    ("definitions", definitions),
)


# --- The rest of the papers (issue 19): the families' voice, offers, methods, staff -----------


def _planned(ctx: StatusContext, centre: Any, dimension: str, value: str, n: int) -> Cell:
    """A count with the mark the year's disclosure plan gives it (forpost.reports.disclosure):
    `centre` a centre's id, or None for the status's own (the city's, or the one centre's)."""
    if not ctx.suppress:
        return Cell(n)
    from .disclosure import plan_for, who

    return plan_for(ctx).cell(who(ctx) if centre is None else centre, dimension, value, n)


def _planned_share(ctx: StatusContext, part: int, whole: int, *, hidden: bool) -> str:
    """A share of a planned count: hidden when the count is, or when its part or rest is small."""
    return _share_of(ctx, part, whole, hidden=hidden)


def _centre_names(ctx: StatusContext) -> dict[int, str]:
    if "centre_names" not in ctx.cache:
        ctx.cache["centre_names"] = dict(
            Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name").values_list("pk", "name")
        )
    names: dict[int, str] = ctx.cache["centre_names"]
    return names


def families_voice(ctx: StatusContext) -> Section:
    """The feedback card's answers per centre beside the SRS the families gave in courses: the
    2006 paper's "dialogen mellem brugere og beslutningstagere". Small counts are hidden.
    Read from the kept counts (feedback_cards, feedback_answer, srs_rated), one query."""
    from forpost.feedback.models import AnswerValue, Question

    title = _("The families' own voice")
    kept = counts_by_centre(ctx.scope, ctx.period, ("feedback_cards", "feedback_answer", "srs_rated"))
    by_centre = {pk: n for pk, by in kept.items() if (n := by.get("feedback_cards", {}).get("", 0))}
    rated = {pk: n for pk, by in kept.items() if (n := by.get("srs_rated", {}).get("", 0))}
    if not any(by_centre.values()) and not any(rated.values()):
        return Section(key="families_voice", title=title, no_data=True, intro=_("No family answered in this year."))
    rows = [
        Row(
            label=name,
            cells=(
                _planned(ctx, pk, "feedback_cards", "", by_centre.get(pk, 0)),
                _planned(ctx, pk, "srs_rated", "", rated.get(pk, 0)),
            ),
            key=str(pk),
        )
        for pk, name in _centre_names(ctx).items()
    ]
    total_cards, total_rated = sum(by_centre.values()), sum(rated.values())
    cards_cell = _planned(ctx, None, "feedback_cards", "", total_cards)
    table = Table(
        key="feedback",
        title=_("Feedback cards and sessions rated (SRS), by centre"),
        columns=(_("Centre"), _("Feedback cards answered"), _("Sessions rated by the family (SRS)")),
        rows=tuple(rows),
        total=Row(label=_("Total"), cells=(cards_cell, _planned(ctx, None, "srs_rated", "", total_rated))),
    )
    questions = list(Question.objects.order_by("question_set__version"))
    # The answers are kept by question ("12|yes") and shown by the question's code, which the
    # versions of the card share.
    codes = {str(q.pk): q.code for q in questions}
    counts: dict[str, dict[str, int]] = {}
    for by in kept.values():
        for answer, n in by.get("feedback_answer", {}).items():
            question_id, _sep, value = answer.partition("|")
            code = codes.get(question_id, question_id)
            counts.setdefault(code, {})[value] = counts.get(code, {}).get(value, 0) + n
    texts = {q.code: q.text for q in questions}
    # In the card's order (the latest version's positions), not the database's.
    positions = {q.code: q.position for q in questions}
    question_rows = []
    for code, given in sorted(counts.items(), key=lambda item: (positions.get(item[0], 1000), item[0])):
        answered = sum(given.values())
        yes = given.get(AnswerValue.YES, 0)
        cell = _planned(ctx, None, "feedback_answers", code, answered)
        shown = percent(yes, answered) if not ctx.suppress or answered >= ctx.threshold else "–"
        if ctx.suppress and answered >= ctx.threshold:
            shown = _planned_share(ctx, yes, answered, hidden=cell.suppressed)
        question_rows.append(Row(label=texts.get(code, code), cells=(cell, shown), key=code))
    tables = [table]
    if question_rows:
        tables.append(
            Table(
                key="feedback_questions",
                title=_("What the families answered"),
                columns=(_("Question"), _("Answers"), _("Yes")),
                rows=tuple(question_rows),
            )
        )
    return Section(
        key="families_voice",
        title=title,
        intro=_(
            "Families answer an anonymous card reached by a QR code in the centre; families in a course also rate "
            "each session (SRS). Both are the families' own voice, which the 2006 concept asks the centres to carry "
            "to the decision makers."
        ),
        facts=(Fact(label("feedback_cards"), cards_cell, "feedback_cards"),),
        tables=tuple(tables),
    )


def offer_referrals(ctx: StatusContext) -> Section | None:
    """Referrals to offers in the directory by kind (public, private, voluntary), and how
    many reached contact where the offer agreed to follow-up (from the counts, facts.py)."""
    from forpost.registrations.models import OfferContact, OfferKind

    title = _("Families guided to other offers")
    kept = facts(ctx).get("referral_offer", {})
    if not any(kept.values()):
        return None
    contact: dict[tuple[str, str], int] = {}
    for value, n in kept.items():
        kind, _sep, status = value.partition("|")
        contact[(kind, status or OfferContact.UNKNOWN)] = contact.get((kind, status or OfferContact.UNKNOWN), 0) + n
    statuses = list(OfferContact.values)
    table = cross_table(
        ctx,
        key="offers_by_kind",
        title=_("Referrals to offers by kind and contact"),
        corner=_("Kind of offer"),
        matrix=contact,
        rows=list(OfferKind.values),
        columns=statuses,
        row_labels=_labels(OfferKind.choices),
        column_labels=_labels(OfferContact.choices),
        total_label=_("Total"),
        note=_("\u201cUnknown\u201d includes referrals to offers that have not agreed to follow-up."),
        planned=_offer_key,
    )
    # The key figures carry the marks the year's plan gives the table's own totals.
    made = sum(n for (_kind, status), n in contact.items() if status == OfferContact.MADE)
    total = sum(contact.values())
    return Section(
        key="offer_referrals",
        title=title,
        intro=_("The 2010 concept: guide the family to relevant offers, public, private and voluntary."),
        facts=(
            Fact(label("offer_referrals"), _planned(ctx, None, "offer_kind", TOTAL, total), "offer_referrals"),
            Fact(
                label("offer_referrals_contact"),
                _planned(ctx, None, "offer_status", OfferContact.MADE, made),
                "offer_referrals_contact",
            ),
        ),
        tables=(table,),
    )


def _offer_key(kind: Any, status: Any) -> tuple[None, str, str]:
    """The plan's cell of the offers table (TOTAL for a total): the status's own counts."""
    if status == TOTAL:
        return (None, "offer_kind", str(kind))
    if kind == TOTAL:
        return (None, "offer_status", str(status))
    return (None, "referral_offer", f"{kind}|{status}")


def methods(ctx: StatusContext) -> Section | None:
    """Methods and programmes per centre (courses started in the year), and the outcomes of
    the courses ended in the year by method, where at least twice the threshold have scores.
    Read from the kept counts (course_method, ors_method…, forpost.registrations.counts), one
    query."""
    from forpost.registrations.models import Method

    title = _("Methods and programmes")
    kept = counts_by_centre(
        ctx.scope, ctx.period, ("course_method", "ors_method", "ors_method_change_tenths", "ors_method_improved")
    )
    matrix = {(pk, method): n for pk, by in kept.items() for method, n in by.get("course_method", {}).items() if n}
    if not matrix:
        return None
    method_labels = {str(m.pk): m.name for m in Method.objects.all()}
    method_labels[""] = _("Not stated")
    used = [k for k in [*method_labels] if any(key[1] == k for key in matrix)]
    names = _centre_names(ctx)
    table = cross_table(
        ctx,
        key="methods_by_centre",
        title=_("Courses started by method and centre"),
        corner=_("Centre"),
        matrix=matrix,
        rows=list(names),
        columns=used,
        row_labels=names,
        column_labels=method_labels,
        total_label=_("Total"),
        planned=_method_key,
    )
    # Ended courses with two ORS scores by method: how many, the sum of their change (tenths)
    # and how many improved reliably.
    outcome: dict[str, list[int]] = {}
    for by in kept.values():
        for method, n in by.get("ors_method", {}).items():
            row = outcome.setdefault(method, [0, 0, 0])
            row[0] += n
            row[1] += by.get("ors_method_change_tenths", {}).get(method, 0)
            row[2] += by.get("ors_method_improved", {}).get(method, 0)
    outcome = {
        m: row for m, row in sorted(outcome.items(), key=lambda kv: _method_order(method_labels, kv[0])) if row[0]
    }
    minimum = 2 * ctx.threshold
    outcome_rows = []
    for key, (n, tenths, improved) in outcome.items():
        change = tenths / 10
        publishable = n >= minimum or not ctx.suppress
        cell = _planned(ctx, None, "ors_method", key, int(n))
        outcome_rows.append(
            Row(
                label=method_labels.get(key, key),
                cells=(
                    cell,
                    values.decimal(change / n, 1, signed=True) if publishable else "–",
                    (
                        _planned_share(ctx, int(improved), int(n), hidden=cell.suppressed)
                        if ctx.suppress
                        else percent(int(improved), int(n))
                    )
                    if publishable
                    else "–",
                ),
                key=key,
            )
        )
    outcomes = Table(
        key="outcomes_by_method",
        title=_("Outcomes of ended courses by method"),
        columns=(_("Method"), _("Courses with two ORS scores"), _("Average change in ORS"), _("Reliable improvement")),
        rows=tuple(outcome_rows),
        note=_("Outcomes are shown only where at least %(n)s courses have a first and a last ORS score.")
        % {"n": minimum},
    )
    return Section(
        key="methods",
        title=title,
        intro=_("The 2010 concept lets the methods vary between the centres; this is what each centre used."),
        tables=(table, outcomes),
    )


def _method_order(method_labels: dict[str, str], key: str) -> tuple[int, str]:
    """The outcomes' rows in the list's order of the methods, "not stated" last."""
    order = list(method_labels)
    return (order.index(key) if key in order else len(order), key)


def _method_key(centre: Any, method: Any) -> tuple[Any, str, str]:
    """The plan's cell of the methods table: a centre's row is that centre's counts, the total
    row the status's own."""
    return (None if centre == TOTAL else centre, "course_method", str(method))


def staff_roster(ctx: StatusContext) -> Section | None:
    """The centres' own staff on the last day of the year (or today, while the year runs):
    people and hours by role, and a flag on a centre that depends on one coordinator, as the
    2006 paper warns. Facts about the centres, not about citizens; names are never shown."""
    from forpost.centres.models import RosterEntry, RosterRole

    title = _("The centres' own staff")
    day = min(ctx.last_day, timezone.localdate())
    entries = list(
        RosterEntry.objects.filter(_mine(ctx, "centre_id"))
        .in_force_on(day)
        .values_list("centre_id", "role", "hours_per_week")
    )
    if not entries:
        return None
    people: dict[tuple[int, str], int] = {}
    hours: dict[int, float] = {}
    for centre_id, role, h in entries:
        people[(centre_id, role)] = people.get((centre_id, role), 0) + 1
        hours[centre_id] = hours.get(centre_id, 0.0) + float(h)
    rows = []
    flagged = []
    for pk, name in _centre_names(ctx).items():
        coordinators = people.get((pk, RosterRole.COORDINATOR), 0)
        if coordinators <= 1:
            flagged.append(name)
        rows.append(
            Row(
                label=name,
                cells=(
                    *(values.count(people.get((pk, role), 0)) for role in RosterRole.values),
                    number(round(hours.get(pk, 0.0), 1)),
                    _("Depends on one coordinator")
                    if coordinators == 1
                    else _("No coordinator")
                    if coordinators == 0
                    else "",
                ),
                key=str(pk),
            )
        )
    table = Table(
        key="roster",
        title=_("People on the roster on %(date)s") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")},
        columns=(_("Centre"), *(str(label) for _v, label in RosterRole.choices), _("Hours a week"), _("Flag")),
        rows=tuple(rows),
    )
    notes: tuple[str, ...] = (
        (_("Vulnerable: depends on one coordinator or none: %(centres)s.") % {"centres": ", ".join(flagged)},)
        if flagged
        else ()
    )
    housing = list(
        Centre.objects.filter(pk__in=ctx.centre_ids, houses_youth_counselling=True).values_list("name", flat=True)
    )
    if housing:
        # The 2006 paper: the centre "kan huse ungerådgivningen" (an option, not a duty).
        notes += (_("Houses the youth counselling service: %(centres)s.") % {"centres": ", ".join(housing)},)
    return Section(
        key="staff_roster",
        title=title,
        intro=_(
            "The 2006 concept wants the centres less vulnerable than when several depended on only one coordinator. "
            "The family unit's staff hours are shown under resources."
        ),
        tables=(table,),
        notes=notes,
    )


# The rest of the papers' sections come before the centres one by one and the definitions,
# which close the status.
_CLOSING = ("centres", "centre_pages", "definitions")
SECTIONS = (
    *(entry for entry in SECTIONS if entry[0] not in _CLOSING),
    ("families_voice", families_voice),
    ("offer_referrals", offer_referrals),
    ("methods", methods),
    ("staff_roster", staff_roster),
    *(entry for entry in SECTIONS if entry[0] in _CLOSING),
)
