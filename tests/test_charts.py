"""Charts and comparisons as units: bar lengths and shares in Decimal, text alternatives
that carry every figure, grouped data tables, rolled-up totals."""

from __future__ import annotations

from decimal import Decimal

from publisher.charts import Bar, Chart, percent, scaled, table_rows


def test_bars_scale_to_the_largest_and_shares_use_the_total():
    assert scaled(Decimal("50"), Decimal("200"), 188) == Decimal("47.0")
    assert scaled(Decimal("1"), Decimal("0"), 188) == 0
    assert percent(Decimal("524.20"), Decimal("619.54")) == "84.6%"
    assert percent(Decimal("1"), Decimal("0")) == ""


def test_a_chart_says_every_figure_in_words_and_in_its_table():
    chart = Chart(
        "c",
        "基本支出与项目支出",
        [Bar("基本支出", Decimal("524.20")), Bar("项目支出", Decimal("95.34"))],
        shares=True,
    )
    assert (
        chart.text
        == "基本支出与项目支出：基本支出 524.20 万元，占 84.6%；项目支出 95.34 万元，占 15.4%。"
    )
    assert table_rows(chart) == (
        ["项目", "金额（万元）", "占比"],
        [["基本支出", "524.20", "84.6%"], ["项目支出", "95.34", "15.4%"]],
    )
    svg = str(chart.svg)
    assert 'role="img"' in svg and 'aria-labelledby="c-t c-d"' in svg and "float" not in svg
    assert svg.count("<rect") == 2


def test_grouped_chart_table_is_items_by_year():
    bars = [
        Bar("2020年", Decimal("1.5"), "公务接待费", 0),
        Bar("2021年", Decimal("0.92"), "公务接待费", 1),
        Bar("2021年", Decimal("3"), "公务用车购置及运行费", 1),
    ]
    chart = Chart("s", "“三公”经费", bars, legend=["2020年", "2021年"])
    assert table_rows(chart)[1] == [
        ["公务接待费", "1.50", "0.92"],
        ["公务用车购置及运行费", "", "3.00"],
    ]
    assert str(chart.svg).count('class="g"') == 2  # one heading per item


def test_term_anchors_match_whole_terms_only():
    from publisher.summary import term_anchor

    glossary = {"“三公经费”支出": "mingci-7", "基本支出": "mingci-9", "机关运行经费": "mingci-8"}
    assert term_anchor("“三公”经费决算", glossary) == "mingci-7"
    assert term_anchor("基本支出", glossary) == "mingci-9"
    assert term_anchor("本年支出合计", glossary) is None  # 支出 is not 基本支出


def test_long_class_names_widen_the_label_column_instead_of_being_clipped():
    import re

    chart = Chart(
        "k",
        "支出按功能分类（类）",
        [Bar("自然资源海洋气象等支出", Decimal("4461.67")), Bar("卫生健康支出", Decimal("236.64"))],
    )
    svg = str(chart.svg)
    label_end = Decimal(
        re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end">自然资源', svg).group(1)
    )
    assert label_end >= 11 * 14  # eleven characters of 14-unit text fit left of the bars
    first_bar = Decimal(re.search(r'<rect x="([\d.]+)"', svg).group(1))
    assert first_bar > label_end
