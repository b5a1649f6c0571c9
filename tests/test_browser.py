"""The seed disclosures in real headless Chromium: layout on desktop and phone, print, offline.

The built site is served from 127.0.0.1 only; any request elsewhere is recorded and aborted.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import serving

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own download is not used

DISCLOSURES = [
    "zhuzhou/shifeng/zhengfu-bangongshi/2020/",
    "yueyang/junshan/jiguan-shiwu/2021/",
    "shanghai/putuo/caizhengju/2024/",
]
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
MIN_CELL_FONT_PX = 12


@pytest.fixture(scope="session")
def site_url(seed_build):
    """The session's seed build (conftest.seed_build), served on a free loopback port."""
    with serving(seed_build) as url:
        yield url + "/"


class OpenPage:
    """A page loaded in one device's context, with every URL it requested."""

    def __init__(self, browser, base: str, device: str, path: str):
        self.base, self.device, self.path = base, device, path
        self.requests: list[str] = []
        self.context = browser.new_context(**DEVICES[device])
        self.context.route("**/*", self._local_only)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(base + path)
        self.page.wait_for_load_state("networkidle")

    def _local_only(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)


@pytest.fixture(
    scope="module",
    params=[(d, p) for p in DISCLOSURES for d in DEVICES],
    ids=lambda param: f"{param[0]}-{param[1].split('/')[2]}-{param[1].split('/')[3]}",
)
def opened(request, browser, site_url):
    page = OpenPage(browser, site_url, *request.param)
    yield page
    page.context.close()


def test_page_never_scrolls_sideways(opened):
    width, inner = opened.js("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, (
        f"{opened.path} on {opened.device}: page is {width}px wide in a {inner}px window"
    )


def test_every_table_scrolls_inside_a_box_that_fits(opened):
    problems = opened.js("""() => {
        const out = [];
        for (const table of document.querySelectorAll('main table')) {
            // Form tables sit in a .table-scroll box; a table written in Markdown is its own box.
            const box = table.closest('.table-scroll') || (table.classList.contains('grid') ? null : table);
            const where = table.closest('[id]')?.id || table.className;
            if (!box) { out.push(where + ': table outside .table-scroll'); continue; }
            if (!['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
                out.push(where + ': box does not scroll');
            if (box.getBoundingClientRect().right > window.innerWidth + 1)
                out.push(where + ': box wider than the window');
            if (box !== table && table.offsetWidth > box.clientWidth + 1 && box.scrollWidth <= box.clientWidth)
                out.push(where + ': wide table is clipped');
        }
        return out;
    }""")
    assert problems == []


def test_income_and_expenditure_table_scrolls_on_a_phone(browser, site_url):
    opened = OpenPage(browser, site_url, "phone", DISCLOSURES[0])
    try:
        scroll, client = opened.js(
            "(() => { const b = document.querySelector('#gongkai-01 .table-scroll');"
            " return [b.scrollWidth, b.clientWidth]; })()"
        )
    finally:
        opened.context.close()
    # Item names keep a readable width, so the 公开01表 is wider than a phone and scrolls.
    assert scroll > client


def test_table_cells_are_legible(opened):
    """At least 12px in every cell; the phone's smaller table type is the case that matters."""
    sizes = opened.js("""[...document.querySelectorAll('main table th, main table td')]
        .map(c => parseFloat(getComputedStyle(c).fontSize))""")
    assert sizes and min(sizes) >= MIN_CELL_FONT_PX


def test_tables_have_cell_borders(opened):
    widths = opened.js("""[...document.querySelectorAll('table.grid td')].slice(0, 50)
        .map(c => parseFloat(getComputedStyle(c).borderBottomWidth))""")
    assert widths and min(widths) >= 1


def test_page_is_marked_simplified_chinese(opened):
    assert opened.js("document.documentElement.getAttribute('lang')") == "zh-CN"


def test_no_request_leaves_the_machine(opened):
    assert opened.requests, "the page itself should have been requested"
    outside = [url for url in opened.requests if not url.startswith(opened.base)]
    assert outside == []


def test_print_hides_header_and_search(opened):
    page = opened.page
    page.emulate_media(media="print")
    try:
        assert not page.locator(".site-head").is_visible()
        assert not page.locator(".search-form").is_visible()
        assert not page.locator(".site-foot").is_visible()
        assert page.locator("main h1").is_visible()
    finally:
        page.emulate_media(media="screen")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_full_page_screenshots(opened, tmp_path_factory):
    shots = tmp_path_factory.mktemp("shots")
    name = opened.path.strip("/").replace("/", "-")
    path = shots / f"{name}-{opened.device}.png"
    opened.page.screenshot(path=str(path), full_page=True)
    settings = DEVICES[opened.device]
    width, height = png_size(path)
    # A full-page shot as wide as the window means nothing stuck out sideways.
    assert width == settings["viewport"]["width"] * settings.get("device_scale_factor", 1)
    assert height > settings["viewport"]["height"]
