"""Lay tables out as grids of ready-to-print cells, so templates only loop.

A :class:`Grid` is what one HTML table needs: header rows (with spans), body rows and
the lines printed around it. Builders here know each table's published shape; the
formatting of money happens once, in :func:`money`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest

from .models import tables as t
from .models.base import Node, Percent, label, schema_fields


def money(value: Decimal | None) -> str:
    """An amount as printed on the site: ``1,234.56``; blank stays blank."""
    if value is None:
        return ""
    return f"{value:,.2f}"


def score(value: Decimal | None) -> str:
    """Points as published (``9.5``, ``100``): no padding of decimals."""
    return "" if value is None else f"{value:f}"


@dataclass
class Cell:
    text: str = ""
    kind: str = "text"  # text | num | code | head | index (栏次 and 行次 numbers)
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Grid:
    anchor: str
    title: str
    number: str | None = None  # 公开01表
    department: str | None = None
    unit_line: str | None = "单位：万元"
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)
    note: str | None = None  # Markdown
    statement: str | None = None  # Markdown
    empty: bool = False


def head(*labels: str | tuple) -> list[Cell]:
    """Header cells; a tuple is (label, colspan, rowspan)."""
    cells = []
    for item in labels:
        text, colspan, rowspan = (item + (1, 1))[:3] if isinstance(item, tuple) else (item, 1, 1)
        cells.append(Cell(text, "head", colspan, rowspan))
    return cells


def num(value: Decimal | None) -> Cell:
    return Cell(money(value), "num")


def columns_row(labels: list[str], first: int = 1) -> list[Cell]:
    """The 栏次 numbers of these columns."""
    return [Cell(str(i), "index") for i in range(first, first + len(labels))]


def amount_fields(cls: type) -> list[str]:
    return [f.name for f in schema_fields(cls) if f.name not in {"code", "name", "line", "org"}]


# ------------------------------------------------------------------ two-sided tables


def line_cells(line: t.Line | None) -> list[Cell]:
    if line is None:
        return [Cell(), Cell(kind="index"), Cell(kind="num")]
    return [Cell(line.name or ""), Cell(str(line.line or ""), "index"), num(line.amount)]


def fund_line_cells(line: t.FundLine | None) -> list[Cell]:
    if line is None:
        return [Cell(), Cell(kind="index")] + [Cell(kind="num") for _ in range(4)]
    return [Cell(line.name or ""), Cell(str(line.line or ""), "index")] + [
        num(getattr(line, name)) for name in ("total", "general", "gov_fund", "soe")]


def two_sides(left: list, right: list, summaries: list[tuple[object, object]]) -> list[tuple]:
    """Pairs of rows printed side by side: the item rows, padded to equal length, then the
    summary rows (本年合计, 结转结余, 总计), which face each other in the published layout."""
    pairs = list(zip_longest(left, right))
    return pairs + summaries


def table01(table: t.Table01) -> list[list[Cell]]:
    summaries = [(getattr(table, a), getattr(table, b)) for a, b in (
        ("income_total", "expenditure_total"), ("nonfiscal_balance_used", "balance_distribution"),
        ("income_opening_balance", "closing_balance"), ("income_grand_total", "expenditure_grand_total"))]
    return [line_cells(a) + line_cells(b) for a, b in two_sides(table.income, table.expenditure, summaries)]


def table04(table: t.Table04) -> list[list[Cell]]:
    summaries = [(table.income_total, table.expenditure_total), (table.opening_balance, table.closing_balance),
                 *zip_longest(table.opening_balance_by_fund, table.closing_balance_by_fund),
                 (table.income_grand_total, table.expenditure_grand_total)]
    return [line_cells(a) + fund_line_cells(b) for a, b in two_sides(table.income, table.expenditure, summaries)]


# ------------------------------------------------------------------ classified rows


def classified_rows(table, row_cls: type) -> list[list[Cell]]:
    names = amount_fields(row_cls)
    rows = []
    for row in [table.total] + table.rows:
        label_cells = [Cell(row.code or "", "code"), Cell(row.name or "")]
        if row is table.total:
            label_cells = [Cell(row.name or "合计", colspan=2)]
        rows.append(label_cells + [num(getattr(row, n)) for n in names])
    return rows


def classified_head(row_cls: type, group: tuple[str, list[str]] | None = None) -> list[list[Cell]]:
    """项目 | columns…, then 编码/名称, then 栏次; ``group`` spans some columns under one label."""
    names = amount_fields(row_cls)
    labels = [label(row_cls, n) for n in names]
    top: list[Cell] = head(("项目", 2, 1))
    second: list[Cell] = head("功能分类科目编码", "科目名称")
    grouped = group[1] if group else []
    for name, text in zip(names, labels):
        if name in grouped:
            if name == grouped[0]:
                top.append(Cell(group[0], "head", len(grouped)))
            second.append(Cell(text.replace("本年支出", ""), "head"))
        else:
            top.append(Cell(text, "head", 1, 2))
    return [top, second, [Cell("栏次", "head", 2)] + columns_row(names)]


# ------------------------------------------------------------------ 06 and 07


ECONOMIC_GROUPS = (("301", "303"), ("302",), None)  # published layout: three column groups


def economic_columns(rows: list[t.EconomicRow]) -> list[list[t.EconomicRow]]:
    groups: list[list] = [[], [], []]
    for row in rows:
        index = next((i for i, g in enumerate(ECONOMIC_GROUPS) if g and row.code[:3] in g), 2)
        groups[index].append(row)
    return groups


def table06(table: t.Table06) -> list[list[Cell]]:
    body = []
    for triple in zip_longest(*economic_columns(table.rows)):
        cells = []
        for row in triple:
            if row is None:
                cells += [Cell(kind="code"), Cell(), Cell(kind="num")]
            else:
                cells += [Cell(row.code, "code"), Cell(row.name), num(row.amount)]
        body.append(cells)
    body.append([Cell("人员经费合计", "text", 2), num(table.personnel_total),
                 Cell("公用经费合计", "text", 5), num(table.public_total)])
    return body


def table07_head() -> list[list[Cell]]:
    half_top = head(("合计", 1, 2), ("因公出国（境）费", 1, 2), ("公务用车购置及运行费", 3, 1), ("公务接待费", 1, 2))
    half_mid = head("小计", "公务用车购置费", "公务用车运行费")
    return [head(("预算数", 6), ("决算数", 6)), half_top + half_top, half_mid + half_mid,
            columns_row(["x"] * 12)]


def table07(table: t.Table07) -> list[list[Cell]]:
    names = amount_fields(t.SangongFigures)
    return [[num(getattr(table.budget, n)) for n in names] + [num(getattr(table.actual, n)) for n in names]]


# ------------------------------------------------------------------ the nine tables


PUBLIC_TABLES = {
    "t01": "收入支出决算总表",
    "t02": "收入决算表",
    "t03": "支出决算表",
    "t04": "财政拨款收入支出决算总表",
    "t05": "一般公共预算财政拨款支出决算表",
    "t06": "一般公共预算财政拨款基本支出决算表",
    "t07": "一般公共预算财政拨款“三公”经费支出决算表",
    "t08": "政府性基金预算财政拨款收入支出决算表",
    "t09": "国有资本经营预算财政拨款支出决算表",
}


def public_table_grids(tables: t.FinalAccountTables, department: str) -> list[Grid]:
    """The grids of the published 公开表, in order, each with its stable anchor."""
    grids = []
    for key, title in PUBLIC_TABLES.items():
        table = getattr(tables, key)
        if table is None:
            continue
        number = key[1:]
        grid = Grid(anchor=f"gongkai-{number}", title=title, number=f"公开{number}表",
                    department=table.department or department, note=table.note,
                    statement=table.statement, empty=is_empty(table))
        grid.head, grid.body = LAYOUTS[key](table)
        grids.append(grid)
    return grids


def two_sided_head(right: list[str]) -> list[list[Cell]]:
    return [head(("收入", 3), ("支出", 2 + len(right))),
            head("项目", "行次", "决算数" if len(right) == 1 else "金额", "项目", "行次", *right),
            [Cell("栏次", "head"), Cell("", "head"), Cell("1", "index"), Cell("栏次", "head"), Cell("", "head")]
            + columns_row(right, 2)]


LAYOUTS = {
    "t01": lambda tb: (two_sided_head(["决算数"]), table01(tb)),
    "t02": lambda tb: (classified_head(t.IncomeRow), classified_rows(tb, t.IncomeRow)),
    "t03": lambda tb: (classified_head(t.ExpenditureRow), classified_rows(tb, t.ExpenditureRow)),
    "t04": lambda tb: (two_sided_head(["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                                      "国有资本经营预算财政拨款"]), table04(tb)),
    "t05": lambda tb: (classified_head(t.SplitRow, ("本年支出", ["total", "basic", "project"])),
                       classified_rows(tb, t.SplitRow)),
    "t06": lambda tb: ([head("经济分类科目编码", "科目名称", "决算数") * 3], table06(tb)),
    "t07": lambda tb: (table07_head(), table07(tb)),
    "t08": lambda tb: (classified_head(t.GovFundRow, ("本年支出", ["total", "basic", "project"])),
                       classified_rows(tb, t.GovFundRow)),
    "t09": lambda tb: (classified_head(t.SplitRow, ("本年支出", ["total", "basic", "project"])),
                       classified_rows(tb, t.SplitRow)),
}


def is_empty(node: Node) -> bool:
    """True when a table carries no figure at all (it is still published, with its 说明)."""
    return not any(True for _ in figures(node))


def figures(node: Node, path: str = ""):
    """Every published amount under ``node`` with its model path: ``(path, value, node, field)``."""
    for f in schema_fields(type(node)):
        value = getattr(node, f.name)
        here = f"{path}.{f.name}" if path else f.name
        if isinstance(value, Decimal):
            yield here, value, node, f.name
        elif isinstance(value, Node):
            yield from figures(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Node):
                    yield from figures(item, f"{here}[{i}]")


# ------------------------------------------------------------------ simple row tables


def simple_grid(anchor: str, title: str, rows: list[Node], row_cls: type, first: str,
                label_field: str) -> Grid:
    """A table of labelled rows and amount columns (收支情况 by 机构, 预算决算对比 …)."""
    names = amount_fields(row_cls)
    grid = Grid(anchor=anchor, title=title)
    grid.head = [head(first, *[label(row_cls, n) for n in names])]
    for row in rows:
        grid.body.append([Cell(getattr(row, label_field) or "")] + [num(getattr(row, n)) for n in names])
    return grid


def percent(value: Percent | None) -> str:
    return "" if value is None else value.text


def budget_execution_grid(table, anchor: str) -> Grid:
    """预算、决算、结余对比情况表 with its two-level header."""
    from .models.performance import BudgetExecutionRow as Row

    g = Grid(anchor=anchor, title=table.title)
    g.head = [head(("项目", 1, 2), ("预算金额", 4), ("决算金额", 1, 2), ("执行差异（预算-决算）", 1, 2)),
              head("年初预算", "上年结转", "本年追加", "预算可用指标")]
    names = amount_fields(Row)
    for row in table.rows + ([table.total] if table.total else []):
        g.body.append([Cell(row.name)] + [Cell(money(getattr(row, n)), "num") for n in names])
    return g


def comparison_grid(table, anchor: str) -> Grid:
    """A year-on-year table (“三公”经费开支情况表)."""
    g = Grid(anchor=anchor, title=table.title)
    g.head = [head("项目", f"{table.current_year}年决算金额", f"{table.previous_year}年决算金额",
                   f"增减情况（{table.current_year}-{table.previous_year}）")]
    for row in table.rows + ([table.total] if table.total else []):
        g.body.append([Cell(row.name), Cell(money(row.current), "num"), Cell(money(row.previous), "num"),
                       Cell(money(row.change), "num")])
    return g
