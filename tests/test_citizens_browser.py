"""The citizen's view in headless Chromium (issue 12): charts' accessible names, the
comparison sorting, downloads equal to the page, large text kept across pages, the phone
layout, and axe-core on every page kind (0 serious or critical violations)."""

from __future__ import annotations

import re

import pytest
from conftest import serving
from test_browser import OpenPage

pytestmark = pytest.mark.browser

SEED = "zhuzhou/shifeng/zhengfu-bangongshi/"
PAGES = {
    "home": "",
    "region": "shanghai/putuo/",
    "unit": SEED,
    "disclosure": SEED + "2021/",
    "shanghai": "shanghai/putuo/caizhengju/2024/",
    "search": "search/",
}


@pytest.fixture(scope="module")
def site_url(seed_build):
    with serving(seed_build) as url:
        yield url + "/"


@pytest.fixture
def open_page(browser, site_url):
    opened = []

    def open_(path: str, device: str = "desktop") -> OpenPage:
        opened.append(OpenPage(browser, site_url, device, path))
        return opened[-1]

    yield open_
    for o in opened:
        o.context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_summary_figures_equal_the_tables_and_charts_are_named(open_page, device):
    page = open_page(PAGES["disclosure"], device).page
    shown = (
        page.locator("#gaiyao .key-figures div", has_text="基本支出").locator("strong").inner_text()
    )
    cell = (
        page.locator("#gongkai-03 tbody tr", has_text="合计")
        .first.locator("td")
        .nth(2)
        .inner_text()
    )
    assert shown.replace(" 万元", "") == cell
    for name in ("支出按功能分类（类）", "基本支出与项目支出", "“三公”经费决算数"):
        assert page.get_by_role("img", name=re.compile(re.escape(name))).count() == 1
    assert page.locator("#gaiyao svg").first.is_visible()


def test_comparison_sorts_by_a_column(open_page):
    page = open_page(PAGES["region"]).page
    table = page.locator("#bijiao-2024 table.sortable")
    column = [t.strip() for t in table.locator("thead th").all_inner_texts()].index(
        "支出合计（万元）"
    )

    def values():
        return [
            float(v)
            for v in table.locator(f"tbody tr td:nth-child({column + 1})").evaluate_all(
                "cells => cells.map(c => c.dataset.value)"
            )
        ]

    button = table.locator("thead th button", has_text="支出合计")
    button.click()
    assert values() == sorted(values())
    assert table.locator("thead th").nth(column).get_attribute("aria-sort") == "ascending"
    button.click()
    assert values() == sorted(values(), reverse=True)
    assert table.locator("tfoot").inner_text().startswith("合计")


def test_download_links_hold_the_pages_figures(open_page):
    page = open_page(PAGES["disclosure"]).page
    mismatches = page.evaluate("""async () => {
        const out = [];
        for (const block of document.querySelectorAll('#juesuanbiao .table-block')) {
            const link = block.querySelector('.table-download a');
            const response = await fetch(link.href);
            if (!response.ok) { out.push(block.id + ': ' + response.status); continue; }
            const csv = await response.text();
            const shown = [...block.querySelectorAll('tbody td.n')].map(c => c.textContent.replace(/,/g, '')).filter(Boolean);
            const listed = csv.split(/\\r\\n/).join(',').split(',').filter(v => /^-?\\d+\\.\\d+$/.test(v));
            if (shown.join('|') !== listed.join('|')) out.push(block.id);
        }
        const json = await (await fetch(document.querySelector('.downloads a[href$="disclosure.json"]').href)).json();
        if (json.disclosure.final_accounts.tables.t01.income_total.amount !== '619.54') out.push('json');
        const pack = await fetch(new URL('../../../../data/datapackage.json', location.href));
        if (!pack.ok) out.push('datapackage');
        return out;
    }""")
    assert mismatches == []


def test_large_text_is_kept_across_pages(open_page):
    opened = open_page(PAGES["disclosure"])
    page = opened.page
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.locator("#text-size").click()
    assert page.locator("#text-size").get_attribute("aria-pressed") == "true"
    page.goto(opened.base + PAGES["region"])
    large = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large > normal
    page.locator("#text-size").click()
    page.goto(opened.base + PAGES["home"])
    assert (
        page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == normal
    )


def test_phone_toc_starts_folded_and_07_actual_is_reachable(open_page):
    phone = open_page(PAGES["disclosure"], "phone").page
    assert phone.locator(".toc details").evaluate("d => d.open") is False
    cell = phone.locator("#gongkai-07 thead th", has_text="决算数").first
    cell.scroll_into_view_if_needed()
    box = phone.locator("#gongkai-07 .table-scroll").bounding_box()
    rect = cell.bounding_box()
    assert rect["x"] >= box["x"] - 1 and rect["x"] + rect["width"] <= box["x"] + box["width"] + 1
    desktop = open_page(PAGES["disclosure"]).page
    assert desktop.locator(".toc details").evaluate("d => d.open") is True


def test_keyboard_reaches_the_summary_and_the_text_size_button(open_page):
    page = open_page(PAGES["disclosure"]).page
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    assert "text-size" in focused


def tab_to(page, condition: str, limit: int = 120) -> None:
    """Press Tab until ``condition`` (a JS expression on ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!({condition}); }})()"
        ):
            return
    raise AssertionError(f"Tab never reached {condition}")


def test_keyboard_alone_sorts_opens_the_contents_and_follows_a_link(open_page):
    region = open_page(PAGES["region"]).page
    tab_to(
        region, "el.matches('table.sortable thead button') && el.textContent.includes('支出合计')"
    )
    region.keyboard.press("Enter")
    header = region.locator("table.sortable thead th", has_text="支出合计").first
    assert header.get_attribute("aria-sort") == "ascending"

    phone = open_page(PAGES["disclosure"], "phone").page
    tab_to(phone, "el.matches('.toc summary')")
    phone.keyboard.press("Enter")
    assert phone.locator(".toc details").evaluate("d => d.open") is True
    tab_to(phone, "el.matches('.toc a')")
    target = phone.evaluate("document.activeElement.getAttribute('href')")
    phone.keyboard.press("Enter")
    phone.wait_for_function(f"location.hash === {target!r}")
    # a wide table scrolls from the keyboard: its box takes focus, and arrow keys move it
    tab_to(phone, "el.matches('.table-scroll') && el.scrollWidth > el.clientWidth")
    before = phone.evaluate("document.activeElement.scrollLeft")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function(f"document.activeElement.scrollLeft > {before}")


@pytest.mark.parametrize("kind", ["disclosure", "region"])
def test_every_element_the_keyboard_reaches_shows_a_focus_ring(open_page, kind):
    page = open_page(PAGES[kind]).page
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """(() => { const el = document.activeElement;
                 if (el === document.body) return null;
                 const s = getComputedStyle(el);
                 return [el.tagName + '.' + el.className, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"""
        )
        if style is None:
            break
        seen += 1
        name, outline, width = style
        assert outline != "none" and width >= 2, f"{name}: outline {outline} {width}px"
    assert seen >= 10


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_violations(open_page, kind, device):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(PAGES[kind], device).page
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
