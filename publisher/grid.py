"""Lay tables out as grids of ready-to-print cells, so templates only loop.

A :class:`Grid` is what one HTML table needs: header rows (with spans), body rows and
the lines printed around it. Builders here know each table's published shape; the
formatting of money happens once, in :func:`money`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from . import terms
from .models import tables as t
from .models.base import Node, Percent, label, schema_fields
from .models.layout import Column, Layout, TableLayout, leaves
from .models.paths import is_empty, value_at


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
    number: str | None = None  # 公开01表, as the layout prints it
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


def amount_fields(cls: type) -> list[str]:
    return [f.name for f in schema_fields(cls) if f.name not in {"code", "name", "line", "org"}]


# ------------------------------------------------------------------ the nine tables


def public_table_grids(
    tables: t.FinalAccountTables, layout: Layout, department: str | None
) -> list[Grid]:
    """The grids of the published tables, in the layout's order, as the layout prints them."""
    grids = []
    for tl in layout.tables:
        table = getattr(tables, tl.table)
        if table is None:
            continue
        grid = Grid(
            anchor=terms.table_anchor(tl.table),
            title=tl.title,
            number=tl.number,
            department=(table.department or department) if tl.department_line else None,
            unit_line=tl.unit_line,
            note=table.note,
            statement=table.statement,
            empty=is_empty(table),
        )
        grid.head, grid.body = LAYOUTS[terms.SHAPES[tl.table]](table, tl)
        grids.append(grid)
    return grids


def header(columns: list[Column]) -> list[list[Cell]]:
    """Header rows of a column tree: a column spans its leaves, a leaf spans the rows below."""
    depth = tree_depth(columns)
    rows: list[list[Cell]] = [[] for _ in range(depth)]

    def place(items: list[Column], level: int) -> None:
        for c in items:
            if c.columns:
                rows[level].append(Cell(c.label, "head", len(leaves(c.columns))))
                place(c.columns, level + 1)
            else:
                rows[level].append(Cell(c.label, "head", 1, depth - level))

    place(columns, 0)
    return rows


def tree_depth(columns: list[Column]) -> int:
    return max((1 + tree_depth(c.columns) for c in columns), default=0)


def numbers_row(columns: list[Column]) -> list[Cell]:
    """The 栏次 row: 栏次 under the first of each run of label columns, then 1, 2, 3 …"""
    cells, number, previous_label = [], 0, False
    for leaf in columns:
        is_label = leaf.figure in terms.LABEL_FIGURES
        if is_label:
            cells.append(Cell("" if previous_label else "栏次", "head"))
        else:
            number += 1
            cells.append(Cell(str(number), "index"))
        previous_label = is_label
    return cells


def printed_columns(tl: TableLayout) -> list[Column]:
    """The column tree as printed: 06表 repeats its columns once per column group."""
    return tl.columns * len(tl.rows) if terms.SHAPES[tl.table] == "economic" else tl.columns


def head_of(tl: TableLayout) -> list[list[Cell]]:
    columns = printed_columns(tl)
    rows = header(columns)
    return rows + [numbers_row(leaves(columns))] if tl.column_numbers else rows


def cell(row: Node | None, figure: str) -> Cell:
    """The cell of ``row`` under a column showing ``figure``."""
    if figure in terms.CODE_PARTS:
        return Cell((getattr(row, "code", None) or "")[terms.CODE_PARTS[figure]], "code")
    value = getattr(row, figure, None) if row is not None else None
    if figure == "code":
        return Cell(value or "", "code")
    if figure == "name":
        return Cell(value or "")
    if figure == "line":
        return Cell(str(value or ""), "index")
    return num(value)


def two_sided(table: Node, tl: TableLayout) -> tuple[list, list]:
    left, right = leaves(tl.columns[:1]), leaves(tl.columns[1:])
    body = []
    for a, b in tl.rows:
        first, second = getattr(table, a), getattr(table, b)
        pairs = (
            zip_longest(first, second)
            if isinstance(first, list) or isinstance(second, list)
            else [(first, second)]
        )
        for x, y in pairs:
            body.append([cell(x, c.shown) for c in left] + [cell(y, c.shown) for c in right])
    return head_of(tl), body


def classified(table: t.ClassifiedTable, tl: TableLayout) -> tuple[list, list]:
    columns = leaves(tl.columns)
    labels = sum(1 for c in columns if c.figure in terms.LABEL_FIGURES)
    total = table.total
    total_row = [Cell(total.name or "合计", colspan=labels)] + [
        cell(total, c.shown) for c in columns if c.figure not in terms.LABEL_FIGURES
    ]
    rows = [[cell(row, c.shown) for c in columns] for row in table.rows]
    body = rows + [total_row] if tl.total_row == "last" else [total_row] + rows
    return head_of(tl), body


def economic(table: t.Table06, tl: TableLayout) -> tuple[list, list]:
    """06表: 经济分类 rows in column groups side by side, then 人员经费合计 / 公用经费合计."""
    groups: list[list[t.EconomicRow]] = [[] for _ in tl.rows]
    for row in table.rows:
        index = next(
            (i for i, codes in enumerate(tl.rows) if row.code[:3] in codes), len(groups) - 1
        )
        groups[index].append(row)
    columns = leaves(tl.columns)
    body = []
    for rows in zip_longest(*groups):
        body.append([cell(row, c.shown) for row in rows for c in columns])
    width = len(columns) * len(groups)
    body.append(
        [
            Cell("人员经费合计", colspan=len(columns) - 1),
            num(table.personnel_total),
            Cell("公用经费合计", colspan=width - len(columns) - 1),
            num(table.public_total),
        ]
    )
    return head_of(tl), body


def single_row(table: Node, tl: TableLayout) -> tuple[list, list]:
    """07表: one row of figures, each column naming its path in the table."""
    return head_of(tl), [[num(value_at(table, c.shown)) for c in leaves(tl.columns)]]


LAYOUTS: dict[str, Callable[[Any, TableLayout], tuple[list, list]]] = {
    "two_sided": two_sided,
    "classified": classified,
    "economic": economic,
    "single_row": single_row,
}


# ------------------------------------------------------------------ simple row tables


def simple_grid(
    anchor: str, title: str, rows: list[Node], row_cls: type, first: str, label_field: str
) -> Grid:
    """A table of labelled rows and amount columns (收支情况 by 机构, 预算决算对比 …)."""
    names = amount_fields(row_cls)
    grid = Grid(anchor=anchor, title=title)
    grid.head = [head(first, *[label(row_cls, n) for n in names])]
    for row in rows:
        grid.body.append(
            [Cell(getattr(row, label_field) or "")] + [num(getattr(row, n)) for n in names]
        )
    return grid


def percent(value: Percent | None) -> str:
    return "" if value is None else value.text


def budget_execution_grid(table, anchor: str) -> Grid:
    """预算、决算、结余对比情况表 with its two-level header."""
    from .models.evaluations import BudgetExecutionRow as Row

    g = Grid(anchor=anchor, title=table.title)
    g.head = [
        head(("项目", 1, 2), ("预算金额", 4), ("决算金额", 1, 2), ("执行差异（预算-决算）", 1, 2)),
        head("年初预算", "上年结转", "本年追加", "预算可用指标"),
    ]
    names = amount_fields(Row)
    for row in table.rows + ([table.total] if table.total else []):
        g.body.append([Cell(row.name)] + [Cell(money(getattr(row, n)), "num") for n in names])
    return g


def comparison_grid(table, anchor: str) -> Grid:
    """A year-on-year table (“三公”经费开支情况表)."""
    g = Grid(anchor=anchor, title=table.title)
    g.head = [
        head(
            "项目",
            f"{table.current_year}年决算金额",
            f"{table.previous_year}年决算金额",
            f"增减情况（{table.current_year}-{table.previous_year}）",
        )
    ]
    for row in table.rows + ([table.total] if table.total else []):
        g.body.append(
            [
                Cell(row.name),
                Cell(money(row.current), "num"),
                Cell(money(row.previous), "num"),
                Cell(money(row.change), "num"),
            ]
        )
    return g
