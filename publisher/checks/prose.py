"""情况说明 prose against the tables: every amount, share and rate a sentence states.

The published prose is kept verbatim. The statement kinds of ``publisher.statements`` say
which figure each wording restates; this module reads a passage once, in order:

1. mentions: the kinds' wordings, the 05表 类/项 and the 项目 the passage names;
2. amounts after a mention ('<wording> X 万元[，占 Y%][，完成预算的 R%]'), read against the
   figure, its share against the denominator's figure;
3. 预算为 B 万元，支出决算为 A 万元[，完成年初预算的 R%]: A against the figure of the kind
   named before it, R against A / B;
4. changes (与上年相比 / 比2023年度 / 较上年 … 增加 X 万元，增长 Y%): Y against X and the
   current figure, X against last year's figure when that year is published;
5. internal sums: 'X 万元，其中：a 万元、b 万元' and a section's 年初预算 against its items'.

A figure that disagrees becomes a finding whose figure is the passage, located at the line
of the sentence; the page shows the expected figure beside the printed one (its span).
Rates are compared at their printed precision. Every number read is marked as tied, which
is what ``publisher check --coverage`` reports.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .. import statements as st
from ..models.base import Mark
from ..models.paths import expand, value_at
from .figures import Figure
from .kinds import Context, Custom, Finding, Rule

NUMBER = (
    r"(?<![\d,.])\d[\d,]*(?:\.\d+)?"  # starts at a number's first digit: runs of digits stay linear
)
NUMBERS = re.compile(rf"(?<![\d.]){NUMBER}")
UNIT = re.compile(rf"\s*(万元|[%％])(?!{st.THRESHOLD})")
THRESHOLD = re.compile(rf"\s*万元{st.THRESHOLD}")
SUFFIX = r"(?:费)?(?:支出)?(?:决算)?(?:数)?"
LINK = r"(?:[为是：:]|\s)*"
AMOUNT = re.compile(rf"{SUFFIX}{LINK}({NUMBER})\s*万元")
SHARE = re.compile(rf"[，,]?\s*占[^0-9。；;，,]*?({NUMBER})\s*[%％]")
RATE = re.compile(rf"[，,。]?\s*(?:{'|'.join(st.COMPLETED)})(?:数)?的\s*({NUMBER})\s*[%％]")
PAIR = re.compile(
    rf"(?:{'|'.join(st.BUDGETS)})(?:数)?{LINK}({NUMBER})\s*万元[，,]\s*(?:支出)?决算(?:数)?{LINK}"
    rf"({NUMBER})\s*万元"
)
WAYS = "|".join(st.MORE + st.LESS)
CHANGE = re.compile(
    rf"({WAYS})(?:（(?:{WAYS})）)?\s*({NUMBER})\s*万元(?:[，,]\s*(?:同比)?(?:{WAYS})"
    rf"(?:（(?:{WAYS})）)?\s*({NUMBER})\s*(?:[%％]|(?=[。，,；;\s]|$)))?"
)
COMPARED = re.compile("|".join(st.COMPARED))
CLASS = re.compile(rf"([\u4e00-\u9fff]+?)（类）(?:支出)?{LINK}(?=\d)")
ITEM = re.compile(r"(?m)^[ \t]*\d+\s*[、.．]\s*([^\n]+?)（类）([^\n]+?)（款）([^\n]+?)（项）")
SUM = re.compile(rf"({NUMBER})\s*万元[，,。]?\s*其中[：:]?")
PROJECTS = re.compile(rf"项目\s*(\d+)\s*个[，,]?\s*涉及(?:预算)?(?:金额|资金)\s*({NUMBER})\s*万元")
WIDTHS = {"（": "[（(]", "）": "[）)]", "“": '[“"]?', "”": '[”"]?'}


@functools.cache
def wording(text: str) -> re.Pattern:
    """A wording as printed, full- or half-width brackets and quotes alike."""
    return re.compile("".join(WIDTHS.get(ch) or re.escape(ch) for ch in text))


@dataclass
class Number:
    """A number printed in a passage, with its unit (万元, %), and whether a check reads it."""

    start: int
    end: int
    text: str
    unit: str = ""
    tied: bool = False
    table: bool = False  # read against a table figure

    @property
    def value(self) -> Decimal:
        return Decimal(self.text.replace(",", ""))


@dataclass
class Mention:
    """A kind (or a row) named in the prose."""

    start: int
    end: int
    kind: st.Kind


@dataclass
class Passage:
    """One body of the 情况说明, with the titles of its section and those it is nested in."""

    path: str
    titles: list[str]
    body: str
    mark: Mark | None

    def at(self, offset: int) -> Mark | None:
        """file:line:col of a character of the body."""
        place = line_mark(self.mark, self.body, offset)
        if place is None:
            return None
        start = self.body.rfind("\n", 0, offset) + 1
        return Mark(place.path, place.line, place.col + offset - start)


def passages(d) -> list[Passage]:
    """Every 情况说明 passage, nested ones with their parents' titles."""
    out = []
    stack: list[tuple[str, list[str]]] = [
        (p, []) for p in expand(d, "final_accounts.explanations[*]")
    ]
    while stack:
        path, parents = stack.pop(0)
        section = value_at(d, path)
        titles = [*parents, section.title or ""]
        if section.body:
            out.append(Passage(f"{path}.body", titles, section.body, section.where("body")))
        stack += [(f"{path}.sections[{i}]", titles) for i in range(len(section.sections))]
    return out


def line_mark(mark: Mark | None, body: str, offset: int) -> Mark | None:
    """The line of a sentence inside a block scalar: ``body: |`` (``mark`` is at the ``|``)
    starts on the next line, indented two columns more than the key."""
    if mark is None:
        return None
    return Mark(
        mark.path, mark.line + 1 + body.count("\n", 0, offset), max(1, mark.col - len("body: ") + 2)
    )


def tolerance_for(text: str) -> Decimal:
    """Half a unit of the last printed digit: '97.9' → 0.05, '6' → 0.5."""
    places = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (places + 1)


def printed_like(exact: Decimal, text: str) -> Decimal:
    """``exact`` rounded as ``text`` is printed: 95.457 for '95.45' → 95.46."""
    places = len(text.split(".")[1]) if "." in text else 0
    return exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


class Reader:
    """One passage read once: its findings, and which of its numbers a check read."""

    def __init__(self, ctx: Context, passage: Passage, rules: dict[str, Rule]):
        self.ctx, self.p, self.rules = ctx, passage, rules
        self.body = passage.body
        self.numbers = {
            m.start(): Number(m.start(), m.end(), m.group(0)) for m in NUMBERS.finditer(self.body)
        }
        for n in self.numbers.values():
            unit = UNIT.match(self.body, n.end)
            if unit and not THRESHOLD.match(self.body, n.end):
                n.unit = "%" if unit.group(1) in "%％" else unit.group(1)
        self.findings: list[Finding] = []
        self.stated: dict[str, tuple[Decimal, Number]] = {}
        self.amounts: list[tuple[int, st.Kind, Number]] = []  # (position, kind, number) as stated
        self.pairs: list[tuple[st.Kind, Number, Number]] = []
        self.sections = [
            key for key, s in st.SECTIONS.items() if any(s.matches(t) for t in passage.titles)
        ]
        self.mentions = self.find_mentions([k for s in self.sections for k in st.kinds_of(s)])

    # -------------------------------------------------------------- reading

    def read(self) -> Reader:
        pairs = list(PAIR.finditer(self.body))
        for m in self.mentions:
            # '支出决算为 A 万元' inside a pair is the pair's, not a statement of 支出
            if not any(p.start() <= m.start < p.end() for p in pairs):
                self.amount_after(m)
        for match in pairs:
            self.pair(match)
        for match in CHANGE.finditer(self.body):
            self.change(match)
        for match in re.finditer(st.FLAT, self.body):
            self.flat(match)
        for match in SUM.finditer(self.body):
            self.listed_sum(match)
        if "general" in self.sections:
            self.items_sum()
        if "performance" in self.sections:
            self.projects()
        return self

    def find_mentions(self, kinds: list[st.Kind]) -> list[Mention]:
        found = [
            Mention(m.start(), m.end(), kind)
            for kind in kinds
            for w in kind.wordings
            for m in wording(w).finditer(self.body)
        ]
        found += self.row_mentions()
        # the longest wording wins where two overlap (政府性基金预算财政拨款收入 over 财政拨款收入)
        found.sort(key=lambda m: (m.start, m.start - m.end))
        kept: list[Mention] = []
        for m in found:
            if not kept or m.start >= kept[-1].end:
                kept.append(m)
        return kept

    def row_mentions(self) -> list[Mention]:
        """05表 类 and 项 rows, and the 项目 of a 绩效评价 section, named in the prose."""
        found = []
        d = self.ctx.disclosure
        if "general" in self.sections:
            for match in CLASS.finditer(self.body):
                row = st.class_row(d, match.group(1))
                found.append(
                    Mention(
                        match.start(), match.end(), self.row_kind(f"class:{match.group(1)}", row)
                    )
                )
            for match in ITEM.finditer(self.body):
                row = st.item_row(d, *match.groups())
                found.append(
                    Mention(
                        match.start(),
                        match.end(),
                        self.row_kind(f"item:{match.start()}", row, share=False),
                    )
                )
        if "performance" in self.sections:
            path = st.project(d, self.p.titles[-1])
            if path:
                kind = st.Kind(f"project:{path}", "performance", ("项目支出",), path)
                found += [
                    Mention(m.start(), m.end(), kind)
                    for m in wording("项目支出").finditer(self.body)
                ]
        return found

    @staticmethod
    def row_kind(key: str, row: str | None, share: bool = True) -> st.Kind:
        return st.Kind(
            key,
            "general",
            (),
            f"{row}.total" if row else None,
            share_of="general.total" if share else None,
            verify=row is not None or share,
        )

    def amount_after(self, m: Mention) -> None:
        match = AMOUNT.match(self.body, m.end)
        if not match:
            return
        number = self.numbers[match.start(1)]
        self.state(m.kind, number, m.start)
        share = SHARE.match(self.body, match.end())
        if share:
            self.share(m.kind, number, self.numbers[share.start(1)], m.start)
        rate = RATE.match(self.body, match.end())
        if rate and m.kind.budget:
            budget = st.value(self.ctx.disclosure, m.kind.budget)
            if budget is not None:
                self.rate(
                    self.numbers[rate.start(1)],
                    number.value,
                    budget,
                    m.start,
                    [number],
                    "完成率（%）",
                    table=True,
                )

    def state(self, kind: st.Kind, number: Number, start: int) -> None:
        """An amount the prose states for ``kind``: read against its figure."""
        self.stated[kind.key] = (number.value, number)
        self.amounts.append((number.start, kind, number))
        if kind.key.startswith("class:") and kind.figure is None:
            number.tied = True
            self.add("S-TABLE", number, Decimal(0), start, "金额", detail="05表无此类")
            return
        figure = st.value(self.ctx.disclosure, kind.figure) if kind.verify else None
        if figure is None:
            return
        number.tied = number.table = True
        if number.value != figure:
            self.add(
                "S-TABLE",
                number,
                figure,
                start,
                "金额",
                rounding=abs(number.value - figure) <= self.ctx.tolerance,
            )

    def figure_of(self, key: str | None) -> Decimal | None:
        """A kind's figure from the tables, or as the passage states it when only prose does."""
        if key is None:
            return None
        kind = st.KINDS.get(key)
        if kind is not None and kind.figure and kind.verify:
            return st.value(self.ctx.disclosure, kind.figure)
        stated = self.stated.get(key)
        return stated[0] if stated else None

    def share(self, kind: st.Kind, amount: Number, shown: Number, start: int) -> None:
        part = st.value(self.ctx.disclosure, kind.figure) if kind.figure and kind.verify else None
        part = amount.value if part is None else part
        whole = self.figure_of(kind.share_of)
        if whole is None:
            return
        amount.tied = True
        self.rate(
            shown,
            part,
            whole,
            start,
            [],
            "占比（%）",
            table=kind.verify and kind.figure is not None,
        )

    def rate(
        self,
        shown: Number,
        part: Decimal,
        whole: Decimal,
        start: int,
        related: list[Number],
        what: str,
        table: bool = False,
        rule: str = "S-RATE",
    ) -> None:
        """A printed rate against part / whole, at its printed precision; a rate of a base of 0
        is impossible unless both are 0 and it says 0."""
        shown.tied = True
        for n in related:
            n.tied = True
        rule = "S-TABLE" if table else rule
        if not whole:
            if part or shown.value:
                self.add("S-BASE", shown, None, start, what, detail="基数为0，不能计算比率")
            return
        exact = part / whole * 100
        if abs(shown.value - exact) > tolerance_for(shown.text):
            self.add(
                rule,
                shown,
                printed_like(exact, shown.text),
                start,
                what,
                related=related,
                basis="按表计算" if table else "按所述金额计算",
            )

    def pair(self, match: re.Match) -> None:
        budget, actual = self.numbers[match.start(1)], self.numbers[match.start(2)]
        subject = self.subject_before(match.start())
        start = subject.start if subject else self.sentence_start(match.start())
        if subject is not None:
            kind = subject.kind
            self.pairs.append((kind, budget, actual))
            self.state(kind, actual, start)
            if kind.budget:
                self.state(
                    st.Kind(kind.key + ".budget", kind.section, (), kind.budget), budget, start
                )
        rate = RATE.match(self.body, match.end())
        if rate:
            self.rate(
                self.numbers[rate.start(1)],
                actual.value,
                budget.value,
                start,
                [budget, actual],
                "完成率（%）",
            )

    def subject_before(self, offset: int) -> Mention | None:
        """The kind a 预算/决算 pair is about: named in its sentence, or the 项 item it follows."""
        before = [m for m in self.mentions if m.end <= offset]
        if not before:
            return None
        last = before[-1]
        return (
            last
            if last.start >= self.sentence_start(offset) or last.kind.key.startswith("item:")
            else None
        )

    def change(self, match: re.Match) -> None:
        if not self.compared(match.start()):
            return
        kind, start = self.change_subject(match.start())
        if kind is None:
            return
        amount = self.numbers[match.start(2)]
        signed = amount.value if match.group(1) in st.MORE else -amount.value
        stated = self.stated.get(kind.key)
        figure = st.value(self.ctx.disclosure, kind.figure) if kind.verify else None
        current = stated[0] if stated else figure
        if match.group(3) and current is not None:
            # the rate of the change against last year's figure, as the prose states both
            self.rate(
                self.numbers[match.start(3)],
                amount.value,
                current - signed,
                start,
                [amount] + ([stated[1]] if stated else []),
                "增减率（%）",
            )
        self.against_previous(
            kind, amount, signed, figure if figure is not None else current, start
        )

    def flat(self, match: re.Match) -> None:
        """'与上年相比，X持平': this year's figure against last year's, if that is published."""
        if self.ctx.previous is None or not self.compared(match.start(), match.end()):
            return
        kind, start = self.change_subject(match.start())
        if kind is None or not kind.figure or not kind.verify or ":" in kind.key:
            return
        current, before = (
            st.value(self.ctx.disclosure, kind.figure),
            st.value(self.ctx.previous, kind.figure),
        )
        if (
            current is not None
            and before is not None
            and abs(current - before) > self.ctx.tolerance
        ):
            way = "增加" if current > before else "减少"
            self.add(
                "S-CHANGE",
                Number(match.start(), match.end(), "0"),
                current - before,
                start,
                "增减额",
                detail=f"原文持平；上年 {before}，本年 {current}，"
                f"应为{way} {abs(current - before)}",
            )

    def compared(self, offset: int, end: int | None = None) -> bool:
        """Whether the sentence says what it compares with (与上年相比 …); a sentence that opens
        with 其中 goes on with the one before."""
        start = max(self.body.rfind(c, 0, offset) for c in "。\n") + 1
        while start > 0 and self.body[start:offset].lstrip().startswith("其中"):
            start = max(self.body.rfind(c, 0, start - 1) for c in "。\n") + 1
        return COMPARED.search(self.body, start, end or offset) is not None

    def change_subject(self, offset: int) -> tuple[st.Kind | None, int]:
        """The kind a change is about: named in its clause, or, when the clause only says
        与上年相比, the amount stated last."""
        clause = max(self.body.rfind(c, 0, offset) for c in "。；;\n") + 1
        named = [m for m in self.mentions if clause <= m.start and m.end <= offset]
        if named:
            return named[-1].kind, clause
        rest = COMPARED.sub("", self.body[clause:offset])
        earlier = sorted(
            (position, i) for i, (position, _, _) in enumerate(self.amounts) if position < offset
        )
        if re.sub(r"[\s，,、：:]|年度|本年", "", rest) == "" and earlier:
            return self.amounts[earlier[-1][1]][1], clause
        return None, clause

    def against_previous(
        self, kind: st.Kind, amount: Number, signed: Decimal, current: Decimal | None, start: int
    ) -> None:
        previous = self.ctx.previous
        if (
            previous is None or current is None or ":" in kind.key
        ):  # rows are found by name each year
            return
        before = (
            st.value(previous, kind.figure)
            if kind.figure and kind.verify
            else stated_in(previous, kind)
        )
        if before is None:
            return
        amount.tied = True
        expected = current - before
        if abs(signed - expected) > self.ctx.tolerance:
            way = "增加" if expected >= 0 else "减少"
            self.add(
                "S-CHANGE",
                amount,
                abs(expected),
                start,
                "增减额",
                detail=f"上年 {before}，本年 {current}，应为{way} {abs(expected)}",
            )

    def listed_sum(self, match: re.Match) -> None:
        """'X 万元，其中：a 万元、b 万元、c 万元': X = Σ parts (when not all are table figures)."""
        total = self.numbers[match.start(1)]
        stop = min(
            [
                i
                for i in (self.body.find("。", match.end()), self.body.find("\n", match.end()))
                if i >= 0
            ]
            or [len(self.body)]
        )
        span = self.body[match.end() : stop]
        if re.search(rf"预算|决算为|{WAYS}", span):
            return
        parts = [n for n in self.numbers.values() if match.end() <= n.start < stop and n.unit]
        if any(
            n.unit == "%" and "占" not in self.body[max(match.end(), n.start - 15) : n.start]
            for n in parts
        ):
            return
        parts = [n for n in parts if n.unit == "万元"]
        if len(parts) < 2 or (total.table and all(n.table for n in parts)):
            return
        self.sum_check(total, parts, self.sentence_start(total.start))

    def sum_check(self, total: Number, parts: list[Number], start: int) -> None:
        expected = sum((n.value for n in parts), Decimal(0))
        for n in (total, *parts):
            n.tied = True
        if total.value != expected:
            self.add(
                "S-SUM",
                total,
                expected,
                start,
                "合计",
                related=parts,
                basis="按所列分项计算",
                rounding=abs(total.value - expected) <= self.ctx.tolerance,
            )

    def items_sum(self) -> None:
        """一般公共预算财政拨款支出年初预算 (and 决算) = Σ the 项 items' (05表 具体情况)."""
        lead = next(((b, a) for k, b, a in self.pairs if k.key == "general.total"), None)
        items = [(b, a) for k, b, a in self.pairs if k.key.startswith("item:")]
        if lead is None or not items:
            return
        start = self.sentence_start(lead[0].start)
        self.sum_check(lead[0], [b for b, _ in items], start)
        if not all(a.table for _, a in items):
            self.sum_check(lead[1], [a for _, a in items], start)

    def sentence_start(self, offset: int) -> int:
        return max(self.body.rfind(c, 0, offset) for c in "。；;\n") + 1

    def projects(self) -> None:
        """编报绩效目标 / 绩效跟踪 / 绩效自评的项目 N 个，涉及预算金额 X 万元: the projects tracked
        and self-evaluated are among those with targets, so the same count means the same amount."""
        stated = [
            (m.group(1), self.numbers[m.start(2)], m.start()) for m in PROJECTS.finditer(self.body)
        ]
        if not stated:
            return
        count, first, _ = stated[0]
        for other_count, amount, start in stated[1:]:
            if other_count == count:
                first.tied = amount.tied = True
                if amount.value != first.value:
                    self.add(
                        "S-SAME",
                        amount,
                        first.value,
                        start,
                        "涉及金额",
                        related=[first],
                        basis="按编报绩效目标的项目计算",
                    )

    # -------------------------------------------------------------- findings

    def add(
        self,
        rule: str,
        number: Number,
        expected: Decimal | None,
        start: int,
        what: str,
        related: list[Number] | tuple[()] = (),
        detail: str | None = None,
        basis: str = "按表计算",
        rounding: bool = False,
    ) -> None:
        unit = UNIT.match(self.body, number.end)
        quoted = re.sub(
            r"\s*\n\s*", " ", self.body[start : unit.end() if unit else number.end]
        ).strip()
        found = Figure(
            self.p.path,
            f"情况说明 “{quoted}” 中的{what}",
            number.value,
            line_mark(self.p.mark, self.body, number.start),
        )
        result = Finding(
            self.rules[rule],
            found,
            expected,
            [
                Figure(
                    self.p.path,
                    f"情况说明中的 {n.text}{n.unit}",
                    n.value,
                    line_mark(self.p.mark, self.body, n.start),
                )
                for n in related
            ],
            detail=detail or f"{what}：原文 {number.text}，{basis} {expected}",
            rounding=rounding,
        )
        result.span = (number.start, number.end)
        self.findings.append(result)


def stated_in(d, kind: st.Kind) -> Decimal | None:
    """What a disclosure's prose states for a kind (机关运行经费 of last year)."""
    for p in passages(d):
        if not any(st.SECTIONS[kind.section].matches(t) for t in p.titles):
            continue
        for w in kind.wordings:
            for m in wording(w).finditer(p.body):
                amount = AMOUNT.match(p.body, m.end())
                if amount:
                    return Decimal(amount.group(1).replace(",", ""))
    return None


def readings(ctx: Context) -> list[Reader]:
    """Every passage of the disclosure, read (once per check: the rules share the reading)."""
    cached = vars(ctx).get("_prose_readings")
    if cached is None:
        cached = [Reader(ctx, p, RULES_BY_ID).read() for p in passages(ctx.disclosure)]
        vars(ctx)["_prose_readings"] = cached
    return cached


def run(rule: Rule, ctx: Context):
    for reader in readings(ctx):
        yield from (f for f in reader.findings if f.rule.id == rule.id)


PROSE_RULES: list[Rule] = [
    Custom(id="S-TABLE", description="情况说明所述金额、占比与决算表一致", run=run),
    Custom(id="S-RATE", description="情况说明所述完成率、增减率与其所述金额一致", run=run),
    Custom(id="S-SUM", description="情况说明所述合计与其所列分项之和一致", run=run),
    Custom(id="S-CHANGE", description="情况说明所述与上年相比的增减额与上年公开数一致", run=run),
    Custom(id="S-BASE", description="情况说明不对基数为0的数计算完成率、增长率", run=run),
    Custom(id="S-SAME", description="情况说明中项目个数相同的绩效管理涉及金额一致", run=run),
]
RULES_BY_ID = {r.id: r for r in PROSE_RULES}


# ------------------------------------------------------------------ coverage


@dataclass
class Coverage:
    """The numbers of one disclosure's prose (amounts in 万元, percentages) and which are tied."""

    tied: list[tuple[Passage, Number]] = field(default_factory=list)
    untied: list[tuple[Passage, Number]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.tied) + len(self.untied)

    @property
    def share(self) -> Decimal:
        return (
            (Decimal(len(self.tied)) / self.total * 100).quantize(Decimal("0.1"))
            if self.total
            else Decimal(100)
        )


def coverage(ctx: Context) -> Coverage:
    out = Coverage()
    for reader in readings(ctx):
        for n in sorted(reader.numbers.values(), key=lambda n: n.start):
            if n.unit or n.tied:
                (out.tied if n.tied else out.untied).append((reader.p, n))
    return out


def context_of(passage: Passage, number: Number, width: int = 24) -> str:
    """The text around a number, on one line."""
    text = passage.body[max(0, number.start - width) : number.end + width // 2]
    return re.sub(r"\s*\n\s*", " ", text).strip()
