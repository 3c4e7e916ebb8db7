"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Each chart is an `<svg role="img">` with a title and a description; pages show the chart's
data table beside it for screen readers and for anyone who wants the numbers. A hidden
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
    """Horizontal bars, one row per category: good for long Danish labels."""
    row, label_w, pad = 28, 220, 8
    height = max(1, len(bars)) * row + 2 * pad
    values = [b.value for b in bars if b.value is not None]
    top = _nice_max(max(values, default=0))
    plot_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="13">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or title)}</desc>",
    ]
    for i, bar in enumerate(bars):
        y = pad + i * row
        end: float
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" fill="{TEXT}">{escape(_clip(bar.label, 32))}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<rect x="{label_w}" y="{y + 5}" width="24" height="{row - 10}" fill="none" stroke="{GREY}" stroke-dasharray="3 2"/>'
            )
            end = label_w + 24
        else:
            w = 0 if top == 0 else plot_w * float(bar.value) / top
            parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" fill="{BLUE}"/>')
            end = label_w + w
        parts.append(f'<text x="{end + 6:.1f}" y="{y + row / 2 + 4:.1f}" fill="{TEXT}">{escape(bar.shown)}</text>')
    parts.append(f'<line x1="{label_w}" y1="{pad}" x2="{label_w}" y2="{height - pad}" stroke="{GRID}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def column_chart(bars: Sequence[Bar], *, title: str, description: str = "", width: int = 640) -> SafeString:
    """Vertical columns for an ordered series such as months or weekdays."""
    height, base, pad = 220, 190, 24
    values = [b.value for b in bars if b.value is not None]
    top = _nice_max(max(values, default=0))
    slot = (width - 2 * pad) / max(1, len(bars))
    col = slot * 0.66
    plot_h = base - 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or title)}</desc>",
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="{GRID}"/>',
    ]
    for i, bar in enumerate(bars):
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
        parts.append(
            f'<text x="{cx:.1f}" y="{base + 16}" text-anchor="middle" fill="{TEXT}">{escape(_clip(bar.label, 10))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
