"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Each chart is an `<svg role="img">` whose title says what it shows in words (the PDF's alt
text); pages show the chart's data table beside it for anyone who wants the numbers. Labels
wrap and are never cut. A hidden
(small-cell suppressed) value is drawn as an empty bar marked "<5", never as a number.
Only presentation attributes are used: the CSP allows no inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

BLUE = "#0059b3"
GREY = "#767676"
TEXT = "#1a1a1a"
GRID = "#dcdcdc"
FONT = "IBM Plex Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | None  # None: suppressed
    shown: str  # the text printed at the bar's end, e.g. "12", "<5", "38 %"
    # A dot plot's interval around the value (e.g. a ratio's 95 % interval).
    low: float | None = None
    high: float | None = None


def wrap(text: str, width: int) -> list[str]:
    """A label broken at spaces into lines of at most `width` characters (a longer word stays
    whole): a label is never cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line or not lines:
        lines.append(line)
    return lines


def alt_text(title: str, bars: Sequence[Bar]) -> str:
    """What the chart shows, in words, for the image's text alternative: every bar's label and
    number (a long series: the largest and the smallest)."""

    def one(bar: Bar) -> str:
        return f"{bar.label} {bar.shown}"

    if len(bars) <= 14:
        return f"{title}: " + "; ".join(one(b) for b in bars) + "."
    ranked = sorted((b for b in bars if b.value is not None), key=lambda b: b.value or 0, reverse=True)
    return f"{title}: " + "; ".join(one(b) for b in ranked[:3]) + " … " + "; ".join(one(b) for b in ranked[-3:]) + "."


def _lines(x: float, y: float, lines: Sequence[str], *, anchor: str, step: float = 15) -> str:
    """A multi-line text, the lines centred around y."""
    first = y - (len(lines) - 1) * step / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * step:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" fill="{TEXT}">{spans}</text>'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        candidate = step * magnitude
        if candidate >= value:
            return candidate
    return value


def bar_chart(bars: Sequence[Bar], *, title: str, description: str = "", width: int = 640) -> SafeString:
    """Horizontal bars, one row per category: good for long Danish labels, which wrap."""
    label_w, pad, line_h = 230, 8, 15
    wrapped = [wrap(b.label, 30) for b in bars]
    rows = [max(28, 12 + line_h * len(lines)) for lines in wrapped]
    height = sum(rows) + 2 * pad
    values = [b.value for b in bars if b.value is not None]
    top = _nice_max(max(values, default=0))
    plot_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="13">',
        f"<title>{escape(description or alt_text(title, bars))}</title>",
    ]
    y = float(pad)
    for bar, lines, row in zip(bars, wrapped, rows, strict=True):
        end: float
        middle = y + row / 2
        parts.append(_lines(label_w - 8, middle + 4, lines, anchor="end", step=line_h))
        if bar.value is None:
            parts.append(
                f'<rect x="{label_w}" y="{middle - 9:.1f}" width="24" height="18" fill="none" stroke="{GREY}" stroke-dasharray="3 2"/>'
            )
            end = label_w + 24
        else:
            w = 0 if top == 0 else plot_w * float(bar.value) / top
            parts.append(f'<rect x="{label_w}" y="{middle - 9:.1f}" width="{w:.1f}" height="18" fill="{BLUE}"/>')
            end = label_w + w
        parts.append(f'<text x="{end + 6:.1f}" y="{middle + 4:.1f}" fill="{TEXT}">{escape(bar.shown)}</text>')
        y += row
    parts.append(f'<line x1="{label_w}" y1="{pad}" x2="{label_w}" y2="{height - pad}" stroke="{GRID}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def dot_plot(
    bars: Sequence[Bar], *, title: str, description: str = "", reference: float = 1.0, width: int = 640
) -> SafeString:
    """A dot per category with its interval as a line, around a reference line (1: as expected).
    For representativeness: a group whose whole interval lies left of 1 comes less than its
    share of the population."""
    label_w, pad, line_h, axis_h = 230, 8, 15, 30
    wrapped = [wrap(b.label, 30) for b in bars]
    rows = [max(28, 12 + line_h * len(lines)) for lines in wrapped]
    height = sum(rows) + 2 * pad + axis_h
    highs = [b.high for b in bars if b.high is not None] + [b.value for b in bars if b.value is not None]
    top = max(2.0, float(max(highs, default=0)) * 1.05)
    plot_w = width - label_w - 20

    def x_of(v: float) -> float:
        return label_w + plot_w * v / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="13">',
        f"<title>{escape(description or alt_text(title, bars))}</title>",
    ]
    plot_bottom = height - pad - axis_h
    tick = 0.0
    while tick <= top:
        parts.append(
            f'<line x1="{x_of(tick):.1f}" y1="{pad}" x2="{x_of(tick):.1f}" y2="{plot_bottom}" stroke="{GRID}"/>'
        )
        label = f"{tick:.1f}".replace(".", ",") if tick % 1 else f"{tick:.0f}"
        parts.append(
            f'<text x="{x_of(tick):.1f}" y="{plot_bottom + 16}" text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
        )
        tick += 0.5
    parts.append(
        f'<line x1="{x_of(reference):.1f}" y1="{pad}" x2="{x_of(reference):.1f}" y2="{plot_bottom}" '
        f'stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )
    y = float(pad)
    for bar, lines, row in zip(bars, wrapped, rows, strict=True):
        middle = y + row / 2
        parts.append(_lines(label_w - 8, middle + 4, lines, anchor="end", step=line_h))
        if bar.value is None:
            parts.append(f'<text x="{label_w + 6}" y="{middle + 4:.1f}" fill="{GREY}">{escape(bar.shown)}</text>')
        else:
            if bar.low is not None and bar.high is not None:
                parts.append(
                    f'<line x1="{x_of(bar.low):.1f}" y1="{middle:.1f}" x2="{x_of(bar.high):.1f}" y2="{middle:.1f}" '
                    f'stroke="{BLUE}" stroke-width="3"/>'
                )
            parts.append(f'<circle cx="{x_of(float(bar.value)):.1f}" cy="{middle:.1f}" r="5" fill="{BLUE}"/>')
        y += row
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def column_chart(bars: Sequence[Bar], *, title: str, description: str = "", width: int = 640) -> SafeString:
    """Vertical columns for an ordered series such as months or weekdays."""
    pad = 24
    slot = (width - 2 * pad) / max(1, len(bars))
    wrapped = [wrap(b.label, max(4, int(slot / 7))) for b in bars]
    base = 190
    height = base + 8 + 14 * max((len(lines) for lines in wrapped), default=1)
    values = [b.value for b in bars if b.value is not None]
    top = _nice_max(max(values, default=0))
    col = slot * 0.66
    plot_h = base - 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="12">',
        f"<title>{escape(description or alt_text(title, bars))}</title>",
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="{GRID}"/>',
    ]
    for i, (bar, lines) in enumerate(zip(bars, wrapped, strict=True)):
        y_top: float
        x = pad + i * slot + (slot - col) / 2
        cx = x + col / 2
        if bar.value is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - 14}" width="{col:.1f}" height="14" fill="none" stroke="{GREY}" stroke-dasharray="3 2"/>'
            )
            y_top = base - 14
        else:
            h = 0 if top == 0 else plot_h * float(bar.value) / top
            parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{col:.1f}" height="{h:.1f}" fill="{BLUE}"/>')
            y_top = base - h
        parts.append(
            f'<text x="{cx:.1f}" y="{y_top - 4:.1f}" text-anchor="middle" fill="{TEXT}">{escape(bar.shown)}</text>'
        )
        parts.append(_lines(cx, base + 16 + 7 * (len(lines) - 1), lines, anchor="middle", step=14))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
