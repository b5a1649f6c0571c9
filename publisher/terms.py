"""Domain terms, declared once: the nine tables, the 经济分类 groups, anchors, defaults.

Everything that names a figure's meaning (rules, statements, computed 情况说明, grids,
search filters) takes its words and codes from here.
"""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)
DEFAULT_TOLERANCE = Decimal("0.01")  # 万元 per summed row: "金额单位转换时可能存在尾数误差"
DEFAULT_LAYOUT = "hunan-2020"

# The nine tables by semantic key, with the national name used in messages and labels.
TABLES = {
    "t01": "收入支出决算总表",
    "t02": "收入决算表",
    "t03": "支出决算表",
    "t04": "财政拨款收入支出决算总表",
    "t05": "一般公共预算财政拨款支出决算表",
    "t06": "一般公共预算财政拨款基本支出决算表",
    "t07": "“三公”经费支出决算表",
    "t08": "政府性基金预算财政拨款收入支出决算表",
    "t09": "国有资本经营预算财政拨款收入支出决算表",
}

# How each table is laid out: two sides facing each other, rows by 功能分类 code, rows by
# 经济分类 code in column groups, or one row of figures.
SHAPES = {
    "t01": "two_sided",
    "t04": "two_sided",
    "t06": "economic",
    "t07": "single_row",
    "t02": "classified",
    "t03": "classified",
    "t05": "classified",
    "t08": "classified",
    "t09": "classified",
}


def table_label(key: str) -> str:
    """How a reader names a table in a finding: 02表."""
    return f"{key[1:]}表"


def table_anchor(key: str) -> str:
    return f"gongkai-{key[1:]}"


# 经济分类 类 that make up 人员经费 and 公用经费 (06表).
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "310")

# Code segments printed in their own columns: 类 (3 digits), 款 (2), 项 (2).
CODE_PARTS = {"code:类": slice(0, 3), "code:款": slice(3, 5), "code:项": slice(5, 7)}
CODE_LEVELS = (3, 5, 7)
# Figures that label a row rather than give an amount: the code (or a part), the name, 行次.
LABEL_FIGURES = frozenset({"code", "name", "line", *CODE_PARTS})

# Columns of 02表 (income by source) and 03表 (spending by kind), with their names.
INCOME = [
    ("财政拨款收入", "fiscal"),
    ("上级补助收入", "superior"),
    ("事业收入", "business"),
    ("经营收入", "operating"),
    ("附属单位上缴收入", "affiliated"),
    ("其他收入", "other"),
]
SPENDING = [
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("上缴上级支出", "to_superior"),
    ("经营支出", "operating"),
    ("对附属单位补助支出", "to_affiliated"),
]
FUNDS = [
    ("一般公共预算财政拨款", "general"),
    ("政府性基金预算财政拨款", "gov_fund"),
    ("国有资本经营预算财政拨款", "soe"),
]
SANGONG = [
    ("因公出国（境）费", "abroad"),
    ("公务用车购置及运行费", "vehicles"),
    ("公务接待费", "reception"),
]

# Scopes of a 绩效自评 (部门整体 or one 项目).
WHOLE_SCOPE, PROJECT_SCOPE = "部门整体", "项目"


# The search index's filter groups (data-pagefind-filter names), in the order the search page
# shows them; the search page reads them from its data-groups attribute (theme/js/search.js).
SEARCH_YEAR, SEARCH_KIND, SEARCH_REGION, SEARCH_UNIT = "年度", "文档类型", "地区", "单位"
SEARCH_FILTERS = (SEARCH_YEAR, SEARCH_KIND, SEARCH_REGION, SEARCH_UNIT)


# The HTML that editors' Markdown may produce on a page (render.py sanitises to these tags,
# with no attributes; checks/completeness.py warns about anything else).
MARKDOWN_TAGS = frozenset(
    {
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "sup",
        "sub",
    }
)
