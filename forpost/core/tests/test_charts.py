from xml.etree import ElementTree

from forpost.core.charts import Bar, bar_chart, column_chart

NS = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_is_valid_svg_with_a_title_and_one_bar_per_value():
    svg = bar_chart([Bar("Skilsmisse", 40, "40"), Bar("Mobning", 10, "10")], title="Temaer")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Temaer"
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 4 * widths[1]


def test_a_suppressed_value_is_drawn_without_its_number():
    svg = bar_chart([Bar("Vold", None, "<5"), Bar("Søvn", 20, "20")], title="Temaer")
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter(f"{NS}text")]
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
