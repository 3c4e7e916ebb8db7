"""Small-cell suppression for every number that leaves a centre.

Primary suppression hides counts from 1 to threshold-1 (Statistics Denmark publishes no
group of fewer than 3; Forpost's default threshold is 5). Secondary suppression hides
more cells so that no hidden count can be worked out from the totals that are shown.

For a one-way table (categories and their total) the rule is simple: a line with exactly
one hidden value gives it away, so a second one is hidden. For a two-way table with row
and column totals, think of the table *with its margins* as a bipartite graph: one node
per row and per column (the totals row and column included), one edge per hidden cell.
A hidden cell can be recovered exactly when, and only when, its edge is a bridge of that
graph (no cycle of hidden cells passes through it). So we keep hiding the smallest
neighbouring value until no bridge is left. Zeros are shown: a structural zero reveals
no person.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

SECONDARY_MARK = "×"


@dataclass(frozen=True)
class Cell:
    """A published count. Hidden, it says why: "primary" (a count from 1 to threshold − 1,
    shown as "<5") or "secondary" (hidden only to protect another cell, or a number computed
    from a hidden count; shown as "×"). No cell hidden to protect another says "<5"."""

    value: int
    suppressed: bool = False
    kind: str = ""

    def __post_init__(self) -> None:
        if self.suppressed and not self.kind:
            object.__setattr__(self, "kind", "primary" if 0 < self.value < default_threshold() else "secondary")

    def display(self, threshold: int | None = None) -> str:
        if self.suppressed:
            if self.kind == "secondary":
                return SECONDARY_MARK
            return f"<{threshold or default_threshold()}"
        return str(self.value)

    def __str__(self) -> str:
        return self.display()

    @property
    def published(self) -> int | None:
        """The number that may be used in a chart or a sum: None when hidden."""
        return None if self.suppressed else self.value


def default_threshold() -> int:
    return int(getattr(settings, "SUPPRESSION_THRESHOLD", 5))


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


@dataclass(frozen=True)
class OneWay:
    cells: dict[Hashable, Cell]
    total: Cell


def suppress_one_way(counts: Mapping[Any, int], *, threshold: int | None = None) -> OneWay:
    """Categories and their total; the total is treated as one more value of the line."""
    t = threshold or default_threshold()
    keys = list(counts)
    total = sum(counts.values())
    hidden = {k for k in keys if is_small(counts[k], t)}
    total_hidden = is_small(total, t)
    if len(hidden) + total_hidden == 1:
        candidates = sorted((counts[k], str(k), k) for k in keys if k not in hidden and counts[k] > 0)
        if candidates:
            hidden.add(candidates[0][2])
        else:
            total_hidden = True
    return OneWay(
        cells={k: Cell(counts[k], k in hidden) for k in keys},
        total=Cell(total, total_hidden),
    )


@dataclass(frozen=True)
class TwoWay:
    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[tuple[Hashable, Hashable], Cell]
    row_totals: dict[Hashable, Cell]
    column_totals: dict[Hashable, Cell]
    total: Cell

    def cell(self, row: Hashable, column: Hashable) -> Cell:
        return self.cells[(row, column)]


TOTAL = "__total__"


def suppress_two_way(
    matrix: Mapping[tuple[Any, Any], int],
    rows: Sequence[Any],
    columns: Sequence[Any],
    *,
    threshold: int | None = None,
) -> TwoWay:
    """A rows × columns table with its row totals, column totals and grand total."""
    t = threshold or default_threshold()
    ext_rows = [*rows, TOTAL]
    ext_cols = [*columns, TOTAL]
    values: dict[tuple[Any, Any], int] = {(r, c): int(matrix.get((r, c), 0)) for r in rows for c in columns}
    for r in rows:
        values[(r, TOTAL)] = sum(values[(r, c)] for c in columns)
    for c in columns:
        values[(TOTAL, c)] = sum(values[(r, c)] for r in rows)
    values[(TOTAL, TOTAL)] = sum(values[(r, c)] for r in rows for c in columns)

    hidden = {key for key, value in values.items() if is_small(value, t)}
    while True:
        bridge = _first_bridge(hidden)
        if bridge is None:
            break
        complement = _complement(bridge, hidden, values, ext_rows, ext_cols)
        if complement is None:  # pragma: no cover - a 1×1 table: nothing else to hide
            break
        hidden.add(complement)

    def cell(key: tuple[Any, Any]) -> Cell:
        return Cell(values[key], key in hidden)

    return TwoWay(
        rows=list(rows),
        columns=list(columns),
        cells={(r, c): cell((r, c)) for r in rows for c in columns},
        row_totals={r: cell((r, TOTAL)) for r in rows},
        column_totals={c: cell((TOTAL, c)) for c in columns},
        total=cell((TOTAL, TOTAL)),
    )


def _first_bridge(hidden: set[tuple[Any, Any]]) -> tuple[Any, Any] | None:
    """A hidden cell whose edge (row node – column node) lies on no cycle of hidden cells."""
    edges = sorted(hidden, key=repr)
    for edge in edges:
        if not _connected(("r", edge[0]), ("c", edge[1]), [e for e in edges if e != edge]):
            return edge
    return None


def _connected(start: tuple[str, Any], goal: tuple[str, Any], edges: list[tuple[Any, Any]]) -> bool:
    neighbours: dict[tuple[str, Any], list[tuple[str, Any]]] = {}
    for r, c in edges:
        neighbours.setdefault(("r", r), []).append(("c", c))
        neighbours.setdefault(("c", c), []).append(("r", r))
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for nxt in neighbours.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False


def _complement(
    bridge: tuple[Any, Any],
    hidden: set[tuple[Any, Any]],
    values: dict[tuple[Any, Any], int],
    ext_rows: list[Any],
    ext_cols: list[Any],
) -> tuple[Any, Any] | None:
    """The cell to hide next: the smallest visible value in the bridge's row or column,
    preferring positive values, inner cells over totals (readers need the totals most),
    and cells whose other line already holds hidden cells (which closes a cycle)."""
    r, c = bridge
    line = [(r, col) for col in ext_cols if col != c] + [(row, c) for row in ext_rows if row != r]
    visible = [key for key in line if key not in hidden]
    if not visible:
        return None
    busy_rows = {k[0] for k in hidden}
    busy_cols = {k[1] for k in hidden}

    def rank(key: tuple[Any, Any]) -> tuple[bool, bool, bool, int, str]:
        other_busy = (key[0] in busy_rows and key[0] != r) or (key[1] in busy_cols and key[1] != c)
        is_total = TOTAL in key
        return (values[key] == 0, is_total, not other_busy, values[key], repr(key))

    return min(visible, key=rank)


def applies_to(viewer_centre_ids: frozenset[int] | None, centre_ids: Sequence[int] | frozenset[int]) -> bool:
    """Whether numbers about `centre_ids` are suppressed for a viewer.

    A centre's own counsellors and coordinators see their own centre's numbers as they are;
    anywhere else (city-wide views, other centres, exports, the PDF, the API) numbers have
    left the centre and are suppressed. `viewer_centre_ids` is None for city-wide roles.
    """
    if viewer_centre_ids is None:
        return True
    return not set(centre_ids) <= set(viewer_centre_ids)
