from xml.etree import ElementTree

from forpost.core.charts import Bar, bar_chart, column_chart, dot_plot

NS = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_is_valid_svg_with_a_title_and_one_bar_per_value():
    svg = bar_chart([Bar("Skilsmisse", 40, "40"), Bar("Mobning", 10, "10")], title="Temaer")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Temaer: Skilsmisse 40; Mobning 10."
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 4 * widths[1]


def test_a_suppressed_value_is_drawn_without_its_number():
    svg = bar_chart([Bar("Vold", None, "<5"), Bar("Søvn", 20, "20")], title="Temaer")
    root = ElementTree.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert "<5" in texts
    dashed = [r for r in root.iter(f"{NS}rect") if r.get("stroke-dasharray")]
    assert len(dashed) == 1


def test_labels_are_escaped():
    svg = column_chart([Bar("<script>", 3, "3")], title="a & b")
    assert "<script>" not in svg
    ElementTree.fromstring(svg)


def test_no_inline_styles_are_used():
    svg = bar_chart([Bar("a", 1, "1")], title="x") + column_chart([Bar("a", 1, "1")], title="x")
    assert "style=" not in svg


def _label_lines(svg):
    root = ElementTree.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{NS}tspan")]


def test_a_long_label_wraps_and_is_never_cut():
    label = "Henvist til Socialcenter København, Børne- og Ungdomsforvaltningen"
    for draw in (bar_chart, column_chart, dot_plot):
        lines = _label_lines(draw([Bar(label, 12, "12", low=0.5, high=1.2), Bar("Andet", 3, "3")], title="Henvist"))
        assert "…" not in "".join(lines)
        assert " ".join(lines[:-1]) == label and len(lines) > 2, draw.__name__


def test_each_chart_says_in_words_what_it_shows():
    svg = column_chart([Bar("jan.", 337, "337"), Bar("feb.", 287, "287")], title="Henvendelser pr. måned")
    title = ElementTree.fromstring(svg).find(f"{NS}title").text
    assert title == "Henvendelser pr. måned: jan. 337; feb. 287."


def test_representativeness_is_a_dot_plot_with_intervals_around_one():
    svg = dot_plot(
        [Bar("Dansk oprindelse", 1.1, "1,10", low=1.02, high=1.18), Bar("Indvandrer", 0.6, "0,60", low=0.4, high=0.8)],
        title="Repræsentativitet",
    )
    root = ElementTree.fromstring(svg)
    dots = list(root.iter(f"{NS}circle"))
    assert len(dots) == 2
    intervals = [ln for ln in root.iter(f"{NS}line") if ln.get("stroke-width") == "3"]
    reference = next(ln for ln in root.iter(f"{NS}line") if ln.get("stroke-dasharray"))
    one = float(reference.get("x1"))
    # The first group's interval lies right of 1, the second's wholly left of it.
    assert float(intervals[0].get("x1")) > one and float(intervals[1].get("x2")) < one
    assert float(intervals[0].get("x1")) < float(dots[0].get("cx")) < float(intervals[0].get("x2"))
