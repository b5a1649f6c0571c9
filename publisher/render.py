"""Render pages with Jinja2, wrapped in the site theme's ``main.html``.

A disclosure page is rendered by its unit's worker (``render_disclosure``); ``plan(index)``
lists the index pages (home, search, regions, units, broken years) from the build's index
and ``Renderer.page`` renders one of them. Text from YAML is autoescaped, Markdown is
converted and then sanitised, so no markup an editor types (a ``<script>`` included)
reaches the page.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig

from . import charts, compare, compute, downloads, explain, forms, grid, summary, terms
from .checks.kinds import Finding
from .index import SiteIndex
from .layout import Library
from .models import Disclosure, PublisherNote, Region, SiteConfig, Unit
from .models.layout import Layout

TEMPLATES = Path(__file__).parent / "templates"
ALLOWED_TAGS = set(terms.MARKDOWN_TAGS)  # nh3 takes a set


# Short class names: tables are most of a page's bytes.
CELL_CLASSES = {"num": "n", "code": "c", "md": "m", "head": "h", "index": "i"}


@functools.cache
def cell_tag(tag: str, kind: str, colspan: int, rowspan: int, has_text: bool) -> str:
    """The opening tag of a table cell: a page has hundreds of cells and a few kinds of tag."""
    attrs = f' colspan="{colspan}"' if colspan > 1 else ""
    attrs += f' rowspan="{rowspan}"' if rowspan > 1 else ""
    if tag == "th" and kind != "index":  # headers name their columns (栏次 numbers do not)
        attrs += ' scope="colgroup"' if colspan > 1 else ' scope="col"'
        attrs += "" if has_text else ' aria-label="栏次"'  # the 栏次 row's blank label cells
    if has_text and kind in CELL_CLASSES:
        attrs += f' class="{CELL_CLASSES[kind]}"'
    return f"<{tag}{attrs}>"


# Text with none of these needs no Markdown: paragraphs only (the usual Chinese prose).
PLAIN = re.compile(
    r"[*_`#<>\[\]|\\&]|^\s*(?:[-+]\s|\d+[.)]\s)|\n[ \t]*(?:[-+]\s|\d+[.)]\s)|^ {4}|\n {4}"
)
BLANK_LINE = re.compile(r"\n\s*\n")


@dataclass
class Theme:
    """The MkDocs theme's Jinja environment and site config, to wrap pages built ahead."""

    env: jinja2.Environment
    config: MkDocsConfig  # site_name, extra, the theme's folders

    def fingerprint(self) -> str:
        """What the page chrome depends on: the theme's templates and MkDocs' ``extra``.
        Whole pages are cached (publisher/build.py), so their key must include it."""
        digest = hashlib.sha256(repr(sorted(self.config.extra.items())).encode())
        for folder in self.config.theme.dirs:
            for path in sorted(Path(folder).rglob("*.html")):
                digest.update(path.read_bytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class ThemePage:
    """The ``page`` of the theme's context: all that its templates may use of a page."""

    title: str
    url: str  # site-relative: '' for the home page, 'zhuzhou/' …
    content: Markup
    is_homepage: bool = False
    meta: dict = field(default_factory=lambda: {"generated": True})  # generated: not prose


@dataclass(frozen=True)
class PageContext:
    """What the theme's templates are given, the same for every page of the site: the pages
    MkDocs renders (plugin.on_page_context) and those the build writes whole (wrap)."""

    page: ThemePage
    config: Any  # the MkDocs config: site_name, extra (publisher_authority, publisher_footer)
    base_url: str  # the site root relative to the page: '.', '..', '../..' …

    def as_dict(self) -> dict[str, object]:
        return {"page": self.page, "config": self.config, "base_url": self.base_url}


def page_context(config: Any, page: ThemePage) -> PageContext:
    return PageContext(page, config, "/".join([".."] * page.url.count("/")) or ".")


def theme_extra(settings: SiteConfig) -> dict[str, object]:
    """The MkDocs ``extra`` entries the theme's footer reads, from site_config.yml."""
    footer = "\n\n".join(t for t in (settings.footer, settings.contact) if t)
    return {
        "publisher_footer": Renderer(settings).markdown(footer),
        "publisher_authority": settings.authority,
    }


def wrap(theme: Theme, page: ThemePage) -> str:
    """The whole HTML of a page written by the build: its content in the theme's main.html."""
    return theme.env.get_template("main.html").render(page_context(theme.config, page).as_dict())


@dataclass
class Crumb:
    title: str
    url: str | None  # site-relative, '' for home; None for the current page


@dataclass
class PageSpec:
    """One page of the site: where it goes and what it shows."""

    kind: str  # home | search | region | unit | disclosure | broken
    url: str  # site-relative directory URL: 'zhuzhou/shifeng/zfb/2020/'
    title: str
    region: Region | None = None
    unit: Unit | None = None
    year: int | None = None
    crumbs: list[Crumb] = field(default_factory=list)
    search: dict[str, str | list[str]] = field(default_factory=dict)  # search filters, meta


def site_pages(index: SiteIndex) -> list[PageSpec]:
    """Every index page (the disclosure pages come whole from the units' workers), parents
    before children."""
    pages = [
        PageSpec("home", "", "首页"),
        PageSpec("search", "search/", "全文检索", crumbs=[Crumb("首页", "")]),
    ]
    for region in index.site.all_regions():
        pages.append(
            PageSpec(
                "region",
                region.url,
                region.name,
                region=region,
                crumbs=region_crumbs(region.parent),
            )
        )
        for unit in region.units:
            crumbs = region_crumbs(region)
            pages.append(
                PageSpec("unit", unit.url, unit.name, region=region, unit=unit, crumbs=crumbs)
            )
            for year in index.broken(unit):
                pages.append(
                    PageSpec(
                        "broken",
                        unit.year_url(year),
                        f"{unit.name} {year}年度（内容有误）",
                        region=region,
                        unit=unit,
                        year=year,
                        crumbs=region_crumbs(region) + [Crumb(unit.name, unit.url)],
                    )
                )
    return pages


def disclosure_spec(unit: Unit, year: int, d: Disclosure) -> PageSpec:
    return PageSpec(
        "disclosure",
        unit.year_url(year),
        compute.title_of(d, unit.name),
        region=unit.region,
        unit=unit,
        year=year,
        crumbs=region_crumbs(unit.region) + [Crumb(unit.name, unit.url)],
        search={
            terms.SEARCH_YEAR: str(year),
            terms.SEARCH_REGION: unit.region.name,
            terms.SEARCH_UNIT: unit.name,
            terms.SEARCH_KIND: compute.document_kinds(d),
        },
    )


def region_crumbs(region: Region | None) -> list[Crumb]:
    crumbs = [Crumb("首页", "")]
    if region is not None:
        crumbs += [Crumb(r.name, r.url) for r in region.ancestors()]
    return crumbs


class Renderer:
    """Holds the Jinja2 environment and Markdown converter of one build."""

    def __init__(
        self,
        config: SiteConfig,
        theme: Theme | None = None,
        layouts: Library | None = None,
    ):
        self.config = config
        self.theme = theme
        self.layouts = layouts
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters.update(
            md=self.markdown,
            money=grid.money,
            score=grid.score,
            pairs=lambda items: [(i.label, i.value) for i in items],
        )
        self.env.globals.update(
            rows_html=self.rows_html,
            budget_execution_grid=grid.budget_execution_grid,
            comparison_grid=grid.comparison_grid,
            chart_table=charts.table_rows,
        )
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "nl2br"])
        self.md_cache: dict[str, Markup] = {}
        # the last disclosure's table grids (render_disclosure), for its downloads
        self.grids: list = []

    def markdown(self, text: str | None) -> Markup:
        """Markdown from YAML → sanitised HTML (no raw HTML, scripts or attributes survive)."""
        if not text:
            return Markup("")
        cached = self.md_cache.get(text)
        if cached is None:
            if PLAIN.search(text) is None:  # plain paragraphs: no Markdown to interpret
                html = "".join(
                    f"<p>{escape(p.strip())}</p>" for p in BLANK_LINE.split(text) if p.strip()
                )
                cached = Markup(html.replace("\n", "<br>\n") if "\n" in html else html)
            else:
                html = self.md.reset().convert(text)
                html = nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, url_schemes=set())
                cached = Markup(
                    html.replace("<th>", '<th scope="col">')
                )  # Markdown tables head by column
            if len(self.md_cache) < 50_000:
                self.md_cache[text] = cached
        return cached

    def rows_html(self, rows: list[list[grid.Cell]], tag: str = "td") -> Markup:
        """A table's rows, one per line. Built here rather than by a macro per cell or row:
        tables are most of a page, and a Jinja call per cell dominated build time."""
        parts: list[str] = []
        for row in rows:
            parts.append("\n<tr>" if parts else "<tr>")
            for c in row:
                text = c.text
                if c.kind == "md":
                    text = self.markdown(text)
                elif text:
                    text = escape(text)
                parts.append(
                    f"{cell_tag(tag, c.kind, c.colspan, c.rowspan, bool(c.text))}{text}</{tag}>"
                )
            parts.append("</tr>")
        return Markup("".join(parts))

    def page(self, page: PageSpec, index: SiteIndex) -> str:
        """The whole HTML of an index page."""
        context = getattr(self, f"_context_{page.kind}")(page, index)
        return self.wrap(page, self._render(page, context), is_homepage=page.kind == "home")

    def wrap(self, page: PageSpec, content: str, *, is_homepage: bool = False) -> str:
        """The whole HTML page: ``content`` inside the site theme's ``main.html``."""
        if self.theme is None:
            raise ValueError("a Renderer without the MkDocs theme cannot write whole pages")
        view = ThemePage(page.title, page.url, Markup(content), is_homepage)
        return wrap(self.theme, view)

    def render_disclosure(
        self,
        page: PageSpec,
        d: Disclosure,
        layout: Layout,
        findings: list[Finding],
        previous: Disclosure | None = None,
        years: dict | None = None,
    ) -> tuple[str, list[grid.Grid]]:
        """The page content, and the table grids it shows (the downloads are made from them)."""
        years = years or {d.year: d}
        context = self._context_disclosure(page, d, layout, findings, previous, years)
        context.update(citizen_context(d, layout, context["glossary"], years, context["tables"]))
        return self._render(page, context), context["tables"]

    def _render(self, page: PageSpec, extra: dict) -> str:
        root = "../" * page.url.count("/")  # pages link relatively: the site works under any path
        context = {
            "page": page,
            "root": root,
            "config": self.config,
            "url": lambda target: root + target,
        }
        context.update(extra)
        return self.env.get_template(f"{page.kind}.html").render(context)

    def _context_home(self, page: PageSpec, index: SiteIndex) -> dict:
        units = index.site.all_units()
        latest = sorted(
            ((y, u) for u in units for y in index.published(u)), key=lambda x: (-x[0], x[1].name)
        )[:10]
        year_headers, year_rows = compare.site_years(units, index)
        return {
            "regions": index.site.regions,
            "units": units,
            "latest": latest,
            "year_headers": year_headers,
            "year_rows": year_rows,
            "years": index.years_of(),
            "count": sum(len(index.published(u)) for u in units),
        }

    def _context_search(self, page: PageSpec, index: SiteIndex) -> dict:
        return {"groups": terms.SEARCH_FILTERS}

    def _context_region(self, page: PageSpec, index: SiteIndex) -> dict:
        region = page.region
        assert region is not None, "a region page has its region"
        url = lambda target: "../" * page.url.count("/") + target  # noqa: E731 - as in _render
        return {
            "region": region,
            "years": index.years_of(region),
            "published": index.published,
            "comparisons": compare.region_tables(region, url, index),
        }

    def _context_unit(self, page: PageSpec, index: SiteIndex) -> dict:
        unit = page.unit
        assert unit is not None, "a unit page has its unit"
        published = index.published(unit)
        rows = [(y, published[y].headlines) for y in sorted(published, reverse=True)]
        labels = [h.label for h in rows[0][1]] if rows else []
        return {"unit": unit, "rows": rows, "labels": labels, "trends": summary.unit_trends(rows)}

    def _context_broken(self, page: PageSpec, index: SiteIndex) -> dict:
        assert page.unit is not None and page.year is not None, "a broken year's page has both"
        return {"problems": index.broken(page.unit)[page.year]}

    def _context_disclosure(
        self,
        page: PageSpec,
        d: Disclosure,
        layout: Layout,
        findings: list[Finding],
        previous: Disclosure | None,
        years: dict[int, Disclosure],
    ) -> dict:
        fa = d.final_accounts
        evaluations = [evaluation_view(e, i) for i, e in enumerate(d.self_evaluations)]
        return {
            "d": d,
            "unit": page.unit,
            "kinds": compute.document_kinds(d),
            "tables": grid.public_table_grids(fa.tables, layout, fa.department) if fa else [],
            "glossary": d.glossary or (self.config.glossary if fa else []),
            "evaluations": evaluations,
            "siblings": sorted(
                (
                    y
                    for y, other in years.items()  # drafts link only from drafts
                    if other.status != "draft" or d.status == "draft"
                ),
                reverse=True,
            ),
            "notes": [data_note(f) for f in findings if f.acknowledgement]
            + [publisher_note(n) for n in d.publisher_notes],
            "open_findings": [f for f in findings if not f.acknowledgement and not f.rounding],
            "section_text": lambda path, section: annotate(
                explain.text(section, d, previous),
                [f for f in findings if f.figure.path == path + ".body"],
            ),
        }


def citizen_context(d: Disclosure, layout: Layout, glossary, years: dict, tables: list) -> dict:
    """The summary with its charts, the download links and the 名词解释 anchors (issue 12)."""
    anchors = summary.glossary_anchors(glossary)
    return {
        "summary": summary.disclosure_summary(d, years, anchors),
        "glossary_ids": anchors,
        "table_terms": {g.anchor: summary.table_terms(g, anchors) for g in tables},
        "downloads": downloads.links(d, layout),
        "sheets": downloads.sheet_links(tables),
        "json_download": downloads.FOLDER + downloads.JSON_NAME,
        "workbook_download": downloads.FOLDER + downloads.WORKBOOK_NAME if tables else None,
        "chart_table": charts.table_rows,
    }


def data_note(f: Finding) -> str:
    """A short, neutral public note on an acknowledged finding (Markdown)."""
    assert f.acknowledgement is not None, "a data note is of an acknowledged finding"
    text = f"{f.figure.label}"
    if f.expected is not None and f.span is None:
        text += f"：公开数 {grid.score(f.found) or '（空）'}，"
        text += f"按“{f.rule.description}”应为 {grid.score(f.expected)}"
    return f"{text}。{f.acknowledgement.reason.strip()}"


def publisher_note(note: PublisherNote) -> str:
    """A 数据说明 the web team wrote for a problem no rule finds (Markdown)."""
    return f"{note.about}：{note.text.strip()}" if note.about else note.text.strip()


def annotate(text: str | None, findings: list[Finding]) -> str | None:
    """Prose as published, with the table's figure beside each figure that disagrees with it."""
    if not text:
        return text
    marks = []
    for f in findings:
        if f.span is None or f.expected is None:
            continue
        end = f.span[1]
        tail = re.match(r"\s*(%|万元)", text[end:])
        end += tail.end() if tail else 0
        unit = tail.group(1) if tail else ""
        marks.append((end, f"〔按表计算：{f.expected}{unit}〕"))
    for end, note in sorted(marks, reverse=True):
        text = text[:end] + note + text[end:]
    return text


@dataclass
class EvaluationView:
    """One self-evaluation and the grids of its form; anchors follow its position."""

    anchor: str
    model: object
    finances: list = field(default_factory=list)
    funds: object = None
    quantitative: object = None
    indicators: object = None
    sheets: list = field(default_factory=list)


def evaluation_view(e, index: int) -> EvaluationView:
    anchor = f"ziping-{index + 1}"
    view = EvaluationView(anchor, e)
    if e.finances:
        view.finances = forms.finance_grids(e.finances, f"{anchor}-shouzhi")
    if e.funds:
        view.funds = forms.funds_grid(e.funds, f"{anchor}-zijin")
    if e.quantitative_goals:
        view.quantitative = forms.indicator_grid(
            f"{anchor}-dingliang", "定量目标", e.quantitative_goals, "goals"
        )
    if e.indicators:
        view.indicators = forms.indicator_grid(
            f"{anchor}-zhibiao",
            "绩效指标",
            e.indicators,
            "indicators",
            total=("总分", e.total_points, e.total_score, f"等级：{e.grade}" if e.grade else None),
        )
    view.sheets = [
        forms.indicator_grid(
            f"{anchor}-pingfen-{i + 1}",
            s.title,
            s.indicators,
            "sheet",
            total=("总分", s.total_points, s.total_score, None),
        )
        for i, s in enumerate(e.score_sheets)
    ]
    return view
