"""One disclosure pass over everything published for a year (forpost.core.disclosure).

The annual status of the city and of every centre (page, PDF, workbook, JSON, the API, the
management dashboard's summary) reads its counts from the kept counts (InquiryFact) and a few
other sources (other_counts). Their links are declared here, once, as equations over
(centre, dimension, value) cells, where the centre is a centre's id or CITY:

- each table's rows add up to its total; the tables with one value per inquiry (month,
  weekday, channel, contact, family, parent, origin, case, district, source) share one
  total, the number of inquiries; the course tables add up to the courses that ended, and the
  bridge table to the referrals to the family unit;
- the city's cell is the sum of the centres' cells (every centre with counts that year, as
  the city's status reads them);
- the five years (the summary and the trends): each earlier year's channels add up to that
  year's inquiries; this year's column is the channel table and the inquiries;
- referrals to offers by kind × contact, with row and column totals, the grand total being
  the referrals table's row of offers; the families' voice (feedback cards and sessions rated,
  answers by question), courses started by method (adding up to the courses started) and
  ended courses with two ORS scores by method.

Shares are not cells: a share is shown only when the counts it is made of are shown and neither
its part nor its rest is a small count (sections._share_of), so it tells nothing the counts do
not. The staff roster counts the centres' own staff, not families, and is published in full.

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


def other_counts(year: int) -> dict[tuple[Hashable, str, str], int]:
    """The counts the status publishes beside the inquiries' own, per centre, from the kept
    counts the sections read (forpost.registrations.counts): feedback cards and sessions rated
    by the family (SRS), answers by question code, courses started by method, and ended courses
    with two ORS scores by method. No registration, course or card is read."""
    from forpost.feedback.models import Question

    from .models import InquiryFact

    found: dict[tuple[Hashable, str, str], int] = {}
    codes: dict[str, str] | None = None
    for centre, dimension, value, n in InquiryFact.objects.filter(
        year=year, dimension__in=("feedback_cards", "srs_rated", "course_method", "ors_method", "feedback_answer")
    ).values_list("centre_id", "dimension", "value", "count"):
        if not n:
            continue
        if dimension == "feedback_answer":
            # Kept by question id and value ("12|yes"); published by question code.
            if codes is None:
                codes = {str(pk): code for pk, code in Question.objects.values_list("pk", "code")}
            question, _sep, _value = value.partition("|")
            key: tuple[Hashable, str, str] = (centre, "feedback_answers", codes.get(question, question))
        else:
            key = (centre, dimension, value)
        found[key] = found.get(key, 0) + n
    return found


# Counts of other sources with the total they add up to (see other_counts()).
OTHER_TOTAL_OF = {"course_method": ("course_started", "")}
OTHER_OWN_TOTAL = ("feedback_answers", "ors_method")
OTHER_SINGLE = ("feedback_cards", "srs_rated")


def linked_counts(year: int) -> tuple[dict[Any, int], list[dict[Any, int]]]:
    """Every count published for `year` (its own and the trends' four years before) and the
    equations that link them."""
    from forpost.registrations.models import OfferContact

    from .models import InquiryFact
    from .summary import TREND_YEARS

    years = list(range(year - TREND_YEARS + 1, year + 1))
    grid: dict[tuple[Any, str, str], int] = {}
    for row in InquiryFact.objects.filter(year__in=years).values_list(
        "centre_id", "year", "dimension", "value", "count"
    ):
        centre, y, dimension, value, count = row
        if y == year:
            if dimension == "referral_bridge" and not value:
                value = "offered"
            if dimension == "referral_offer":
                # "private|" (contact not yet known) is published in the column "Unknown" with
                # "private|unknown": one cell of the table, so one cell of the plan.
                kind, _sep, status = value.partition("|")
                value = f"{kind}|{status or OfferContact.UNKNOWN}"
            if (
                dimension in PER_INQUIRY
                or dimension in OWN_TOTAL
                or dimension in TOTAL_OF
                or dimension in SINGLE
                or dimension == "referral_offer"
            ):
                grid[(centre, dimension, value)] = grid.get((centre, dimension, value), 0) + count
        elif dimension in ("channel", "total"):
            key = (centre, f"{dimension}@{y}", value)
            grid[key] = grid.get(key, 0) + count
    for other, n in other_counts(year).items():
        grid[other] = grid.get(other, 0) + n
    centres = sorted({k[0] for k in grid})
    values: dict[Any, int] = defaultdict(int)
    for (centre, dimension, value), n in grid.items():
        values[(centre, dimension, value)] += n
        values[(CITY, dimension, value)] += n
    equations: list[dict[Any, int]] = []
    cells_of_who: dict[Hashable, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for centre, dimension, value in list(values):
        cells_of_who[centre][dimension].append(value)
    for who in [*centres, CITY]:
        cells_of = cells_of_who[who]
        for dimension in (*PER_INQUIRY, *OWN_TOTAL, *TOTAL_OF):
            members = [(who, dimension, v) for v in cells_of.get(dimension, []) if v != TOTAL]
            total = _total_var(who, dimension)
            if dimension in OWN_TOTAL or dimension == "referral_to":
                values[total] = sum(values[m] for m in members)
            values.setdefault(total, 0)
            if members:  # a dimension not counted at all is not published
                equations.append({total: 1, **dict.fromkeys(members, -1)})
        for dimension in (*OTHER_TOTAL_OF, *OTHER_OWN_TOTAL):
            members = [(who, dimension, v) for v in cells_of.get(dimension, []) if v != TOTAL]
            if not members:
                continue
            total = (who, dimension, TOTAL)
            values[total] = sum(values[m] for m in members)
            equations.append({total: 1, **dict.fromkeys(members, -1)})
            linked = OTHER_TOTAL_OF.get(dimension)
            if linked and values.get((who, *linked), 0) == values[total]:
                equations.append({total: 1, (who, *linked): -1})  # the same number, printed twice
        # Referrals to offers: kind × contact with row and column totals; the total is the
        # referrals table's row of offers.
        offers = [v for v in cells_of.get("referral_offer", []) if v != TOTAL]
        if offers:
            rows_of: dict[str, list[Any]] = defaultdict(list)
            columns_of: dict[str, list[Any]] = defaultdict(list)
            for v in offers:
                kind, _sep, status = v.partition("|")
                rows_of[kind].append((who, "referral_offer", v))
                columns_of[status].append((who, "referral_offer", v))
            for name, groups_of in (("offer_kind", rows_of), ("offer_status", columns_of)):
                for k, members in groups_of.items():
                    values[(who, name, k)] = sum(values[m] for m in members)
                    equations.append({(who, name, k): 1, **dict.fromkeys(members, -1)})
            grand = (who, "offer_kind", TOTAL)
            values[grand] = sum(values[(who, "offer_kind", k)] for k in rows_of)
            equations.append({grand: 1, **{(who, "offer_kind", k): -1 for k in rows_of}})
            equations.append({grand: 1, **{(who, "offer_status", k): -1 for k in columns_of}})
            if values.get((who, "referral_to", "offer")) == values[grand]:
                equations.append({grand: 1, (who, "referral_to", "offer"): -1})
        # The trends: each year's channels add up to its inquiries.
        for y in years[:-1]:
            total = (who, f"total@{y}", "")
            values.setdefault(total, 0)
            members = [(who, f"channel@{y}", c) for c in cells_of.get(f"channel@{y}", [])]
            if members:
                equations.append({total: 1, **dict.fromkeys(members, -1)})
    # The city is the sum of its centres, cell by cell (totals included).
    by_cell: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for key in values:
        if key[0] != CITY:
            by_cell[(key[1], key[2])].append(key)
    for city_key in [k for k in values if k[0] == CITY]:
        _c, dimension, value = city_key
        equations.append({city_key: 1, **dict.fromkeys(by_cell[(dimension, value)], -1)})
    return dict(values), equations


def year_plan(year: int, *, threshold: int, width: int | None = None) -> Plan:
    values, equations = linked_counts(year)
    protection = protect(values, equations, threshold=threshold, width=width or protection_width())
    kinds: dict[tuple[Hashable, str, str], str] = dict(protection.kinds)  # type: ignore[arg-type]
    return Plan(year=year, threshold=threshold, kinds=kinds)


def plan_for(ctx: Any) -> Plan:
    """The year's plan for a status being built (once per build; see forpost.core.dataversion
    for the plan kept between requests)."""
    if "disclosure_plan" not in ctx.cache:
        from forpost.core.dataversion import cached_object

        ctx.cache["disclosure_plan"] = cached_object(
            f"disclosure:{ctx.year}:{ctx.threshold}:{protection_width()}",
            lambda: year_plan(ctx.year, threshold=ctx.threshold),
        )
    plan: Plan = ctx.cache["disclosure_plan"]
    return plan


def who(ctx: Any) -> Hashable:
    """The plan's name for the status's centres: CITY, or the one centre's id."""
    return CITY if ctx.city_wide else ctx.centre_ids[0]


__all__ = ["CITY", "PRIMARY", "SECONDARY", "Plan", "linked_counts", "plan_for", "who", "year_plan"]
