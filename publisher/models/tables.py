"""The nine public tables of a 部门决算 (01表 … 09表), by meaning.

Field names are the figures' semantic ids (``fiscal``, ``basic``, ``personnel_total`` …):
rules and statements use them whatever the province's layout; how a table is printed
(title, columns, labels, row order) is the layout's business (``publisher/layouts/``).

Every figure is recorded as published: a blank cell is ``None``, a printed "0" is 0,
totals are fields of their own and are never recomputed here (see ``publisher.checks``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Amount, Markdown, Node, field


@dataclass(kw_only=True)
class PublicTable(Node):
    """What every 公开表 carries besides its figures."""

    department: str | None = field("部门", "部门 line above the table, if it differs from the document's")
    note: Markdown | None = field("注", "the 注 line under the table, as published")
    statement: Markdown | None = field("说明", "the 说明 of an empty table, e.g. 本单位无政府性基金收支，故本表无数据")


# ---------------------------------------------------------------- 01 and 04: two sides


@dataclass(kw_only=True)
class Line(Node):
    """One 行次 of a two-sided table (公开01表, the income side of 公开04表)."""

    line: int | None = field("行次", "row number as printed")
    name: str | None = field("项目", "row label as printed; blank rows have none")
    amount: Amount | None = field("决算数", "the figure, blank if the cell is blank")


@dataclass(kw_only=True)
class Table01(PublicTable):
    """公开01表 收入支出决算总表."""

    income: list[Line] = field("收入", "income rows 一、… in printed order, blank rows included", default=[])
    income_total: Line = field("本年收入合计", required=True)
    nonfiscal_balance_used: Line | None = field("使用非财政拨款结余")
    income_opening_balance: Line | None = field("年初结转和结余")
    income_grand_total: Line = field("总计（收入）", required=True)
    expenditure: list[Line] = field("支出", "expenditure rows by 功能分类 类, in printed order", default=[])
    expenditure_total: Line = field("本年支出合计", required=True)
    balance_distribution: Line | None = field("结余分配")
    closing_balance: Line | None = field("年末结转和结余")
    expenditure_grand_total: Line = field("总计（支出）", required=True)


@dataclass(kw_only=True)
class FundLine(Node):
    """One expenditure 行次 of 公开04表, split by fund."""

    line: int | None = field("行次")
    name: str | None = field("项目")
    total: Amount | None = field("合计")
    general: Amount | None = field("一般公共预算财政拨款")
    gov_fund: Amount | None = field("政府性基金预算财政拨款")
    soe: Amount | None = field("国有资本经营预算财政拨款")


@dataclass(kw_only=True)
class Table04(PublicTable):
    """公开04表 财政拨款收入支出决算总表."""

    income: list[Line] = field("收入", "一般公共预算 / 政府性基金 / 国有资本经营 rows and blank rows", default=[])
    income_total: Line = field("本年收入合计", required=True)
    opening_balance: Line | None = field("年初财政拨款结转和结余")
    opening_balance_by_fund: list[Line] = field("年初结转和结余分项", "its three fund rows", default=[])
    income_grand_total: Line = field("总计（收入）", required=True)
    expenditure: list[FundLine] = field("支出", "expenditure rows by 功能分类 类", default=[])
    expenditure_total: FundLine = field("本年支出合计", required=True)
    closing_balance: FundLine | None = field("年末财政拨款结转和结余")
    closing_balance_by_fund: list[FundLine] = field("年末结转和结余分项", default=[])
    expenditure_grand_total: FundLine = field("总计（支出）", required=True)


# ------------------------------------------------------- 02, 03, 05, 08, 09: 功能分类 rows


@dataclass(kw_only=True)
class ClassifiedRow(Node):
    """A row keyed by 功能分类科目编码 (类 3 digits, 款 5, 项 7); blank for 合计."""

    code: str | None = field("科目编码", "功能分类科目编码 as a string: '201', '20103', '2010301'")
    name: str | None = field("科目名称")


@dataclass(kw_only=True)
class IncomeRow(ClassifiedRow):
    """A row of 公开02表 收入决算表."""

    total: Amount | None = field("本年收入合计")
    fiscal: Amount | None = field("财政拨款收入")
    superior: Amount | None = field("上级补助收入")
    business: Amount | None = field("事业收入")
    operating: Amount | None = field("经营收入")
    affiliated: Amount | None = field("附属单位上缴收入")
    other: Amount | None = field("其他收入")


@dataclass(kw_only=True)
class Table02(PublicTable):
    """公开02表 收入决算表."""

    total: IncomeRow = field("合计", "the 合计 row", required=True)
    rows: list[IncomeRow] = field("科目", "类/款/项 rows in printed order", default=[])


@dataclass(kw_only=True)
class ExpenditureRow(ClassifiedRow):
    """A row of 公开03表 支出决算表."""

    total: Amount | None = field("本年支出合计")
    basic: Amount | None = field("基本支出")
    project: Amount | None = field("项目支出")
    to_superior: Amount | None = field("上缴上级支出")
    operating: Amount | None = field("经营支出")
    to_affiliated: Amount | None = field("对附属单位补助支出")


@dataclass(kw_only=True)
class Table03(PublicTable):
    """公开03表 支出决算表."""

    total: ExpenditureRow = field("合计", required=True)
    rows: list[ExpenditureRow] = field("科目", default=[])


@dataclass(kw_only=True)
class SplitRow(ClassifiedRow):
    """A row of 05表: 小计 (合计) = 基本支出 + 项目支出."""

    total: Amount | None = field("小计")
    basic: Amount | None = field("基本支出")
    project: Amount | None = field("项目支出")


@dataclass(kw_only=True)
class Table05(PublicTable):
    """公开05表 一般公共预算财政拨款支出决算表."""

    total: SplitRow = field("合计", required=True)
    rows: list[SplitRow] = field("科目", default=[])


@dataclass(kw_only=True)
class FundFlowRow(ClassifiedRow):
    """A row of 08表 / 09表 (a fund's 收入支出决算表): 年初结转和结余 + 本年收入 − 本年支出 =
    年末结转和结余. Layouts that print only the 支出 columns (小计/基本/项目) use those three."""

    opening: Amount | None = field("年初结转和结余")
    income: Amount | None = field("本年收入")
    total: Amount | None = field("本年支出小计")
    basic: Amount | None = field("基本支出")
    project: Amount | None = field("项目支出")
    closing: Amount | None = field("年末结转和结余")


@dataclass(kw_only=True)
class Table08(PublicTable):
    """公开08表 政府性基金预算财政拨款收入支出决算表."""

    total: FundFlowRow = field("合计", required=True)
    rows: list[FundFlowRow] = field("科目", default=[])


@dataclass(kw_only=True)
class Table09(PublicTable):
    """09表 国有资本经营预算财政拨款（收入）支出决算表."""

    total: FundFlowRow = field("合计", required=True)
    rows: list[FundFlowRow] = field("科目", default=[])


# ------------------------------------------------------------------ 06: 经济分类 rows


@dataclass(kw_only=True)
class EconomicRow(Node):
    """A row of 公开06表, keyed by 经济分类科目编码 (301 类, 30101 款)."""

    code: str = field("经济分类科目编码", "'301', '30101', …; names repeat across 类, codes do not", required=True)
    name: str = field("科目名称", required=True)
    amount: Amount | None = field("决算数")


@dataclass(kw_only=True)
class Table06(PublicTable):
    """公开06表 一般公共预算财政拨款基本支出决算表."""

    rows: list[EconomicRow] = field("科目", "经济分类 rows in printed order (all three column groups)", default=[])
    personnel_total: Amount | None = field("人员经费合计")
    public_total: Amount | None = field("公用经费合计")


# ------------------------------------------------------------------ 07: 三公经费


@dataclass(kw_only=True)
class SangongFigures(Node):
    """One half of 公开07表: the 预算数 or the 决算数 columns."""

    total: Amount | None = field("合计")
    abroad: Amount | None = field("因公出国（境）费")
    vehicles: Amount | None = field("公务用车购置及运行费小计")
    vehicle_purchase: Amount | None = field("公务用车购置费")
    vehicle_operation: Amount | None = field("公务用车运行费")
    reception: Amount | None = field("公务接待费")


@dataclass(kw_only=True)
class Table07(PublicTable):
    """公开07表 一般公共预算财政拨款"三公"经费支出决算表."""

    budget: SangongFigures = field("预算数", required=True)
    actual: SangongFigures = field("决算数", required=True)


@dataclass(kw_only=True)
class FinalAccountTables(Node):
    """The nine 公开表 of one year; a table not published is left out."""

    t01: Table01 | None = field("01表 收入支出决算总表")
    t02: Table02 | None = field("02表 收入决算表")
    t03: Table03 | None = field("03表 支出决算表")
    t04: Table04 | None = field("04表 财政拨款收入支出决算总表")
    t05: Table05 | None = field("05表 一般公共预算财政拨款支出决算表")
    t06: Table06 | None = field("06表 一般公共预算财政拨款基本支出决算表")
    t07: Table07 | None = field("07表 “三公”经费支出决算表")
    t08: Table08 | None = field("08表 政府性基金预算财政拨款收入支出决算表")
    t09: Table09 | None = field("09表 国有资本经营预算财政拨款收入支出决算表")
