"""Search on the seed site, in real headless Chromium, through the search page and Pagefind.

The index holds one word per Chinese character and the page searches each query as a
phrase (publisher/search.py, theme/js/search.js), so a query must list exactly the pages
whose indexed text contains it. Those pages are computed from the built HTML; only the
ranking table below says, from reading the seeds, which pages a reader expects first.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import CHROMIUM_ARGS, build_site, copy_project, plugin_options, serving

from publisher.search import HAN, build_index, index_copy, split_han

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own download is not used
WAIT_MS = 10_000

SHIFENG = "/zhuzhou/shifeng/zhengfu-bangongshi/2020/"
CHANGDE = "/changde/zhengfu-bangongshi/2020/"
YUNXI_GOV = "/yueyang/yunxi/zhengfu-bangongshi/2020/"
YUNXI_JGSW = "/yueyang/yunxi/jiguan-shiwu/2023/"
JUNSHAN = "/yueyang/junshan/jiguan-shiwu/2021/"

# Domain queries → the pages that must come first, in any order among themselves: where the
# term is prominent (its tables, or many mentions), against pages that only mention it.
# Every query must also list exactly the pages that contain it (test_domain_query).
DOMAIN_QUERIES = [
    (
        "三公经费",
        {JUNSHAN, YUNXI_GOV, SHIFENG},
    ),  # their 三公 tables; 常德's report mentions it twice
    ("公务接待费", {SHIFENG}),  # 部门决算 tables and 情况说明
    ("公务接待", {SHIFENG}),
    ("公务用车", {JUNSHAN, SHIFENG}),
    ("公务用车运行维护费", {SHIFENG}),
    ("公车", {JUNSHAN}),  # a 项目 self-evaluation of its 公车平台运维费
    ("公车平台", {JUNSHAN}),
    ("机关运行经费", {SHIFENG}),
    ("政府采购", {SHIFENG}),
    ("绩效自评", {SHIFENG}),
    ("项目支出", {SHIFENG}),
    ("基本支出", {SHIFENG}),
    ("财政拨款收入", {SHIFENG}),
    ("一般公共服务支出", {SHIFENG}),
    ("行政运行", {SHIFENG}),
    ("政府性基金", {SHIFENG}),
    ("国有资本经营", {SHIFENG}),
    ("部门决算", {SHIFENG}),
    ("评分表", {JUNSHAN, YUNXI_GOV}),
    ("满意度", {SHIFENG}),
    ("效益指标", {SHIFENG}),
    ("专项资金", {JUNSHAN}),
    ("办公用房", {JUNSHAN, YUNXI_JGSW}),
    ("值班工作经费", {SHIFENG}),
    ("政务中心租赁费", {JUNSHAN}),
    ("机要保密", {SHIFENG}),
    ("督查调研", {SHIFENG}),
    ("常德", {CHANGDE}),
    ("株洲", {SHIFENG}),
    ("岳阳", {JUNSHAN, YUNXI_GOV, YUNXI_JGSW}),
    ("云溪区", {YUNXI_GOV, YUNXI_JGSW}),
    ("君山区", {JUNSHAN}),
    ("石峰区", {SHIFENG}),
    ("区政府", {SHIFENG, YUNXI_GOV}),
    ("2021", {JUNSHAN}),
    ("机关事务服务中心", {JUNSHAN, YUNXI_JGSW}),
    ("政府办公室", {CHANGDE, YUNXI_GOV, SHIFENG}),
    ("常德市人民政府办公室", {CHANGDE}),
    ("君山区 2021", {JUNSHAN}),  # parts separated by a space: both must occur
    ("公务接待费2020", {SHIFENG}),  # Han and digits: two parts
]


@dataclass
class IndexedPage:
    """What Pagefind indexes of one built page: its text, filters and metadata."""

    text: str
    filters: dict[str, set[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


def normalized(text: str) -> str:
    """Letters and digits only: a phrase matches across spaces and punctuation, as in Pagefind."""
    return "".join(re.findall(r"\w", text)).lower()


def read_indexed(site: Path) -> dict[str, IndexedPage]:
    """Every page with ``data-pagefind-body``, by URL path, as Pagefind sees it."""
    pages = {}
    for path in site.rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if not soup.select("[data-pagefind-body]"):
            continue
        page = IndexedPage(text="")
        for node in soup.select("[data-pagefind-filter]"):
            key, value = node["data-pagefind-filter"].split(":", 1)
            page.filters.setdefault(key, set()).add(value)
        for node in soup.select("[data-pagefind-meta]"):
            key, value = node["data-pagefind-meta"].split(":", 1)
            page.meta[key] = value
        for node in soup.select(
            "[data-pagefind-ignore], .n, .i"
        ):  # numbers: see publisher.search.index_copy
            node.decompose()
        page.text = normalized(
            "".join(body.get_text("") for body in soup.select("[data-pagefind-body]"))
        )
        pages["/" + str(path.parent.relative_to(site)).replace("\\", "/") + "/"] = page
    return pages


def query_parts(query: str) -> list[str]:
    """Runs of Han characters and runs of other letters or digits, as the search page splits them."""
    return re.findall(f"[{HAN}]+|[^\\W{HAN}]+", query)


def containing(pages: dict[str, IndexedPage], query: str) -> set[str]:
    """The pages whose indexed text contains every part of ``query``."""
    return {
        url
        for url, page in pages.items()
        if all(normalized(p) in page.text for p in query_parts(query))
    }


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    """The seed site, built once with its search index in three shards of at most two pages,
    so every test below also proves that the search page merges shards (large sites)."""
    project = copy_project(tmp_path_factory.mktemp("search-project"))
    plugin_options(project, search_shard_pages=2)
    out = project / "site"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    assert (out / "pagefind-3").is_dir() and not (out / "pagefind-4").exists()
    return out


@pytest.fixture(scope="session")
def indexed(search_site) -> dict[str, IndexedPage]:
    pages = read_indexed(search_site)
    assert set(pages) == {SHIFENG, CHANGDE, YUNXI_GOV, YUNXI_JGSW, JUNSHAN}
    return pages


@pytest.fixture(scope="session")
def base_url(search_site):
    with serving(search_site) as url:
        yield url


class Chromium:
    """Headless Chromium on a thread of its own.

    Playwright's sync API allows one instance per thread, and tests/test_browser.py keeps one
    open on the main thread for the whole session; so every use of the browser goes through
    ``run``, which calls a function on our thread and returns its result (or raises its error).
    """

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-chromium")
        self._playwright = self.run(lambda: sync_playwright().start())
        self.browser = self.run(
            lambda: self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        )

    def run(self, function, *args):
        return self._thread.submit(function, *args).result(timeout=120)

    def on_page(self, url: str, function):
        """``function(page)`` on a fresh page at ``url``; returns what it returns."""

        def visit():
            page = open_search(self.browser, url)
            try:
                return function(page)
            finally:
                page.context.close()

        return self.run(visit)

    def close(self):
        self.run(self.browser.close)
        self.run(self._playwright.stop)
        self._thread.shutdown()


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (.ci/run installs it)")
    browser = Chromium()
    yield browser
    browser.close()


@pytest.fixture
def on_search_page(chromium, base_url):
    """Runs ``function(page)`` on a fresh search page of the seed site; ``?q=`` from ``query``."""

    def visit(function, query: str = ""):
        return chromium.on_page(
            base_url + "/search/" + (f"?q={quote(query)}" if query else ""), function
        )

    return visit


@pytest.fixture(scope="module")
def find(chromium, base_url):
    """``find(query)``: URL paths of all results, in rank order, from the page's own search function."""
    page = chromium.run(open_search, chromium.browser, base_url + "/search/")

    def search(query: str) -> list[str]:
        return chromium.run(
            page.evaluate,
            """async (query) => {
            const found = await window.publisherSearch.find(query);
            const data = await Promise.all(found.results.map((r) => r.data()));
            return data.map((d) => new URL(d.url, location.href).pathname);
        }""",
            query,
        )

    yield search
    chromium.run(page.context.close)


def open_search(browser, url: str):
    """A fresh page at ``url`` (a search page), once its script is ready; nothing leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        "() => window.publisherSearch && window.publisherSearch.ready", timeout=WAIT_MS
    )
    page.evaluate("() => window.publisherSearch.ready")
    return page


def type_query(page, query: str) -> None:
    """Type ``query`` into the search box and wait until its results are shown."""
    from playwright.sync_api import expect

    box = page.locator("#search-input")
    box.fill("")
    box.press_sequentially(query)
    expect(page.locator("#search-status")).to_contain_text(f"“{query}”", timeout=WAIT_MS)


def open_group(page, group: str) -> str:
    """Open a filter group (its values load then) and return the filter panel's text."""
    details = page.locator(f'#search-filters details[data-group="{group}"]')
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    details.locator("input").first.wait_for(timeout=WAIT_MS)
    return page.locator("#search-filters").inner_text()


def check_filter(page, group: str, value: str, status: str) -> None:
    """Tick a filter value and wait for ``status``."""
    from playwright.sync_api import expect

    open_group(page, group)
    page.locator(f'#search-filters input[name="{group}"][value="{value}"]').check()
    expect(page.locator("#search-status")).to_have_text(status, timeout=WAIT_MS)


def listed(page) -> list[str]:
    """URL paths of the results on the page, in order."""
    return [
        urlparse(a.get_attribute("href")).path
        for a in page.locator(".search-result .result-title a").all()
    ]


def results_for(query: str):
    """A page function: type ``query``, return the listed results."""

    def search(page):
        type_query(page, query)
        return listed(page)

    return search


# ---- the index ------------------------------------------------------------------------


def test_split_han_separates_characters_of_text_only():
    html = (
        '<h1 data-pagefind-meta="title:公务接待费">公务接待费 2020年度</h1>'
        "<td>A类（三公）：x</td><p>甲 乙</p>"
    )
    assert split_han(html) == (
        '<h1 data-pagefind-meta="title:公务接待费"> 公 务 接 待 费 2020 年 度 </h1>'
        "<td>A 类 （ 三 公 ）：x</td><p> 甲 乙 </p>"
    )


def test_index_copy_leaves_out_amounts_line_numbers_and_language(search_site):
    html = (search_site / SHIFENG.strip("/") / "index.html").read_text(encoding="utf-8")
    assert '<td class="n">606.71</td>' in html and '<th class="i">12</th>' in html
    assert '<html lang="zh-CN">' in html
    copy = index_copy(html)
    assert "<td>606.71</td>" not in copy and "<th>12</th>" not in copy
    assert " 财 政 拨 款 收 入 606.71 万 元 " in copy  # numbers in prose are text
    assert " ".join("公务接待费") in copy
    # no language: Pagefind indexes the words as split, without its segmenter
    assert "<html>" in copy and 'lang="zh-CN"' not in copy


def test_index_copy_holds_only_what_pagefind_reads(search_site):
    html = (search_site / SHIFENG.strip("/") / "index.html").read_text(encoding="utf-8")
    copy = index_copy(html)
    assert len(copy) < 0.6 * len(html)
    # left out: the site's header and footer, the summary and charts (outside the indexed
    # parts), the tables' heads and links marked data-pagefind-ignore, classes
    for gone in ('class="', "site-head", "chart-svg", "栏 次", "下载本表", "本页目录"):
        assert gone not in copy, gone
    assert copy.count("data-pagefind-ignore") == 1  # the one that holds the filters
    # kept: the filters inside an ignored element, metadata, sort key, section ids
    assert 'data-pagefind-filter="年度:2020"' in copy
    assert 'data-pagefind-meta="title:' in copy and 'data-pagefind-sort="year:2020"' in copy
    assert 'id="gaikuang"' in copy


def _whole_copy(html: str) -> str:
    """The whole page, split as the index copy is, amounts and line numbers emptied: what
    Pagefind would have indexed before the copy kept only what it reads."""
    html = re.sub(r'(<t[dh][^>]* class="[ni]">)[^<]*(</t[dh]>)', r"\1\2", html)
    return split_han(re.sub(r'(<html[^>]*?) lang="[^"]*"', r"\1", html, count=1))


def test_index_copy_gives_pagefind_the_same_index_as_the_whole_page(search_site, tmp_path):
    """Byte for byte, once filters are in a fixed order (as every build writes them)."""
    from publisher.reproducible import stabilise

    bundles = []
    for name, make in (("whole", _whole_copy), ("copy", index_copy)):
        staging = tmp_path / name
        for page in search_site.rglob("index.html"):
            target = staging / page.relative_to(search_site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(make(page.read_text(encoding="utf-8")), encoding="utf-8")
        bundle = tmp_path / f"{name}-bundle"
        command = [sys.executable, "-m", "pagefind", "--site", str(staging), "--silent"]
        subprocess.run([*command, "--output-path", str(bundle)], check=True)
        stabilise(bundle)
        bundles.append(bundle)
    whole, copy = bundles
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert {"fragment", "filter", "index"} <= {f.parts[0] for f in files}
    assert files == sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file())
    for f in files:
        assert (whole / f).read_bytes() == (copy / f).read_bytes(), f


def test_site_without_disclosures_gets_no_index(tmp_path):
    (tmp_path / "index.html").write_text(
        "<html lang=zh-CN><body><h1>首页</h1></body></html>", encoding="utf-8"
    )
    build_index(tmp_path)  # Pagefind refuses an empty index; the search page then says so
    assert not (tmp_path / "pagefind").exists()


def test_site_pages_are_not_changed_by_indexing(search_site, indexed):
    for url in indexed:
        page = (search_site / url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert " ".join("公务") not in page and '<html lang="zh-CN">' in page
    assert (search_site / "pagefind" / "pagefind.js").exists()


# ---- the search page, as a reader uses it ---------------------------------------------


@pytest.mark.browser
def test_compound_term_lists_exactly_the_pages_that_contain_it(on_search_page, indexed):
    expected = containing(indexed, "公务接待费")
    assert expected and expected != set(indexed), "the seeds should have pages with and without it"
    assert sorted(on_search_page(results_for("公务接待费"))) == sorted(expected)


@pytest.mark.browser
def test_unit_name_lists_both_units(on_search_page, indexed):
    units = {url for url, page in indexed.items() if "机关事务服务中心" in page.meta["unit"]}
    assert units == {JUNSHAN, YUNXI_JGSW} == containing(indexed, "机关事务服务中心")
    assert sorted(on_search_page(results_for("机关事务服务中心"))) == sorted(units)


@pytest.mark.browser
@pytest.mark.parametrize("query", ["三公", "公车"])
def test_two_character_queries_work(on_search_page, indexed, query):
    found = on_search_page(results_for(query))
    assert found and sorted(found) == sorted(containing(indexed, query))


@pytest.mark.browser
def test_year_filter_alone_lists_that_years_pages(on_search_page, indexed):
    expected = {url for url, page in indexed.items() if "2021" in page.filters["年度"]}
    assert expected == {JUNSHAN}  # the 君山区 unit's 2021 self-evaluation

    def filter_2021(page):
        counts = open_group(page, "年度")  # before any search
        check_filter(page, "年度", "2021", f"共 {len(expected)} 份公开文件符合筛选条件")
        return counts, listed(page)

    counts, found = on_search_page(filter_2021)
    assert "2021 (1)" in counts
    assert found == [JUNSHAN]


@pytest.mark.browser
def test_filter_only_search_fetches_no_index_chunks(on_search_page, indexed):
    """Without a query there is nothing to look up: at province scale Pagefind would
    otherwise fetch its whole index (1.8 MB at 10,000 pages; see publisher/search.py)."""
    expected = [url for url, page in indexed.items() if "部门决算" in page.filters["文档类型"]]

    def filter_only(page):
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        check_filter(page, "文档类型", "部门决算", f"共 {len(expected)} 份公开文件符合筛选条件")
        return fetched, listed(page)

    fetched, found = on_search_page(filter_only)
    assert found == expected == [SHIFENG]
    assert any(url.endswith(".pf_filter") for url in fetched)
    assert not [url for url in fetched if url.endswith(".pf_index")]


@pytest.mark.browser
def test_filters_combine_with_a_query_and_show_counts(on_search_page, indexed):
    in_2020 = {url for url in containing(indexed, "三公") if "2020" in indexed[url].filters["年度"]}

    def query_then_filter(page):
        type_query(page, "三公")
        counts = open_group(page, "年度")
        check_filter(page, "年度", "2020", f"找到 {len(in_2020)} 条与“三公”相关的结果")
        return counts, listed(page)

    counts, found = on_search_page(query_then_filter)
    assert f"2020 ({len(in_2020)})" in counts
    assert sorted(found) == sorted(in_2020)


@pytest.mark.browser
def test_filter_data_loads_only_when_a_group_is_opened(on_search_page, indexed):
    """A first query fetches no filter data (at province scale it is about 95 KB); opening
    a group fetches it, and its counts are those of the query's results."""
    in_region = {}
    for url in containing(indexed, "三公"):
        for region in indexed[url].filters["地区"]:
            in_region[region] = in_region.get(region, 0) + 1

    def query_then_open(page):
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        type_query(page, "三公")
        before = [url for url in fetched if url.endswith(".pf_filter")]
        counts = open_group(page, "地区")
        after = [url for url in fetched if url.endswith(".pf_filter")]
        return before, after, counts, listed(page)

    before, after, counts, found = on_search_page(query_then_open)
    assert before == []
    assert after, "opening a group fetches its data"
    assert sorted(found) == sorted(containing(indexed, "三公"))  # the results stay
    for region, count in in_region.items():
        assert f"{region} ({count})" in counts


@pytest.mark.browser
def test_query_without_match_says_so(on_search_page, indexed):
    query = "航天发射"
    assert not containing(indexed, query)

    def search(page):
        type_query(page, query)
        return page.locator("#search-status").inner_text(), listed(page)

    assert on_search_page(search) == (f"没有找到与“{query}”相关的内容", [])


@pytest.mark.browser
def test_results_show_unit_region_year_and_highlighted_excerpt(on_search_page, indexed):
    def shown(page):
        type_query(page, "公务接待费")
        return [
            {
                "url": urlparse(r.locator(".result-title a").get_attribute("href")).path,
                "unit": r.locator(".result-unit").inner_text(),
                "region": r.locator(".result-region").inner_text(),
                "year": r.locator(".result-year").inner_text(),
                "marked": r.locator(".result-excerpt mark").all_inner_texts(),
                "excerpt": r.locator(".result-excerpt").inner_text(),
            }
            for r in page.locator(".search-result").all()
        ]

    results = on_search_page(shown)
    assert len(results) == len(containing(indexed, "公务接待费"))
    for result in results:
        meta = indexed[result["url"]].meta
        assert (result["unit"], result["region"], result["year"]) == (
            meta["unit"],
            meta["region"],
            meta["year"] + "年度",
        )
        assert result["marked"][:1] == ["公务接待费"]
        # shown as printed: no space the index copy put beside a Han character
        assert not re.search(f"[{HAN}] | [{HAN}]", result["excerpt"]), result["excerpt"]


@pytest.mark.browser
def test_query_in_the_url_is_searched(on_search_page, indexed):
    def prefilled(page):
        from playwright.sync_api import expect

        expect(page.locator("#search-status")).to_contain_text("“三公”", timeout=WAIT_MS)
        return page.locator("#search-input").input_value(), listed(page)

    value, found = on_search_page(prefilled, query="三公")
    assert value == "三公"
    assert sorted(found) == sorted(containing(indexed, "三公"))


@pytest.mark.browser
def test_glossary_repeated_on_pages_is_not_searchable(search_site, on_search_page, indexed):
    soup = BeautifulSoup(
        (search_site / SHIFENG.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    definitions = normalized(soup.select_one("#mingci").get_text(""))
    windows = (definitions[i : i + 8] for i in range(len(definitions) - 8))
    phrase = next(w for w in windows if re.fullmatch(f"[{HAN}]+", w) and not containing(indexed, w))
    assert on_search_page(results_for(phrase)) == []


@pytest.mark.browser
def test_page_and_index_split_han_the_same_way(on_search_page):
    assert on_search_page(lambda page: page.evaluate("() => window.publisherSearch.HAN")) == HAN


# ---- ranking: domain queries ----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("query", "first"), DOMAIN_QUERIES, ids=[q for q, _ in DOMAIN_QUERIES])
def test_domain_query(find, indexed, query, first):
    results = find(query)
    assert sorted(results) == sorted(containing(indexed, query))
    assert set(results[: len(first)]) == first, results


@pytest.mark.browser
def test_large_result_sets_are_listed_newest_first(chromium, base_url, indexed):
    """Above the ranking limit (2,000 results; 0 here) results come newest year first."""

    def newest_first(page):
        return page.evaluate("""async () => {
            const found = await window.publisherSearch.find("三公", {}, 0);
            const data = await Promise.all(found.results.map((r) => r.data()));
            return data.map((d) => [new URL(d.url, location.href).pathname, d.meta.year]);
        }""")

    found = chromium.on_page(base_url + "/search/", newest_first)
    assert sorted(url for url, _ in found) == sorted(containing(indexed, "三公"))
    years = [year for _, year in found]
    assert years == sorted(years, reverse=True) and len(set(years)) > 1


def test_domain_queries_are_enough():
    assert len(DOMAIN_QUERIES) >= 30


# ---- editors: no index in `mkdocs serve` -------------------------------------------------


@pytest.mark.browser
def test_search_page_without_index_says_it_needs_a_build(chromium, tmp_path):
    project = copy_project(tmp_path / "project")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [{"publisher": {"search": False}}]  # as in `mkdocs serve`: no index
    (project / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert not (project / "site" / "pagefind").exists()

    def shown(page):
        notice = page.locator("#search-unavailable")
        return notice.is_visible(), notice.inner_text(), page.locator("#search-input").is_visible()

    with serving(project / "site") as url:
        visible, text, box = chromium.on_page(url + "/search/", shown)
    assert visible and "mkdocs build" in text
    assert not box


@pytest.mark.browser
def test_an_edited_page_is_found_as_it_is_now_and_not_as_it_was(chromium, tmp_path, indexed):
    """After an edit, the page is indexed again in an overlay bundle (publisher/search.py)
    while its old version stays in a shard: the search page finds the new text, not the
    old, lists the page once, and counts it once in the filters."""
    project = copy_project(tmp_path / "p")
    plugin_options(project, search_shard_pages=2)
    assert build_site(project, project / "site").returncode == 0
    year_file = project / "content" / "changde" / "zhengfu-bangongshi" / "2020.yml"
    text = year_file.read_text(encoding="utf-8")
    assert text.count("部门概况") == 1
    year_file.write_text(text.replace("部门概况", "单位沿革"), encoding="utf-8")
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    shards = json.loads((project / "site" / "pagefind" / "shards.json").read_text("utf-8"))
    assert shards["merge"] == ["pagefind-2/", "pagefind-3/", "pagefind-4/"]  # the overlay
    assert len(shards["stale"]) == 1
    in_2020 = {url for url, page in indexed.items() if "2020" in page.filters["年度"]}
    assert CHANGDE in in_2020

    def search(page):
        old = results_for("部门概况")(page)
        new = results_for("单位沿革")(page)
        type_query(page, "三公")
        counts = open_group(page, "年度")
        return old, new, counts, listed(page)

    with serving(project / "site") as url:
        old, new, counts, sangong = chromium.on_page(url + "/search/", search)
    assert old == []
    assert new == [CHANGDE]
    three = {url for url in containing(indexed, "三公")}
    assert sorted(sangong) == sorted(three)  # each page once
    in_2020_three = three & in_2020
    assert f"2020 ({len(in_2020_three)})" in counts
