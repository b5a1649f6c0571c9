"""情况说明 written from the tables: the figures come from the disclosure (and the previous
year's, when published); the editor supplies only the reasons (``computed`` + ``reason``).

Labels, figures and share denominators are the statement kinds of ``publisher.statements``,
the same table the checker reads the published prose with, so a computed sentence always
reads back as consistent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import statements as st
from .models import Disclosure
from .models.evaluations import Section
from .terms import ZERO


def amount(value: Decimal | None) -> str:
    return f"{(value or ZERO):.2f}"


def share(part: Decimal | None, whole: Decimal | None) -> str:
    if not whole:
        return "0"
    return f"{((part or ZERO) / whole * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}"


def figure(d: Disclosure | None, key: str) -> Decimal | None:
    """The figure of statement kind ``key`` in ``d``."""
    return st.value(d, st.KINDS[key].figure)


def change(d: Disclosure, previous: Disclosure | None, key: str, subject: str = "") -> str:
    """与上年相比，增加 x 万元，增长 y% — or nothing when last year is not published."""
    current, before = figure(d, key), figure(previous, key)
    if before is None or current is None:
        return ""
    diff = current - before
    if diff == 0:
        return f"与上年相比，{subject}持平。"
    more = diff > 0
    rate = f"，{'增长' if more else '下降'} {share(abs(diff), before)}%" if before else ""
    return f"与上年相比，{subject}{'增加' if more else '减少'} {amount(abs(diff))} 万元{rate}。"


def stated(d: Disclosure, key: str, suffix: str = "") -> str:
    """'<label> X 万元，占 Y%': a kind's label, figure and share of its denominator."""
    kind = st.KINDS[key]
    text = f"{kind.label}{suffix} {amount(figure(d, key))} 万元"
    if kind.share_of:
        text += f"，占{kind.share_words} {share(figure(d, key), figure(d, kind.share_of))}%"
    return text


def parts(d: Disclosure, section: str) -> str:
    """本年收入合计 X 万元，其中：<each column of the section's table>."""
    total = f"{section}.total"
    listed = "；".join(stated(d, k.key) for k in st.kinds_of(section) if k.share_of == total)
    return f"{stated(d, total)}，其中：{listed}。"


def overall(d: Disclosure, previous: Disclosure | None) -> str:
    return f"{d.year} 年度{stated(d, 'overall.total')}。" + change(d, previous, "overall.total")


def income(d: Disclosure, previous: Disclosure | None) -> str:
    return parts(d, "income")


def spending(d: Disclosure, previous: Disclosure | None) -> str:
    return parts(d, "spending")


def basic(d: Disclosure, previous: Disclosure | None) -> str:
    return (
        f"{d.year} 年度{stated(d, 'basic.total')}，其中：{stated(d, 'basic.personnel')}；"
        f"{stated(d, 'basic.public')}。"
    )


SANGONG_ITEMS = ("sangong.abroad", "sangong.vehicles", "sangong.reception")


def sangong(d: Disclosure, previous: Disclosure | None) -> str:
    kind = st.KINDS["sangong.total"]
    budget, actual = st.value(d, kind.budget), figure(d, kind.key)
    text = f"{kind.label}预算为 {amount(budget)} 万元，支出决算为 {amount(actual)} 万元"
    text += f"，完成预算的 {share(actual, budget)}%。" if budget else "。"
    text += change(d, previous, kind.key, "“三公”经费支出")
    return text + f"其中：{'；'.join(stated(d, key, '支出决算') for key in SANGONG_ITEMS)}。"


def running(d: Disclosure, previous: Disclosure | None) -> str:
    # written from 06表 公用经费合计: 机关运行经费 for a unit without 事业单位 (see statements)
    return f"本部门 {d.year} 年度{stated(d, 'running.total', '支出')}。" + change(
        d, previous, "running.total"
    )


WRITERS = {
    "overall": overall,
    "income": income,
    "spending": spending,
    "basic": basic,
    "sangong": sangong,
    "running": running,
}


def text(section: Section, d: Disclosure, previous: Disclosure | None) -> str | None:
    """The section's Markdown: as published, or written from the tables plus the reasons."""
    if section.computed is None:
        return section.body
    written = WRITERS[section.computed](d, previous) + (section.reason or "").strip()
    return "\n\n".join(t for t in (written, section.body) if t)
