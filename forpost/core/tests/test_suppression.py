"""Suppression: small counts are hidden and no hidden count can be recovered from what is shown."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from forpost.core.suppression import applies_to, suppress_one_way, suppress_two_way


def test_small_counts_are_shown_as_below_the_threshold():
    table = suppress_one_way({"a": 3, "b": 40, "c": 12}, threshold=5)
    assert table.cells["a"].display(5) == "<5"
    assert table.cells["b"].display(5) == "40"


def test_one_hidden_value_in_a_line_gets_a_companion():
    table = suppress_one_way({"a": 3, "b": 40, "c": 12}, threshold=5)
    hidden = {k for k, cell in table.cells.items() if cell.suppressed}
    assert hidden == {"a", "c"}
    assert not table.total.suppressed


def test_zeros_are_not_small_cells():
    table = suppress_one_way({"a": 0, "b": 40, "c": 12}, threshold=5)
    assert not any(cell.suppressed for cell in table.cells.values())


def test_a_small_total_is_hidden_with_its_parts():
    table = suppress_one_way({"a": 1, "b": 2}, threshold=5)
    assert table.total.suppressed
    assert all(cell.suppressed for cell in table.cells.values())


def test_a_two_way_table_hides_a_rectangle_around_a_small_cell():
    matrix = {("x", "p"): 2, ("x", "q"): 30, ("y", "p"): 20, ("y", "q"): 40}
    table = suppress_two_way(matrix, ["x", "y"], ["p", "q"], threshold=5)
    hidden = {k for k, cell in table.cells.items() if cell.suppressed}
    assert ("x", "p") in hidden
    assert len(hidden) == 4  # the only way to protect a cell of a 2×2 table with margins
    assert not table.total.suppressed


def test_published_values_are_never_changed():
    matrix = {("x", "p"): 2, ("x", "q"): 30, ("y", "p"): 20, ("y", "q"): 40}
    table = suppress_two_way(matrix, ["x", "y"], ["p", "q"], threshold=5)
    assert table.cell("y", "q").value == 40
    assert table.row_totals["y"].value == 60
    assert table.total.value == 92


def test_own_centre_users_see_their_centre_unsuppressed():
    assert not applies_to(frozenset({1}), [1])
    assert applies_to(frozenset({1}), [1, 2])
    assert applies_to(None, [1])


# --- The property: nothing hidden can be recovered -----------------------------------------


def _rank(rows: list[list[Fraction]]) -> int:
    m = [r[:] for r in rows]
    rank, cols = 0, len(m[0]) if m else 0
    for col in range(cols):
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                f = m[i][col] / m[rank][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(unknowns: list, equations: list[list]) -> set:
    """Unknowns fixed by the linear equations (lists of unknowns summing to a known number)."""
    if not unknowns:
        return set()
    index = {u: i for i, u in enumerate(unknowns)}
    rows = []
    for eq in equations:
        row = [Fraction(0)] * len(unknowns)
        for u, coefficient in eq:
            row[index[u]] += coefficient
        if any(row):
            rows.append(row)
    if not rows:
        return set()
    base = _rank(rows)
    found = set()
    for u, i in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[i] = Fraction(1)
        if _rank([*rows, unit]) == base:
            found.add(u)
    return found


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 25), min_size=1), st.integers(3, 6))
def test_no_hidden_value_of_a_one_way_table_can_be_recovered(counts, threshold):
    table = suppress_one_way(counts, threshold=threshold)
    for key, cell in table.cells.items():
        assert cell.value == counts[key]
        if 0 < counts[key] < threshold:
            assert cell.suppressed
    hidden = [k for k, c in table.cells.items() if c.suppressed] + (["T"] if table.total.suppressed else [])
    equation = [(k, 1) for k in table.cells if k in hidden] + ([("T", -1)] if "T" in hidden else [])
    assert not _recoverable(hidden, [equation])


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(st.integers(0, 30), min_size=r * c, max_size=r * c).map(lambda v: (r, c, v))
        )
    ),
    st.integers(3, 6),
)
def test_no_hidden_value_of_a_two_way_table_can_be_recovered(shape, threshold):
    n_rows, n_cols, flat = shape
    rows, cols = list(range(n_rows)), [f"c{j}" for j in range(n_cols)]
    matrix = {(r, c): flat[i * n_cols + j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    table = suppress_two_way(matrix, rows, cols, threshold=threshold)

    full = dict(table.cells)
    full.update({(r, "T"): cell for r, cell in table.row_totals.items()})
    full.update({("T", c): cell for c, cell in table.column_totals.items()})
    full[("T", "T")] = table.total
    for key, cell in full.items():
        if 0 < cell.value < threshold:
            assert cell.suppressed, key
    for key, value in matrix.items():
        assert full[key].value == value

    hidden = [k for k, cell in full.items() if cell.suppressed]
    equations = []
    for r in [*rows, "T"]:
        equations.append(
            [((r, c), 1) for c in cols if (r, c) in hidden] + ([((r, "T"), -1)] if (r, "T") in hidden else [])
        )
    for c in [*cols, "T"]:
        equations.append(
            [((r, c), 1) for r in rows if (r, c) in hidden] + ([(("T", c), -1)] if ("T", c) in hidden else [])
        )
    leaked = _recoverable(hidden, equations)
    # A table whose every value is hidden still has nothing to give away; anything else must hold.
    assert not leaked, f"recoverable: {leaked}"
