"""Regions, units and one year's disclosure: the top of the content tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .base import Amount, Markdown, Node, SignedAmount, field
from .evaluations import Report, Section, SelfEvaluation
from .tables import FinalAccountTables


@dataclass(kw_only=True)
class RegionInfo(Node):
    """``region.yml``：行政区域（市、区、县）。"""

    name: str = field("名称", "全称，如 岳阳市云溪区", required=True)
    short_name: str | None = field("简称", "如 云溪区")
    parent: str | None = field("上级", "上级地区的名称，用于显示")
    finance_bureau: str | None = field("财政部门", "审核本地区各单位的财政部门")
    order: int | None = field("排序", "在同级地区中的排列位置")
    layout: str | None = field(
        "表样",
        "本地区各单位的文件采用的表样（如 shanghai-2024）；下级地区沿用，"
        "年度文件另写表样的，以年度文件为准",
    )


@dataclass(kw_only=True)
class UnitInfo(Node):
    """``unit.yml``：预算单位各年度不变的信息。"""

    name: str = field("单位全称", required=True)
    short_name: str | None = field("简称", "公开文本常用的简称，如 区政府办")
    budget_code: str | None = field("预算编码")
    level: str | None = field("级次", "如 一级预算单位")
    kind: str | None = field("单位性质", "如 行政单位、参公事业单位")


@dataclass(kw_only=True)
class GlossaryTerm(Node):
    """名词解释中的一条。"""

    term: str = field("名词", required=True)
    definition: Markdown = field("解释", required=True)


@dataclass(kw_only=True)
class FinalAccounts(Node):
    """部门决算：九张决算表及其情况说明。"""

    title: str | None = field("标题", "封面标题，如 2020年度株洲市石峰区人民政府办公室部门决算")
    department: str | None = field("部门", "每张表上方印的部门行（表样印部门行时）")
    tables: FinalAccountTables = field("部门决算表", required=True)
    explanations: list[Section] = field("情况说明", "按编号排列的各节 一、… 十五、", default=[])


@dataclass(kw_only=True)
class Acknowledgement(Node):
    """网站团队无法改正的核对问题：官方公开的数字原本如此。"""

    rule: str = field("规则", "publisher check 报告的规则编号", required=True)
    figure: str = field("数据项", "publisher check 报告的数据项路径", required=True)
    difference: SignedAmount | None = field(
        "差额", "报告该问题时给出的差额；有关数字一有变动，本条说明即失效"
    )
    reason: Markdown = field("说明", "保留原数的理由，在页面上作为数据说明显示", required=True)


@dataclass(kw_only=True)
class PublisherNote(Node):
    """网站团队自己写的数据说明：核对程序发现不了的问题（如措辞、从其他年度照抄的说明），与已说明的核对问题一并公布。"""

    about: str | None = field(
        "涉及", "涉及的内容，按读者看到的写，如 情况说明 三、支出决算情况说明"
    )
    text: Markdown = field("说明", "说明的内容，在页面上作为数据说明显示", required=True)


@dataclass(kw_only=True)
class Disclosure(Node):
    """``<year>.yml``：单位某一年度公开的全部内容。"""

    year: int = field("年度", "须与文件名一致", required=True, example=2020)
    layout: str | None = field(
        "表样",
        "文件采用的表样（如 hunan-2020、shanghai-2024）；"
        "不写则用地区的表样，地区也没有则用 site_config.yml 的",
    )
    status: Literal["draft", "published"] | None = field(
        "状态",
        "draft：草稿，publisher check 照常检查（不算未通过），mkdocs serve 预览时标明“草稿”，"
        "mkdocs build 不发布；删去或写 published 即发布",
    )
    title: str | None = field("标题", "公开文本的标题")
    source: str | None = field("来源", "原文的发布出处（网站、文件名）")
    overview: list[Section] = field(
        "单位概况", "第一部分：部门职责、机构设置、人员情况", default=[]
    )
    final_accounts: FinalAccounts | None = field("部门决算", "第二、三部分：决算表和情况说明")
    glossary: list[GlossaryTerm] = field("名词解释", "不写则用站点的标准名词解释", default=[])
    reports: list[Report] = field("绩效评价报告", "文字形式的绩效评价报告", default=[])
    self_evaluations: list[SelfEvaluation] = field(
        "绩效自评", "部门整体和项目的绩效自评表", default=[]
    )
    acknowledgements: list[Acknowledgement] = field(
        "数据说明", "网站团队已作说明的核对问题", default=[]
    )
    publisher_notes: list[PublisherNote] = field(
        "发布说明", "网站团队自己写的数据说明，用于任何规则都发现不了的问题", default=[]
    )
    notes: Markdown | None = field("其他说明", "公开文本中的其他内容")


@dataclass(kw_only=True)
class SiteConfig(Node):
    """``site_config.yml``：整个站点的设置。"""

    title: str = field("站点名称", "显示在页眉和浏览器标签页上", required=True)
    authority: str = field("发布机关", "发布本站的机关，显示在页脚", required=True)
    description: str | None = field("简介", "首页上的一段介绍")
    footer: Markdown | None = field("页脚", "页脚文字，Markdown")
    contact: Markdown | None = field("联系方式", "公众咨询问题的联系渠道")
    glossary: list[GlossaryTerm] = field(
        "标准名词解释", "供没有自带名词解释的年度文件使用", default=[]
    )
    region_order: list[str] = field("地区顺序", "顶层地区的文件夹名，按显示顺序排列", default=[])
    tolerance: Amount | None = field("尾数容差", "每个求和行允许的尾差（万元，默认 0.01）")
    layout: str | None = field("表样", "所在地区未指定表样时，文件采用的表样（默认 hunan-2020）")
    on_broken_unit: Literal["stop", "keep-last-good"] | None = field(
        "有错单位",
        "stop（默认）：任何年度文件有错误或未说明的不一致，mkdocs build 就不构建；"
        "keep-last-good：照常发布其余单位，有错的单位保留上次构建成功的页面"
        "（取自缓存 .cache/publisher，"
        "从未成功构建过的单位暂不发布），并醒目警告",
    )
