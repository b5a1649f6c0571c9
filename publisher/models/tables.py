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
    """每张公开表除数字外都有的内容。"""

    department: str | None = field("部门", "表上方的部门行，与文件的部门不同时填写")
    note: Markdown | None = field("注", "表下方的注，按公开文本填写")
    statement: Markdown | None = field(
        "说明", "空表的说明，如 本单位无政府性基金收支，故本表无数据"
    )


# ---------------------------------------------------------------- 01 and 04: two sides


@dataclass(kw_only=True)
class Line(Node):
    """左右两栏式表格中的一个行次（公开01表；公开04表的收入栏）。"""

    line: int | None = field("行次", "印制的行次")
    name: str | None = field("项目", "印制的行名；空行没有行名")
    amount: Amount | None = field("决算数", "数字；单元格空白则不写")


@dataclass(kw_only=True)
class Table01(PublicTable):
    """公开01表 收入支出决算总表。"""

    income: list[Line] = field("收入", "收入各行 一、…，按印制顺序，含空行", default=[])
    income_total: Line = field("本年收入合计", required=True)
    nonfiscal_balance_used: Line | None = field("使用非财政拨款结余")
    income_opening_balance: Line | None = field("年初结转和结余")
    income_grand_total: Line = field("总计（收入）", required=True)
    expenditure: list[Line] = field("支出", "支出各行，按功能分类的类列示，按印制顺序", default=[])
    expenditure_total: Line = field("本年支出合计", required=True)
    balance_distribution: Line | None = field("结余分配")
    closing_balance: Line | None = field("年末结转和结余")
    expenditure_grand_total: Line = field("总计（支出）", required=True)


@dataclass(kw_only=True)
class FundLine(Node):
    """公开04表支出栏的一个行次，按资金分列。"""

    line: int | None = field("行次")
    name: str | None = field("项目")
    total: Amount | None = field("合计")
    general: Amount | None = field("一般公共预算财政拨款")
    gov_fund: Amount | None = field("政府性基金预算财政拨款")
    soe: Amount | None = field("国有资本经营预算财政拨款")


@dataclass(kw_only=True)
class Table04(PublicTable):
    """公开04表 财政拨款收入支出决算总表。"""

    income: list[Line] = field(
        "收入", "一般公共预算 / 政府性基金 / 国有资本经营各行及空行", default=[]
    )
    income_total: Line = field("本年收入合计", required=True)
    opening_balance: Line | None = field("年初财政拨款结转和结余")
    opening_balance_by_fund: list[Line] = field(
        "年初结转和结余分项", "其下的三个资金行", default=[]
    )
    income_grand_total: Line = field("总计（收入）", required=True)
    expenditure: list[FundLine] = field("支出", "支出各行，按功能分类的类列示", default=[])
    expenditure_total: FundLine = field("本年支出合计", required=True)
    closing_balance: FundLine | None = field("年末财政拨款结转和结余")
    closing_balance_by_fund: list[FundLine] = field("年末结转和结余分项", default=[])
    expenditure_grand_total: FundLine = field("总计（支出）", required=True)


# ------------------------------------------------------- 02, 03, 05, 08, 09: 功能分类 rows


@dataclass(kw_only=True)
class ClassifiedRow(Node):
    """以功能分类科目编码区分的一行（类 3 位、款 5 位、项 7 位）；合计行不写编码。"""

    code: str | None = field("科目编码", "功能分类科目编码，写成文字：'201'、'20103'、'2010301'")
    name: str | None = field("科目名称")


@dataclass(kw_only=True)
class IncomeRow(ClassifiedRow):
    """公开02表 收入决算表的一行。"""

    total: Amount | None = field("本年收入合计")
    fiscal: Amount | None = field("财政拨款收入")
    superior: Amount | None = field("上级补助收入")
    business: Amount | None = field("事业收入")
    operating: Amount | None = field("经营收入")
    affiliated: Amount | None = field("附属单位上缴收入")
    other: Amount | None = field("其他收入")


@dataclass(kw_only=True)
class Table02(PublicTable):
    """公开02表 收入决算表。"""

    total: IncomeRow = field("合计", "合计行", required=True)
    rows: list[IncomeRow] = field("科目", "类/款/项各行，按印制顺序", default=[])


@dataclass(kw_only=True)
class ExpenditureRow(ClassifiedRow):
    """公开03表 支出决算表的一行。"""

    total: Amount | None = field("本年支出合计")
    basic: Amount | None = field("基本支出")
    project: Amount | None = field("项目支出")
    to_superior: Amount | None = field("上缴上级支出")
    operating: Amount | None = field("经营支出")
    to_affiliated: Amount | None = field("对附属单位补助支出")


@dataclass(kw_only=True)
class Table03(PublicTable):
    """公开03表 支出决算表。"""

    total: ExpenditureRow = field("合计", required=True)
    rows: list[ExpenditureRow] = field("科目", default=[])


@dataclass(kw_only=True)
class SplitRow(ClassifiedRow):
    """05表的一行：小计（合计）= 基本支出 + 项目支出。"""

    total: Amount | None = field("小计")
    basic: Amount | None = field("基本支出")
    project: Amount | None = field("项目支出")


@dataclass(kw_only=True)
class Table05(PublicTable):
    """公开05表 一般公共预算财政拨款支出决算表。"""

    total: SplitRow = field("合计", required=True)
    rows: list[SplitRow] = field("科目", default=[])


@dataclass(kw_only=True)
class FundFlowRow(ClassifiedRow):
    """08表 / 09表（某项资金的收入支出决算表）的一行：
    年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余。
    只印支出各列（小计/基本/项目）的表样只用这三项。"""

    opening: Amount | None = field("年初结转和结余")
    income: Amount | None = field("本年收入")
    total: Amount | None = field("本年支出小计")
    basic: Amount | None = field("基本支出")
    project: Amount | None = field("项目支出")
    closing: Amount | None = field("年末结转和结余")


@dataclass(kw_only=True)
class Table08(PublicTable):
    """公开08表 政府性基金预算财政拨款收入支出决算表。"""

    total: FundFlowRow = field("合计", required=True)
    rows: list[FundFlowRow] = field("科目", default=[])


@dataclass(kw_only=True)
class Table09(PublicTable):
    """09表 国有资本经营预算财政拨款（收入）支出决算表。"""

    total: FundFlowRow = field("合计", required=True)
    rows: list[FundFlowRow] = field("科目", default=[])


# ------------------------------------------------------------------ 06: 经济分类 rows


@dataclass(kw_only=True)
class EconomicRow(Node):
    """公开06表的一行，以经济分类科目编码区分（301 为类，30101 为款）。"""

    code: str = field(
        "经济分类科目编码", "'301'、'30101' …；不同类下的科目名称会重复，编码不会", required=True
    )
    name: str = field("科目名称", required=True)
    amount: Amount | None = field("决算数")


@dataclass(kw_only=True)
class Table06(PublicTable):
    """公开06表 一般公共预算财政拨款基本支出决算表。"""

    rows: list[EconomicRow] = field(
        "科目", "经济分类各行，按印制顺序（包括三组列中的全部行）", default=[]
    )
    personnel_total: Amount | None = field("人员经费合计")
    public_total: Amount | None = field("公用经费合计")


# ------------------------------------------------------------------ 07: 三公经费


@dataclass(kw_only=True)
class SangongFigures(Node):
    """公开07表的一半：预算数各列或决算数各列。"""

    total: Amount | None = field("合计")
    abroad: Amount | None = field("因公出国（境）费")
    vehicles: Amount | None = field("公务用车购置及运行费小计")
    vehicle_purchase: Amount | None = field("公务用车购置费")
    vehicle_operation: Amount | None = field("公务用车运行费")
    reception: Amount | None = field("公务接待费")


@dataclass(kw_only=True)
class Table07(PublicTable):
    """公开07表 一般公共预算财政拨款"三公"经费支出决算表。"""

    budget: SangongFigures = field("预算数", required=True)
    actual: SangongFigures = field("决算数", required=True)


@dataclass(kw_only=True)
class FinalAccountTables(Node):
    """某一年度的九张公开表；未公开的表不写。"""

    t01: Table01 | None = field("01表 收入支出决算总表")
    t02: Table02 | None = field("02表 收入决算表")
    t03: Table03 | None = field("03表 支出决算表")
    t04: Table04 | None = field("04表 财政拨款收入支出决算总表")
    t05: Table05 | None = field("05表 一般公共预算财政拨款支出决算表")
    t06: Table06 | None = field("06表 一般公共预算财政拨款基本支出决算表")
    t07: Table07 | None = field("07表 “三公”经费支出决算表")
    t08: Table08 | None = field("08表 政府性基金预算财政拨款收入支出决算表")
    t09: Table09 | None = field("09表 国有资本经营预算财政拨款收入支出决算表")


ClassifiedTable = Table02 | Table03 | Table05 | Table08 | Table09
"""The tables of 功能分类 rows under a 合计 row."""
