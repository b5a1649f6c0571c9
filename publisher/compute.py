"""Figures derived from a disclosure for display: document kinds, headline figures, outline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import Disclosure

KIND_FINAL_ACCOUNTS = "部门决算"
KIND_WHOLE = "整体绩效自评"
KIND_PROJECT = "项目绩效自评"


def document_kinds(d: Disclosure) -> list[str]:
    """What a disclosure contains, in the vocabulary of the search filter 文档类型."""
    kinds = []
    if d.final_accounts is not None:
        kinds.append(KIND_FINAL_ACCOUNTS)
    if d.reports or any(e.scope == "部门整体" for e in d.self_evaluations):
        kinds.append(KIND_WHOLE)
    if any(e.scope == "项目" for e in d.self_evaluations):
        kinds.append(KIND_PROJECT)
    return kinds


@dataclass
class Headline:
    label: str
    value: Decimal | None
    unit: str = "万元"


def headlines(d: Disclosure) -> list[Headline]:
    """The figures shown side by side on a unit's page, as published (blank when absent)."""
    tables = d.final_accounts.tables if d.final_accounts else None
    whole = next((e for e in d.self_evaluations if e.scope == "部门整体"), None)

    def get(*path):
        node = tables
        for name in path:
            node = getattr(node, name, None) if node is not None else None
        return node

    return [
        Headline("本年收入合计", get("t01", "income_total", "amount")),
        Headline("本年支出合计", get("t01", "expenditure_total", "amount")),
        Headline("财政拨款支出", get("t05", "total", "total")),
        Headline("基本支出", get("t03", "total", "basic")),
        Headline("项目支出", get("t03", "total", "project")),
        Headline("“三公”经费决算", get("t07", "actual", "total")),
        Headline("整体绩效自评得分", whole.total_score if whole else None, "分"),
    ]


def title_of(d: Disclosure, unit_name: str) -> str:
    """The page title: the document's own title, or a standard one."""
    if d.title:
        return d.title
    return f"{unit_name}{d.year}年度{'、'.join(document_kinds(d)) or '公开信息'}"
