"""情况说明 written from the tables: the figures come from the disclosure (and the previous
year's, when published); the editor supplies only the reasons (``computed`` + ``reason``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .models import Disclosure
from .models.performance import Section

ZERO = Decimal(0)


def amount(value: Decimal | None) -> str:
    return f"{(value or ZERO):.2f}"


def share(part: Decimal | None, whole: Decimal | None) -> str:
    if not whole:
        return "0"
    return f"{((part or ZERO) / whole * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}"


def change(current: Decimal | None, previous: Decimal | None, subject: str = "") -> str:
    """与上年相比，增加 x 万元，增长 y% — or nothing when last year is not published."""
    if previous is None or current is None:
        return ""
    diff = current - previous
    if diff == 0:
        return f"与上年相比，{subject}持平。"
    more = diff > 0
    rate = f"，{'增长' if more else '下降'} {share(abs(diff), previous)}%" if previous else ""
    return f"与上年相比，{subject}{'增加' if more else '减少'} {amount(abs(diff))} 万元{rate}。"


def figure(d: Disclosure | None, *path: str) -> Decimal | None:
    node: object = d.final_accounts.tables if d and d.final_accounts else None
    for name in path:
        node = getattr(node, name, None) if node is not None else None
    return node


def overall(d: Disclosure, previous: Disclosure | None) -> str:
    total = figure(d, "t01", "income_grand_total", "amount")
    return f"{d.year} 年度收、支总计 {amount(total)} 万元。" + change(
        total, figure(previous, "t01", "income_grand_total", "amount"))


INCOME = [("财政拨款收入", "fiscal"), ("上级补助收入", "superior"), ("事业收入", "business"),
          ("经营收入", "operating"), ("附属单位上缴收入", "affiliated"), ("其他收入", "other")]
SPENDING = [("基本支出", "basic"), ("项目支出", "project"), ("上缴上级支出", "to_superior"),
            ("经营支出", "operating"), ("对附属单位补助支出", "to_affiliated")]


def parts(d: Disclosure, table: str, items: list[tuple[str, str]], lead: str) -> str:
    total = figure(d, table, "total", "total")
    listed = "；".join(f"{label} {amount(figure(d, table, 'total', name))} 万元，"
                      f"占 {share(figure(d, table, 'total', name), total)}%" for label, name in items)
    return f"{lead} {amount(total)} 万元，其中：{listed}。"


def income(d: Disclosure, previous: Disclosure | None) -> str:
    return parts(d, "t02", INCOME, "本年收入合计")


def spending(d: Disclosure, previous: Disclosure | None) -> str:
    return parts(d, "t03", SPENDING, "本年支出合计")


def basic(d: Disclosure, previous: Disclosure | None) -> str:
    total = figure(d, "t05", "total", "basic")
    t06 = figure(d, "t06")
    personnel = t06.personnel_total if t06 and t06.personnel_total is not None else sum(
        (r.amount or ZERO for r in (t06.rows if t06 else []) if len(r.code) > 3 and r.code[:3] in ("301", "303")),
        ZERO)
    public = t06.public_total if t06 else None
    return (f"{d.year} 年度财政拨款基本支出 {amount(total)} 万元，其中：人员经费 {amount(personnel)} 万元，"
            f"占基本支出的 {share(personnel, total)}%；公用经费 {amount(public)} 万元，"
            f"占基本支出的 {share(public, total)}%。")


def sangong(d: Disclosure, previous: Disclosure | None) -> str:
    budget, actual = figure(d, "t07", "budget", "total"), figure(d, "t07", "actual", "total")
    text = f"“三公”经费财政拨款支出预算为 {amount(budget)} 万元，支出决算为 {amount(actual)} 万元"
    text += f"，完成预算的 {share(actual, budget)}%。" if budget else "。"
    text += change(actual, figure(previous, "t07", "actual", "total"), "“三公”经费支出")
    items = [("因公出国（境）费", "abroad"), ("公务用车购置费及运行维护费", "vehicles"), ("公务接待费", "reception")]
    listed = "；".join(f"{label}支出决算 {amount(figure(d, 't07', 'actual', name))} 万元，"
                      f"占 {share(figure(d, 't07', 'actual', name), actual)}%" for label, name in items)
    return text + f"其中：{listed}。"


def running(d: Disclosure, previous: Disclosure | None) -> str:
    public = figure(d, "t06", "public_total")
    return f"本部门 {d.year} 年度机关运行经费支出 {amount(public)} 万元。" + change(
        public, figure(previous, "t06", "public_total"))


WRITERS = {"overall": overall, "income": income, "spending": spending, "basic": basic,
           "sangong": sangong, "running": running}


def text(section: Section, d: Disclosure, previous: Disclosure | None) -> str | None:
    """The section's Markdown: as published, or written from the tables plus the reasons."""
    if section.computed is None:
        return section.body
    written = WRITERS[section.computed](d, previous) + (section.reason or "").strip()
    return "\n\n".join(t for t in (written, section.body) if t)
