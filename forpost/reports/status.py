"""The annual status: rows first, renderers second.

`build_status()` runs the sections listed in order in `forpost.reports.sections.SECTIONS`,
each returning a `Section` of tables and charts built from one query. The same `AnnualStatus` then feeds the web page, the PDF, the
workbook and the JSON, so the numbers cannot differ between them.

Suppression is decided once, here: a centre's own staff see their own centre's numbers as
they are; anyone else, and everything that leaves the app (PDF, workbook, JSON, API), gets
small cells hidden with secondary suppression (forpost.core.suppression).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forpost.core.charts import Bar
from forpost.core.formats import values
from forpost.core.periods import CentreScope, Period
from forpost.core.suppression import SECONDARY_MARK, Cell, default_threshold, suppress_one_way, suppress_two_way


@dataclass(frozen=True)
class StatusContext:
    year: int
    centre_ids: tuple[int, ...]
    city_wide: bool
    suppress: bool
    threshold: int
    # A file (PDF, workbook, JSON) rather than the page: the city's file adds a page per centre.
    for_file: bool = False
    # Shared by the sections of one build (never across requests): queries made once.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.year, 1, 1), time.min))

    @property
    def end(self) -> datetime:
        """Half-open: the first moment of the next year."""
        return timezone.make_aware(datetime.combine(date(self.year + 1, 1, 1), time.min))

    @property
    def period(self) -> Period:
        return Period.year(self.year)

    @property
    def scope(self) -> CentreScope:
        """The status's centres; the city's status of every centre there is needs no condition."""
        if "scope" not in self.cache:
            from forpost.centres.models import Centre

            every = self.city_wide and len(self.centre_ids) == Centre.objects.count()
            self.cache["scope"] = CentreScope(frozenset(self.centre_ids), every)
        scope: CentreScope = self.cache["scope"]
        return scope

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell | str | None, ...]
    key: str = ""
    # The row's own metric (forpost.core.metrics), for the columns marked SAME_AS_COLUMN.
    metric: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    total: Row | None = None
    note: str = ""
    # The metric key of each value column (columns[1:]); "" where a column is not a number
    # the status publishes, SAME_AS_COLUMN where each row names its own (Row.metric).
    metrics: tuple[str, ...] = ()
    # What the rows break the metrics down by: a counts dimension ("channel"), or "centre"
    # when each row is a centre (its key the centre's slug).
    dimension: str = ""
    # The total row is the metric's total (False where a row can count twice, e.g. themes).
    adds_up: bool = True

    def metric_of(self, column: int, row: Row) -> str:
        """The metric of value column `column` (0 is the first after the label) in `row`."""
        key = self.metrics[column] if column < len(self.metrics) else ""
        return row.metric if key == "=row" else key


@dataclass(frozen=True)
class Fact:
    """A key figure: its label (the catalogue's), its value and its metric key. It unpacks as
    the (label, value) pair it replaced, so templates and files read it as before."""

    label: str
    value: Any
    metric: str = ""

    def __iter__(self) -> Iterator[Any]:
        return iter((self.label, self.value))

    def __getitem__(self, index: int) -> Any:
        return (self.label, self.value)[index]


def fact(key: str, value: Any) -> Fact:
    """The key figure of catalogue metric `key` (forpost.core.metrics)."""
    from forpost.core.metrics import label

    return Fact(label(key), value, key)


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar", "column" or "dots" (a dot plot with intervals, e.g. representativeness)
    title: str
    bars: tuple[Bar, ...]
    description: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str = ""
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()  # short key figures
    texts: tuple[tuple[str, str], ...] = ()  # heading, paragraph: words rather than numbers
    no_data: bool = False
    # What a section's own template needs beyond tables (the summary's tiles and matrix).
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnnualStatus:
    year: int
    title: str
    centres: tuple[Any, ...]
    city_wide: bool
    suppressed: bool
    threshold: int
    sections: tuple[Section, ...]
    generated_at: datetime = field(default_factory=timezone.now)
    # The last day the numbers cover when the year is not over (Copenhagen's date): the status
    # of the current year is preliminary and says so everywhere it is shown or sent.
    preliminary_until: date | None = None
    # The key it is kept under for its data version (build_status), "" when it is not kept:
    # what is made from it alone (its rendered sections) is kept under the same key.
    cache_key: str = field(default="", compare=False)

    @property
    def preliminary_note(self) -> str:
        if self.preliminary_until is None:
            return ""
        return _("preliminary, up to and including %(date)s") % {
            "date": formats.date_format(self.preliminary_until, "DATE_FORMAT")
        }


# A section function gives its section, none, or several (the city file's page per centre).
SectionFunction = Callable[[StatusContext], "Section | tuple[Section, ...] | None"]


def build_status(
    *, year: int, centres: Sequence[Any], city_wide: bool, suppress: bool, title: str, for_file: bool = False
) -> AnnualStatus:
    """The status of `centres` for `year`. The page's status is kept per data version (every
    write of the data raises it, forpost.core.dataversion): a second reader with nothing written
    since reads it back whole; it is never read for a version it was not made from. The key
    holds everything else the status depends on: the centres, the language its words are in,
    Copenhagen's date (a preliminary year runs to today) and the threshold (cached_object adds
    the code's digest)."""
    if for_file:  # a file is made once, by the background job
        return _build_status(
            year=year, centres=centres, city_wide=city_wide, suppress=suppress, title=title, for_file=True
        )
    from django.utils import translation

    from forpost.core.dataversion import cached_object

    ids = ",".join(str(c.pk) for c in sorted(centres, key=lambda c: c.pk))
    key = ":".join(
        [
            "status",
            str(year),
            "city" if city_wide else "centre",
            "s" if suppress else "p",
            str(default_threshold()),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            hashlib.sha256(f"{ids}|{title}".encode()).hexdigest()[:32],
        ]
    )
    return cached_object(
        key,
        lambda: replace(
            _build_status(year=year, centres=centres, city_wide=city_wide, suppress=suppress, title=title),
            cache_key=key,
        ),
    )


def _build_status(
    *, year: int, centres: Sequence[Any], city_wide: bool, suppress: bool, title: str, for_file: bool = False
) -> AnnualStatus:
    ctx = StatusContext(
        year=year,
        centre_ids=tuple(sorted(c.pk for c in centres)),
        city_wide=city_wide,
        suppress=suppress,
        threshold=default_threshold(),
        for_file=for_file,
    )
    sections: list[Section] = []
    from .sections import SECTIONS  # the sections use this module's helpers

    for _key, function in SECTIONS:
        built = function(ctx)
        if isinstance(built, tuple):
            sections.extend(built)
        elif built is not None:
            sections.append(built)
    return AnnualStatus(
        year=year,
        title=title,
        centres=tuple(centres),
        city_wide=city_wide,
        suppressed=suppress,
        threshold=ctx.threshold,
        sections=tuple(sections),
        preliminary_until=preliminary_until(year),
    )


def preliminary_until(year: int) -> date | None:
    """Today in Copenhagen when `year` is not over yet (the numbers run up to today)."""
    today = timezone.localdate()
    return today if year >= today.year else None


# --- Helpers for sections: counts to suppressed tables and charts ---------------------------


# A share computed from a hidden count is hidden with the secondary mark.
HIDDEN_SHARE = SECONDARY_MARK


def number(value: int | float) -> str:
    """A count as the reader's language writes it (413.533 in Danish); the workbook gets the number."""
    if isinstance(value, float) and not value.is_integer():
        return values.decimal(value, 1)
    return values.count(int(value))


def percent(part: int, whole: int) -> str:
    """A share as a whole percent ("10 %"); the workbook gets the fraction with the format 0%."""
    return values.share(part, whole)


def count_table(
    ctx: StatusContext,
    *,
    key: str,
    title: str,
    label: str,
    counts: Mapping[Any, int],
    labels: Mapping[Any, str] | None = None,
    count_label: str,
    share_label: str,
    total_label: str,
    note: str = "",
    metric: str = "inquiries",
    dimension: str = "",
    adds_up: bool = True,
) -> tuple[Table, Chart]:
    """A one-way distribution as a table (count and share) and a bar chart, suppressed if needed.

    With `dimension` (a dimension of the kept counts), the marks come from the year's disclosure
    plan (forpost.reports.disclosure), which protects this table together with every other
    table published for the year; without, the table is protected on its own."""
    names = labels or {k: str(k) for k in counts}
    if ctx.suppress and dimension:
        from .disclosure import _total_var, plan_for, who

        plan, centre = plan_for(ctx), who(ctx)
        cells = {k: plan.cell(centre, dimension, str(k), v) for k, v in counts.items()}
        total_var = _total_var(centre, dimension)
        total_n = sum(counts.values())
        total_kind = plan.kind(*total_var) or ("primary" if 0 < total_n < ctx.threshold else "")
        total = Cell(total_n, suppressed=bool(total_kind), kind=total_kind)
    elif ctx.suppress:
        suppressed = suppress_one_way(counts, threshold=ctx.threshold)
        cells, total = suppressed.cells, suppressed.total
    else:
        cells = {k: Cell(v) for k, v in counts.items()}
        total = Cell(sum(counts.values()))
    rows = []
    bars = []
    for k in counts:
        cell = cells[k]
        share = HIDDEN_SHARE if cell.suppressed or total.suppressed else percent(cell.value, total.value)
        rows.append(Row(label=names[k], cells=(cell, share), key=str(k)))
        bars.append(
            Bar(names[k], cell.published, cell.display(ctx.threshold) if cell.suppressed else number(cell.value))
        )
    table = Table(
        key=key,
        title=title,
        columns=(label, count_label, share_label),
        rows=tuple(rows),
        total=Row(label=total_label, cells=(total, values.fraction(1.0) if total.value else "–")),
        note=note,
        metrics=(metric, "share"),
        dimension=dimension or key,
        adds_up=adds_up,
    )
    return table, Chart(kind="bar", title=title, bars=tuple(bars))


def cross_table(
    ctx: StatusContext,
    *,
    key: str,
    title: str,
    corner: str,
    matrix: Mapping[tuple[Any, Any], int],
    rows: Sequence[Any],
    columns: Sequence[Any],
    row_labels: Mapping[Any, str],
    column_labels: Mapping[Any, str],
    total_label: str,
    note: str = "",
    metric: str = "inquiries",
    dimension: str = "",
    planned: Callable[[Any, Any], tuple[Any, str, str]] | None = None,
) -> Table:
    """A two-way table with totals, secondary-suppressed when it leaves the centre. With
    `planned` ((row, column) → the plan's (centre or None for the status's own, dimension,
    value); TOTAL for a total), the marks come from the year's disclosure plan."""
    cell: Callable[[Hashable, Hashable], Cell]
    if ctx.suppress and planned is not None:
        from forpost.core.suppression import TOTAL

        from .disclosure import plan_for, who

        plan, own = plan_for(ctx), who(ctx)
        counts = {(r, c): int(matrix.get((r, c), 0)) for r in rows for c in columns}

        def marked(r: Hashable, c: Hashable, n: int) -> Cell:
            centre, dim, value = planned(r, c)
            return plan.cell(own if centre is None else centre, dim, value, n)

        def from_plan(r: Hashable, c: Hashable) -> Cell:
            return marked(r, c, counts[(r, c)])

        cell = from_plan
        row_total = {r: marked(r, TOTAL, sum(counts[(r, c)] for c in columns)) for r in rows}
        col_total = {c: marked(TOTAL, c, sum(counts[(r, c)] for r in rows)) for c in columns}
        grand = marked(TOTAL, TOTAL, sum(counts.values()))
    elif ctx.suppress:
        t = suppress_two_way(matrix, rows, columns, threshold=ctx.threshold)
        cell = t.cell
        row_total, col_total, grand = t.row_totals, t.column_totals, t.total
    else:
        values = {(r, c): int(matrix.get((r, c), 0)) for r in rows for c in columns}

        def plain(r: Hashable, c: Hashable) -> Cell:
            return Cell(values[(r, c)])

        cell = plain
        row_total = {r: Cell(sum(values[(r, c)] for c in columns)) for r in rows}
        col_total = {c: Cell(sum(values[(r, c)] for r in rows)) for c in columns}
        grand = Cell(sum(values.values()))
    body = tuple(
        Row(label=row_labels[r], cells=(*(cell(r, c) for c in columns), row_total[r]), key=str(r)) for r in rows
    )
    return Table(
        key=key,
        title=title,
        columns=(corner, *(column_labels[c] for c in columns), total_label),
        rows=body,
        total=Row(label=total_label, cells=(*(col_total[c] for c in columns), grand)),
        note=note,
        metrics=tuple(metric for _c in (*columns, "total")),
        dimension=dimension or key,
    )
