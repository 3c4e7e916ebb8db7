"""The disclosure pass: labels that tell the truth, and no small count in clear in the texts."""

from __future__ import annotations

from forpost.core.disclosure import PRIMARY, SECONDARY, intervals, protect
from forpost.core.suppression import Cell, suppress_one_way
from forpost.reports.sections import _masked, _shown
from forpost.reports.status import StatusContext


def ctx(suppress: bool = True) -> StatusContext:
    return StatusContext(year=2025, centre_ids=(1,), city_wide=False, suppress=suppress, threshold=5)


def test_a_cell_hidden_only_to_protect_another_is_marked_as_such_never_as_a_small_count(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    table = suppress_one_way({"a": 1, "b": 263, "c": 40})
    assert table.cells["a"].display(5) == "<5"
    hidden = [c for c in table.cells.values() if c.suppressed and c.value >= 5]
    assert hidden and all(c.display(5) == "×" for c in hidden)
    assert Cell(263, suppressed=True).display(5) == "×"


def test_the_pass_hides_more_until_every_hidden_cell_is_wide_enough():
    values = {"total": 284, "a": 1, "b": 263, "c": 20}
    equations = [{"total": 1, "a": -1, "b": -1, "c": -1}]
    found = protect(values, equations, threshold=5)
    assert found.kinds["a"] == PRIMARY
    assert {v for v, k in found.kinds.items() if k == SECONDARY} == {"b", "c"}
    exact = intervals(found.kinds, values, equations, 5)
    assert exact["a"] == (1, 4)
    assert all(hi - lo >= 5 for v, (lo, hi) in exact.items() if found.kinds[v] == SECONDARY)


def test_seven_small_months_cannot_add_up_to_a_published_total():
    values = {"total": 7, **{f"m{i}": 1 for i in range(7)}}
    equations = [{"total": 1, **{f"m{i}": -1 for i in range(7)}}]
    found = protect(values, equations, threshold=5)
    exact = intervals(found.kinds, values, equations, 5)
    assert all(hi - lo > 0 for lo, hi in exact.values())


def test_small_counts_in_the_evidence_texts_are_hidden_when_they_leave_the_centre():
    assert _masked(ctx(), "3 inquiries where it was not known were left out.") == (
        "<5 inquiries where it was not known were left out."
    )
    assert _masked(ctx(), "40 of 52 weeks had at least 6 hours; 12.5 %, 1.3.2025") == (
        "40 of 52 weeks had at least 6 hours; 12.5 %, 1.3.2025"
    )
    assert _masked(ctx(suppress=False), "3 inquiries") == "3 inquiries"


def test_a_small_count_or_a_share_that_pins_one_is_not_printed_in_the_scorecard():
    from forpost.concepts.indicators import IndicatorValue

    assert _shown(ctx(), IndicatorValue(value=3, unit="count")) == "<5"
    assert _shown(ctx(), IndicatorValue(value=34 / 35, unit="share", parts=(34, 35))) == "×"
    assert _shown(ctx(), IndicatorValue(value=20 / 35, unit="share", parts=(20, 35))) == "57 %"
    assert _shown(ctx(suppress=False), IndicatorValue(value=3, unit="count")) == "3"
