"""The status's opening: the headline numbers with their change from last year, the centre ×
requirement matrix, what needs attention, and the key indicators over five years.

A head of department puts these pages in front of politicians; everything after them is the
detail they link to. The numbers are the sections' own (the same counts and indicators), for
each year asked for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forpost.concepts.indicators.centres import AS_RECORDED
from forpost.core.charts import Bar
from forpost.core.disclosure import PRIMARY, SECONDARY
from forpost.core.formats import values
from forpost.core.suppression import Cell

from .models import InquiryFact
from .status import HIDDEN_SHARE, Chart, Row, Section, StatusContext, Table

TREND_YEARS = 5
MATRIX_CENTRES_PER_TABLE = 12  # fits 1366 px and an A4 page; more centres go on in further tables

# The key indicators: (key, label, kind). A "count" changes in per cent, a "share" in points.
KEY_INDICATORS: tuple[tuple[str, Any, str], ...] = (
    ("inquiries", gettext_lazy("Inquiries"), "count"),
    ("young", gettext_lazy("Share aged 0–12"), "share"),
    ("without_case", gettext_lazy("Share without a case at the family unit"), "share"),
    ("improvement", gettext_lazy("Reliable improvement (ORS)"), "share"),
    ("bridge", gettext_lazy("Bridge to the family unit: contact made"), "share"),
    ("six_hours", gettext_lazy("Weeks with 6 drop-in hours"), "share"),
)
# The indicators that measure the year's whole length (a count, a share of its weeks): not
# compared with a year that holds only part of the registrations. A share of what was
# registered (aged 0–12, without a case, …) is still compared.
WHOLE_YEAR = frozenset({"inquiries", "six_hours"})
# Where each indicator's detail is (a section's anchor).
DETAIL = {
    "inquiries": "volume",
    "young": "target_group",
    "without_case": "target_group",
    "improvement": "courses",
    "bridge": "referrals",
    "six_hours": "resources",
}
# A fall worth attention: a count down by a tenth, a share down by 3 percentage points.
FALL = {"count": -0.10, "share": -0.03}

# Each state of the matrix: a symbol, a colour (CSS class) and a word; never colour alone.
SYMBOLS = {
    "met": "✓",
    "attested": "✓",
    "attested_pending": "◔",
    "used": "✓",
    "partly_met": "◐",
    "not_met": "✗",
    "not_attested": "✗",
    "no_data": "–",
    "not_used": "○",
}


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: Any  # Shown, Cell or "ingen data"
    change: Any  # Shown or "–"
    falling: bool
    anchor: str


@dataclass(frozen=True)
class MatrixCell:
    outcome: str
    symbol: str
    word: str


@dataclass(frozen=True)
class Matrix:
    centres: tuple[Any, ...]  # (slug, short name, full name)
    rows: tuple[tuple[str, str, tuple[MatrixCell, ...]], ...]  # requirement key, label, cells


@dataclass(frozen=True)
class Summary:
    year: int
    headlines: tuple[Headline, ...]
    matrices: tuple[Matrix, ...]
    attention: tuple[tuple[str, str], ...]  # text, anchor
    centre_pages: bool = False  # the file has a page per centre to link to


def first_year(ctx: StatusContext) -> int | None:
    """The first year with registrations or imported counts for the status's centres: the years
    before it have no data (never 0)."""
    key = "first_year"
    if key not in ctx.cache:
        qs = InquiryFact.objects.filter(count__gt=0)
        if not ctx.city_wide:
            qs = qs.filter(centre_id__in=ctx.centre_ids)
        ctx.cache[key] = qs.aggregate(y=Min("year"))["y"]
    found: int | None = ctx.cache[key]
    return found


def data_start(ctx: StatusContext) -> dict[int, tuple[int, int]]:
    """{centre id: (year, month)} of each of the status's centres' first registration or
    import, read from the kept counts by month (an imported inquiry is counted in its own
    month, like a registered one)."""
    key = "data_start"
    if key not in ctx.cache:
        rows = (
            InquiryFact.objects.filter(dimension="month", year__lte=ctx.year, centre_id__in=ctx.centre_ids)
            .values("centre_id", "year", "value")
            .annotate(n=Sum("count"))
            .filter(n__gt=0)
            .values_list("centre_id", "year", "value")
        )
        start: dict[int, tuple[int, int]] = {}
        for centre, year, month in rows:
            first = (int(year), int(month))
            if centre not in start or first < start[centre]:
                start[centre] = first
        ctx.cache[key] = start
    found: dict[int, tuple[int, int]] = ctx.cache[key]
    return found


def part_of_year(ctx: StatusContext, year: int) -> bool:
    """Whether `year` holds only part of a year of registrations for the status's centres: a
    centre's first registration or import came after January of that year (or in a later
    year). Its counts are then not comparable with a whole year's (the demo's centres began
    in December 2024: 232 inquiries, then 3,409). By the month: no centre registers on New
    Year's Day, so "after 1 January" is read as "after January"."""
    return any(start > (year, 1) for start in data_start(ctx).values())


def key_values(ctx: StatusContext, year: int) -> dict[str, tuple[float | None, int]]:
    """{indicator: (value, base)} for `year`: a count's base is itself, a share's its whole.
    None when the year has no data."""
    from forpost.concepts.indicators import without_case
    from forpost.registrations.models import BridgeStatus

    from .sections import _city_or_centre_value, facts

    start = first_year(ctx)
    if start is None or year < start:
        return dict.fromkeys((k for k, _l, _kind in KEY_INDICATORS), (None, 0))
    f = facts(ctx, year)
    total = f.get("total", {}).get("", 0)
    young = f.get("child_0_12", {}).get("yes", 0)
    no, known, _unknown = without_case(f.get("has_case", {}))
    n_ors = f.get("course_ors_n", {}).get("", 0)
    improved = f.get("course_improved", {}).get("", 0)
    bridge = dict.fromkeys(BridgeStatus.values, 0)
    for status, n in f.get("referral_bridge", {}).items():
        bridge[status or BridgeStatus.OFFERED] += n
    to_unit = sum(bridge.values())
    contact = bridge[BridgeStatus.CONTACT_MADE] + bridge[BridgeStatus.CASE_OPENED]
    year_ctx = dataclasses.replace(ctx, year=year, cache={} if year != ctx.year else ctx.cache)
    dropin = _city_or_centre_value(year_ctx, "dropin_hours_per_week", AS_RECORDED)
    meeting, weeks = dropin.parts if dropin is not None and dropin.parts else (0, 0)

    def share(part: int, whole: int) -> tuple[float | None, int]:
        return (part / whole if whole else None, whole)

    found = {
        "inquiries": (float(total), total),
        "young": share(young, total),
        "without_case": share(no, known),
        "improvement": share(improved, n_ors),
        "bridge": share(contact, to_unit),
        "six_hours": share(meeting, weeks),
    }
    if ctx.suppress:
        found = _disclosed(
            ctx, year, found, f, parts={"young": young, "without_case": no, "improvement": improved, "bridge": contact}
        )
    return found


HIDDEN = -1.0  # a key value whose number the disclosure plan hides (see _disclosed)
HIDDEN_SMALL = -2.0  # the number of inquiries hidden as a small count ("<5"), not to protect another


def _disclosed(
    ctx: StatusContext,
    year: int,
    found: dict[str, tuple[float | None, int]],
    f: Any,
    *,
    parts: dict[str, int],
) -> dict[str, tuple[float | None, int]]:
    """The key values as the year's disclosure plan lets them out: the number of inquiries
    with its mark, a share hidden when a count it is made of is hidden or when its part or its
    rest is a small count (a share of a small group, or one that pins a small count). A hidden
    value is kept as its base with HIDDEN in place of the number."""
    from .disclosure import plan_for, who

    plan, centre = plan_for(ctx), who(ctx)
    total_var = (centre, "total", "") if year == ctx.year else (centre, f"total@{year}", "")
    total_hidden = plan.hidden(*total_var) or (0 < found["inquiries"][1] < ctx.threshold)
    hidden_inputs = {
        "young": total_hidden,
        "without_case": year != ctx.year
        or any(plan.hidden(centre, "has_case", v) for v in ("yes", "no"))
        or any(0 < f.get("has_case", {}).get(v, 0) < ctx.threshold for v in ("yes", "no")),
        "improvement": False,
        "bridge": year != ctx.year
        or any(plan.hidden(centre, "referral_bridge", v) for v in ("offered", "contact_made", "case_opened"))
        or plan.hidden(centre, "referral_to", "family_unit"),
    }
    shown = dict(found)
    if total_hidden:
        # The mark the plan gives the count wherever it is printed (the key figures, the
        # trends' table of inquiries): one count never carries "<5" here and "×" there.
        kind = plan.cell(*total_var, found["inquiries"][1]).kind
        shown["inquiries"] = (HIDDEN_SMALL if kind == PRIMARY else HIDDEN, found["inquiries"][1])
    for key, part in parts.items():
        value, whole = found[key]
        if value is None:
            continue
        if hidden_inputs[key] or 0 < part < ctx.threshold or 0 < whole - part < ctx.threshold:
            shown[key] = (HIDDEN, whole)
    return shown


def _shown(ctx: StatusContext, kind: str, value: float | None, base: int) -> Any:
    if value is None:
        return _("no data") if base == 0 else "–"
    if value in (HIDDEN, HIDDEN_SMALL):
        if kind == "count":
            return Cell(base, suppressed=True, kind=PRIMARY if value == HIDDEN_SMALL else SECONDARY)
        return HIDDEN_SHARE
    if kind == "count":
        n = int(value)
        return Cell(n, suppressed=ctx.suppress and 0 < n < ctx.threshold)
    if ctx.suppress and 0 < base < ctx.threshold:
        return "–"  # a share of a small group is hidden when it leaves the centre
    return values.fraction(value)


def _change(
    ctx: StatusContext,
    kind: str,
    now: tuple[float | None, int],
    before: tuple[float | None, int],
    *,
    whole_year_before: bool = True,
) -> Any:
    """The change from last year: a count's in per cent, a share's in points; "–" (shown as
    "no comparison with <year>") where there is none to give; not with a year that holds only
    part of a year's registrations when `whole_year_before` is False (the caller says so for the
    indicators in WHOLE_YEAR)."""
    (a, base_a), (b, base_b) = now, before
    if a is None or b is None or a in (HIDDEN, HIDDEN_SMALL) or b in (HIDDEN, HIDDEN_SMALL):
        return "–"  # no change from or to a hidden number: it would give the number away
    if not whole_year_before:
        return "–"
    if ctx.suppress and (0 < base_a < ctx.threshold or 0 < base_b < ctx.threshold):
        return "–"
    if kind == "count":
        if not b:
            return "–"
        ratio = (a - b) / b
        text = f"{'+' if round(100 * ratio) > 0 else ''}{values.fraction(ratio)}"
        return values.Shown(text, ratio, "+0%;-0%;0%")
    points = 100 * (a - b)
    shown = values.decimal(points, 0, signed=True)
    return values.Shown(_("%(points)s pp") % {"points": shown}, (a - b), "+0%;-0%;0%")


def _falls(kind: str, now: tuple[float | None, int], before: tuple[float | None, int]) -> bool:
    (a, _ba), (b, _bb) = now, before
    if a is None or b is None or a in (HIDDEN, HIDDEN_SMALL) or b in (HIDDEN, HIDDEN_SMALL):
        return False
    if kind == "count":
        return bool(b) and (a - b) / b <= FALL["count"]
    return a - b <= FALL["share"]


def short_centre_name(name: str) -> str:
    """ "Familierådgivningen Nørrebro" → "Nørrebro": the matrix's column says where."""
    for prefix in ("Familierådgivningen ", "Family counselling centre "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def build_summary(ctx: StatusContext) -> Summary:
    from forpost.centres.models import Centre
    from forpost.concepts.evaluation import Outcome
    from forpost.concepts.loader import concept_for_year

    from .sections import _evaluations_by_centre

    now = key_values(ctx, ctx.year)
    before = key_values(ctx, ctx.year - 1)
    whole_year_before = not part_of_year(ctx, ctx.year - 1)
    headlines = []
    attention: list[tuple[str, str]] = []
    for key, label, kind in KEY_INDICATORS:
        falling = _falls(kind, now[key], before[key])
        # A count, and a share of the year's weeks, cover the year's whole length: a year that
        # holds only part of the registrations is not compared with (its weeks before the
        # first registration read as weeks without drop-in hours: the demo said "+91 pp").
        change = _change(ctx, kind, now[key], before[key], whole_year_before=whole_year_before or key not in WHOLE_YEAR)
        headlines.append(
            Headline(key, str(label), _shown(ctx, kind, *now[key]), change, falling and change != "–", DETAIL[key])
        )
        if falling and change != "–":
            attention.append(
                (
                    _("%(indicator)s fell: %(change)s from %(year)s.")
                    % {"indicator": label, "change": change, "year": ctx.year - 1},
                    DETAIL[key],
                )
            )
    concept = concept_for_year(ctx.year)
    evaluations = _evaluations_by_centre(ctx) if concept else {}
    centres = list(Centre.objects.filter(pk__in=ctx.centre_ids).order_by("name").only("pk", "name", "slug"))
    matrices = []
    not_met: dict[str, int] = {}
    labels = {}
    for first in range(0, len(centres), MATRIX_CENTRES_PER_TABLE):
        part = centres[first : first + MATRIX_CENTRES_PER_TABLE]
        rows = []
        for requirement in concept.requirements if concept else ():
            results = evaluations.get(requirement.id)
            if results is None:
                continue  # a requirement of the city as a whole: in the scorecard
            labels[requirement.id] = str(requirement.label)
            cells = []
            for centre in part:
                result = results.get(centre.pk)
                outcome = result.outcome if result is not None else Outcome.NO_DATA
                cells.append(MatrixCell(outcome.value, SYMBOLS[outcome.value], str(outcome.label)))
                if outcome in (Outcome.NOT_MET, Outcome.NOT_ATTESTED):
                    not_met[requirement.id] = not_met.get(requirement.id, 0) + 1
            rows.append((requirement.id, str(requirement.label), tuple(cells)))
        matrices.append(
            Matrix(
                centres=tuple((c.slug, short_centre_name(c.name), c.name) for c in part),
                rows=tuple(rows),
            )
        )
    for requirement_id, n in sorted(not_met.items(), key=lambda kv: -kv[1]):
        attention.append(
            (
                _("Not met at %(n)s of %(total)s centres: %(requirement)s.")
                % {"n": values.count(n), "total": values.count(len(centres)), "requirement": labels[requirement_id]},
                "scorecard",
            )
        )
    return Summary(
        ctx.year, tuple(headlines), tuple(matrices), tuple(attention), centre_pages=ctx.for_file and ctx.city_wide
    )


def summary(ctx: StatusContext) -> Section:
    """The first section: the year at a glance."""
    found = build_summary(ctx)
    headline_table = Table(
        key="headlines",
        title=_("Headline numbers %(year)s and the change from %(last)s") % {"year": ctx.year, "last": ctx.year - 1},
        columns=(_("Indicator"), str(ctx.year), _("Change from %(year)s") % {"year": ctx.year - 1}),
        rows=tuple(Row(h.label, (h.value, h.change), key=h.key) for h in found.headlines),
    )
    tables = [headline_table]
    for n, matrix in enumerate(found.matrices, start=1):
        tables.append(
            Table(
                key=f"matrix_{n}",
                title=_("Requirements by centre")
                if len(found.matrices) == 1
                else _("Requirements by centre (%(n)s of %(total)s)") % {"n": n, "total": len(found.matrices)},
                columns=(_("Requirement"), *(full for _slug, _short, full in matrix.centres)),
                rows=tuple(
                    Row(label, tuple(f"{c.symbol} {c.word}" for c in cells), key=key)
                    for key, label, cells in matrix.rows
                ),
            )
        )
    return Section(
        key="summary",
        title=_("Summary"),
        intro=_(
            "The year at a glance: the headline numbers, how each centre meets the concept, and what needs attention."
        ),
        tables=tuple(tables),
        notes=tuple(text for text, _anchor in found.attention) or (_("Nothing needs special attention."),),
        extra={"summary": found},
    )


def trends(ctx: StatusContext) -> Section:
    """The key indicators over five years. A year before the first registration or import says
    "no data"; the years are never summed."""
    years = list(range(ctx.year - TREND_YEARS + 1, ctx.year + 1))
    per_year = {y: key_values(ctx, y) for y in years}
    names = _year_names(ctx, years)
    rows = []
    charts = []
    for key, label, kind in KEY_INDICATORS:
        cells = tuple(_shown(ctx, kind, *per_year[y][key]) for y in years)
        rows.append(Row(str(label), cells, key=key))
    note = _("“No data”: the year is before the first registration or import.")
    if any(names[y] != str(y) for y in years):
        note = f"{note} " + _(
            "“Part of the year”: a centre began to register or import during the year, so its "
            "counts cannot be compared with a whole year's."
        )
    table = Table(
        key="trends",
        title=_("Key indicators %(first)s–%(last)s") % {"first": years[0], "last": years[-1]},
        columns=(_("Indicator"), *(names[y] for y in years)),
        rows=tuple(rows),
        note=note,
    )
    inquiries = rows[0]
    bars = []
    for y, cell in zip(years, inquiries.cells, strict=True):
        if isinstance(cell, Cell):
            bars.append(
                Bar(
                    names[y],
                    cell.published,
                    cell.display(ctx.threshold) if cell.suppressed else values.count(cell.value),
                )
            )
        else:
            bars.append(Bar(names[y], None, str(cell)))
    inquiries_table = Table(
        key="trend_inquiries",
        title=_("Inquiries a year"),
        columns=(_("Year"), _("Inquiries")),
        rows=tuple(Row(names[y], (cell,), key=str(y)) for y, cell in zip(years, inquiries.cells, strict=True)),
    )
    charts.append(Chart(kind="column", title=inquiries_table.title, bars=tuple(bars)))
    return Section(
        key="trends",
        title=_("Five years"),
        intro=_("The key indicators over the last five years, as each year's status measured them."),
        tables=(table, inquiries_table, _by_channel(ctx, years)),
        charts=tuple(charts),
    )


def _year_names(ctx: StatusContext, years: list[int]) -> dict[int, str]:
    """Each year as a column heading: a year that holds only part of a year's registrations
    (see part_of_year), and has any, says so."""
    start = first_year(ctx)
    return {
        y: _("%(year)s (part of the year)") % {"year": y}
        if start is not None and y >= start and part_of_year(ctx, y)
        else str(y)
        for y in years
    }


def _by_channel(ctx: StatusContext, years: list[int]) -> Table:
    """Inquiries by channel and year: each year's column hidden on its own where small (its
    total is in the table above), years before the first data say "no data"."""
    from forpost.registrations.models import Channel

    from .sections import facts

    start = first_year(ctx)
    labels = {str(c.pk): c.name for c in Channel.objects.all()}
    per_year = {y: facts(ctx, y).get("channel", {}) for y in years}
    used = [k for k in labels if any(per_year[y].get(k) for y in years)]
    columns: dict[int, dict[str, Any]] = {}
    for y in years:
        if start is None or y < start:
            columns[y] = dict.fromkeys(used, _("no data"))
            continue
        counts = {k: per_year[y].get(k, 0) for k in used}
        if ctx.suppress:
            # The marks of the year's disclosure plan, which links each year's column to that
            # year's inquiries and, for this year, to the channel table.
            from .disclosure import plan_for, who

            plan, centre = plan_for(ctx), who(ctx)
            dimension = "channel" if y == ctx.year else f"channel@{y}"
            columns[y] = {k: plan.cell(centre, dimension, k, counts[k]) for k in used}
        else:
            columns[y] = {k: Cell(counts[k]) for k in used}
    return Table(
        key="trend_channels",
        title=_("Inquiries by channel and year"),
        columns=(_("Channel"), *(_year_names(ctx, years)[y] for y in years)),
        rows=tuple(Row(labels[k], tuple(columns[y][k] for y in years), key=k) for k in used),
    )
