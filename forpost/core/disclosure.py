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
- ``SECONDARY`` ("×"): a count hidden only so that another hidden cell cannot be worked out.
  Counts from 1 to threshold − 1 are always primary and zeros are never hidden, so a
  secondary cell holds threshold or more; the LP uses that too.

`protect()` hides the primary cells, then asks a linear program (HiGHS, through scipy) for
the least and greatest value of every hidden cell consistent with all equations, the visible
values and those bounds, and hides more cells, the smallest visible counts first, until every
hidden cell's interval is at least `width` wide. A primary cell can never be wider than its
label (1 to threshold − 1): it is protected when no equation narrows that range at all.

To stay fast with thousands of hidden cells, the cells are split into independent groups
(hidden cells connected through equations), and a few LPs with random objectives find
feasible points first: a cell whose values among those points already span the width is
proven safe without an LP of its own (any point found is a consistent value, so the true
interval is at least that wide). Only the remaining cells get their own two LPs.

An LP relaxes the counts to real numbers; an attacker who insists on whole numbers can at
most round the bounds inwards, which the margin of `width` (default: the threshold) covers.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"

Var = Hashable
# An equation: {variable: coefficient}, meaning sum(coefficient * value) == 0.
Equation = Mapping[Var, int]


def label_bounds(kind: str, threshold: int) -> tuple[float, float | None]:
    """What a reader knows about a hidden cell from its mark alone."""
    if kind == PRIMARY:
        return 1.0, float(threshold - 1)
    return float(threshold), None


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


def _solve(
    objective: Sequence[float],
    a_rows: list[dict[int, float]],
    b: list[float],
    bounds: list[tuple[float, float | None]],
) -> list[float] | None:
    """One LP (minimise objective·x); the solution, or None when unbounded or infeasible."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    n = len(bounds)
    if a_rows:
        data, rows, cols = [], [], []
        for i, row in enumerate(a_rows):
            for j, coef in row.items():
                rows.append(i)
                cols.append(j)
                data.append(coef)
        a = csr_matrix((data, (rows, cols)), shape=(len(a_rows), n))
        result = linprog(np.asarray(objective), A_eq=a, b_eq=np.asarray(b), bounds=bounds, method="highs")
    else:
        result = linprog(np.asarray(objective), bounds=bounds, method="highs")
    if result.status != 0:
        return None
    return [float(x) for x in result.x]


@dataclass
class LinearSystem:
    """The hidden cells of one group as LP variables: equations with the visible values moved
    to the right-hand side."""

    variables: list[Var]
    rows: list[dict[int, float]]
    rhs: list[float]
    bounds: list[tuple[float, float | None]]
    solves: int = 0

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
                if var in index:
                    row[index[var]] = row.get(index[var], 0.0) + coef
                else:
                    constant += coef * known[var]
            row = {j: c for j, c in row.items() if c}
            if row:
                rows.append(row)
                rhs.append(-constant)
        return cls(list(hidden), rows, rhs, [bounds[v] for v in hidden])

    def extreme(self, j: int) -> tuple[float, float | None]:
        """The least and greatest value of variable j (None: no upper bound)."""
        n = len(self.variables)
        objective = [0.0] * n
        objective[j] = 1.0
        low = _solve(objective, self.rows, self.rhs, self.bounds)
        objective[j] = -1.0
        high = _solve(objective, self.rows, self.rhs, self.bounds)
        self.solves += 2
        lo = low[j] if low is not None else self.bounds[j][0]
        hi = high[j] if high is not None else None
        return lo, hi

    def random_points(self, count: int, rng: random.Random) -> list[list[float]]:
        points = []
        n = len(self.variables)
        for _ in range(count):
            objective = [rng.choice((-1.0, 1.0)) * rng.random() for _ in range(n)]
            found = _solve(objective, self.rows, self.rhs, self.bounds)
            self.solves += 1
            if found is not None:
                points.append(found)
        return points


def groups(hidden: Iterable[Var], equations: Sequence[Equation]) -> list[tuple[list[Var], list[int]]]:
    """Hidden cells split into groups that share no equation, each with its equations."""
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
    eqs: dict[Var, list[int]] = {}
    for i, inside in touching:
        eqs.setdefault(find(inside[0]), []).append(i)
    return [(sorted(vs, key=repr), eqs.get(root, [])) for root, vs in members.items()]


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
                found[var] = system.extreme(j)
    return found


def protect(
    values: Mapping[Var, int],
    equations: Sequence[Equation],
    *,
    threshold: int,
    width: int | None = None,
    hideable: Mapping[Var, bool] | None = None,
    seed: int = 0,
    max_rounds: int = 10_000,
) -> Protection:
    """Primary and secondary suppression of a whole linked system, verified by LP.

    `values` holds every published count; `hideable[var]` False marks a cell that must not be
    hidden to protect another (none by default). Returns each hidden cell's mark and interval.
    """
    width = threshold if width is None else width
    rng = random.Random(seed)
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
        return sorted(seen, key=lambda v: (values[v], repr(v)))

    # A cheap first round: an equation with exactly one hidden cell gives it away.
    changed = True
    while changed:
        changed = False
        for equation in equations:
            inside = [v for v in equation if v in kinds]
            if len(inside) == 1:
                options = [v for v in candidates(inside[0]) if v in equation]
                if options:
                    kinds[options[0]] = SECONDARY
                    changed = True

    solves = 0
    result: dict[Var, tuple[float, float | None]] = {}
    pending = set(kinds)
    rounds = 0
    while pending and rounds < max_rounds:
        rounds += 1
        bounds = {v: label_bounds(k, threshold) for v, k in kinds.items()}
        weak: list[Var] = []
        for members, eq_ids in groups(kinds, equations):
            if not pending.intersection(members):
                continue
            system = LinearSystem.of(members, [equations[i] for i in eq_ids], values, bounds)
            need = [required_width(kinds[v], threshold, width) for v in members]
            low = [float(values[v]) for v in members]
            high: list[float] = [float(values[v]) for v in members]
            if len(members) > 2:
                for point in system.random_points(min(6, len(members)), rng):
                    for j, x in enumerate(point):
                        low[j] = min(low[j], x)
                        high[j] = max(high[j], x)
            for j, var in enumerate(members):
                if var not in pending:
                    continue
                hi = high[j]
                if hi - low[j] >= need[j] - 1e-6:
                    result[var] = (low[j], hi)  # proven wide enough by points found (inner bounds)
                    continue
                lo_exact, hi_exact = system.extreme(j)
                result[var] = (lo_exact, hi_exact)
                span = float("inf") if hi_exact is None else hi_exact - lo_exact
                if span < need[j] - 1e-6:
                    weak.append(var)
            solves += system.solves
        pending = set()
        if not weak:
            break
        for var in weak:
            options = candidates(var)
            if options:
                kinds[options[0]] = SECONDARY
                pending.add(options[0])
        if not pending:
            break  # nothing left to hide next to the weak cells: report them as they are
        # Hiding a cell only widens the others' intervals (a fixed value becomes a range that
        # holds it), so only the new cells and the weak ones need another look.
        pending |= set(weak)
    return Protection(kinds=kinds, intervals=result, lp_solves=solves)
