from aftersales.reports import charts


def test_bar_chart_escapes_labels_and_scales():
    svg = charts.bar_chart("<b>", [("<script>", 2), ("二", 4)])
    assert svg.startswith("<svg") and 'viewBox="0 0 640 260"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2


def test_line_chart_skips_missing_points():
    svg = charts.line_chart("趋势", ["01", "02", "03"], {"达成率": [50.0, None, 100.0]})
    assert svg.count("<circle") == 2 and "达成率" in svg


def test_empty_chart_is_still_an_svg():
    assert charts.bar_chart("空", []).startswith("<svg")
