"""The rule set: table sums, cross-table identities (表间勾稽), empty tables, 绩效 scores.

Rules follow the finance bureaus' review practice (../shared/DESIGN.md §2). Each is
declared with an id, a severity, a one-line description and the figures it relates.
"""

from __future__ import annotations

from .. import terms
from ..models.paths import expand, is_empty, value_at
from .figures import Figure
from .kinds import (
    ClassLines,
    CodeTree,
    Context,
    Custom,
    Finding,
    RowSum,
    Rule,
    Sum,
    sum_paths,
    sums,
)

T = "final_accounts.tables"
INCOME_COLUMNS = [name for _, name in terms.INCOME]
SPENDING_COLUMNS = [name for _, name in terms.SPENDING]
FUNDS = [name for _, name in terms.FUNDS]


def ROWS(table: str) -> list[str]:  # noqa: N802 - reads as a constant in the rule table
    return [f"{T}.{table}.total", f"{T}.{table}.rows[*]"]


TABLE_RULES: list[Rule] = [
    # 公开01表
    Sum(
        id="T01-INCOME",
        description="01表 本年收入合计 = 各项收入之和",
        total=f"{T}.t01.income_total.amount",
        parts=[f"{T}.t01.income[*].amount"],
    ),
    Sum(
        id="T01-EXPENDITURE",
        description="01表 本年支出合计 = 各类支出之和",
        total=f"{T}.t01.expenditure_total.amount",
        parts=[f"{T}.t01.expenditure[*].amount"],
    ),
    Sum(
        id="T01-INCOME-GRAND",
        description="01表 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
        total=f"{T}.t01.income_grand_total.amount",
        parts=[
            f"{T}.t01.income_total.amount",
            f"{T}.t01.nonfiscal_balance_used.amount",
            f"{T}.t01.income_opening_balance.amount",
        ],
    ),
    Sum(
        id="T01-EXPENDITURE-GRAND",
        description="01表 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
        total=f"{T}.t01.expenditure_grand_total.amount",
        parts=[
            f"{T}.t01.expenditure_total.amount",
            f"{T}.t01.balance_distribution.amount",
            f"{T}.t01.closing_balance.amount",
        ],
    ),
    Sum(
        id="T01-BALANCE",
        description="01表 收入总计 = 支出总计",
        total=f"{T}.t01.expenditure_grand_total.amount",
        parts=[f"{T}.t01.income_grand_total.amount"],
    ),
    Sum(
        id="X01-02",
        description="01表 本年收入合计 = 02表 本年收入合计",
        total=f"{T}.t02.total.total",
        parts=[f"{T}.t01.income_total.amount"],
    ),
    Sum(
        id="X01-03",
        description="01表 本年支出合计 = 03表 本年支出合计",
        total=f"{T}.t03.total.total",
        parts=[f"{T}.t01.expenditure_total.amount"],
    ),
    # 公开02表 / 03表
    RowSum(
        id="T02-ROW",
        description="02表 每行 本年收入合计 = 各收入列之和",
        rows=ROWS("t02"),
        total="total",
        parts=INCOME_COLUMNS,
    ),
    CodeTree(
        id="T02-TREE",
        description="02表 合计 = Σ类，类 = Σ款，款 = Σ项",
        table=f"{T}.t02",
        columns=["total"] + INCOME_COLUMNS,
    ),
    RowSum(
        id="T03-ROW",
        description="03表 每行 本年支出合计 = 各支出列之和",
        rows=ROWS("t03"),
        total="total",
        parts=SPENDING_COLUMNS,
    ),
    CodeTree(
        id="T03-TREE",
        description="03表 合计 = Σ类，类 = Σ款，款 = Σ项",
        table=f"{T}.t03",
        columns=["total"] + SPENDING_COLUMNS,
    ),
    # 公开04表
    Sum(
        id="T04-INCOME",
        description="04表 本年收入合计 = 三项财政拨款收入之和",
        total=f"{T}.t04.income_total.amount",
        parts=[f"{T}.t04.income[*].amount"],
    ),
    RowSum(
        id="T04-ROW",
        description="04表 每行 支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
        rows=[
            f"{T}.t04.expenditure[*]",
            f"{T}.t04.expenditure_total",
            f"{T}.t04.closing_balance",
            f"{T}.t04.expenditure_grand_total",
        ],
        total="total",
        parts=FUNDS,
    ),
    *[
        Sum(
            id="T04-EXPENDITURE",
            description="04表 本年支出合计 = 各类支出之和（分列）",
            total=f"{T}.t04.expenditure_total.{c}",
            parts=[f"{T}.t04.expenditure[*].{c}"],
        )
        for c in ["total"] + FUNDS
    ],
    Sum(
        id="T04-OPENING",
        description="04表 年初财政拨款结转和结余 = 其下按资金来源分列各行之和",
        total=f"{T}.t04.opening_balance.amount",
        parts=[f"{T}.t04.opening_balance_by_fund[*].amount"],
    ),
    Sum(
        id="T04-INCOME-GRAND",
        description="04表 收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
        total=f"{T}.t04.income_grand_total.amount",
        parts=[f"{T}.t04.income_total.amount", f"{T}.t04.opening_balance.amount"],
    ),
    Sum(
        id="T04-EXPENDITURE-GRAND",
        description="04表 支出总计 = 本年支出合计 + 年末财政拨款结转和结余",
        total=f"{T}.t04.expenditure_grand_total.total",
        parts=[f"{T}.t04.expenditure_total.total", f"{T}.t04.closing_balance.total"],
    ),
    Sum(
        id="T04-BALANCE",
        description="04表 收入总计 = 支出总计",
        total=f"{T}.t04.expenditure_grand_total.total",
        parts=[f"{T}.t04.income_grand_total.amount"],
    ),
    Sum(
        id="X04-05",
        description="04表 一般公共预算财政拨款支出 = 05表 合计",
        total=f"{T}.t05.total.total",
        parts=[f"{T}.t04.expenditure_total.general"],
    ),
    Sum(
        id="X04-08",
        description="04表 政府性基金预算财政拨款支出 = 08表 本年支出合计",
        total=f"{T}.t08.total.total",
        parts=[f"{T}.t04.expenditure_total.gov_fund"],
    ),
    Sum(
        id="X04-09",
        description="04表 国有资本经营预算财政拨款支出 = 09表 合计",
        total=f"{T}.t09.total.total",
        parts=[f"{T}.t04.expenditure_total.soe"],
    ),
    # 公开05/08/09表
    RowSum(
        id="T05-ROW",
        description="05表 每行 小计 = 基本支出 + 项目支出",
        rows=ROWS("t05"),
        total="total",
        parts=["basic", "project"],
    ),
    CodeTree(
        id="T05-TREE",
        description="05表 合计 = Σ类，类 = Σ款，款 = Σ项",
        table=f"{T}.t05",
        columns=["total", "basic", "project"],
    ),
    RowSum(
        id="T08-ROW",
        description="08表 每行 本年支出小计 = 基本支出 + 项目支出",
        rows=ROWS("t08"),
        total="total",
        parts=["basic", "project"],
    ),
    CodeTree(
        id="T08-TREE",
        description="08表 合计 = Σ类，类 = Σ款，款 = Σ项",
        table=f"{T}.t08",
        columns=["opening", "income", "total", "basic", "project", "closing"],
    ),
    RowSum(
        id="T09-ROW",
        description="09表 每行 本年支出合计 = 基本支出 + 项目支出",
        rows=ROWS("t09"),
        total="total",
        parts=["basic", "project"],
    ),
    CodeTree(
        id="T09-TREE",
        description="09表 合计 = Σ类，类 = Σ款，款 = Σ项",
        table=f"{T}.t09",
        columns=["opening", "income", "total", "basic", "project", "closing"],
    ),
    *[
        RowSum(
            id=f"T{n}-FLOW",
            description=f"{n}表 每行 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出",
            rows=ROWS(f"t{n}"),
            total="closing",
            parts=["opening", "income"],
            minus=["total"],
        )
        for n in ("08", "09")
    ],
    # 类 by 类 across tables
    ClassLines(
        id="X01-03-CLASS",
        description="01表 各类支出 = 03表 同名类 本年支出合计",
        lines=f"{T}.t01.expenditure[*]",
        column="amount",
        table=f"{T}.t03",
        row_column="total",
    ),
    ClassLines(
        id="X04-05-CLASS",
        description="04表 各类一般公共预算财政拨款支出 = 05表 同名类 合计",
        lines=f"{T}.t04.expenditure[*]",
        column="general",
        table=f"{T}.t05",
        row_column="total",
    ),
    ClassLines(
        id="X04-08-CLASS",
        description="04表 各类政府性基金预算财政拨款支出 = 08表 同名类 本年支出合计",
        lines=f"{T}.t04.expenditure[*]",
        column="gov_fund",
        table=f"{T}.t08",
        row_column="total",
    ),
    ClassLines(
        id="X04-09-CLASS",
        description="04表 各类国有资本经营预算财政拨款支出 = 09表 同名类 本年支出合计",
        lines=f"{T}.t04.expenditure[*]",
        column="soe",
        table=f"{T}.t09",
        row_column="total",
    ),
    # 公开07表
    *[
        Sum(
            id="T07-TOTAL",
            description="07表 合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
            total=f"{T}.t07.{half}.total",
            parts=[
                f"{T}.t07.{half}.abroad",
                f"{T}.t07.{half}.vehicles",
                f"{T}.t07.{half}.reception",
            ],
        )
        for half in ("budget", "actual")
    ],
    *[
        Sum(
            id="T07-VEHICLES",
            description="07表 公务用车购置及运行费 = 购置费 + 运行费",
            total=f"{T}.t07.{half}.vehicles",
            parts=[f"{T}.t07.{half}.vehicle_purchase", f"{T}.t07.{half}.vehicle_operation"],
        )
        for half in ("budget", "actual")
    ],
]


# ------------------------------------------------------------------ 公开06表 经济分类


def economic_items(ctx: Context, classes: tuple[str, ...]) -> list[str]:
    d = ctx.disclosure
    return [
        f"{p}.amount"
        for p in expand(d, f"{T}.t06.rows[*]")
        if len(value_at(d, p).code) > 3 and value_at(d, p).code[:3] in classes
    ]


def t06_classes(rule: Rule, ctx: Context):
    d = ctx.disclosure
    for path in expand(d, f"{T}.t06.rows[*]"):
        row = value_at(d, path)
        if len(row.code) == 3:
            items = economic_items(ctx, (row.code,))
            if items:
                yield from sum_paths(rule, ctx, f"{path}.amount", items)


def t06_group(total: str, classes: tuple[str, ...]):
    def run(rule: Rule, ctx: Context):
        d = ctx.disclosure
        if value_at(d, f"{T}.t06") is None:
            return
        yield from sum_paths(rule, ctx, f"{T}.t06.{total}", economic_items(ctx, classes))

    return run


def x05_06(rule: Rule, ctx: Context):
    t06 = value_at(ctx.disclosure, f"{T}.t06")
    if t06 is None or value_at(ctx.disclosure, f"{T}.t05") is None:
        return
    parts = [ctx.figure(f"{T}.t06.personnel_total"), ctx.figure(f"{T}.t06.public_total")]
    if all(p.value is None for p in parts):  # totals not published: compare the items instead
        classes = tuple({r.code[:3] for r in t06.rows})
        parts = [ctx.figure(p) for p in economic_items(ctx, classes)]
    yield from sums(rule, ctx, ctx.figure(f"{T}.t05.total.basic"), parts)


ECONOMIC_RULES: list[Rule] = [
    Custom(
        id="T06-CLASS",
        description="06表 类（如301）= 其下各款之和",
        run=t06_classes,
        reads=[f"{T}.t06.rows[*].amount", f"{T}.t06.rows[*].code"],
    ),
    Custom(
        id="T06-PERSONNEL",
        description="06表 人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助",
        run=t06_group("personnel_total", terms.PERSONNEL_CLASSES),
        reads=[f"{T}.t06.personnel_total", f"{T}.t06.rows[*].amount"],
    ),
    Custom(
        id="T06-PUBLIC",
        description="06表 公用经费合计 = 302 商品和服务支出 + 310 资本性支出",
        run=t06_group("public_total", terms.PUBLIC_CLASSES),
        reads=[f"{T}.t06.public_total", f"{T}.t06.rows[*].amount"],
    ),
    Custom(
        id="X05-06",
        description="05表 基本支出合计 = 06表 人员经费合计 + 公用经费合计",
        run=x05_06,
        reads=[f"{T}.t05.total.basic", f"{T}.t06.personnel_total", f"{T}.t06.public_total"],
    ),
]


# ------------------------------------------------------------------ empty tables


def empty_statement(table: str, fund: str):
    """A table with no figure must say why; a fund column empty in 04表 means an empty table."""

    def run(rule: Rule, ctx: Context):
        d = ctx.disclosure
        node = value_at(d, f"{T}.{table}")
        if node is None:
            return
        fund_total = (
            ctx.figure(f"{T}.t04.expenditure_total.{fund}") if value_at(d, f"{T}.t04") else None
        )
        if is_empty(node) and not node.statement:
            yield Finding(
                rule,
                Figure(
                    f"{T}.{table}.statement",
                    f"{terms.table_label(table)} 说明",
                    None,
                    node.where("statement"),
                ),
                None,
                detail="空表须附说明（如：本单位无政府性基金收支，故本表无数据）",
            )
        if fund_total is not None and not is_empty(node) and fund_total.amount == 0:
            yield Finding(
                rule, fund_total, None, detail=f"04表该列为空，但{terms.table_label(table)}有数据"
            )

    return run


EMPTY_RULES: list[Rule] = [
    Custom(
        id="E08-EMPTY",
        description="08表 无数据时须有空表说明，且与04表政府性基金列一致",
        run=empty_statement("t08", "gov_fund"),
        reads=[f"{T}.t08.statement", f"{T}.t04.expenditure_total.gov_fund"],
    ),
    Custom(
        id="E09-EMPTY",
        description="09表 无数据时须有空表说明，且与04表国有资本经营列一致",
        run=empty_statement("t09", "soe"),
        reads=[f"{T}.t09.statement", f"{T}.t04.expenditure_total.soe"],
    ),
]
