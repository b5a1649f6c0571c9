"""Layouts: how a province's template prints the nine tables and the 情况说明.

A layout is data (``publisher/layouts/<id>.yml``, or ``layouts/<id>.yml`` beside
``site_config.yml``): for each table the printed title and number label, the column tree
with its printed labels and the figure under each leaf column, whether 行次/栏次 are
printed, where the 合计 row stands, the lines printed around the table; and the list of
情况说明 sections. Figures are named by their semantic ids (the field names of
``publisher.models.tables``), so the checks do not depend on the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .base import Markdown, Node, field

TableKey = Literal["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09"]


@dataclass(kw_only=True)
class Column(Node):
    """One header cell of a table; a leaf column names the figure printed under it."""

    label: str = field("表头", "the label as printed (line breaks of the original dropped)",
                       required=True)
    figure: str | None = field(
        "数据项", "leaf columns only: the row's field (code, name, line, total, fiscal, basic …), "
        "a part of the code (code:类, code:款, code:项), or for 07表 a path in the table "
        "(budget.total, actual.reception)")
    columns: list[Column] = field("下级表头", "the columns under this one", default=[])


@dataclass(kw_only=True)
class Identity(Node):
    """An arithmetic identity of the layout's own: total = Σ parts − Σ minus."""

    id: str = field("规则编号", "unique, e.g. SH-T04-FUND", required=True)
    description: str = field("说明", "one line in Chinese, shown with its findings", required=True)
    total: str = field("合计", "figure path: final_accounts.tables.t04.income_total.amount",
                       required=True)
    parts: list[str] = field("加项", "figure paths; [*] expands over a list", default=[])
    minus: list[str] = field("减项", "figure paths subtracted", default=[])


@dataclass(kw_only=True)
class TableLayout(Node):
    """How one of the nine tables is printed."""

    table: TableKey = field("表", "which of the nine tables (t01 … t09)", required=True)
    title: str = field("标题", "the printed title", required=True)
    required: bool = field("必须公开", "the document must publish it (an empty table with its 说明)",
                           default=True)
    number: str | None = field("表号", "the printed number label (公开01表, 表一), if any")
    columns: list[Column] = field("表头", "the column tree, left to right", required=True)
    column_numbers: bool = field("栏次", "a 栏次 row is printed under the header", default=False)
    total_row: Literal["first", "last"] = field("合计行", "where the 合计 row of a 科目 table stands",
                                                default="first")
    department_line: bool = field("部门行", "a 部门：… line is printed above the table", default=False)
    unit_line: str | None = field("单位行", "the unit line printed above the table", default="单位：万元")
    rows: list[list[str]] = field(
        "行", "01表/04表: the row pairs printed side by side, left field and right field "
        "(a list field is paired item by item); 06表: the 经济分类 类 of each column group, "
        "codes not listed go to the last group", default=[])


@dataclass(kw_only=True)
class SectionLayout(Node):
    """One section of the 情况说明 the template prescribes."""

    title: str = field("标题", "the heading, numbering included: 一、收入支出决算总体情况说明",
                       required=True)
    required: bool = field("必填", "the document must have it", default=True)


@dataclass(kw_only=True)
class Layout(Node):
    """A province's (and year's) template of the 部门决算."""

    id: str = field("编号", "must match the file name: shanghai-2024", required=True)
    name: str = field("名称", "e.g. 上海市2024年度部门决算模板", required=True)
    extends: str | None = field("继承", "another layout's id: tables not listed here are taken from it, "
                                "and so are its sections and identities when none are listed")
    source: Markdown | None = field("依据", "the template or documents it was taken from")
    tables: list[TableLayout] = field("决算表", "the tables in printed order", default=[])
    sections: list[SectionLayout] = field("情况说明", "the 情况说明 sections, in order", default=[])
    identities: list[Identity] = field("勾稽关系", "identities of this layout's own, checked "
                                                   "besides the national rules", default=[])


def leaves(columns: list[Column]) -> list[Column]:
    """The leaf columns of a column tree, left to right."""
    out: list[Column] = []
    for column in columns:
        out += leaves(column.columns) if column.columns else [column]
    return out
