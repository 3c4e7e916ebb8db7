"""Disclosure control verified by linear programming.

Published numbers are linked: rows add up to their totals, the city is the sum of its
centres, a year's column of the comparison is that year's channel table, one total is printed
in several tables. Hiding the small counts of each table on its own is not enough: a reader
who writes those links down as equations can solve them for the hidden cells. This module
treats everything published for a year as one linear system and protects it as a whole.

The reader knows (and the legend tells) what the two marks mean:

- ``PRIMARY`` ("<5"): a count from 1 to threshold − 1. Zeros are shown: a zero tells that
  no family has the trait (nobody can be singled out by it), and hiding zeros would make
  every hidden cell a mixture of "0" and "1 to 4" which a reader resolves from the margins
  anyway. Since zeros are shown, a hidden count is never 0, and the LP uses that.
- ``SECONDARY`` ("×"): a count hidden so that another hidden cell cannot be worked out. The
  legend claims no more than "a count of 1 or more" (zeros are shown, so no hidden cell is 0):
  most such cells hold the threshold or more, but a small count whose "<5" would be pinned by
  the marks alone (a "<5" of the city that is the sum of four centres' "<5") is shown with
  this mark too, which claims less and so is never false. The LP uses the bound 1.

`protect()` hides the primary cells, then asks a linear program (HiGHS, through scipy) for
the least and greatest value of every hidden cell consistent with all equations, the visible
values and those bounds, and hides more cells, the smallest visible counts first, until every
hidden cell's interval is at least `width` wide. A primary cell can never be wider than its
label (1 to threshold − 1): it is protected when no equation narrows that range at all.

To stay fast with thousands of hidden cells: the cells are split into independent groups
(hidden cells connected through equations; tables that share no hidden cell never meet); a
cheap first round hides a partner for every equation with exactly one hidden cell, without an
LP; each group is one HiGHS model whose objective changes between solves (warm starts); and
the intervals are audited in batches: the true counts are one consistent solution, two LPs
push every open cell of the group down together and up together (capped where higher proves
nothing more), and every solution found is a consistent value of every cell, so a cell whose
values among the solutions span its width is proven safe without an LP of its own. Only the
cells still open get their own two LPs. Hiding a cell only widens the other cells' intervals
(a fixed value becomes a range that holds it), so each round looks again only at the groups
of the new cells and the weak ones.

An LP relaxes the counts to real numbers; an attacker who insists on whole numbers can at
most round the bounds inwards, which the margin of `width` (default: the threshold) covers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PRIMARY = "primary"
SECONDARY = "secondary"

Var = Hashable
# An equation: {variable: coefficient}, meaning sum(coefficient * value) == 0.
Equation = Mapping[Var, int]


def label_bounds(kind: str, threshold: int) -> tuple[float, float | None]:
    """What a reader knows about a hidden cell from its mark alone."""
    if kind == PRIMARY:
        return 1.0, float(threshold - 1)
    return 1.0, None


def required_width(kind: str, threshold: int, width: int) -> float:
    """How wide a hidden cell's interval must stay: a primary cell keeps its whole label range
    (1 to threshold − 1), or `width` if that is narrower."""
    if kind == PRIMARY:
        return float(min(width, threshold - 2)) if threshold > 2 else 0.0
    return float(width)


@dataclass
class Protection:
    kinds: dict[Var, str]
    intervals: dict[Var, tuple[float, float | None]] = field(default_factory=dict)
    lp_solves: int = 0

    def narrowest(self) -> tuple[Var, float] | None:
        finite = [(var, (hi if hi is not None else float("inf")) - lo) for var, (lo, hi) in self.intervals.items()]
        return min(finite, key=lambda kv: kv[1]) if finite else None


class _Solver:
    """One HiGHS model for a group: the objective (and a few bounds) change, the model stays
    (warm starts)."""

    def __init__(self, rows: list[dict[int, float]], rhs: list[float], bounds: list[tuple[float, float | None]]):
        import highspy
        import numpy as np

        self.np = np
        self.optimal = highspy.HighsModelStatus.kOptimal
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        # The model is solved again and again with another objective: warm starts from the last
        # basis are worth more than presolving each time.
        h.setOptionValue("presolve", "off")
        h.setOptionValue("threads", 1)
        inf = highspy.kHighsInf
        self.inf = inf
        self.lower = np.array([b[0] for b in bounds], dtype=float)
        self.upper = np.array([inf if b[1] is None else b[1] for b in bounds], dtype=float)
        h.addVars(len(bounds), self.lower, self.upper)
        if rows:
            starts: list[int] = []
            indices: list[int] = []
            coefs: list[float] = []
            for row in rows:
                starts.append(len(indices))
                indices.extend(row)
                coefs.extend(row.values())
            b = np.array(rhs, dtype=float)
            h.addRows(
                len(rows),
                b,
                b,
                len(indices),
                np.array(starts, dtype=np.int32),
                np.array(indices, dtype=np.int32),
                np.array(coefs, dtype=float),
            )
        self.h = h
        self.costs: dict[int, float] = {}
        self.capped: list[int] = []

    def minimise(self, costs: dict[int, float], caps: Mapping[int, float] | None = None) -> list[float] | None:
        """The solution minimising sum(costs[j] * x[j]); None when unbounded. `caps` lowers some
        upper bounds for this solve only (a solution found then is still a solution)."""
        np = self.np
        for j in set(self.costs) - set(costs):
            self.h.changeColCost(j, 0.0)
        for j, c in costs.items():
            if self.costs.get(j) != c:
                self.h.changeColCost(j, c)
        self.costs = dict(costs)
        if self.capped:
            idx = np.array(self.capped, dtype=np.int32)
            self.h.changeColsBounds(len(idx), idx, self.lower[idx], self.upper[idx])
            self.capped = []
        if caps:
            idx = np.array(list(caps), dtype=np.int32)
            upper = np.minimum(self.upper[idx], np.array(list(caps.values()), dtype=float))
            self.h.changeColsBounds(len(idx), idx, self.lower[idx], upper)
            self.capped = list(caps)
        self.h.run()
        if self.h.getModelStatus() != self.optimal:
            return None
        return list(self.h.getSolution().col_value)


@dataclass
class LinearSystem:
    """The hidden cells of one group as LP variables: equations with the visible values moved
    to the right-hand side."""

    variables: list[Var]
    rows: list[dict[int, float]]
    rhs: list[float]
    bounds: list[tuple[float, float | None]]
    solves: int = 0
    _solver: _Solver | None = None

    @classmethod
    def of(
        cls,
        hidden: Sequence[Var],
        equations: Iterable[Equation],
        known: Mapping[Var, float],
        bounds: Mapping[Var, tuple[float, float | None]],
    ) -> LinearSystem:
        index = {var: i for i, var in enumerate(hidden)}
        rows: list[dict[int, float]] = []
        rhs: list[float] = []
        for equation in equations:
            row: dict[int, float] = {}
            constant = 0.0
            for var, coef in equation.items():
                j = index.get(var)
                if j is not None:
                    row[j] = row.get(j, 0.0) + coef
                else:
                    constant += coef * known[var]
            row = {j: c for j, c in row.items() if c}
            if row:
                rows.append(row)
                rhs.append(-constant)
        return cls(list(hidden), rows, rhs, [bounds[v] for v in hidden])

    @property
    def solver(self) -> _Solver:
        if self._solver is None:
            self._solver = _Solver(self.rows, self.rhs, self.bounds)
        return self._solver

    def extreme(self, j: int) -> tuple[tuple[float, float | None], list[list[float]]]:
        """The least and greatest value of variable j (None: no upper bound), and the
        solutions found on the way (each a consistent value of every variable)."""
        low = self.solver.minimise({j: 1.0})
        high = self.solver.minimise({j: -1.0})
        self.solves += 2
        lo = low[j] if low is not None else self.bounds[j][0]
        hi = high[j] if high is not None else None
        return (lo, hi), [p for p in (low, high) if p is not None]

    def batch(self, signs: Mapping[int, float], caps: Mapping[int, float]) -> list[list[float]]:
        """Two solutions: the targets with sign +1 as low as they go together and those with −1
        as high (each capped where a higher value proves nothing more), and the other way
        round. Opposite pushes on cells of one equation make room for each other (a table
        whose total is shown cannot move all its cells down at once). One LP each for many
        cells at once."""
        found = []
        for sign in (1.0, -1.0):
            costs = {j: sign * c for j, c in signs.items()}
            point = self.solver.minimise(costs, caps)
            self.solves += 1
            if point is not None:
                found.append(point)
        return found

    def audit(
        self, targets: Sequence[int], need: Sequence[float], start: Sequence[float]
    ) -> dict[int, tuple[float, float | None]]:
        """An interval for each target at least as wide as it needs to be, or its exact one
        when it is narrower. `start` is one consistent value of every variable (the true
        counts). Cheap first: batches of LPs prove most cells at once; only the cells still
        unproven get two LPs of their own."""
        low = list(start)
        high: list[float | None] = list(start)

        def widen(points: Iterable[list[float]]) -> None:
            for point in points:
                for k, x in enumerate(point):
                    if x < low[k]:
                        low[k] = x
                    hk = high[k]
                    if hk is not None and x > hk:
                        high[k] = x

        def proven(j: int) -> bool:
            hj = high[j]
            return hj is None or hj - low[j] >= need[j] - 1e-6

        open_ = [j for j in targets if not proven(j)]
        rng = random.Random(len(self.variables))  # the same pushes for the same group
        caps = {j: start[j] + need[j] + 1.0 for j in range(len(start)) if self.bounds[j][1] is None}
        for _round in range(8):
            if len(open_) < 4:
                break
            widen(self.batch({j: rng.choice((1.0, -1.0)) for j in open_}, caps))
            still = [j for j in open_ if not proven(j)]
            if len(still) > 0.9 * len(open_):
                open_ = still
                break
            open_ = still
        result: dict[int, tuple[float, float | None]] = {j: (low[j], high[j]) for j in targets}
        for j in open_:
            if proven(j):
                result[j] = (low[j], high[j])
                continue
            (lo, hi), points = self.extreme(j)
            widen(points)
            if hi is None:
                high[j] = None
            result[j] = (lo, hi)
        return result


def groups(
    hidden: Iterable[Var], equations: Sequence[Equation], *, among: set[Var] | None = None
) -> list[tuple[list[Var], list[int]]]:
    """Hidden cells split into groups that share no equation, each with its equations (only
    the groups holding a cell of `among`, if given)."""
    hidden_set = set(hidden)
    parent: dict[Var, Var] = {v: v for v in hidden_set}

    def find(v: Var) -> Var:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    touching: list[tuple[int, list[Var]]] = []
    for i, equation in enumerate(equations):
        inside = [v for v in equation if v in hidden_set]
        if not inside:
            continue
        touching.append((i, inside))
        first = find(inside[0])
        for v in inside[1:]:
            root = find(v)
            if root != first:
                parent[root] = first
    members: dict[Var, list[Var]] = {}
    for v in hidden_set:
        members.setdefault(find(v), []).append(v)
    if among is not None:
        wanted = {find(v) for v in among if v in hidden_set}
        members = {root: vs for root, vs in members.items() if root in wanted}
    eqs: dict[Var, list[int]] = {}
    for i, inside in touching:
        eqs.setdefault(find(inside[0]), []).append(i)
    return [(sorted(vs, key=repr), eqs.get(root, [])) for root, vs in members.items() if root in members]


def intervals(
    kinds: Mapping[Var, str],
    values: Mapping[Var, float],
    equations: Sequence[Equation],
    threshold: int,
    *,
    targets: Iterable[Var] | None = None,
) -> dict[Var, tuple[float, float | None]]:
    """The exact LP interval of every hidden cell (or of `targets`), as a reader sees it:
    visible values known, hidden ones bounded by their marks."""
    bounds = {v: label_bounds(k, threshold) for v, k in kinds.items()}
    wanted = set(kinds if targets is None else targets)
    found: dict[Var, tuple[float, float | None]] = {}
    for members, eq_ids in groups(kinds, equations):
        if not wanted.intersection(members):
            continue
        system = LinearSystem.of(members, [equations[i] for i in eq_ids], values, bounds)
        for j, var in enumerate(members):
            if var in wanted:
                found[var] = system.extreme(j)[0]
    return found


def _capacity(var: Var, coef: int, kind: str, value: float, threshold: int) -> tuple[float, float]:
    """How far coef * var can go up and down within its mark's bounds."""
    lo, hi = label_bounds(kind, threshold)
    up = float("inf") if hi is None else hi - value
    down = value - lo
    return (coef * up, coef * down) if coef > 0 else (-coef * down, -coef * up)


def _local_slack(
    kinds: dict[Var, str],
    values: Mapping[Var, int],
    equations: Sequence[Equation],
    by_var: Mapping[Var, list[int]],
    threshold: int,
    width: int,
    hideable: Mapping[Var, bool] | None,
) -> None:
    """Hide the smallest visible counts of each equation until its hidden cells can each move
    as far as they need, the others of the equation making up the difference (see protect)."""

    def needs(var: Var, coef: int) -> tuple[float, float]:
        """How far the others must be able to go up and down for var to move as it needs."""
        lo, hi = label_bounds(kinds[var], threshold)
        if kinds[var] == PRIMARY:
            rise, fall = (hi or 0.0) - values[var], values[var] - lo
        else:
            rise, fall = float(width), 0.0
        # coef * var rising must be met by the others falling, and the other way round.
        return (fall * abs(coef), rise * abs(coef)) if coef > 0 else (rise * abs(coef), fall * abs(coef))

    # Per equation: what its hidden cells can give (up, down) and the most any of them needs
    # from the others plus its own share; kept up to date as cells are hidden.
    state: dict[int, list[float]] = {}

    def add(var: Var, i: int) -> None:
        c = equations[i][var]
        up, down = _capacity(var, c, kinds[var], float(values[var]), threshold)
        need_up, need_down = needs(var, c)
        st = state.setdefault(i, [0.0, 0.0, 0.0, 0.0])
        st[0] += up
        st[1] += down
        st[2] = max(st[2], need_up + up)
        st[3] = max(st[3], need_down + down)

    def short(i: int) -> bool:
        st = state.get(i)
        return st is not None and (st[0] < st[2] - 1e-9 or st[1] < st[3] - 1e-9)

    for var in list(kinds):
        for i in by_var.get(var, ()):
            add(var, i)
    work = [i for i in state if short(i)]
    visible: dict[int, list[tuple[bool, int, str, Var]]] = {}
    while work:
        i = work.pop()
        while short(i):
            if i not in visible:
                # The smallest first, and a cell of few equations (a row) before one of many (a
                # total printed in every table of the inquiries), which would spread further.
                visible[i] = sorted(
                    (
                        (len(by_var.get(v, ())) > 3, values[v], repr(v), v)
                        for v in equations[i]
                        if v not in kinds and values[v] > 0 and (hideable is None or hideable.get(v, True))
                    ),
                    reverse=True,
                )
            options = visible[i]
            while options and options[-1][3] in kinds:
                options.pop()
            if not options:
                break  # the LP rounds decide (and may mark a cell anew)
            chosen = options.pop()[3]
            kinds[chosen] = SECONDARY
            for j in by_var.get(chosen, ()):
                add(chosen, j)
                if j != i and short(j):
                    work.append(j)


def protect(
    values: Mapping[Var, int],
    equations: Sequence[Equation],
    *,
    threshold: int,
    width: int | None = None,
    hideable: Mapping[Var, bool] | None = None,
    max_rounds: int = 10_000,
) -> Protection:
    """Primary and secondary suppression of a whole linked system, verified by LP.

    `values` holds every published count; `hideable[var]` False marks a cell that must not be
    hidden to protect another (none by default). Returns each hidden cell's mark and interval.
    """
    width = threshold if width is None else width
    kinds: dict[Var, str] = {v: PRIMARY for v, n in values.items() if 0 < n < threshold}
    by_var: dict[Var, list[int]] = {}
    for i, equation in enumerate(equations):
        for v in equation:
            by_var.setdefault(v, []).append(i)

    def candidates(var: Var) -> list[Var]:
        """Visible positive counts that share an equation with var, smallest first."""
        seen: set[Var] = set()
        for i in by_var.get(var, ()):
            for other in equations[i]:
                if other in kinds or other in seen or values[other] <= 0:
                    continue
                if hideable is not None and not hideable.get(other, True):
                    continue
                seen.add(other)
        return sorted(seen, key=lambda v: (len(by_var.get(v, ())) > 3, values[v], repr(v)))

    # A cheap first round, without an LP: every equation must let each of its hidden cells
    # move as far as it needs (a primary over its whole label, a secondary by `width`) with
    # the other hidden cells of the same equation making up the difference within their own
    # bounds. That is necessary for the LP interval too (an equation with exactly one hidden
    # cell gives it away), so whatever it hides would have been hidden; the LP rounds then
    # mostly confirm.
    _local_slack(kinds, values, equations, by_var, threshold, width, hideable)

    solves = 0
    result: dict[Var, tuple[float, float | None]] = {}
    pending = set(kinds)
    rounds = 0
    while pending and rounds < max_rounds:
        rounds += 1
        bounds = {v: label_bounds(k, threshold) for v, k in kinds.items()}
        weak: list[Var] = []
        for members, eq_ids in groups(kinds, equations, among=pending):
            system = LinearSystem.of(members, [equations[i] for i in eq_ids], values, bounds)
            need = [required_width(kinds[v], threshold, width) for v in members]
            targets = [j for j, var in enumerate(members) if var in pending]
            found = system.audit(targets, need, [float(values[v]) for v in members])
            for j, (lo, hi) in found.items():
                var = members[j]
                result[var] = (lo, hi)
                if hi is not None and hi - lo < need[j] - 1e-6:
                    weak.append(var)
            solves += system.solves
        pending = set()
        if not weak:
            break
        touched: set[int] = set()  # equations of the cells hidden (or marked anew) this round

        def mark(var: Var, pending: set[Var] = pending, touched: set[int] = touched) -> None:
            kinds[var] = SECONDARY
            pending.add(var)
            touched.update(by_var.get(var, ()))

        for var in weak:
            if var in pending or touched.intersection(by_var.get(var, ())):
                continue  # a cell beside it was just hidden: look again first
            options = candidates(var)
            if not options:
                # Every cell beside it is hidden already: look one step further, beside them.
                near = {other for i in by_var.get(var, ()) for other in equations[i] if other in kinds}
                options = sorted({c for other in near for c in candidates(other)}, key=lambda v: (values[v], repr(v)))
            if options:
                mark(options[0])
            elif kinds[var] == PRIMARY:
                # The marks alone pin it (e.g. a "<5" that is the sum of four other "<5"): it
                # keeps its value hidden under the mark that claims less (any count from 1 up).
                mark(var)
            else:
                # A "×" pinned by the "<5" around it (a small municipality, where nearly every
                # count is small): those "<5" take the mark that claims less, beside it first,
                # then one step further. Where every count is hidden and marked "×", nothing
                # bounds them any more.
                near = {o for i in by_var.get(var, ()) for o in equations[i] if kinds.get(o) == PRIMARY}
                if not near:
                    hidden_near = {o for i in by_var.get(var, ()) for o in equations[i] if o in kinds}
                    near = {
                        o
                        for h in hidden_near
                        for i in by_var.get(h, ())
                        for o in equations[i]
                        if kinds.get(o) == PRIMARY
                    }
                for other in sorted(near, key=repr):
                    mark(other)
        if not pending:
            break  # nothing left to hide next to the weak cells: report them as they are
        # Hiding a cell (or claiming less about it) only widens the others' intervals, so only
        # the new cells and the weak ones need another look.
        pending |= set(weak)
    return Protection(kinds=kinds, intervals=result, lp_solves=solves)


# --- The same rule where a number of one centre is shown beyond it (the city's year wheel) -----

SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])(\d+)(?![\d.,:/%-])")


def masked_text(text: str, threshold: int) -> str:
    """A sentence with every whole number from 1 to threshold − 1 written "<5" (as the status's
    evidence texts): dates, times, decimals and percentages are left alone."""
    return SMALL_NUMBER.sub(lambda m: f"<{threshold}" if 0 < int(m.group(1)) < threshold else m.group(1), text)


def masked_value(value: Any, metric_key: str, threshold: int) -> str:
    """An indicator value as shown beyond its centre, by the status's rule for the scorecard
    (forpost.reports.sections._shown): a share of a small group, or one that pins a small count,
    is "×"; a small count of people "<5" (a number the catalogue does not know counts people);
    the centres' own work (activities, meetings) in full."""
    from .metrics import BY_KEY, metric
    from .suppression import SECONDARY_MARK

    if value is None or getattr(value, "value", None) is None:
        return str(value.display()) if value is not None else "–"
    unit = getattr(value, "unit", "count")
    parts = getattr(value, "parts", None)
    if unit == "share" and parts:
        part, whole = parts
        if any(0 < n < threshold for n in (part, whole, whole - part)):
            return SECONDARY_MARK
    people = metric(metric_key).people if metric_key in BY_KEY else True
    if people and unit == "count" and 0 < value.value < threshold:
        return f"<{threshold}"
    return masked_text(str(value.display()), threshold)
