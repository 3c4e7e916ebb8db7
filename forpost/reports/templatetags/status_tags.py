from collections.abc import Callable

from django import template
from django.utils.safestring import SafeString

from forpost.core.charts import bar_chart, column_chart, dot_plot
from forpost.core.suppression import Cell
from forpost.reports.status import Chart, Row, Table, number

register = template.Library()


@register.simple_tag
def chart(c: Chart) -> SafeString:
    drawers: dict[str, Callable[..., SafeString]] = {"column": column_chart, "dots": dot_plot}
    draw = drawers.get(c.kind, bar_chart)
    return draw(c.bars, title=c.title, description=c.description)


@register.filter
def cell(value: object, threshold: int = 0) -> str:
    if isinstance(value, Cell):
        return value.display(threshold or None) if value.suppressed else number(value.value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return "" if value is None else str(value)


@register.simple_tag
def cell_metric(table: Table, column: int, row: Row) -> str:
    """The metric key of a table cell (forpost.core.metrics), for data-metric."""
    return table.metric_of(column, row)


@register.simple_tag
def row_link(links: object, table: Table, row: Row) -> str:
    """The link a page puts beside a row ({table key: {row key: url}}), e.g. "Add action"."""
    found = links.get(table.key, {}).get(row.key, "") if isinstance(links, dict) else ""
    return str(found)


@register.filter
def is_number(value: object) -> bool:
    """A cell that holds a number (right-aligned); words stay left-aligned."""
    from forpost.core.formats.values import Shown

    if isinstance(value, Cell | Shown):
        return True
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def numeric_columns(table: object) -> set[int]:
    """The columns (0 is the row label) where most cells are numbers: their headers align right."""
    rows = getattr(table, "rows", ())
    found = set()
    for i in range(len(getattr(table, "columns", ())) - 1):
        cells = [r.cells[i] for r in rows if i < len(r.cells) and r.cells[i] not in (None, "", "–")]
        if cells and sum(1 for c in cells if is_number(c)) * 2 >= len(cells):
            found.add(i + 1)
    return found


# A table with more rows than this is laid out with fixed columns in print (print.css): with a
# row for each of 1,000 centres, measuring every cell was a quarter of such a table's time.
LONG_TABLE_ROWS = 60


@register.filter
def is_long(table: Table) -> bool:
    return len(table.rows) > LONG_TABLE_ROWS


@register.filter
def column_widths(table: Table) -> list[int]:
    """Each column's share of a long table's width (percent), from the longest text it holds:
    its widest cell, or its header's longest word (a header wraps). What the print layout
    measures cell by cell, counted in characters instead."""
    widths = [max((len(word) for word in str(c).split()), default=1) for c in table.columns]
    for row in (*table.rows, *((table.total,) if table.total is not None else ())):
        widths[0] = max(widths[0], len(row.label))
        for i, value in enumerate(row.cells, start=1):
            if i < len(widths):
                widths[i] = max(widths[i], len(cell(value)))
    widths = [min(40, max(4, w)) + 2 for w in widths]  # the cells' padding, and no column too wide or narrow
    total = sum(widths)
    shares = [round(100 * w / total) for w in widths]
    shares[0] += 100 - sum(shares)
    return shares
