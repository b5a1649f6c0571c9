"""The citizen's summary at the top of a disclosure page, and the trends of a unit.

Key figures come from :func:`compute.headlines` (as published, never recomputed), the
change against the previous year from the previous year's headlines when that year is in
``content/``. Charts are :class:`charts.Chart` (inline SVG drawn here, at build time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import compute, terms
from .charts import Bar, Chart, percent
from .grid import money, score
from .models import Disclosure

MAX_YEARS = 5  # years drawn in a chart across years: the page size does not grow with history


@dataclass
class KeyFigure:
    label: str
    value: str  # formatted, with its unit
    change: str | None = None  # 比上年增加 12.30 万元（增长 2.0%）
    direction: str | None = None  # up | down | same (for the arrow's class)
    term: str | None = None  # anchor of its 名词解释


@dataclass
class Summary:
    sentence: str
    figures: list[KeyFigure]
    charts: list[Chart] = field(default_factory=list)
    previous_year: int | None = None


def change(
    current: Decimal | None, previous: Decimal | None, unit: str
) -> tuple[str | None, str | None]:
    """The change against last year in words, and its direction."""
    if current is None or previous is None:
        return None, None
    delta = current - previous
    if delta == 0:
        return "与上年持平", "same"
    amount = money(abs(delta)) if unit == "万元" else score(abs(delta))
    word, direction = ("增加", "up") if delta > 0 else ("减少", "down")
    text = f"比上年{word} {amount} {unit}"
    if previous and unit == "万元":
        rate = (abs(delta) * 100 / previous).quantize(Decimal("0.1"), ROUND_HALF_UP)
        text += f"（{'增长' if delta > 0 else '下降'} {rate}%）"
    return text, direction


def key_figures(
    d: Disclosure, previous: Disclosure | None, glossary: dict[str, str]
) -> list[KeyFigure]:
    before = {h.label: h.value for h in compute.headlines(previous)} if previous else {}
    figures = []
    for h in compute.headlines(d):
        if h.value is None:
            continue
        text = f"{money(h.value)} 万元" if h.unit == "万元" else f"{score(h.value)} 分"
        words, direction = change(h.value, before.get(h.label), h.unit)
        figures.append(KeyFigure(h.label, text, words, direction, term_anchor(h.label, glossary)))
    return figures + funds_figures(d)


def funds_figures(d: Disclosure) -> list[KeyFigure]:
    """A whole-unit self-evaluation's 资金情况 (its 合计 row, as published), where it has one."""
    funds = next(
        (e.funds for e in d.self_evaluations if e.scope == "部门整体" and e.funds and e.funds.rows),
        None,
    )
    if funds is None:
        return []
    total, out = funds.rows[0], []
    for label, value in (("全年预算数", total.budget), ("全年执行数", total.executed)):
        if value is not None:
            out.append(KeyFigure(f"资金{label}", f"{money(value)} 万元"))
    if funds.rate is not None:
        out.append(KeyFigure("预算执行率", funds.rate.text))
    return out


def sentence(d: Disclosure) -> str:
    """One plain paragraph: what came in, what went out, on what, and 三公."""
    tables = d.final_accounts.tables if d.final_accounts else None
    parts = []
    if tables and tables.t01:
        parts.append(
            f"{d.year}年度，本单位收入合计 {money(tables.t01.income_total.amount)} 万元，"
            f"支出合计 {money(tables.t01.expenditure_total.amount)} 万元"
        )
    if (
        tables
        and tables.t03
        and tables.t03.total.total
        and None not in (tables.t03.total.basic, tables.t03.total.project)
    ):
        t = tables.t03.total
        parts.append(
            f"支出中基本支出 {money(t.basic)} 万元（占 {percent(t.basic, t.total)}），"
            f"用于保障机构正常运转；项目支出 {money(t.project)} 万元"
            f"（占 {percent(t.project, t.total)}），"
            f"用于完成特定工作任务"
        )
    if tables and tables.t07 and tables.t07.actual.total is not None:
        s = tables.t07
        text = f"“三公”经费支出 {money(s.actual.total)} 万元"
        if s.budget.total:
            text += f"，为预算数 {money(s.budget.total)} 万元的 "
            text += percent(s.actual.total, s.budget.total)
        parts.append(text)
    whole = next((e for e in d.self_evaluations if e.scope == "部门整体"), None)
    if whole and whole.total_score is not None:
        parts.append(
            f"部门整体支出绩效自评得分 {score(whole.total_score)} 分"
            + (f"，等级为“{whole.grade}”" if whole.grade else "")
        )
    return "。".join(parts) + "。" if parts else ""


def spending_by_class(d: Disclosure, chart_id: str) -> Chart | None:
    """03表's 类 rows (3-digit 功能分类 codes): where the money went."""
    tables = d.final_accounts.tables if d.final_accounts else None
    table = tables and (tables.t03 or tables.t05)
    if not table:
        return None
    bars = [
        Bar(r.name or r.code, r.total)
        for r in table.rows
        if r.code and len(r.code) == terms.CODE_LEVELS[0] and r.total
    ]
    return Chart(chart_id, "支出按功能分类（类）", bars, shares=True) if bars else None


def basic_project(d: Disclosure, chart_id: str) -> Chart | None:
    tables = d.final_accounts.tables if d.final_accounts else None
    if not (tables and tables.t03):
        return None
    total = tables.t03.total
    bars = [
        Bar(name, getattr(total, key), colour=i)
        for i, (name, key) in enumerate(terms.SPENDING[:2])
        if getattr(total, key) is not None
    ]
    return Chart(chart_id, "基本支出与项目支出", bars, shares=True) if bars else None


def sangong_years(years: dict[int, Disclosure], year: int, chart_id: str) -> Chart | None:
    """07表's 决算数 by item, for this year and up to four years before it that are in content."""
    shown = [y for y in sorted(years) if y <= year and sangong_of(years[y]) is not None][
        -MAX_YEARS:
    ]
    if not shown:
        return None
    bars = []
    for name, key in terms.SANGONG:
        for i, y in enumerate(shown):
            value = getattr(sangong_of(years[y]), key)
            if value is not None:
                bars.append(Bar(f"{y}年", value, group=name, colour=i))
    if not bars:
        return None
    return Chart(
        chart_id, "“三公”经费决算数（分项、分年度）", bars, legend=[f"{y}年" for y in shown]
    )


def sangong_of(d: Disclosure):
    tables = d.final_accounts.tables if d.final_accounts else None
    return tables.t07.actual if tables and tables.t07 else None


def disclosure_summary(
    d: Disclosure, years: dict[int, Disclosure], glossary: dict[str, str]
) -> Summary | None:
    """The summary of one disclosure; ``years`` are the unit's disclosures by year."""
    previous = years.get(d.year - 1)
    figures = key_figures(d, previous, glossary)
    if not figures:
        return None
    charts = [
        c
        for c in (
            spending_by_class(d, "tu-zhichu"),
            basic_project(d, "tu-jiben"),
            sangong_years(years, d.year, "tu-sangong"),
        )
        if c
    ]
    return Summary(sentence(d), figures, charts, previous.year if previous else None)


def term_anchor(label: str, glossary: dict[str, str]) -> str | None:
    """The anchor of the 名词解释 entry that explains ``label`` (三公 → “三公经费”支出)."""
    key = plain(label)
    for term, anchor in glossary.items():
        name = plain(term)
        if name and (name in key or (len(key) >= 4 and key in name)):  # not 支出 in 基本支出
            return anchor
    return None


def plain(text: str) -> str:
    """A term without quotes and the words that only qualify it (决算, 合计, 本年)."""
    for word in ("“", "”", '"', "决算", "合计", "本年"):
        text = text.replace(word, "")
    return text


def table_terms(g, glossary: dict[str, str]) -> list[tuple[str, str]]:
    """The 名词解释 entries a table's headings or row names use: (term, anchor)."""
    words = {c.text for row in g.head for c in row} | {
        c.text for row in g.body for c in row if c.kind == "text"
    }
    found = []
    for term, anchor in glossary.items():
        name = plain(term)
        if name and any(name in w or (len(w) >= 4 and plain(w) in name) for w in words if w):
            found.append((term, anchor))
    return found


def glossary_anchors(glossary) -> dict[str, str]:
    """Term → anchor of its entry on the page (``mingci-1`` …)."""
    return {g.term: f"mingci-{i + 1}" for i, g in enumerate(glossary)}


def unit_trends(rows: list[tuple[int, list[compute.Headline]]]) -> list[Chart]:
    """A unit page's charts across years: 支出, 基本/项目, 三公 (oldest first)."""
    rows = sorted(rows)[-MAX_YEARS * 2 :]
    wanted = ("本年支出合计", "基本支出", "项目支出", "“三公”经费决算")
    legend = [f"{y}年" for y, _ in rows]
    bars = []
    for label in wanted:
        for i, (y, headlines) in enumerate(rows):
            value = next((h.value for h in headlines if h.label == label), None)
            if value is not None:
                bars.append(Bar(f"{y}年", value, group=label, colour=i))
    return [Chart("tu-qushi", "主要数据逐年变化", bars, legend=legend)] if bars else []
