"""情况说明 prose against the tables: every amount, share and rate a sentence states.

The published prose is kept verbatim. Each statement pattern below names the table
figure a sentence restates (and the denominator of its share); a sentence whose figure
disagrees becomes a finding whose figure is the passage, located at the line of the
sentence, and the page shows the table's figure beside the printed one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..models.base import Mark
from ..models.paths import expand, value_at
from .figures import Figure
from .kinds import Context, Custom, Finding, Rule

T = "final_accounts.tables"
NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
GAP = r"[^0-9。；;]*?"
LINK = r"(?:[为是：:]|\s)*"  # between a label and its amount: 基本支出 524.2 / 支出决算为 0.92
SHARE = r"[^0-9。；;，,]*?"  # 占 / 占基本支出的 / 占本年支出合计的


@dataclass(frozen=True)
class Statement:
    """A sentence shape in a section: '<label> X 万元[，占 Y%]' restating a table figure."""

    section: str  # regex searched in the section's title (with its parents' titles)
    label: str  # regex of the words before the amount
    value: Callable[[Context], Decimal | None]
    share_of: Callable[[Context], Decimal | None] | None = None


def at(path: str) -> Callable[[Context], Decimal | None]:
    def get(ctx: Context) -> Decimal | None:
        if value_at(ctx.disclosure, path.rsplit(".", 1)[0]) is None:
            return None
        value = value_at(ctx.disclosure, path)
        return value if value is not None else Decimal(0)
    return get


def economic(classes: tuple[str, ...]) -> Callable[[Context], Decimal | None]:
    def get(ctx: Context) -> Decimal | None:
        t06 = value_at(ctx.disclosure, f"{T}.t06")
        if t06 is None:
            return None
        return sum((r.amount or Decimal(0) for r in t06.rows if len(r.code) > 3 and r.code[:3] in classes),
                   Decimal(0))
    return get


INCOME = [("财政拨款收入", "fiscal"), ("上级补助收入", "superior"), ("事业收入", "business"),
          ("经营收入", "operating"), ("附属单位上缴收入", "affiliated"), ("其他收入", "other")]
SPENDING = [("基本支出", "basic"), ("项目支出", "project"), ("上缴上级支出", "to_superior"),
            ("经营支出", "operating"), ("对附属单位补助支出", "to_affiliated")]

# Section titles of the standard 情况说明 (一、… 十五、), as regexes on the title.
OVERALL, INCOME_S, SPENDING_S = r"、收入支出决算总体", r"、收入决算情况", r"、支出决算情况"
FISCAL, GENERAL = r"、财政拨款收入支出决算总体", r"一般公共预算财政拨款支出决算"
BASIC, SANGONG = r"基本支出决算情况", r"三公经费支出决算"

STATEMENTS = [
    Statement(OVERALL, r"(?<!财政拨款)收、支总计", at(f"{T}.t01.income_grand_total.amount")),
    Statement(INCOME_S, r"本年收入合计", at(f"{T}.t02.total.total")),
    *[Statement(INCOME_S, label, at(f"{T}.t02.total.{name}"), at(f"{T}.t02.total.total"))
      for label, name in INCOME],
    Statement(SPENDING_S, r"本年支出合计", at(f"{T}.t03.total.total")),
    *[Statement(SPENDING_S, label, at(f"{T}.t03.total.{name}"), at(f"{T}.t03.total.total"))
      for label, name in SPENDING],
    Statement(FISCAL, r"财政拨款收、支总计", at(f"{T}.t04.income_grand_total.amount")),
    Statement(GENERAL, r"财政拨款支出", at(f"{T}.t05.total.total"), at(f"{T}.t03.total.total")),
    Statement(BASIC, r"财政拨款基本支出", at(f"{T}.t05.total.basic")),
    Statement(BASIC, r"人员经费", economic(("301", "303")), at(f"{T}.t05.total.basic")),
    Statement(BASIC, r"公用经费", at(f"{T}.t06.public_total"), at(f"{T}.t05.total.basic")),
    Statement(SANGONG, r"公务接待费支出决算", at(f"{T}.t07.actual.reception"), at(f"{T}.t07.actual.total")),
    Statement(SANGONG, r"因公出国（境）费支出决算", at(f"{T}.t07.actual.abroad"), at(f"{T}.t07.actual.total")),
    Statement(SANGONG, r"公务用车购置费及运行维护费支出决算", at(f"{T}.t07.actual.vehicles"),
              at(f"{T}.t07.actual.total")),
]

COMPLETION = re.compile(rf"预算(?:数)?为\s*{NUMBER}\s*万元[，,]\s*(?:支出)?决算(?:数)?为\s*{NUMBER}\s*万元[，,]\s*"
                        rf"完成(?:年初)?预算的\s*{NUMBER}\s*%")
CHANGE = re.compile(rf"(?<![\d,.]){NUMBER}\s*万元[。，,]\s*与上年相比[^0-9。]*?(增加|减少){GAP}{NUMBER}\s*万元[，,]\s*"
                    rf"(增长|减少|下降){GAP}{NUMBER}\s*%")


def passages(ctx: Context):
    """(path, title, body, mark) of every 情况说明 passage, nested ones with their parent's title."""
    d = ctx.disclosure
    stack = [(p, "") for p in expand(d, "final_accounts.explanations[*]")]
    while stack:
        path, parent = stack.pop(0)
        section = value_at(d, path)
        title = f"{parent} {section.title or ''}"
        if section.body:
            yield f"{path}.body", title, section.body, section.where("body")
        stack += [(f"{path}.sections[{i}]", title) for i in range(len(section.sections))]


def line_mark(mark: Mark | None, body: str, offset: int) -> Mark | None:
    """The line of a sentence inside a block scalar (``body: |`` starts on the next line)."""
    if mark is None:
        return None
    return Mark(mark.path, mark.line + 1 + body.count("\n", 0, offset), mark.col + 2)


def finding(rule: Rule, path: str, body: str, mark, match: re.Match, group: int,
            expected: Decimal, shown: Decimal, what: str) -> Finding:
    place = line_mark(mark, body, match.start(group))
    found = Figure(path, f"情况说明 “{match.group(0).strip()}” 中的{what}", shown, place)
    result = Finding(rule, found, expected, detail=f"{what}：原文 {match.group(group)}，按表计算 {expected}")
    result.span = (match.start(group), match.end(group))
    return result


def printed_number(text: str) -> Decimal | None:
    """A number as printed in prose (thousands separators allowed), or ``None`` when it is
    not one a 决算 can hold: "97,9" reads as 979 and then disagrees with the table, and
    50,000 digits are no amount (and would overflow the rates computed from them)."""
    digits = text.replace(",", "")
    if len(digits.split(".")[0]) > 15:
        return None
    return Decimal(digits)


def tolerance_for(text: str) -> Decimal:
    """Half a unit of the last printed digit: '97.9' → 0.05, '6' → 0.5."""
    places = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (places + 1)


def statements(rule: Rule, ctx: Context):
    for path, title, body, mark in passages(ctx):
        for s in STATEMENTS:
            if not re.search(s.section, title):
                continue
            pattern = re.compile(rf"(?<![\u4e00-\u9fff]){s.label}{LINK}{NUMBER}\s*万元(?:[，,]?\s*占{SHARE}{NUMBER}\s*%)?")
            for match in pattern.finditer(body):
                value = s.value(ctx)
                if value is None:
                    continue
                printed = printed_number(match.group(1))
                if printed is None:
                    continue
                if abs(printed - value) > ctx.tolerance:
                    yield finding(rule, path, body, mark, match, 1, value, printed, "金额")
                denominator = s.share_of(ctx) if s.share_of else None
                if match.group(2) and denominator:
                    share = (value / denominator * 100).quantize(Decimal("0.01"))
                    shown = printed_number(match.group(2))
                    if shown is not None and abs(shown - value / denominator * 100) > tolerance_for(match.group(2)):
                        yield finding(rule, path, body, mark, match, 2, share, shown, "占比（%）")


def arithmetic(rule: Rule, ctx: Context):
    """Rates the prose states from its own figures: 完成年初预算的 x%, 增长 x%."""
    for path, _title, body, mark in passages(ctx):
        for match in COMPLETION.finditer(body):
            budget, actual, shown = (printed_number(match.group(i)) for i in (1, 2, 3))
            if None in (budget, actual, shown):
                continue
            if budget and abs(actual / budget * 100 - shown) > tolerance_for(match.group(3)):
                yield finding(rule, path, body, mark, match, 3,
                              (actual / budget * 100).quantize(Decimal("0.1")), shown, "完成率（%）")
        for match in CHANGE.finditer(body):
            current, change, shown = (printed_number(match.group(i)) for i in (1, 3, 5))
            if None in (current, change, shown):
                continue
            before = current - change if match.group(2) == "增加" else current + change
            if before and abs(change / before * 100 - shown) > tolerance_for(match.group(5)):
                yield finding(rule, path, body, mark, match, 5,
                              (change / before * 100).quantize(Decimal("0.1")), shown, "增减率（%）")


PROSE_RULES: list[Rule] = [
    Custom(id="S-TABLE", description="情况说明所述金额、占比与决算表一致", run=statements),
    Custom(id="S-RATE", description="情况说明所述完成率、增减率与其所述金额一致", run=arithmetic),
]
