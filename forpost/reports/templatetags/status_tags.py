from django import template
from django.utils.safestring import SafeString

from forpost.core.charts import bar_chart, column_chart
from forpost.core.suppression import Cell
from forpost.reports.status import Chart, Row, Table, number

register = template.Library()


@register.simple_tag
def chart(c: Chart) -> SafeString:
    draw = column_chart if c.kind == "column" else bar_chart
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
