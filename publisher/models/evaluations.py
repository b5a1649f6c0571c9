"""Performance self-evaluation (绩效自评) forms, score sheets and narrative reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .base import Amount, Markdown, Node, Percent, Score, SignedAmount, field


@dataclass(kw_only=True)
class Section(Node):
    """有标题的一段文字，可含下级小节（情况说明、评价报告综述 …）。"""

    title: str | None = field("标题", "公开文本中的标题，含编号，如 一、收入支出决算总体情况说明")
    body: Markdown | None = field("正文", "正文，Markdown；段与段之间空一行")
    computed: Literal["overall", "income", "spending", "basic", "sangong", "running"] | None = (
        field("按表生成", "数字按决算表（及已公开的上年数）自动写出的情况说明：编辑只写原因")
    )
    reason: Markdown | None = field("原因", "与 computed 同用：单位自己的表述（主要原因是…）")
    sections: list[Section] = field("下级", "下级小节", default=[])
    budget_execution: BudgetExecution | None = field(
        "预算、决算、结余对比情况表", "放在正文之后的表格"
    )
    sangong_comparison: SangongComparison | None = field(
        "“三公”经费开支情况表", "放在正文之后的表格"
    )


@dataclass(kw_only=True)
class LabelledValue(Node):
    """表上印的一个项目及其内容（评价方式：部门（单位）绩效自评）。"""

    label: str = field("项目", required=True)
    value: str | None = field("内容")


@dataclass(kw_only=True)
class NamedAmount(Node):
    """带项目名称的金额（其中：一般公共预算：2246.07）。"""

    name: str = field("项目", required=True)
    amount: Amount | None = field("金额（万元）")


@dataclass(kw_only=True)
class Person(Node):
    """评价组的一名成员（评价人员）。"""

    name: str = field("姓名", required=True)
    title: str | None = field("职务/职称")
    unit: str | None = field("单位")


@dataclass(kw_only=True)
class BasicInfo(Node):
    """自评表的 一、部门（单位）基本概况。"""

    contact: str | None = field("联系人")
    phone: str | None = field("联络电话")
    staff_quota: int | None = field("人员编制")
    staff_actual: int | None = field("实有人数")
    duties: Markdown | None = field("职能职责概述")
    main_work: Markdown | None = field("年度主要工作内容")
    performance: Markdown | None = field("年度部门（单位）总体运行情况及取得的成绩")


@dataclass(kw_only=True)
class ProjectInfo(Node):
    """项目（项目支出）评价所评项目的基本信息。"""

    name: str = field("专项名称", required=True)
    sub_project: str | None = field("支出方向名称（子项目）")
    total_investment: Amount | None = field("项目总投资（万元）")
    fiscal_investment: Amount | None = field("其中：财政拨款（万元）")
    period: str | None = field("项目总实施期 / 项目起止时间")
    manager: str | None = field("项目负责人")
    phone: str | None = field("联系电话")
    address: str | None = field("项目地址")
    postcode: str | None = field("邮编")
    department: str | None = field("主管部门")
    other: list[LabelledValue] = field("其他项目信息", "项目信息栏中的其他各行", default=[])


# ---------------------------------------------------------- 收支情况 by 机构 (forms 000/003)


@dataclass(kw_only=True)
class OrgIncomeRow(Node):
    """年度收入情况的一行（机构名称 × 收入来源）。"""

    org: str = field("机构名称", required=True)
    total: Amount | None = field("收入合计")
    carried_over: Amount | None = field("上年结转")
    fiscal: Amount | None = field("公共财政拨款")
    gov_fund: Amount | None = field("政府基金拨款")
    special_account: Amount | None = field("纳入专户管理的非税收入拨款")
    other: Amount | None = field("其他收入")


@dataclass(kw_only=True)
class OrgSpendingRow(Node):
    """部门（单位）年度支出和结余情况的一行。"""

    org: str = field("机构名称", required=True)
    total: Amount | None = field("支出合计")
    basic: Amount | None = field("基本支出")
    personnel: Amount | None = field("人员支出")
    public: Amount | None = field("公用支出")
    project: Amount | None = field("项目支出")
    year_balance: Amount | None = field("当年结余")
    accumulated_balance: Amount | None = field("累计结余")


@dataclass(kw_only=True)
class OrgSangongRow(Node):
    """三公经费按机构列示的一行。"""

    org: str = field("机构名称", required=True)
    total: Amount | None = field("三公经费合计")
    reception: Amount | None = field("公务接待费")
    vehicle_operation: Amount | None = field("公务用车运维费")
    vehicle_purchase: Amount | None = field("公务用车购置费")
    abroad: Amount | None = field("因公出国费")


@dataclass(kw_only=True)
class OrgAssetsRow(Node):
    """固定资产按机构列示的一行。"""

    org: str = field("机构名称", required=True)
    total: Amount | None = field("固定资产合计")
    in_use: Amount | None = field("在用固定资产")
    leased: Amount | None = field("出租固定资产")
    other: Amount | None = field("其他")


@dataclass(kw_only=True)
class OrgFinances(Node):
    """二、部门（单位）收支情况：按机构列示的四张表。"""

    income: list[OrgIncomeRow] = field("年度收入情况（万元）", default=[])
    spending: list[OrgSpendingRow] = field("年度支出和结余情况（万元）", default=[])
    sangong: list[OrgSangongRow] = field("三公经费（万元）", default=[])
    assets: list[OrgAssetsRow] = field("固定资产（万元）", default=[])


# ------------------------------------------------------------------ 资金情况


@dataclass(kw_only=True)
class FundsRow(Node):
    """资金情况的一行（合计，其中：当年财政拨款、上年结转资金、其他资金）。"""

    name: str = field("年度资金总额", required=True)
    initial_budget: Amount | None = field("年初预算数")
    budget: Amount | None = field("全年预算数")
    executed: Amount | None = field("全年执行数")


@dataclass(kw_only=True)
class Funds(Node):
    """资金情况，连同执行率及其得分（分值 × 执行率），按公开文本填写。"""

    rows: list[FundsRow] = field("资金行", "先写合计，再写“其中”各行", default=[])
    points: Score | None = field("分值")
    rate: Percent | None = field("执行率", "按公开文本，如 '100%'")
    score: Score | None = field("得分（分值×执行率）")
    by_source: list[NamedAmount] = field("按收入性质分", default=[])
    by_use: list[NamedAmount] = field("按支出性质分", default=[])


# ------------------------------------------------------------------ indicators


@dataclass(kw_only=True)
class Indicator(Node):
    """指标树的一个节点：一级 → 二级 → 三级（层数不限）。

    绩效指标（年度指标值/实际完成值/分值/得分/偏差原因）、定量目标（绩效目标/完成情况）和评分表（评分标准/分值/自评得分/扣分原因）都用这一结构。
    """

    name: str | None = field("指标", "指标名称；表上空白处不写")
    points: Score | None = field("分值")
    score: Score | None = field("得分")
    target: Markdown | None = field("年度指标值 / 绩效目标 / 具体指标")
    actual: Markdown | None = field("实际完成值 / 完成情况")
    criteria: Markdown | None = field("评分标准 / 评价标准")
    remark: Markdown | None = field("偏差原因分析及改进措施 / 扣分原因")
    children: list[Indicator] = field("下级指标", default=[])


@dataclass(kw_only=True)
class Goals(Node):
    """年度总体目标（或定性目标）：预期目标与实际完成情况对照。"""

    expected: Markdown | None = field("预期目标")
    achieved: Markdown | None = field("实际完成情况")


@dataclass(kw_only=True)
class ScoreSheet(Node):
    """评分表 / 指标体系（部门整体支出绩效评价评分表、项目支出绩效评价指标体系）。"""

    title: str = field("标题", required=True)
    label: str | None = field("附件编号", "如 附件4-1")
    indicators: list[Indicator] = field("指标", default=[])
    total_points: Score | None = field("总分分值")
    total_score: Score | None = field("总分自评得分")
    notes: Markdown | None = field("备注")


@dataclass(kw_only=True)
class SelfEvaluation(Node):
    """一份绩效自评：部门整体或某一项目支出，含自评表及附件。"""

    scope: Literal["部门整体", "项目"] = field(
        "类型", "部门整体 或 项目", required=True, example="部门整体"
    )
    title: str = field("标题", "按公开文本，如 2020 年度部门整体支出绩效自评表", required=True)
    label: str | None = field("附件编号", "如 附件3-1")
    unit_name: str | None = field("部门名称", "表上印的部门（单位）名称")
    cover: list[LabelledValue] = field(
        "封面", "封面各行：预算编码、评价方式、评价机构、报告日期 …", default=[]
    )
    project: ProjectInfo | None = field("项目信息")
    basic_info: BasicInfo | None = field("基本概况")
    finances: OrgFinances | None = field("收支情况")
    funds: Funds | None = field("资金情况")
    goals: Goals | None = field("年度总体目标 / 定性目标")
    quantitative_goals: list[Indicator] = field(
        "定量目标", "评价内容 → 指标类别 → 绩效目标/完成情况", default=[]
    )
    indicators: list[Indicator] = field("绩效指标", "一级指标及其下的二级、三级指标", default=[])
    total_points: Score | None = field("总分分值")
    total_score: Score | None = field("总分 / 绩效自评综合得分")
    score_text: str | None = field("综合得分原文", "得分带文字时照原样填写，如 '97分'")
    grade: str | None = field("等级 / 评价等次", "按公开文本：优、良、中、差或优秀")
    evaluators: list[Person] = field("评价人员", default=[])
    filled_by: str | None = field("填报人")
    filler_phone: str | None = field("联系电话")
    notes: Markdown | None = field("备注")
    report: list[Section] = field("评价报告综述", default=[])
    score_sheets: list[ScoreSheet] = field("评分表", default=[])


# ------------------------------------------------------------------ report tables


@dataclass(kw_only=True)
class BudgetExecutionRow(Node):
    """预算、决算、结余对比情况表的一行。"""

    name: str = field("项目", required=True)
    initial_budget: Amount | None = field("年初预算")
    carried_over: Amount | None = field("上年结转")
    added: Amount | None = field("本年追加")
    available: Amount | None = field("预算可用指标")
    actual: Amount | None = field("决算金额")
    difference: SignedAmount | None = field("执行差异（预算-决算）")


@dataclass(kw_only=True)
class BudgetExecution(Node):
    """评价报告中的预算、决算、结余对比情况表。"""

    title: str = field("标题", required=True)
    rows: list[BudgetExecutionRow] = field("行", default=[])
    total: BudgetExecutionRow | None = field("合计")


@dataclass(kw_only=True)
class ComparisonRow(Node):
    """年度对比表的一行：本年、上年、增减。"""

    name: str = field("项目", required=True)
    current: Amount | None = field("本年决算金额")
    previous: Amount | None = field("上年决算金额")
    change: SignedAmount | None = field("增减情况")


@dataclass(kw_only=True)
class SangongComparison(Node):
    """“三公”经费开支情况表：本年与上年对比。"""

    title: str = field("标题", required=True)
    current_year: int = field("本年", required=True)
    previous_year: int = field("上年", required=True)
    rows: list[ComparisonRow] = field("行", default=[])
    total: ComparisonRow | None = field("合计")


@dataclass(kw_only=True)
class Report(Node):
    """文字形式的评价报告（部门整体支出绩效评价报告、项目绩效评价自评报告）。"""

    title: str = field("标题", required=True)
    label: str | None = field("附件编号")
    cover: list[LabelledValue] = field("封面", default=[])
    sections: list[Section] = field("章节", default=[])
