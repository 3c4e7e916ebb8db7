"""The year wheel drawn as a ring of twelve months, on the server, as inline SVG.

Each month is coloured by the worst status of the duties due in it; the page's table holds
the same information in text (the SVG says so to screen readers), and colour is never the
only signal there. Styling comes from concepts.css — the CSP allows no style attributes.
"""

from __future__ import annotations

import math
from datetime import date

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .yearwheel import STATUS_LABELS, YearWheel

SIZE = 320
CENTRE = SIZE / 2
OUTER = 150
INNER = 88
LABEL = 119


def _point(radius: float, degrees: float) -> tuple[float, float]:
    radians = math.radians(degrees - 90)  # 0° at the top, clockwise
    return CENTRE + radius * math.cos(radians), CENTRE + radius * math.sin(radians)


def _segment(month: int) -> str:
    a0, a1 = (month - 1) * 30 + 0.8, month * 30 - 0.8
    (x0, y0), (x1, y1) = _point(OUTER, a0), _point(OUTER, a1)
    (x2, y2), (x3, y3) = _point(INNER, a1), _point(INNER, a0)
    return (
        f"M{x0:.1f},{y0:.1f} A{OUTER},{OUTER} 0 0 1 {x1:.1f},{y1:.1f} "
        f"L{x2:.1f},{y2:.1f} A{INNER},{INNER} 0 0 0 {x3:.1f},{y3:.1f} Z"
    )


def wheel_svg(wheel: YearWheel, *, element_id: str = "year-wheel") -> SafeString:
    parts = [
        f'<svg class="fp-wheel" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" focusable="false">',
        f'<title id="{element_id}-title">{escape(_("Year wheel %(year)s") % {"year": wheel.year})}</title>',
        f'<desc id="{element_id}-desc">{escape(_("The table below lists the same duties, month by month, with their status in words."))}</desc>',
    ]
    for month, _label, items in wheel.months():
        status = wheel.month_status(month)
        css = f"fp-wheel-month fp-status-{status.value}" if status else "fp-wheel-month fp-wheel-empty"
        summary = ngettext("%(count)s duty", "%(count)s duties", len(items)) % {"count": len(items)}
        if status:
            summary += " · " + str(STATUS_LABELS[status])
        parts.append(
            f'<path class="{css}" d="{_segment(month)}"><title>{escape(str(MONTHS[month]))}: {escape(summary)}</title></path>'
        )
        x, y = _point(LABEL, (month - 0.5) * 30)
        parts.append(
            f'<text class="fp-wheel-label" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="middle" '
            f'aria-hidden="true">{escape(str(MONTHS_3[month]).capitalize())}</text>'
        )
    if wheel.today.year == wheel.year:
        start = date(wheel.year, 1, 1)
        days = (date(wheel.year + 1, 1, 1) - start).days
        angle = (wheel.today - start).days / days * 360
        x0, y0 = _point(INNER - 6, angle)
        x1, y1 = _point(OUTER + 6, angle)
        parts.append(f'<line class="fp-wheel-today" x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}"/>')
    parts.append(
        f'<text class="fp-wheel-year" x="{CENTRE}" y="{CENTRE}" text-anchor="middle" dominant-baseline="middle" '
        f'aria-hidden="true">{wheel.year}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
