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
    """表头的一个单元格；叶子列写明其下所印的数据项。"""

    label: str = field("表头", "印制的表头文字（去掉原文中的换行）", required=True)
    figure: str | None = field(
        "数据项",
        "仅用于叶子列：行的字段（code、name、line、total、fiscal、basic …）、"
        "编码的一部分（code:类、code:款、code:项），07表则写表内路径"
        "（budget.total、actual.reception）",
    )
    columns: list[Column] = field("下级表头", "本列之下的各列", default=[])

    @property
    def shown(self) -> str:
        """The figure a leaf column shows (validation makes every leaf name one)."""
        if self.figure is None:
            raise ValueError(f"column {self.label!r} is not a leaf")
        return self.figure


@dataclass(kw_only=True)
class Identity(Node):
    """表样自有的算术勾稽关系：total = Σ parts − Σ minus（合计 = 各加项之和 − 各减项之和）。"""

    id: str = field("规则编号", "不可重复，如 SH-T04-FUND", required=True)
    description: str = field("说明", "一行中文说明，随核对问题显示", required=True)
    total: str = field(
        "合计", "数据项路径，如 final_accounts.tables.t04.income_total.amount", required=True
    )
    parts: list[str] = field("加项", "数据项路径；[*] 表示列表中的每一项", default=[])
    minus: list[str] = field("减项", "要减去的数据项路径", default=[])


@dataclass(kw_only=True)
class TableLayout(Node):
    """九张决算表中一张表的印制方式。"""

    table: TableKey = field("表", "九张表中的哪一张（t01 … t09）", required=True)
    title: str = field("标题", "印制的标题", required=True)
    required: bool = field(
        "必须公开", "文件必须公开此表（无数据的表也要公开，并附说明）", default=True
    )
    number: str | None = field("表号", "印制的表号（公开01表、表一），没有则不写")
    columns: list[Column] = field("表头", "表头树，从左到右", required=True)
    column_numbers: bool = field("栏次", "表头下印有栏次行", default=False)
    total_row: Literal["first", "last"] = field("合计行", "科目表中合计行的位置", default="first")
    department_line: bool = field("部门行", "表上方印有“部门：…”行", default=False)
    unit_line: str | None = field("单位行", "表上方印的单位行", default="单位：万元")
    rows: list[list[str]] = field(
        "行",
        "01表/04表：并排印制的成对行，写左侧字段和右侧字段（列表字段逐项配对）；"
        "06表：每组列包含哪些经济分类的类，未列出的编码归入最后一组",
        default=[],
    )


@dataclass(kw_only=True)
class SectionLayout(Node):
    """模板规定的情况说明中的一节。"""

    title: str = field("标题", "标题，含编号，如 一、收入支出决算总体情况说明", required=True)
    required: bool = field("必填", "文件必须有此节", default=True)


@dataclass(kw_only=True)
class Layout(Node):
    """某省份（某年度）的部门决算模板。"""

    id: str = field("编号", "须与文件名一致，如 shanghai-2024", required=True)
    name: str = field("名称", "如 上海市2024年度部门决算模板", required=True)
    extends: str | None = field(
        "继承",
        "另一表样的编号：此处未列出的表取自该表样；此处未列情况说明各节或勾稽关系时，也取自该表样",
    )
    source: Markdown | None = field("依据", "据以整理本表样的模板或公开文件")
    tables: list[TableLayout] = field("决算表", "各表，按印制顺序", default=[])
    sections: list[SectionLayout] = field("情况说明", "情况说明各节，按顺序", default=[])
    identities: list[Identity] = field(
        "勾稽关系", "本表样自有的勾稽关系，在全国通用规则之外另行核对", default=[]
    )


def leaves(columns: list[Column]) -> list[Column]:
    """The leaf columns of a column tree, left to right."""
    out: list[Column] = []
    for column in columns:
        out += leaves(column.columns) if column.columns else [column]
    return out
