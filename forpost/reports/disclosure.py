"""One disclosure pass over everything published for a year (forpost.core.disclosure).

The annual status of the city and of every centre, and the comparison of the year with the
three before, are read from the same counts (InquiryFact). Their links are declared here,
once, as equations over (centre, dimension, value) cells, where the centre is a centre's id or
CITY:

- each table's rows add up to its total; the tables with one value per inquiry (month,
  weekday, channel, contact, family, parent, origin, case, district, source) share one
  total, the number of inquiries; the course tables add up to the courses that ended, and the
  bridge table to the referrals to the family unit;
- the city's cell is the sum of the centres' cells (every centre with counts that year, as
  the city's status reads them);
- the comparison's channel × year table of each centre and the city, with its row and column
  totals, whose last column is the year's channel table.

`year_plan()` protects all of it at once and says which cells are hidden and why. Every page,
file and API answer then reads its marks from the plan, so a cell hidden in the city's status
to protect a centre's is hidden in that centre's status too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from forpost.core.disclosure import PRIMARY, SECONDARY, protect
from forpost.core.suppression import Cell

CITY = "city"
TOTAL = "__total__"

# Dimensions with one value per inquiry: their tables' total is the number of inquiries.
PER_INQUIRY = (
    "month",
    "weekday",
    "channel",
    "contact",
    "family",
    "parent_sex",
    "origin",
    "has_case",
    "district",
    "referral_source",
)
# Other tables and the single counts their total is.
OWN_TOTAL = ("child_age", "child_sex", "theme", "action")
TOTAL_OF = {
    "course_result": ("course_ended", ""),
    "course_sessions": ("course_ended", ""),
    "course_length": ("course_ended", ""),
    "referral_bridge": ("referral_to", "family_unit"),
    "referral_to": None,  # its own total
}
SINGLE = ("total", "concern", "course_started", "course_ended")


def protection_width() -> int:
    """How wide every hidden cell's interval must stay (SUPPRESSION_WIDTH; default the threshold)."""
    from forpost.core.suppression import default_threshold

    return int(getattr(settings, "SUPPRESSION_WIDTH", 0) or default_threshold())


@dataclass(frozen=True)
class Plan:
    year: int
    threshold: int
    kinds: dict[tuple[Hashable, str, str], str]

    def kind(self, centre: Hashable, dimension: str, value: str) -> str:
        return self.kinds.get((centre, dimension, value), "")

    def cell(self, centre: Hashable, dimension: str, value: str, n: int) -> Cell:
        kind = self.kind(centre, dimension, value)
        if not kind and 0 < n < self.threshold:
            kind = PRIMARY  # a count the plan does not know (never published before): small is hidden
        return Cell(n, suppressed=bool(kind), kind=kind)

    def hidden(self, centre: Hashable, dimension: str, value: str) -> bool:
        return bool(self.kind(centre, dimension, value))


def _total_var(centre: Hashable, dimension: str) -> tuple[Hashable, str, str]:
    if dimension in PER_INQUIRY:
        return (centre, "total", "")
    target = TOTAL_OF.get(dimension)
    if target is not None:
        return (centre, *target)
    return (centre, dimension, TOTAL)


def linked_counts(year: int) -> tuple[dict[Any, int], list[dict[Any, int]]]:
    """Every count published for `year` (its own and the comparison's three years before) and
    the equations that link them."""
    from .models import InquiryFact

    years = [year - 3, year - 2, year - 1, year]
    grid: dict[tuple[int, str, str], int] = {}
    for row in InquiryFact.objects.filter(year__in=years).values_list(
        "centre_id", "year", "dimension", "value", "count"
    ):
        centre, y, dimension, value, count = row
        if y == year:
            if dimension == "referral_bridge" and not value:
                value = "offered"
            if dimension in PER_INQUIRY or dimension in OWN_TOTAL or dimension in TOTAL_OF or dimension in SINGLE:
                grid[(centre, dimension, value)] = grid.get((centre, dimension, value), 0) + count
        elif dimension in ("channel", "total"):
            key = (centre, f"{dimension}@{y}", value)
            grid[key] = grid.get(key, 0) + count
    centres = sorted({k[0] for k in grid})
    values: dict[Any, int] = defaultdict(int)
    for (centre, dimension, value), n in grid.items():
        values[(centre, dimension, value)] += n
        values[(CITY, dimension, value)] += n
    equations: list[dict[Any, int]] = []
    for who in [*centres, CITY]:
        cells_of: dict[str, list[str]] = defaultdict(list)
        for centre, dimension, value in list(values):
            if centre == who:
                cells_of[dimension].append(value)
        for dimension in (*PER_INQUIRY, *OWN_TOTAL, *TOTAL_OF):
            members = [(who, dimension, v) for v in cells_of.get(dimension, []) if v != TOTAL]
            total = _total_var(who, dimension)
            if dimension in OWN_TOTAL or dimension == "referral_to":
                values[total] = sum(values[m] for m in members)
            values.setdefault(total, 0)
            if members or values[total]:
                equations.append({total: 1, **dict.fromkeys(members, -1)})
        # The comparison: channel × year with row and column totals.
        channels = set(cells_of.get("channel", []))
        for y in years[:-1]:
            channels |= set(cells_of.get(f"channel@{y}", []))
        columns = {y: (f"channel@{y}", (who, f"total@{y}", "")) for y in years[:-1]}
        columns[year] = ("channel", (who, "total", ""))
        for y, (dimension, total) in columns.items():
            values.setdefault(total, 0)
            if y != year:
                equations.append(
                    {total: 1, **{(who, dimension, c): -1 for c in channels if (who, dimension, c) in values}}
                )
        for c in channels:
            row_total = (who, "cmp", c)
            members = [(who, d, c) for d, _t in columns.values() if (who, d, c) in values]
            values[row_total] = sum(values[m] for m in members)
            equations.append({row_total: 1, **dict.fromkeys(members, -1)})
        grand = (who, "cmp", TOTAL)
        values[grand] = sum(values[t] for _d, t in columns.values())
        equations.append({grand: 1, **{t: -1 for _d, t in columns.values()}})
        equations.append({grand: 1, **{(who, "cmp", c): -1 for c in channels}})
    # The city is the sum of its centres, cell by cell (totals included).
    for city_key in [k for k in values if k[0] == CITY]:
        _c, dimension, value = city_key
        members = [(c, dimension, value) for c in centres if (c, dimension, value) in values]
        equations.append({city_key: 1, **dict.fromkeys(members, -1)})
    return dict(values), equations


def year_plan(year: int, *, threshold: int, width: int | None = None) -> Plan:
    values, equations = linked_counts(year)
    protection = protect(values, equations, threshold=threshold, width=width or protection_width())
    return Plan(year=year, threshold=threshold, kinds=protection.kinds)


def plan_for(ctx: Any) -> Plan:
    """The year's plan for a status being built (once per build; see forpost.core.dataversion
    for the plan kept between requests)."""
    if "disclosure_plan" not in ctx.cache:
        from forpost.core.dataversion import cached

        ctx.cache["disclosure_plan"] = cached(
            f"disclosure:{ctx.year}:{ctx.threshold}:{protection_width()}",
            lambda: _as_json(year_plan(ctx.year, threshold=ctx.threshold)),
            decode=lambda data: _from_json(ctx.year, ctx.threshold, data),
        )
    plan: Plan = ctx.cache["disclosure_plan"]
    return plan


def _as_json(plan: Plan) -> list[list[Any]]:
    return [[c, d, v, k] for (c, d, v), k in plan.kinds.items()]


def _from_json(year: int, threshold: int, data: list[list[Any]]) -> Plan:
    return Plan(year=year, threshold=threshold, kinds={(c, d, v): k for c, d, v, k in data})


def who(ctx: Any) -> Hashable:
    """The plan's name for the status's centres: CITY, or the one centre's id."""
    return CITY if ctx.city_wide else ctx.centre_ids[0]


__all__ = ["CITY", "PRIMARY", "SECONDARY", "Plan", "linked_counts", "plan_for", "who", "year_plan"]
