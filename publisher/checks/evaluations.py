"""Rules for 绩效自评 forms, 收支情况 tables and the tables inside narrative reports."""

from __future__ import annotations

from decimal import Decimal

from ..models.evaluations import Indicator, Section
from ..models.paths import expand, value_at
from .figures import Figure
from .kinds import Context, Custom, Finding, RowSum, Rule, sum_paths, sums

GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
EVALUATIONS = "self_evaluations[*]"


def effective(node: Indicator, name: str) -> Decimal | None:
    """A node's points/score: its own, else the sum of its children's (None if none anywhere)."""
    own = getattr(node, name)
    if own is not None:
        return own
    values = [v for v in (effective(c, name) for c in node.children) if v is not None]
    return sum(values, Decimal(0)) if values else None


def trees(ctx: Context):
    """Every indicator tree: (path of its list, list) for forms and score sheets."""
    d = ctx.disclosure
    for e in expand(d, EVALUATIONS):
        yield f"{e}.indicators", value_at(d, f"{e}.indicators")
        for s in expand(d, f"{e}.score_sheets[*]"):
            yield f"{s}.indicators", value_at(d, f"{s}.indicators")


def indicator_paths(path: str, nodes: list[Indicator]):
    for i, node in enumerate(nodes):
        here = f"{path}[{i}]"
        yield here, node
        yield from indicator_paths(f"{here}.children", node.children)


def synthetic(path: str, label: str, value: Decimal | None) -> Figure:
    return Figure(path, label, value, None)


def children_sum(name: str):
    """Σ child 分值 (or 得分) = the parent's, where both are published."""

    def run(rule: Rule, ctx: Context):
        for path, nodes in trees(ctx):
            for here, node in indicator_paths(path, nodes):
                if getattr(node, name) is None or not node.children:
                    continue
                kids = [(f"{here}.children[{i}]", c) for i, c in enumerate(node.children)]
                if all(effective(c, name) is None for _, c in kids):
                    continue
                parts = [
                    ctx.figure(f"{p}.{name}")
                    if getattr(c, name) is not None
                    else synthetic(f"{p}.{name}", f"{c.name or ''} 下级合计", effective(c, name))
                    for p, c in kids
                ]
                yield from sums(rule, ctx, ctx.figure(f"{here}.{name}"), parts)

    return run


def score_not_above_points(rule: Rule, ctx: Context):
    d = ctx.disclosure
    for path, nodes in trees(ctx):
        for here, node in indicator_paths(path, nodes):
            if node.score is not None and node.points is not None and node.score > node.points:
                yield Finding(
                    rule,
                    ctx.figure(f"{here}.score"),
                    node.points,
                    [ctx.figure(f"{here}.points")],
                    detail="得分高于分值",
                )
    for e in expand(d, f"{EVALUATIONS}.funds"):
        funds = value_at(d, e)
        if (
            funds is not None
            and funds.score is not None
            and funds.points is not None
            and funds.score > funds.points
        ):
            yield Finding(
                rule,
                ctx.figure(f"{e}.score"),
                funds.points,
                [ctx.figure(f"{e}.points")],
                detail="得分高于分值",
            )


def totals(name: str, total: str):
    """总分 = Σ 一级指标 + 资金情况 (for forms) or Σ 一级指标 (for score sheets)."""

    def run(rule: Rule, ctx: Context):
        d = ctx.disclosure
        holders = [(e, True) for e in expand(d, EVALUATIONS)]
        holders += [
            (s, False) for e in expand(d, EVALUATIONS) for s in expand(d, f"{e}.score_sheets[*]")
        ]
        for holder, with_funds in holders:
            node = value_at(d, holder)
            if getattr(node, total) is None or not node.indicators:
                continue
            parts = [
                synthetic(
                    f"{holder}.indicators[{i}].{name}",
                    f"{n.name or ''}（{'分值' if name == 'points' else '得分'}）",
                    effective(n, name),
                )
                for i, n in enumerate(node.indicators)
            ]
            if with_funds and node.funds is not None:
                parts.append(ctx.figure(f"{holder}.funds.{name}"))
            if all(p.value is None for p in parts):
                continue
            yield from sums(rule, ctx, ctx.figure(f"{holder}.{total}"), parts)

    return run


def grade(rule: Rule, ctx: Context):
    d = ctx.disclosure
    for e in expand(d, EVALUATIONS):
        node = value_at(d, e)
        if node.grade is None or node.total_score is None:
            continue
        expected = next(g for g, floor in GRADES if node.total_score >= floor)
        if node.grade.strip().removesuffix("秀") != expected:
            yield Finding(
                rule,
                ctx.figure(f"{e}.grade"),
                None,
                [ctx.figure(f"{e}.total_score")],
                detail=f"总分 {node.total_score} 对应等级“{expected}”，公开为“{node.grade}”",
            )


def rate_and_score(rule: Rule, ctx: Context):
    """执行率 = 全年执行数 / 全年预算数; 得分 = 分值 × 执行率 (执行率 capped at 100%)."""
    d = ctx.disclosure
    for e in expand(d, f"{EVALUATIONS}.funds"):
        funds = value_at(d, e)
        if funds is None or not funds.rows or not funds.rows[0].budget:
            continue
        budget, executed = ctx.figure(f"{e}.rows[0].budget"), ctx.figure(f"{e}.rows[0].executed")
        rate = executed.amount / budget.amount
        if funds.rate is not None:
            shown = funds.rate.value
            places = -shown.as_tuple().exponent if shown.as_tuple().exponent < 0 else 0
            if abs(shown - rate * 100) > Decimal(5) / Decimal(10) ** (places + 1):
                yield Finding(
                    rule,
                    Figure(f"{e}.rate", "资金情况 执行率（%）", shown, funds.where("rate")),
                    (rate * 100).quantize(Decimal("0.01")),
                    [executed, budget],
                )
        if funds.score is not None and funds.points is not None:
            expected = (funds.points * min(rate, Decimal(1))).quantize(Decimal("0.01"))
            if abs(funds.score - expected) > ctx.tolerance:
                yield Finding(
                    rule,
                    ctx.figure(f"{e}.score"),
                    expected,
                    [ctx.figure(f"{e}.points"), executed, budget],
                    detail="得分 ≠ 分值 × 执行率",
                )


def funds_rows(rule: Rule, ctx: Context):
    for e in expand(ctx.disclosure, f"{EVALUATIONS}.funds"):
        funds = value_at(ctx.disclosure, e)
        if funds is None:
            continue
        for name in ("initial_budget", "budget", "executed"):
            parts = [f"{e}.rows[{i}].{name}" for i in range(1, len(funds.rows))]
            if any(getattr(r, name) is not None for r in funds.rows[1:]):
                yield from sum_paths(rule, ctx, f"{e}.rows[0].{name}", parts)


def report_sections(ctx: Context):
    d = ctx.disclosure
    stack = [
        f"{r}.sections[{i}]"
        for r in expand(d, "reports[*]")
        for i in range(len(value_at(d, f"{r}.sections")))
    ]
    stack += [
        f"{e}.report[{i}]"
        for e in expand(d, EVALUATIONS)
        for i in range(len(value_at(d, f"{e}.report")))
    ]
    while stack:
        path = stack.pop()
        section: Section = value_at(d, path)
        yield path, section
        stack += [f"{path}.sections[{i}]" for i in range(len(section.sections))]


def report_tables(rule: Rule, ctx: Context):
    for path, section in report_sections(ctx):
        if section.budget_execution:
            base = f"{path}.budget_execution"
            rows = [f"{base}.rows[{i}]" for i in range(len(section.budget_execution.rows))]
            for row in rows + ([f"{base}.total"] if section.budget_execution.total else []):
                yield from sum_paths(
                    rule,
                    ctx,
                    f"{row}.available",
                    [f"{row}.{n}" for n in ("initial_budget", "carried_over", "added")],
                )
                yield from sum_paths(
                    rule, ctx, f"{row}.available", [f"{row}.actual", f"{row}.difference"]
                )
            if section.budget_execution.total:
                for n in (
                    "initial_budget",
                    "carried_over",
                    "added",
                    "available",
                    "actual",
                    "difference",
                ):
                    yield from sum_paths(rule, ctx, f"{base}.total.{n}", [f"{r}.{n}" for r in rows])
        if section.sangong_comparison:
            base = f"{path}.sangong_comparison"
            rows = [f"{base}.rows[{i}]" for i in range(len(section.sangong_comparison.rows))]
            for row in rows + ([f"{base}.total"] if section.sangong_comparison.total else []):
                yield from sum_paths(
                    rule, ctx, f"{row}.current", [f"{row}.previous", f"{row}.change"]
                )
            if section.sangong_comparison.total:
                for n in ("current", "previous", "change"):
                    yield from sum_paths(rule, ctx, f"{base}.total.{n}", [f"{r}.{n}" for r in rows])


FORM = f"{EVALUATIONS}.finances"

EVALUATION_RULES: list[Rule] = [
    Custom(
        id="P-FUNDS",
        description="资金情况 执行率 = 全年执行数/全年预算数，得分 = 分值 × 执行率",
        run=rate_and_score,
    ),
    Custom(
        id="P-FUNDS-ROWS",
        description="资金情况 合计 = 当年财政拨款 + 上年结转资金 + 其他资金",
        run=funds_rows,
    ),
    Custom(id="P-SCORE-MAX", description="得分不得高于分值", run=score_not_above_points),
    Custom(
        id="P-CHILD-POINTS",
        description="下级指标分值之和 = 上级指标分值",
        run=children_sum("points"),
    ),
    Custom(
        id="P-CHILD-SCORE", description="下级指标得分之和 = 上级指标得分", run=children_sum("score")
    ),
    Custom(
        id="P-TOTAL-POINTS",
        description="总分分值 = 各一级指标分值 + 资金情况分值",
        run=totals("points", "total_points"),
    ),
    Custom(
        id="P-TOTAL-SCORE",
        description="总分 = 各一级指标得分 + 资金情况得分",
        run=totals("score", "total_score"),
    ),
    Custom(
        id="P-GRADE",
        description="等级与总分一致：90分（含）以上优，80–90良，60–80中，60以下差",
        run=grade,
    ),
    RowSum(
        id="F-INCOME",
        description="收入情况 收入合计 = 各来源之和",
        rows=[f"{FORM}.income[*]"],
        total="total",
        parts=["carried_over", "fiscal", "gov_fund", "special_account", "other"],
    ),
    RowSum(
        id="F-SPENDING",
        description="支出情况 支出合计 = 基本支出 + 项目支出",
        rows=[f"{FORM}.spending[*]"],
        total="total",
        parts=["basic", "project"],
    ),
    RowSum(
        id="F-BASIC",
        description="支出情况 基本支出 = 人员支出 + 公用支出",
        rows=[f"{FORM}.spending[*]"],
        total="basic",
        parts=["personnel", "public"],
    ),
    RowSum(
        id="F-SANGONG",
        description="三公经费合计 = 公务接待费 + 公务用车运维费 + 购置费 + 因公出国费",
        rows=[f"{FORM}.sangong[*]"],
        total="total",
        parts=["reception", "vehicle_operation", "vehicle_purchase", "abroad"],
    ),
    RowSum(
        id="F-ASSETS",
        description="固定资产合计 = 在用 + 出租 + 其他",
        rows=[f"{FORM}.assets[*]"],
        total="total",
        parts=["in_use", "leased", "other"],
    ),
    Custom(
        id="R-TABLES",
        description="报告附表：预算可用指标 = 年初预算 + 上年结转 + 本年追加 = 决算 + 执行差异；"
        "增减 = 本年 − 上年；合计 = 各行之和",
        run=report_tables,
    ),
]
