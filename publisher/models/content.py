"""Regions, units and one year's disclosure: the top of the content tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .base import Amount, Markdown, Node, SignedAmount, field
from .performance import Report, SelfEvaluation, Section
from .tables import FinalAccountTables


@dataclass(kw_only=True)
class RegionInfo(Node):
    """``region.yml``: an administrative region (市, 区, 县)."""

    name: str = field("名称", "full name: 岳阳市云溪区", required=True)
    short_name: str | None = field("简称", "e.g. 云溪区")
    parent: str | None = field("上级", "name of the region above, for display")
    finance_bureau: str | None = field("财政部门", "the finance bureau that reviews its units")
    order: int | None = field("排序", "position among its sibling regions")
    layout: str | None = field("表样", "the layout its units' documents follow (e.g. shanghai-2024); "
                               "inherited by the regions below, unless a year file names its own")


@dataclass(kw_only=True)
class UnitInfo(Node):
    """``unit.yml``: what stays the same about a budget unit across years."""

    name: str = field("单位全称", required=True)
    short_name: str | None = field("简称", "as the documents often print it: 区政府办")
    budget_code: str | None = field("预算编码")
    level: str | None = field("级次", "e.g. 一级预算单位")
    kind: str | None = field("单位性质", "e.g. 行政单位, 参公事业单位")


@dataclass(kw_only=True)
class GlossaryTerm(Node):
    """One entry of 名词解释."""

    term: str = field("名词", required=True)
    definition: Markdown = field("解释", required=True)


@dataclass(kw_only=True)
class FinalAccounts(Node):
    """部门决算: the nine tables and their 情况说明."""

    title: str | None = field("标题", "cover title: 2020年度株洲市石峰区人民政府办公室部门决算")
    department: str | None = field("部门", "the 部门 line printed above every table, where the layout prints one")
    tables: FinalAccountTables = field("部门决算表", required=True)
    explanations: list[Section] = field("情况说明", "the numbered sections 一、… 十五、", default=[])


@dataclass(kw_only=True)
class Acknowledgement(Node):
    """A finding that the web team cannot fix because the official figure is published so."""

    rule: str = field("规则", "the rule id reported by publisher check", required=True)
    figure: str = field("数据项", "the figure's path as reported by publisher check", required=True)
    difference: SignedAmount | None = field("差额", "the difference reported with the finding; "
                                            "the acknowledgement lapses when the figures change")
    reason: Markdown = field("说明", "why it stands: shown on the page as 数据说明", required=True)


@dataclass(kw_only=True)
class PublisherNote(Node):
    """A 数据说明 of the web team's own: a problem the checker cannot see (a wording, an
    explanation copied from another year), published beside the acknowledged findings."""

    about: str | None = field("涉及", "what it concerns, as readers see it: 情况说明 三、支出决算情况说明")
    text: Markdown = field("说明", "the note, shown on the page as 数据说明", required=True)


@dataclass(kw_only=True)
class Disclosure(Node):
    """``<year>.yml``: everything a unit published for one year."""

    year: int = field("年度", "must match the file name", required=True, example=2020)
    layout: str | None = field("表样", "the layout the document follows (e.g. hunan-2020, shanghai-2024); "
                               "by default the region's, else site_config.yml's")
    status: Literal["draft", "published"] | None = field(
        "状态", "draft：草稿，publisher check 照常检查（不算未通过），mkdocs serve 预览时标明“草稿”，"
        "mkdocs build 不发布；删去或写 published 即发布")
    title: str | None = field("标题", "the document's title as published")
    source: str | None = field("来源", "where the original was published (portal, file name)")
    overview: list[Section] = field("单位概况", "第一部分: 部门职责, 机构设置, 人员情况", default=[])
    final_accounts: FinalAccounts | None = field("部门决算", "第二、三部分: the tables and 情况说明")
    glossary: list[GlossaryTerm] = field("名词解释", "leave out to use the site's standard glossary", default=[])
    reports: list[Report] = field("绩效评价报告", "narrative evaluation reports", default=[])
    self_evaluations: list[SelfEvaluation] = field("绩效自评", "部门整体 and 项目 self-evaluation forms", default=[])
    acknowledgements: list[Acknowledgement] = field("数据说明", "findings acknowledged by the web team", default=[])
    publisher_notes: list[PublisherNote] = field("发布说明", "数据说明 of the web team's own, for problems "
                                                 "no rule finds", default=[])
    notes: Markdown | None = field("其他说明", "anything else the document says")


@dataclass(kw_only=True)
class SiteConfig(Node):
    """``site_config.yml``: settings of the whole site."""

    title: str = field("站点名称", "shown in the header and the browser tab", required=True)
    authority: str = field("发布机关", "who publishes the site, shown in the footer", required=True)
    description: str | None = field("简介", "one paragraph on the home page")
    footer: Markdown | None = field("页脚", "footer text, Markdown")
    contact: Markdown | None = field("联系方式", "where citizens send questions")
    glossary: list[GlossaryTerm] = field("标准名词解释", "used by disclosures that carry none", default=[])
    region_order: list[str] = field("地区顺序", "top-level region folder names in display order", default=[])
    tolerance: Amount | None = field("尾数容差", "万元 allowed per summed row (default 0.01)")
    layout: str | None = field("表样", "the layout of documents whose region names none (default hunan-2020)")
    on_broken_unit: Literal["stop", "keep-last-good"] | None = field(
        "有错单位", "stop（默认）：任何年度文件有错误或未说明的不一致，mkdocs build 就不构建；"
        "keep-last-good：照常发布其余单位，有错的单位保留上次构建成功的页面（取自缓存 .cache/publisher，"
        "从未成功构建过的单位暂不发布），并醒目警告")
