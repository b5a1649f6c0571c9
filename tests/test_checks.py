"""Every rule has a failing and a passing example; the seeds' findings are all acknowledged;
any single change to a figure of seed 004's nine tables is caught, naming its file and line."""

from __future__ import annotations

import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, REAL, make_tree, partial_layout, run_cli

from publisher.checks import RULES, check_disclosure, check_site, layout_rules
from publisher.checks.report import text_lines
from publisher.layout import load_library
from publisher.load import load_content
from publisher.models import SiteConfig
from publisher.models.paths import figures

# The default layout requires all nine tables and every 情况说明 section; the examples hold only
# the tables they are about, so they follow a layout that requires none (tests/conftest.py).
PARTIAL = Path(tempfile.mkdtemp(prefix="layouts-"))
partial_layout(PARTIAL)
LAYOUTS = load_library(PARTIAL)
CONFIG = SiteConfig(title="测试", authority="测试", layout="partial")

BASE = """\
year: 2020
final_accounts:
  department: 测试单位
  tables:
%s
"""


def tables(text: str) -> str:
    return BASE % "\n".join("    " + line for line in text.strip("\n").splitlines())


T01 = """
t01:
  income:
    - {line: 1, name: 一、一般公共预算财政拨款收入, amount: 100}
    - {line: 8, name: 八、其他收入, amount: 10}
  income_total: {line: 28, name: 本年收入合计, amount: %s}
  income_opening_balance: {line: 30, name: 年初结转和结余, amount: 5}
  income_grand_total: {line: 31, name: 总计, amount: %s}
  expenditure:
    - {line: 32, name: 一、一般公共服务支出, amount: 110}
  expenditure_total: {line: 58, name: 本年支出合计, amount: 110}
  closing_balance: {line: 60, name: 年末结转和结余, amount: 5}
  expenditure_grand_total: {line: 61, name: 总计, amount: %s}
t02:
  total: {name: 合计, total: 110, fiscal: 100, other: 10}
  rows:
    - {code: "201", name: 一般公共服务支出, total: %s, fiscal: 100, other: 10}
    - {code: "20103", name: 政府办公厅（室）及相关机构事务, total: 110, fiscal: 100, other: 10}
    - {code: "2010301", name: 行政运行, total: 110, fiscal: 100, other: 10}
t03:
  total: {name: 合计, total: 110, basic: 90, project: 20}
  rows:
    - {code: "201", name: 一般公共服务支出, total: 110, basic: 90, project: 20}
    - {code: "20103", name: 政府办公厅（室）及相关机构事务, total: 110, basic: 90, project: %s}
"""
T04 = """
t04:
  income:
    - {line: 1, name: 一、一般公共预算财政拨款, amount: 100}
    - {line: 2, name: 二、政府性基金预算财政拨款, amount: 0}
  income_total: {name: 本年收入合计, amount: 100}
  income_grand_total: {name: 总计, amount: 100}
  expenditure:
    - {name: 一、一般公共服务支出, total: 100, general: %s}
  expenditure_total: {name: 本年支出合计, total: 100, general: 100}
  expenditure_grand_total: {name: 总计, total: 100, general: 100}
t05:
  total: {name: 合计, total: 100, basic: 80, project: 20}
  rows:
    - {code: "201", name: 一般公共服务支出, total: 100, basic: 80, project: %s}
t06:
  rows:
    - {code: "301", name: 工资福利支出, amount: 70}
    - {code: "30101", name: 基本工资, amount: %s}
    - {code: "30102", name: 津贴补贴, amount: 30}
    - {code: "302", name: 商品和服务支出, amount: 10}
    - {code: "30201", name: 办公费, amount: 10}
  personnel_total: 70
  public_total: 10
t07:
  budget: {total: 3, abroad: 1, vehicles: 1, vehicle_purchase: 0, vehicle_operation: 1, reception: 1}
  actual: {total: %s, vehicles: 1, vehicle_operation: %s, reception: 1}
t08:
  total: {name: 合计}
  statement: %s
"""

CLASS_01 = """
t01:
  income_total: {name: 本年收入合计, amount: 10}
  income_grand_total: {name: 总计, amount: 10}
  expenditure:
    - {name: 一、一般公共服务支出, amount: %s}
  expenditure_total: {name: 本年支出合计, amount: 10}
  expenditure_grand_total: {name: 总计, amount: 10}
t03:
  total: {name: 合计, total: 10, basic: 10}
  rows:
    - {code: "201", name: 一般公共服务支出, total: 10, basic: 10}
"""
CLASS_04 = """
t04:
  income_total: {name: 本年收入合计, amount: 10}
  income_grand_total: {name: 总计, amount: 10}
  expenditure:
    - {name: 一、一般公共服务支出, total: %(v)s, %(fund)s: %(v)s}
  expenditure_total: {name: 本年支出合计, total: 10, %(fund)s: 10}
  expenditure_grand_total: {name: 总计, total: 10, %(fund)s: 10}
%(table)s:
  total: {name: 合计, total: 10, basic: 10}
  rows:
    - {code: "201", name: 一般公共服务支出, total: 10, basic: 10}
"""
C_DOC = """\
final_accounts:
  tables:
    t05:
      total: {name: 合计}
  explanations:
    - {title: 一、收入支出决算总体情况说明, body: 本年度收支总计持平。}
"""
OPENING = """
t04:
  income_total: {name: 本年收入合计, amount: 10}
  opening_balance: {name: 年初财政拨款结转和结余, amount: 5}
  opening_balance_by_fund:
    - {name: 一、一般公共预算财政拨款, amount: %s}
  income_grand_total: {name: 总计, amount: 15}
  expenditure_total: {name: 本年支出合计, total: 15, general: 15}
  expenditure_grand_total: {name: 总计, total: 15, general: 15}
"""
CLASS_RULES = {
    "X04-05-CLASS": ("general", "t05"),
    "X04-08-CLASS": ("gov_fund", "t08"),
    "X04-09-CLASS": ("soe", "t09"),
}
SHANGHAI = "layout: shanghai-2024\n"
FLOW = """
%s:
  total: {name: 合计, opening: 1, income: 10, total: 8, basic: 8, closing: %s}
  rows:
    - {code: "212", name: 城乡社区支出, opening: 1, income: 10, total: 8, basic: 8, closing: 3}
"""

FORM = """\
year: 2020
self_evaluations:
  - scope: 项目
    title: 项目支出绩效自评表
    funds:
      rows:
        - {name: 合计, initial_budget: 10, budget: 10, executed: %s}
        - {name: 其中：当年财政拨款, initial_budget: 10, budget: 10, executed: 10}
      points: 10
      rate: 100%%
      score: 10
    indicators:
      - name: 产出指标
        points: 90
        score: 85
        children:
          - {name: 数量指标, points: %s, score: 45}
          - {name: 质量指标, points: 40, score: %s}
    total_points: 100
    total_score: %s
    grade: %s
"""

REPORT = """\
year: 2020
reports:
  - title: 报告
    sections:
      - title: 二、部门财务情况
        budget_execution:
          title: 预算、决算、结余对比情况表
          rows:
            - {name: 基本支出, initial_budget: 80, carried_over: 5, added: 15, available: 100, actual: 90, difference: %s}
          total: {name: 合计, initial_budget: 80, carried_over: 5, added: 15, available: 100, actual: 90, difference: 10}
        sangong_comparison:
          title: 三公经费开支情况表
          current_year: 2020
          previous_year: 2019
          rows:
            - {name: 公务接待费, current: 10, previous: 12, change: %s}
          total: {name: 合计, current: 10, previous: 12, change: -2}
self_evaluations:
  - scope: 部门整体
    title: 自评表
    finances:
      income:
        - {org: 汇总, total: %s, fiscal: 100}
      spending:
        - {org: 汇总, total: 100, basic: 80, personnel: 60, public: 20, project: 20}
      sangong:
        - {org: 汇总, total: 3, reception: 3}
      assets:
        - {org: 汇总, total: 5, in_use: 5}
"""

PROSE = """\
year: 2020
final_accounts:
  department: 测试单位
  tables:
    t02:
      total: {name: 合计, total: 200, fiscal: 150, other: 50}
    t05:
      total: {name: 合计, total: 150, basic: 100, project: 50}
  explanations:
    - title: 二、收入决算情况说明
      body: |
        本年收入合计 200 万元，其中：财政拨款收入 %s 万元，占 %s%%；其他收入 50 万元，占 25%%。
    - title: 五、一般公共预算财政拨款支出决算情况说明
      body: |
        年初预算为 100 万元，支出决算为 150 万元，完成年初预算的 %s%%。
"""

# 情况说明 of the Shanghai template: 年初预算, 绩效管理, 政府采购 and 机关运行经费
PROSE_MORE = """\
year: 2020
final_accounts:
  department: 测试单位
  tables:
    t05:
      total: {name: 合计, total: 150, basic: 100, project: 50}
  explanations:
    - title: 五、一般公共预算财政拨款支出决算情况说明
      body: |
        一般公共预算财政拨款支出年初预算为 %s 万元，支出决算为 150 万元，完成年初预算的 %s%%。
    - title: 十、预算绩效管理情况
      body: |
        编报绩效目标的2020年度项目4个，涉及预算金额598.42万元；绩效自评的2020年度项目4个，涉及预算金额%s万元。
    - title: 十一、其他重要事项的情况说明
      sections:
        - title: （一）机关运行经费支出情况
          body: |
            机关运行经费支出 %s 万元，比 2019 年度增加 2.55 万元，增长 %s%%。
        - title: （二）政府采购支出情况
          body: |
            政府采购金额为 %s 万元，其中：货物采购金额 4.79 万元、工程采购金额 0 万元、服务采购金额 246.47 万元。
"""
GOOD_MORE = PROSE_MORE % (100, 150, "598.42", "184.65", "1.40", "251.26")

# A year and the one before it: the change the prose states against last year's table.
YEARS = """\
year: %s
final_accounts:
  department: 测试单位
  tables:
    t01:
      income:
        - {line: 1, name: 一、一般公共预算财政拨款收入, amount: %s}
      income_total: {line: 28, name: 本年收入合计, amount: %s}
      income_grand_total: {line: 31, name: 总计, amount: %s}
      expenditure:
        - {line: 32, name: 一、一般公共服务支出, amount: %s}
      expenditure_total: {line: 58, name: 本年支出合计, amount: %s}
      expenditure_grand_total: {line: 61, name: 总计, amount: %s}
  explanations:
    - title: 一、收入支出决算总体情况说明
      body: |
        本单位收入支出总计 %s 万元。与上年相比，收入支出总计增加 10.00 万元，增长 10.00%%。
"""


def years(current: str, before: str) -> dict[int, str]:
    return {2020: YEARS % (2020, *[current] * 7), 2019: YEARS % (2019, *[before] * 7)}


GOOD_T01 = tables(T01 % (110, 115, 115, 110, 20))
GOOD_T04 = tables(T04 % (100, 20, 40, 2, 1, "本单位无政府性基金收支，故本表无数据。"))
GOOD_FORM = FORM % (10, 50, 40, 95, "优")
GOOD_REPORT = REPORT % (10, -2, 100)
GOOD_PROSE = PROSE % (150, 75, 150)

# rule id → (passing example, failing example)
TEXT = "year: 2020\ntitle: 示例\noverview:\n  - title: 一、部门职责\n    body: '%s'\n"


EXAMPLES = {
    "T01-INCOME": (GOOD_T01, tables(T01 % (111, 116, 116, 110, 20))),
    "T01-INCOME-GRAND": (GOOD_T01, tables(T01 % (110, 116, 115, 110, 20))),
    "T01-BALANCE": (GOOD_T01, tables(T01 % (110, 115, 116, 110, 20))),
    "T01-EXPENDITURE-GRAND": (GOOD_T01, tables(T01 % (110, 115, 116, 110, 20))),
    "X01-02": (GOOD_T01, tables(T01 % (111, 116, 116, 110, 20))),
    "T02-ROW": (GOOD_T01, tables(T01 % (110, 115, 115, 111, 20))),
    "T02-TREE": (GOOD_T01, tables(T01 % (110, 115, 115, 111, 20))),
    "T03-ROW": (GOOD_T01, tables(T01 % (110, 115, 115, 110, 21))),
    "T03-TREE": (GOOD_T01, tables(T01 % (110, 115, 115, 110, 21))),
    "T04-ROW": (GOOD_T04, tables(T04 % (99, 20, 40, 2, 1, "无数据。"))),
    "T04-EXPENDITURE": (GOOD_T04, tables(T04 % (99, 20, 40, 2, 1, "无数据。"))),
    "T05-ROW": (GOOD_T04, tables(T04 % (100, 21, 40, 2, 1, "无数据。"))),
    "T05-TREE": (GOOD_T04, tables(T04 % (100, 21, 40, 2, 1, "无数据。"))),
    "T06-CLASS": (GOOD_T04, tables(T04 % (100, 20, 41, 2, 1, "无数据。"))),
    "T06-PERSONNEL": (GOOD_T04, tables(T04 % (100, 20, 41, 2, 1, "无数据。"))),
    "X05-06": (
        GOOD_T04,
        tables(
            T04.replace("basic: 80, project: 20}\n  rows", "basic: 81, project: 19}\n  rows")
            % (100, 20, 40, 2, 1, "无数据。")
        ),
    ),
    "T07-TOTAL": (GOOD_T04, tables(T04 % (100, 20, 40, 3, 1, "无数据。"))),
    "T07-VEHICLES": (GOOD_T04, tables(T04 % (100, 20, 40, 2, 2, "无数据。"))),
    "E08-EMPTY": (GOOD_T04, tables(T04 % (100, 20, 40, 2, 1, "~"))),
    "T08-FLOW": (tables(FLOW % ("t08", 3)), tables(FLOW % ("t08", 4))),
    "T04-OPENING": (tables(OPENING % 5), tables(OPENING % 6)),
    # the same document under a layout requiring nothing, and under the default one
    "C-TABLE": (
        "year: 2020\nlayout: partial\n" + C_DOC,
        "year: 2020\nlayout: hunan-2020\n" + C_DOC,
    ),
    "C-SECTION": (
        "year: 2020\nlayout: partial\n" + C_DOC,
        "year: 2020\nlayout: hunan-2020\n" + C_DOC,
    ),
    "C-EMPTY": (
        "year: 2020\noverview:\n  - {title: 一、部门职责, body: 负责本区政务工作。}\n",
        "year: 2020\n",
    ),
    "X01-03-CLASS": (tables(CLASS_01 % 10), tables(CLASS_01 % 12)),
    **{
        rule: tuple(tables(CLASS_04 % {"v": v, "fund": fund, "table": table}) for v in (10, 12))
        for rule, (fund, table) in CLASS_RULES.items()
    },
    # 09表 prints 年初/年末结转和结余 only in some layouts (湖南 2020 prints 支出 only)
    "T09-FLOW": (SHANGHAI + tables(FLOW % ("t09", 3)), SHANGHAI + tables(FLOW % ("t09", 4))),
    "P-FUNDS": (GOOD_FORM, FORM % (9, 50, 40, 95, "优")),
    "P-FUNDS-ROWS": (GOOD_FORM, FORM % (9, 50, 40, 95, "优")),
    "P-CHILD-POINTS": (GOOD_FORM, FORM % (10, 55, 40, 95, "优")),
    "P-CHILD-SCORE": (GOOD_FORM, FORM % (10, 50, 39, 95, "优")),
    "P-SCORE-MAX": (GOOD_FORM, FORM % (10, 50, 45.5, 95, "优")),
    "P-TOTAL-SCORE": (GOOD_FORM, FORM % (10, 50, 40, 96, "优")),
    "P-GRADE": (GOOD_FORM, FORM % (10, 50, 40, 95, "良")),
    "R-TABLES": (GOOD_REPORT, REPORT % (11, -3, 100)),
    "F-INCOME": (GOOD_REPORT, REPORT % (10, -2, 101)),
    "S-TABLE": (GOOD_PROSE, PROSE % (151, 75, 150)),
    "S-RATE": (GOOD_PROSE, PROSE % (150, 75, 140)),
    "C-PLACEHOLDER": (TEXT % "部门职责如下。", TEXT % "（填写部门职责）"),
    "C-SANITISED": (TEXT % "**部门**职责", TEXT % "<b onclick=x>部门</b>职责"),
    "S-SUM": (GOOD_MORE, PROSE_MORE % (100, 150, "598.42", "184.65", "1.40", "252.26")),
    "S-BASE": (GOOD_MORE, PROSE_MORE % (0, "95.89", "598.42", "184.65", "1.40", "251.26")),
    "S-SAME": (GOOD_MORE, PROSE_MORE % (100, 150, "500.00", "184.65", "1.40", "251.26")),
    "S-CHANGE": (years("110", "100"), years("110", "105")),
}


def broken(good: str, old: str, new: str) -> str:
    """``good`` with one figure changed (the text must occur exactly once)."""
    assert good.count(old) == 1, old
    return good.replace(old, new)


T04_TEXT = T04 % (100, 20, 40, 2, 1, "本单位无政府性基金收支，故本表无数据。")
T09_EMPTY = """
t09:
  total: {name: 合计}
  statement: %s
"""
EMPTY_09 = tables(T04_TEXT + T09_EMPTY % "本单位无国有资本经营预算财政拨款收支，故本表无数据。")
FUND_08 = tables(CLASS_04 % {"v": 10, "fund": "gov_fund", "table": "t08"})
FUND_09 = tables(CLASS_04 % {"v": 10, "fund": "soe", "table": "t09"})
FLOW_08, FLOW_09 = tables(FLOW % ("t08", 3)), SHANGHAI + tables(FLOW % ("t09", 3))
ROW_212 = '{code: "212", name: 城乡社区支出, opening: 1, income: 10, total: 8, basic: 8,'
FLOW_ROW = "城乡社区支出, opening: 1, income: 10, total: 8, basic: 8, closing: 3}"

# Each of these breaks one figure of a passing example; other rules may fire too.
EXAMPLES.update(
    {
        "T01-EXPENDITURE": (
            GOOD_T01,
            broken(GOOD_T01, "一般公共服务支出, amount: 110}", "一般公共服务支出, amount: 111}"),
        ),
        "X01-03": (
            tables(CLASS_01 % 10),
            broken(tables(CLASS_01 % 10), "{name: 合计, total: 10,", "{name: 合计, total: 11,"),
        ),
        "T04-INCOME": (
            GOOD_T04,
            broken(
                GOOD_T04, "一般公共预算财政拨款, amount: 100}", "一般公共预算财政拨款, amount: 99}"
            ),
        ),
        "T04-INCOME-GRAND": (
            GOOD_T04,
            broken(
                GOOD_T04,
                "income_grand_total: {name: 总计, amount: 100}",
                "income_grand_total: {name: 总计, amount: 101}",
            ),
        ),
        "T04-EXPENDITURE-GRAND": (
            GOOD_T04,
            broken(
                GOOD_T04,
                "expenditure_grand_total: {name: 总计, total: 100,",
                "expenditure_grand_total: {name: 总计, total: 101,",
            ),
        ),
        "T04-BALANCE": (
            GOOD_T04,
            broken(
                GOOD_T04,
                "income_grand_total: {name: 总计, amount: 100}",
                "income_grand_total: {name: 总计, amount: 101}",
            ),
        ),
        "X04-05": (
            GOOD_T04,
            broken(
                GOOD_T04,
                "本年支出合计, total: 100, general: 100}",
                "本年支出合计, total: 100, general: 99}",
            ),
        ),
        "X04-08": (
            FUND_08,
            broken(
                FUND_08,
                "本年支出合计, total: 10, gov_fund: 10}",
                "本年支出合计, total: 10, gov_fund: 12}",
            ),
        ),
        "X04-09": (
            FUND_09,
            broken(
                FUND_09, "本年支出合计, total: 10, soe: 10}", "本年支出合计, total: 10, soe: 12}"
            ),
        ),
        "T06-PUBLIC": (GOOD_T04, broken(GOOD_T04, "  public_total: 10", "  public_total: 11")),
        "T08-ROW": (FLOW_08, broken(FLOW_08, FLOW_ROW, FLOW_ROW.replace("basic: 8", "basic: 7"))),
        "T08-TREE": (
            FLOW_08,
            broken(FLOW_08, ROW_212, ROW_212.replace("opening: 1", "opening: 2")),
        ),
        "T09-ROW": (FLOW_09, broken(FLOW_09, FLOW_ROW, FLOW_ROW.replace("basic: 8", "basic: 7"))),
        "T09-TREE": (
            FLOW_09,
            broken(FLOW_09, ROW_212, ROW_212.replace("opening: 1", "opening: 2")),
        ),
        "E09-EMPTY": (
            EMPTY_09,
            tables(T04_TEXT + T09_EMPTY % "~"),
        ),
        "P-TOTAL-POINTS": (GOOD_FORM, broken(GOOD_FORM, "total_points: 100", "total_points: 99")),
        "F-SPENDING": (
            GOOD_REPORT,
            broken(
                GOOD_REPORT,
                "{org: 汇总, total: 100, basic: 80",
                "{org: 汇总, total: 101, basic: 80",
            ),
        ),
        "F-BASIC": (
            GOOD_REPORT,
            broken(GOOD_REPORT, "basic: 80, personnel: 60", "basic: 81, personnel: 60"),
        ),
        "F-SANGONG": (
            GOOD_REPORT,
            broken(
                GOOD_REPORT,
                "{org: 汇总, total: 3, reception: 3}",
                "{org: 汇总, total: 4, reception: 3}",
            ),
        ),
        "F-ASSETS": (
            GOOD_REPORT,
            broken(
                GOOD_REPORT, "{org: 汇总, total: 5, in_use: 5}", "{org: 汇总, total: 6, in_use: 5}"
            ),
        ),
    }
)


def findings_of(tmp_path, text):
    """The findings of a year file (or of the last of several years: {year: text})."""
    for year, year_text in (text if isinstance(text, dict) else {2020: text}).items():
        make_tree(tmp_path, year_text, year=year)
    *_, (unit, d) = sorted(load_content(tmp_path).disclosures(), key=lambda ud: ud[1].year)
    return check_disclosure(d, LAYOUTS.choose(d, unit, CONFIG), previous=unit.years.get(d.year - 1))


def test_every_rule_has_examples():
    ids = {r.id for r in RULES}
    assert ids == set(EXAMPLES), ids ^ set(EXAMPLES)


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
def test_rule_passes_and_fails(tmp_path, rule):
    good, bad = EXAMPLES[rule]
    assert [f for f in findings_of(tmp_path / "good", good) if f.rule.id == rule] == []
    failing = [f for f in findings_of(tmp_path / "bad", bad) if f.rule.id == rule]
    assert failing, f"{rule} did not fire"
    # located in the file (C-EMPTY: the file itself, at its first line)
    assert all(
        f.figure.mark is not None and (f.figure.mark.line > 1 or rule == "C-EMPTY") for f in failing
    )


def test_good_examples_are_clean(tmp_path):
    for i, text in enumerate(
        [GOOD_T01, GOOD_T04, GOOD_FORM, GOOD_REPORT, GOOD_PROSE, GOOD_MORE, years("110", "100")]
    ):
        found = [(f.rule.id, f.figure.path) for f in findings_of(tmp_path / str(i), text)]
        assert found == [], found


def test_rounding_tolerance_is_configurable(tmp_path):
    text = tables(T01 % ("110.01", "115.01", "115.01", "110.01", 20))
    make_tree(tmp_path, text)
    site = load_content(tmp_path)
    assert not check_site(site, LAYOUTS, CONFIG).failing
    strict = check_site(site, LAYOUTS, CONFIG, tolerance=Decimal("0"))
    assert {f.finding.rule.id for f in strict.failing} >= {"T01-INCOME", "X01-02"}


def test_seed_findings_are_all_acknowledged():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "0 项未说明" in result.stdout and "50 项已说明" in result.stdout
    assert "已说明 [T06-PUBLIC]" in result.stdout


def test_removing_an_acknowledgement_fails_naming_the_figure(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    year_file = content / "zhuzhou" / "shifeng" / "zhengfu-bangongshi" / "2020.yml"
    text = year_file.read_text(encoding="utf-8")
    block = re.search(
        r"  - rule: S-RATE\n    figure: final_accounts.explanations\[4\]\.sections\[2\]\.body\n"
        r"    difference: 25.20\n    reason: .*\n",
        text,
    )
    year_file.write_text(text.replace(block.group(0), ""), encoding="utf-8")
    result = run_cli("check", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/zhuzhou/shifeng/zhengfu-bangongshi/2020.yml:379:" in result.stderr
    assert "错误 [S-RATE]" in result.stderr and "139.1" in result.stderr


def test_acknowledgement_matching_nothing_is_an_error(tmp_path):
    text = (
        GOOD_FORM
        + "acknowledgements:\n  - rule: P-GRADE\n    figure: self_evaluations[0].grade\n    reason: 无\n"
    )
    make_tree(tmp_path / "content", text)
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/r/u/2020.yml:23:5: 数据说明没有对应的发现（规则 P-GRADE" in result.stderr


def test_json_and_html_reports(tmp_path):
    result = run_cli("check", "--format", "json", "--html", str(tmp_path / "report.html"))
    assert result.returncode == 0
    import json

    data = json.loads(result.stdout)
    assert data["ok"] is True and len(data["findings"]) == 56  # 50 acknowledged, 6 尾差
    first = data["findings"][0]
    assert {"rule", "figure", "expected", "found", "difference", "acknowledged"} <= set(first)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "株洲市" in html and "T06-PUBLIC" in html


SEED_004 = CONTENT / "zhuzhou" / "shifeng" / "zhengfu-bangongshi" / "2020.yml"
# Every table figure of the complete 部门决算 documents: seed 004 (Hunan 2020) and both
# Shanghai 2024 documents, each in its own layout.
DOCUMENTS = {
    "004": (CONTENT, SEED_004),
    "putuo-caizhengju": (REAL, REAL / "shanghai" / "putuo" / "caizhengju" / "2024.yml"),
    "putuo-guihua": (REAL, REAL / "shanghai" / "putuo" / "guihua-ziranziyuan" / "2024.yml"),
}


def table_figures(root, year_file):
    site = load_content(root)
    d = next(d for u, d in site.disclosures() if u.files.get(d.year) == year_file)
    return [
        (path, value, node.where(name))
        for path, value, node, name in figures(d.final_accounts.tables, "final_accounts.tables")
    ]


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_mutating_any_table_figure_is_caught(tmp_path, document):
    root, year_file = DOCUMENTS[document]
    found = table_figures(root, year_file)
    assert len(found) > 100
    original = year_file.read_text(encoding="utf-8").splitlines(keepends=True)
    content = tmp_path / "content"
    shutil.copytree(year_file.parent.parent.parent, content / year_file.parent.parent.parent.name)
    target = content / year_file.relative_to(root)
    missed = []
    for path, value, mark in found:
        lines = list(original)
        line = lines[mark.line - 1]
        col = mark.col - 1
        text = re.match(r"[\d.]+", line[col:]).group(0)
        assert Decimal(text) == value, (path, text)
        lines[mark.line - 1] = line[:col] + f"{value + 1:f}" + line[col + len(text) :]
        target.write_text("".join(lines), encoding="utf-8")
        outcome = check_site(load_content(content), LAYOUTS)
        output = "\n".join("\n".join(text_lines(f)) for f in outcome.failing) + "\n".join(
            map(str, outcome.lapsed)
        )
        if f"{target.name}:{mark.line}:{mark.col}" not in output:
            missed.append(path)
    assert not missed, f"changes not caught: {missed}"


def test_every_rule_path_names_a_figure_of_the_models():
    """A mistyped path in a rule fails here instead of silently checking nothing."""
    from publisher.models import Disclosure
    from publisher.models.paths import validate

    checked = 0
    for rule in RULES + [r for layout in LAYOUTS.layouts.values() for r in layout_rules(layout)]:
        for path in rule.paths():
            validate(path, Disclosure)
            checked += 1
    assert checked > 100


def test_a_mistyped_path_is_refused():
    from publisher.models import Disclosure
    from publisher.models.paths import PathError, validate

    for wrong in (
        "final_accounts.tables.t02.total.fiscl",
        "final_accounts.tables.t02.rows.fiscal",
        "final_accounts.tables.t02.total[0].fiscal",
        "final_accounts.tables.t02.total.fiscal.x",
    ):
        with pytest.raises(PathError):
            validate(wrong, Disclosure)
