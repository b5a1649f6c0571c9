"""Layouts are data: every shipped layout loads and validates; a broken layout file gets
file:line:col; grids are built from the column tree alone (table-driven, no site build)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import make_tree, run_cli

from publisher import grid
from publisher.checks import check_disclosure
from publisher.errors import ContentError
from publisher.layout import load_library
from publisher.load import load_content
from publisher.models import tables as t
from publisher.models.layout import Column, TableLayout, leaves

LAYOUTS = load_library()


def texts(rows):
    return [[(c.text, c.colspan, c.rowspan) for c in row] for row in rows]


def test_shipped_layouts_load_and_inherit():
    assert {"hunan-2020", "shanghai-2024", "shanghai-2024-fenlie"} <= set(LAYOUTS.layouts)
    fenlie = LAYOUTS.get("shanghai-2024-fenlie")
    assert [tl.table for tl in fenlie.tables] == [f"t0{i}" for i in range(1, 10)]
    # its own 02表 (codes in 类/款/项 columns), the parent's 07表 and sections
    t02 = next(tl for tl in fenlie.tables if tl.table == "t02")
    assert [leaf.figure for leaf in leaves(t02.columns)][:3] == ["code:类", "code:款", "code:项"]
    assert fenlie.sections == LAYOUTS.get("shanghai-2024").sections


@pytest.mark.parametrize(
    "bad, where, fragment",
    [
        ("    columns:\n      - {label: 合计, figure: totl}\n", "7:29", "不是本表的数据项"),
        (
            "    columns:\n      - {label: 合计, figure: total}\n    total_row: middle\n",
            "8:16",
            "expected one of: first, last",
        ),
    ],
)
def test_a_broken_layout_is_reported_where_it_is(tmp_path, bad, where, fragment):
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "mine.yml").write_text(
        "id: mine\nname: 测试表样\ntables:\n  - table: t05\n    title: 一般公共预算财政拨款支出决算表\n"
        + bad,
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as error:
        load_library(tmp_path)
    shown = [str(p) for p in error.value.problems]
    assert any(f"mine.yml:{where}: " in p and fragment in p for p in shown), shown


def test_a_site_layout_needs_no_code(tmp_path):
    """A province's layout is one data file beside site_config.yml; content names it."""
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "demo-2025.yml").write_text(
        "id: demo-2025\nname: 演示表样\nextends: shanghai-2024\ntables:\n"
        "  - table: t05\n    title: 一般公共预算财政拨款支出决算表（演示）\n    number: 表五\n"
        "    columns:\n      - {label: 科目编码, figure: code}\n      - {label: 科目名称, figure: name}\n"
        "      - {label: 合计, figure: total}\n",
        encoding="utf-8",
    )
    library = load_library(tmp_path)
    layout = library.get("demo-2025")
    t05 = next(tl for tl in layout.tables if tl.table == "t05")
    assert (t05.number, t05.total_row) == ("表五", "first")
    assert len(layout.tables) == 9  # the rest inherited


def column(label, figure=None, *children):
    return Column(label=label, figure=figure, columns=list(children))


HEADERS = {
    # Hunan 07表: 预算数 / 决算数 halves, three header rows
    "halves": (
        [
            column(
                "预算数",
                None,
                column("合计", "budget.total"),
                column(
                    "公务用车",
                    None,
                    column("小计", "budget.vehicles"),
                    column("购置费", "budget.vehicle_purchase"),
                ),
            )
        ],
        [
            [("预算数", 3, 1)],
            [("合计", 1, 2), ("公务用车", 2, 1)],
            [("小计", 1, 1), ("购置费", 1, 1)],
        ],
    ),
    # Shanghai 07表: 预算数/决算数 paired under each item
    "pairs": (
        [
            column(
                "合计", None, column("预算数", "budget.total"), column("决算数", "actual.total")
            ),
            column(
                "公务接待费",
                None,
                column("预算数", "budget.reception"),
                column("决算数", "actual.reception"),
            ),
        ],
        [
            [("合计", 2, 1), ("公务接待费", 2, 1)],
            [("预算数", 1, 1), ("决算数", 1, 1), ("预算数", 1, 1), ("决算数", 1, 1)],
        ],
    ),
    "flat": (
        [column("科目名称", "name"), column("合计", "total")],
        [[("科目名称", 1, 1), ("合计", 1, 1)]],
    ),
}


@pytest.mark.parametrize("case", sorted(HEADERS))
def test_header_rows_follow_the_column_tree(case):
    columns, expected = HEADERS[case]
    assert texts(grid.header(columns)) == expected


def split_row(**values):
    return t.SplitRow(**values)


def test_classified_table_total_row_position_and_code_parts():
    table = t.Table05(
        total=split_row(name="合计", total=Decimal("3"), basic=Decimal("3")),
        rows=[split_row(code="2010301", name="行政运行", total=Decimal("3"), basic=Decimal("3"))],
    )
    columns = [
        column("类", "code:类"),
        column("款", "code:款"),
        column("项", "code:项"),
        column("科目名称", "name"),
        column("合计", "total"),
        column("基本支出", "basic"),
    ]
    first = TableLayout(table="t05", title="x", columns=columns)
    last = TableLayout(
        table="t05", title="x", columns=columns, total_row="last", column_numbers=True
    )
    _, body = grid.classified(table, first)
    assert texts(body)[0][0] == ("合计", 4, 1) and [c.text for c in body[1][:4]] == [
        "201",
        "03",
        "01",
        "行政运行",
    ]
    head, body = grid.classified(table, last)
    assert texts(body)[-1][0] == ("合计", 4, 1)
    assert [c.text for c in head[-1]] == ["栏次", "", "", "", "1", "2"]


def test_two_sided_rows_pair_lists_item_by_item():
    def line(name, amount=None):
        return t.Line(name=name, amount=None if amount is None else Decimal(amount))

    table = t.Table01(
        income=[line("一、收入", "5")],
        income_total=line("本年收入合计", "5"),
        income_grand_total=line("总计", "5"),
        expenditure=[line("一、支出", "5"), line("二、支出")],
        expenditure_total=line("本年支出合计", "5"),
        expenditure_grand_total=line("总计", "5"),
    )
    layout = TableLayout(
        table="t01",
        title="收入支出决算总表",
        columns=[
            column("收入", None, column("项目", "name"), column("决算数", "amount")),
            column("支出", None, column("项目", "name"), column("决算数", "amount")),
        ],
        rows=[
            ["income", "expenditure"],
            ["income_total", "expenditure_total"],
            ["income_grand_total", "expenditure_grand_total"],
        ],
    )
    _, body = grid.two_sided(table, layout)
    assert [[c.text for c in row] for row in body] == [
        ["一、收入", "5.00", "一、支出", "5.00"],
        ["", "", "二、支出", ""],
        ["本年收入合计", "5.00", "本年支出合计", "5.00"],
        ["总计", "5.00", "总计", "5.00"],
    ]


FLOW_09 = """\
final_accounts:
  tables:
    t09:
      total: {name: 合计, opening: 1, income: 10, total: 8, basic: 8, closing: 4}
"""


def test_a_rule_applies_where_the_layout_prints_its_figures(tmp_path):
    """09表 年末 = 年初 + 收入 − 支出 is checked under a layout that prints those columns only."""
    for name, layout, fires in (("sh", "shanghai-2024", True), ("hn", "hunan-2020", False)):
        make_tree(tmp_path / name, f"year: 2020\nlayout: {layout}\n" + FLOW_09)
        ((unit, d),) = load_content(tmp_path / name).disclosures()
        ids = {f.rule.id for f in check_disclosure(d, LAYOUTS.choose(d, unit, None))}
        assert ("T09-FLOW" in ids) is fires, (layout, ids)


def test_unknown_layout_is_a_located_error(tmp_path):
    make_tree(tmp_path / "content", "year: 2020\nlayout: hunan-2002\n")
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/r/u/2020.yml:2:9: 没有这个表样" in result.stderr


def test_a_layout_declares_identities_of_its_own(tmp_path):
    """An identity in the layout's data is checked like the national rules, with its own id."""
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "demo-2025.yml").write_text(
        "id: demo-2025\nname: 演示表样\nextends: shanghai-2024\nidentities:\n"
        "  - id: DEMO-07-RECEPTION\n    description: 演示：07表 公务接待费决算数 = 预算数\n"
        "    total: final_accounts.tables.t07.actual.reception\n"
        "    parts: [final_accounts.tables.t07.budget.reception]\n",
        encoding="utf-8",
    )
    library = load_library(tmp_path)
    for name, actual, fires in (("ok", "1", False), ("bad", "2", True)):
        make_tree(
            tmp_path / name,
            "year: 2020\nlayout: demo-2025\nfinal_accounts:\n  tables:\n    t07:\n"
            f"      budget: {{total: 1, reception: 1}}\n      actual: {{total: {actual}, reception: {actual}}}\n",
        )
        ((unit, d),) = load_content(tmp_path / name).disclosures()
        found = [
            f
            for f in check_disclosure(d, library.choose(d, unit, None))
            if f.rule.id == "DEMO-07-RECEPTION"
        ]
        assert bool(found) is fires
        if fires:
            assert found[0].figure.mark.line == 7 and found[0].expected == Decimal("1")


def test_an_edited_layout_file_is_read_again(tmp_path):
    """mkdocs serve keeps the process: a layout edit must reach the next rebuild."""
    import os

    (tmp_path / "layouts").mkdir()
    path = tmp_path / "layouts" / "demo-2025.yml"
    for version, title in enumerate(("第一版", "第二版"), start=1):
        path.write_text(f"id: demo-2025\nname: {title}\nextends: shanghai-2024\n", encoding="utf-8")
        os.utime(path, ns=(version, version))  # edits within one clock tick still differ
        assert load_library(tmp_path).get("demo-2025").name == title
