"""Statement kinds of the 情况说明: what each sentence restates, in the words documents use.

One table serves both the checker (``checks/prose.py`` reads every amount, share and rate
against its figure) and the 情况说明 written from the tables (``explain.py`` prints each
kind's first wording with its figure). A kind names:

- the section it belongs to, by meaning: section titles are matched loosely (湖南
  "七、一般公共预算财政拨款三公经费支出决算情况说明",
  上海 "七、财政拨款“三公”经费支出决算情况说明");
- the wordings real documents use for it (湖南 收、支总计, 上海 收入支出总计 …), the first
  being the one computed sentences print;
- its figure: a semantic path into the tables (``final_accounts.tables.t02.total.fiscal``)
  or a derived figure (人员经费); none when the prose alone states it (政府采购金额);
- the kind whose figure is the denominator of its share (占 x%), and its 预算数 (完成预算的 x%).

Rows named in the prose (05表 类 and 项, a project's 自评) are looked up by name here too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import terms
from .models import Disclosure
from .models.paths import value_at
from .terms import ZERO

T = "final_accounts.tables"
NUMBERING = re.compile(r"^\s*[（(]?\s*(?:[一二三四五六七八九十]+|\d+)\s*[）)、.．]?\s*")


@dataclass(frozen=True)
class SectionKind:
    """A section of the 情况说明 by meaning; ``title`` is searched in its title, numbering
    stripped (and in the titles of the sections it is nested in)."""

    key: str
    title: str
    examples: tuple[str, ...]  # titles as printed (the test reads them against ``title``)

    def matches(self, title: str) -> bool:
        return _title_matches(self.title, title or "")


@functools.lru_cache(maxsize=4096)  # the same few dozen titles recur in every disclosure
def _title_matches(pattern: str, title: str) -> bool:
    return re.search(pattern, NUMBERING.sub("", title)) is not None


SECTIONS = {
    s.key: s
    for s in [
        SectionKind(
            "overall", r"^(?:部门)?收入?、?支出?(?:决算)?总体", ("一、收入支出决算总体情况说明",)
        ),
        SectionKind("income", r"^收入决算", ("二、收入决算情况说明",)),
        SectionKind("spending", r"^支出决算", ("三、支出决算情况说明",)),
        SectionKind(
            "fiscal",
            r"^财政拨款收入?、?支出?(?:决算)?总体",
            ("四、财政拨款收入支出决算总体情况说明",),
        ),
        SectionKind(
            "general",
            r"一般公共预算财政拨款支出决算|^财政拨款支出决算",
            ("五、一般公共预算财政拨款支出决算情况说明", "（一）财政拨款支出决算总体情况"),
        ),
        SectionKind("basic", r"基本支出决算", ("六、一般公共预算财政拨款基本支出决算情况说明",)),
        SectionKind(
            "sangong",
            r"三公",
            (
                "七、一般公共预算财政拨款三公经费支出决算情况说明",
                "七、财政拨款“三公”经费支出决算情况说明",
            ),
        ),
        SectionKind(
            "gov_fund",
            r"政府性基金",
            (
                "八、政府性基金预算收入支出决算情况",
                "八、政府性基金预算财政拨款收入支出决算情况说明",
            ),
        ),
        SectionKind("soe", r"国有资本经营", ("九、国有资本经营预算财政拨款收入支出决算情况说明",)),
        SectionKind(
            "running",
            r"机关运行经费",
            ("十、关于机关运行经费支出说明", "（一）机关运行经费支出情况"),
        ),
        SectionKind(
            "procurement", r"政府采购", ("十二、关于政府采购支出说明", "（二）政府采购支出情况")
        ),
        SectionKind(
            "performance",
            r"绩效",
            ("十、预算绩效管理情况", "十四、重点项目预算的绩效评价结果等情况说明"),
        ),
    ]
}


@dataclass(frozen=True)
class Kind:
    """A figure the prose states: '<wording> X 万元[，占 Y%]'."""

    key: str
    section: str
    wordings: tuple[str, ...]  # as printed; the first is the label computed sentences use
    figure: str | None = None  # a figure path or a DERIVED name; None: stated in the prose only
    share_of: str | None = None  # the kind whose figure is the denominator of 占 x%
    budget: str | None = None  # the figure of its 预算数, for 完成预算的 x%
    verify: bool = True  # False: the figure serves computed sentences but is not checked
    share_words: str = ""  # how computed sentences name the denominator: 占基本支出的 x%

    @property
    def label(self) -> str:
        return self.wordings[0]


def economic_total(d: Disclosure, printed: str, classes: tuple[str, ...]) -> Decimal | None:
    """A 06表 total (``printed``: personnel_total, public_total) as printed, else the sum of
    the 款 rows of its 经济分类 ``classes``."""
    t06 = value_at(d, f"{T}.t06")
    if t06 is None:
        return None
    if getattr(t06, printed) is not None:
        return getattr(t06, printed)
    return sum(
        (r.amount or ZERO for r in t06.rows if len(r.code) > 3 and r.code[:3] in classes), ZERO
    )


def personnel(d: Disclosure) -> Decimal | None:
    """人员经费: 06表 人员经费合计 as printed, else its 301 and 303 款 rows."""
    return economic_total(d, "personnel_total", terms.PERSONNEL_CLASSES)


def public(d: Disclosure) -> Decimal | None:
    """公用经费: 06表 公用经费合计 as printed, else its 302 and 310 款 rows."""
    return economic_total(d, "public_total", terms.PUBLIC_CLASSES)


def evaluated_projects(d: Disclosure) -> Decimal | None:
    """Σ 全年执行数 of the 项目 self-evaluations published with the disclosure."""
    funds = [
        e.funds.rows[0].executed or ZERO
        for e in d.self_evaluations
        if e.scope == terms.PROJECT_SCOPE and e.funds and e.funds.rows
    ]
    return sum(funds, ZERO) if funds else None


DERIVED: dict[str, Callable[[Disclosure], Decimal | None]] = {
    "人员经费": personnel,
    "公用经费": public,
    "项目自评资金": evaluated_projects,
}


def value(d: Disclosure | None, figure: str | None) -> Decimal | None:
    """A kind's figure in ``d``: None when the table (or the figure) is not published; a
    blank cell of a published table is 0."""
    if d is None or figure is None:
        return None
    if figure in DERIVED:
        return DERIVED[figure](d)
    if value_at(d, figure.rsplit(".", 1)[0]) is None:
        return None
    found = value_at(d, figure)
    return found if found is not None else ZERO


def _columns(section: str, key: str, table: str, items, total: str) -> list[Kind]:
    return [
        Kind(f"{key}.{name}", section, (label,), f"{T}.{table}.total.{name}", share_of=total)
        for label, name in items
    ]


SANGONG = {name: label for label, name in terms.SANGONG}
FUNDS = {name: label for label, name in terms.FUNDS}


def _sangong(name: str, *wordings: str) -> Kind:
    """A 07表 item: its 决算数, a share of the 合计, completed against its 预算数."""
    return Kind(
        f"sangong.{name}",
        "sangong",
        wordings or (SANGONG[name],),
        f"{T}.t07.actual.{name}",
        "sangong.total",
        f"{T}.t07.budget.{name}",
    )


KINDS: dict[str, Kind] = {
    k.key: k
    for k in [
        Kind(
            "overall.total",
            "overall",
            ("收、支总计", "收入支出总计", "收支总计"),
            f"{T}.t01.income_grand_total.amount",
        ),
        Kind("income.total", "income", ("本年收入合计",), f"{T}.t02.total.total"),
        *_columns("income", "income", "t02", terms.INCOME, "income.total"),
        Kind("spending.total", "spending", ("本年支出合计",), f"{T}.t03.total.total"),
        *_columns("spending", "spending", "t03", terms.SPENDING, "spending.total"),
        Kind(
            "fiscal.total",
            "fiscal",
            ("财政拨款收、支总计", "财政拨款收入支出总计", "财政拨款收支总计"),
            f"{T}.t04.income_grand_total.amount",
        ),
        Kind(
            "general.total",
            "general",
            ("财政拨款支出", f"{FUNDS['general']}支出"),
            f"{T}.t05.total.total",
            share_of="spending.total",
            share_words="本年支出合计的",
        ),
        Kind(
            "basic.total",
            "basic",
            ("财政拨款基本支出", f"{FUNDS['general']}基本支出"),
            f"{T}.t05.total.basic",
        ),
        Kind(
            "basic.personnel",
            "basic",
            ("人员经费",),
            "人员经费",
            share_of="basic.total",
            share_words="基本支出的",
        ),
        Kind(
            "basic.public",
            "basic",
            ("公用经费",),
            "公用经费",
            share_of="basic.total",
            share_words="基本支出的",
        ),
        Kind(
            "sangong.total",
            "sangong",
            ("“三公”经费财政拨款支出", "“三公”经费支出"),
            f"{T}.t07.actual.total",
            budget=f"{T}.t07.budget.total",
        ),
        _sangong("abroad"),
        _sangong(
            "vehicles",
            "公务用车购置费及运行维护费",
            "公务用车购置及运行维护费",
            SANGONG["vehicles"],
        ),
        _sangong("vehicle_purchase", "公务用车购置费", "公务用车购置"),
        _sangong("vehicle_operation", "公务用车运行维护费", "公务用车运行维护", "公务用车运行费"),
        _sangong("reception"),
        Kind("gov_fund.income", "gov_fund", (f"{FUNDS['gov_fund']}收入",), f"{T}.t08.total.income"),
        Kind("gov_fund.opening", "gov_fund", ("年初结转和结余",), f"{T}.t08.total.opening"),
        Kind("gov_fund.spending", "gov_fund", ("支出",), f"{T}.t08.total.total"),
        Kind("gov_fund.basic", "gov_fund", ("基本支出",), f"{T}.t08.total.basic"),
        Kind("gov_fund.project", "gov_fund", ("项目支出",), f"{T}.t08.total.project"),
        Kind("gov_fund.closing", "gov_fund", ("年末结转和结余",), f"{T}.t08.total.closing"),
        Kind("soe.income", "soe", (f"{FUNDS['soe']}收入",), f"{T}.t09.total.income"),
        Kind("soe.spending", "soe", ("支出",), f"{T}.t09.total.total"),
        # 机关运行经费 equals 06表 公用经费 only for a unit without 事业单位 (a department with
        # 事业单位 reports less): computed sentences print 公用经费; the checker reads the prose.
        Kind("running.total", "running", ("机关运行经费",), f"{T}.t06.public_total", verify=False),
        Kind("procurement.total", "procurement", ("政府采购支出总额", "政府采购金额")),
        Kind(
            "procurement.sme",
            "procurement",
            ("授予中小企业合同金额",),
            share_of="procurement.total",
        ),
        Kind(
            "procurement.small",
            "procurement",
            ("授予小微企业合同金额",),
            share_of="procurement.total",
        ),
        Kind("performance.projects", "performance", ("共涉及资金",), "项目自评资金"),
    ]
}


def kinds_of(section: str) -> list[Kind]:
    return [k for k in KINDS.values() if k.section == section]


# ------------------------------------------------------------- rows named in the prose


def _base(name: str) -> str:
    return re.sub(r"支出$", "", (name or "").strip())


def class_row(d: Disclosure, name: str) -> str | None:
    """The 05表 类 row the prose names (一般公共服务（类）支出 / 一般公共服务支出（类）)."""
    wanted = _base(name)
    t05 = value_at(d, f"{T}.t05")
    for i, row in enumerate(t05.rows if t05 else []):
        if (
            row.code
            and len(row.code) == terms.CODE_LEVELS[0]
            and row.name
            and _base(row.name)
            and wanted.endswith(_base(row.name))
        ):
            return f"{T}.t05.rows[{i}]"
    return None


def item_row(d: Disclosure, cls: str, kuan: str, xiang: str) -> str | None:
    """The 05表 项 row of '类（类）款（款）项（项）': by 款 and 项 name under the 类, else by 项
    name alone under the 类 (documents name some 款 differently from the table)."""
    top = class_row(d, cls)
    if top is None:
        return None
    rows = value_at(d, f"{T}.t05").rows
    code = value_at(d, top).code
    under = [(i, r) for i, r in enumerate(rows) if r.code and r.code.startswith(code)]
    kuans = [
        r.code for _, r in under if len(r.code) == terms.CODE_LEVELS[1] and r.name == kuan.strip()
    ]
    for prefix in (kuans[0] if len(kuans) == 1 else None, code):
        if prefix is None:
            continue
        named = [
            i
            for i, r in under
            if len(r.code) == terms.CODE_LEVELS[2]
            and r.code.startswith(prefix)
            and r.name == xiang.strip()
        ]
        if len(named) == 1:
            return f"{T}.t05.rows[{named[0]}]"
    return None


def project(d: Disclosure, title: str) -> str | None:
    """The 全年执行数 of the 项目 self-evaluation a section title names (（1）值班工作经费)."""
    name = NUMBERING.sub("", title or "").strip()
    for i, e in enumerate(d.self_evaluations):
        if (
            e.scope == terms.PROJECT_SCOPE
            and e.project
            and e.project.name == name
            and e.funds
            and e.funds.rows
        ):
            return f"self_evaluations[{i}].funds.rows[0].executed"
    return None


# ------------------------------------------------- how the prose compares and completes

# Wordings that introduce a change against the previous year (与上年相比，增加 x 万元，增长 y%).
COMPARED = (
    r"与上年度?相比",
    r"与\s*\d{4}\s*年度?相比",
    r"比上年度?(?:决算数?)?",
    r"较上年度?",
    r"较上一年?度",
    r"比\s*\d{4}\s*年度?",
    r"较\s*\d{4}\s*年度?",
    r"同比",
    r"与上一?年度?(?=\s*持平)",
    r"与\s*\d{4}\s*年度?(?=\s*持平)",
)
FLAT = "持平"  # 与上年相比，…持平: no change
MORE = ("增加", "增长", "上升")
LESS = ("减少", "下降")
# 预算为 B 万元，支出决算为 A 万元，完成年初预算的 R%: the budget words and the rate words.
BUDGETS = ("年初预算", "全年预算", "调整预算", "预算")
COMPLETED = ("完成年初预算", "完成全年预算", "完成调整预算", "完成预算")
# '单价100万元（含）以上设备' names a threshold, not a figure.
THRESHOLD = r"(?:（含）|\(含\))?以上"
