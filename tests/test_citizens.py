"""The citizen's view (issue 12): summary and charts, downloads, comparisons, term links.

One build of the seed content, the Shanghai documents and a second year of seed 004
(its 2020 file as 2021, so there is a previous year to compare with).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import build_site, copy_project
from htmltools import page, row_starting, table_rows, text

SEED = "zhuzhou/shifeng/zhengfu-bangongshi/"
PAGE = SEED + "2021/"


@pytest.fixture(scope="module")
def built(seed_build) -> Path:
    return seed_build


def figures(soup) -> dict[str, str]:
    return {text(div.dt): text(div.dd.strong) for div in soup.select(".key-figures > div")}


def amount(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "").replace("万元", "").strip())


# ------------------------------------------------------------------ 1. summary first


def test_summary_comes_first_and_equals_the_tables(built):
    soup = page(built, PAGE)
    summary = soup.select_one("#gaiyao")
    body = str(soup)
    assert body.index('id="gaiyao"') < body.index('id="shuju-shuoming"') < body.index('class="toc"')
    assert soup.select_one("#shuju-shuoming").name == "details" and not soup.select_one(
        "#shuju-shuoming"
    ).has_attr("open")
    shown = figures(summary)
    t01 = table_rows(soup, "gongkai-01")
    assert amount(shown["本年收入合计"]) == amount(row_starting(t01, "本年收入合计")[2])
    assert amount(shown["本年支出合计"]) == amount(row_starting(t01, "本年收入合计")[5])
    t03 = row_starting(table_rows(soup, "gongkai-03"), "合计")
    assert amount(shown["基本支出"]) == amount(t03[2]) and amount(shown["项目支出"]) == amount(
        t03[3]
    )
    assert amount(shown["“三公”经费决算"]) == amount(table_rows(soup, "gongkai-07")[0][6])
    assert "基本支出 524.20 万元（占 84.6%）" in text(summary.select_one(".summary-text"))


def test_change_against_the_previous_year(built):
    current = page(built, PAGE).select_one("#gaiyao")
    assert "与上年持平" in text(current.select_one(".key-figures"))
    assert "2020 年度" in text(current.select_one(".hint"))
    first = page(built, SEED + "2020/").select_one("#gaiyao")
    assert "不作比较" in text(first.select_one(".hint"))


def test_change_in_words():
    from publisher.summary import change

    assert change(Decimal("110"), Decimal("100"), "万元") == (
        "比上年增加 10.00 万元（增长 10.0%）",
        "up",
    )
    assert change(Decimal("90"), Decimal("100"), "万元") == (
        "比上年减少 10.00 万元（下降 10.0%）",
        "down",
    )
    assert change(Decimal("95"), Decimal("98.5"), "分") == ("比上年减少 3.5 分", "down")
    assert change(Decimal("1"), None, "万元") == (None, None)


def test_charts_are_inline_svg_with_names_text_and_data(built):
    soup = page(built, PAGE)
    charts = soup.select("#gaiyao figure.chart")
    assert [c["id"] for c in charts] == ["tu-zhichu", "tu-jiben", "tu-sangong"]
    for chart in charts:
        svg = chart.find("svg")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert text(svg.find(id=title_id)) and text(svg.find(id=desc_id))
        assert chart.select_one("details.chart-data table th[scope=col]")
    spending = soup.find(id="tu-zhichu")
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in spending.select("tbody tr")]
    t03 = table_rows(soup, "gongkai-03")
    for name, value, _share in rows:
        assert (
            row_starting(t03, next(r[0] for r in t03 if len(r) > 1 and r[1] == name), name)[2]
            == value
        )
    assert "一般公共服务支出 586.37 万元" in text(spending.find("desc"))
    sangong = soup.find(id="tu-sangong")
    assert [text(th) for th in sangong.select("thead th")] == [
        "项目",
        "2020年（万元）",
        "2021年（万元）",
    ]
    assert not soup.find("script", src=re.compile("chart"))


def test_summary_on_a_page_without_final_accounts(built):
    soup = page(built, "yueyang/yunxi/jiguan-shiwu/2023/")
    shown = figures(soup.select_one("#gaiyao"))
    assert shown["整体绩效自评得分"] == "96 分"
    funds = [text(td) for td in soup.select_one("#ziping-1-zijin tbody tr").find_all("td")]
    assert shown["资金全年预算数"].replace(" 万元", "") in funds
    assert shown["资金全年执行数"].replace(" 万元", "") in funds


# ------------------------------------------------------------------ 2. downloads


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_every_table_has_a_csv_equal_to_the_page(built):
    soup = page(built, PAGE)
    for section in soup.select("#juesuanbiao section.table-block"):
        link = section.select_one(".table-download a")
        assert link is not None, section["id"]
        rows = read_csv(built / PAGE / link["href"])
        body = table_rows(soup, section["id"])
        width = len(rows[-1])
        csv_body = rows[-len(body) :]
        for page_row, csv_row in zip(body, csv_body):
            # the page's cells in order (spans repeat in the CSV as blanks) without separators
            assert [c.replace(",", "") for c in page_row] == [c for c in csv_row if c != ""][
                : len(page_row)
            ] or [c.replace(",", "") for c in page_row if c] == [c for c in csv_row if c], section[
                "id"
            ]
        assert all(len(r) == width for r in rows)


def sheet_text(value, printed: str) -> str:
    """A workbook cell as the page prints it: amounts with separators, 行次 as whole numbers."""
    if isinstance(value, float):
        number = Decimal(repr(value))
        return (
            f"{number:,.2f}"
            if "." in printed or printed == ""
            else f"{number:f}".removesuffix(".0")
        )
    return str(value)


def test_every_table_links_its_sheet_of_the_workbook_whose_figures_equal_the_page(built):
    from python_calamine import CalamineWorkbook

    soup = page(built, PAGE)
    whole = soup.select_one(".downloads a[href$='disclosure.xlsx']")
    assert whole is not None and "Excel" in text(whole)
    book = CalamineWorkbook.from_path(str(built / PAGE / whole["href"]))
    sections = soup.select("#juesuanbiao section.table-block")
    assert len(sections) == 9 and len(book.sheet_names) == 9
    figures = 0
    for section in sections:
        link = section.select_one(".table-download a.sheet-download")
        assert link is not None and link["href"] == whole["href"], section["id"]
        sheet = link["data-sheet"]
        assert f"工作表“{sheet}”" in text(link) and sheet in book.sheet_names
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        rows = [r for r in rows if not str(r[0]).startswith(("注：", "说明："))]
        body = table_rows(soup, section["id"])
        for page_row, sheet_row in zip(body, rows[-len(body) :]):
            values = [v for v in sheet_row if v != ""]
            shown = [c for c in page_row if c != ""]
            assert len(values) == len(shown), section["id"]
            assert [sheet_text(v, p) for v, p in zip(values, shown)] == shown, section["id"]
            figures += sum(isinstance(v, float) for v in values)
    assert figures > 200  # amounts and 行次 of the nine tables


def test_disclosure_json_keeps_figures_as_decimal_strings(built):
    soup = page(built, PAGE)
    link = soup.select_one(".downloads a[href$='disclosure.json']")
    data = json.loads((built / PAGE / link["href"]).read_text(encoding="utf-8"))
    tables = data["disclosure"]["final_accounts"]["tables"]
    assert tables["t01"]["income_total"]["amount"] == "619.54"
    assert Decimal(tables["t03"]["total"]["basic"]) == amount(
        row_starting(table_rows(soup, "gongkai-03"), "合计")[2]
    )

    def no_floats(node):
        if isinstance(node, dict):
            return all(no_floats(v) for v in node.values())
        if isinstance(node, list):
            return all(no_floats(v) for v in node)
        return not isinstance(node, float)

    assert no_floats(data)


def test_datapackage_is_valid_frictionless(built):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(built / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    descriptor = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} == {
        "disclosures",
        *(f"t0{i}" for i in range(1, 10)),
    }


def test_datapackage_figures_equal_the_pages(built):
    rows = read_csv(built / "data" / "t03.csv")
    header = rows[0]
    total = next(
        r for r in rows if r[0] == SEED and r[1] == "2021" and r[header.index("part")] == "合计"
    )
    assert (
        Decimal(total[header.index("basic")]) == Decimal("524.20")
        and total[header.index("total")] == "619.54"
    )
    summaries = read_csv(built / "data" / "disclosures.csv")
    assert len(summaries) - 1 == len(list(built.glob("**/20[0-9][0-9]/index.html")))


# ------------------------------------------------------------------ 3. comparison


def test_region_comparison_rolls_up_its_units(built):
    soup = page(built, "yueyang/")
    section = soup.select_one("#bijiao-2020")
    table = section.select_one("table.sortable")
    headers = [text(th) for th in table.select("thead th")]
    assert (
        headers[0] == "单位" and "支出合计（万元）" in headers and headers[-1] == "支出比上年增减"
    )
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    rows = table.select("tbody tr")
    assert rows and all(tr.th.a for tr in rows)
    score = headers.index("自评总分（分）")
    assert [text(tr.find_all(["th", "td"])[score]) for tr in rows] == ["97"]
    shanghai = page(built, "shanghai/").select_one("#bijiao-2024 table")
    col = [text(th) for th in shanghai.select("thead th")].index("支出合计（万元）")
    cells = [amount(text(tr.find_all(["th", "td"])[col])) for tr in shanghai.select("tbody tr")]
    assert len(cells) == 2
    assert amount(text(shanghai.select_one("tfoot").find_all(["th", "td"])[col])) == sum(cells)


def test_unit_page_has_trends(built):
    soup = page(built, SEED)
    chart = soup.find(id="tu-qushi")
    assert chart.find("svg")["role"] == "img"
    assert [text(th) for th in chart.select("thead th")][1:] == ["2020年（万元）", "2021年（万元）"]


def test_home_page_year_links_work(built):
    soup = page(built, "")
    links = soup.select(".year-list a")
    assert links
    for a in links:
        assert soup.find(id=a["href"].lstrip("#")) is not None
    row = soup.find(id="niandu-2021")
    assert [text(c) for c in row.find_all(["th", "td"])][:2] == [
        "2021年度",
        "2",
    ]  # seed 004 copied, and 君山区 2021


# ------------------------------------------------------------------ 4. terms, 5. accessibility


def test_terms_link_to_their_glossary_entry(built):
    soup = page(built, "shanghai/putuo/caizhengju/2024/")
    links = {text(a): a["href"] for a in soup.select("#gaiyao a.term")}
    assert set(links) >= {"基本支出", "项目支出"}
    for href in links.values():
        assert soup.find(id=href.lstrip("#")).name == "dt"


def test_table_headers_carry_scope(built):
    for url in (PAGE, "shanghai/putuo/caizhengju/2024/", SEED, "yueyang/"):
        soup = page(built, url)
        unscoped = [
            text(th)
            for th in soup.select("main thead th")
            if not th.get("scope") and "i" not in th.get("class", [])
        ]  # 栏次 numbers name nothing
        assert unscoped == [], url


def test_large_text_mode_is_offered_on_every_page(built):
    for url in ("", PAGE, "yueyang/", "search/"):
        soup = page(built, url)
        assert soup.find(id="text-size") is not None
        assert "publisher-large-text" in str(soup.head)
    assert (built / "js" / "site.js").exists()


def test_a_typical_page_with_all_of_this_stays_under_100_kb(tmp_path):
    """The benchmark's sample unit-year (publisher sample): summary, charts and links included."""
    from conftest import run_cli

    project = copy_project(tmp_path / "p", content=None)
    shutil.rmtree(project / "content")
    assert (
        run_cli("sample", "--units", "3", "--out", str(project / "content"), cwd=project).returncode
        == 0
    )
    assert build_site(project, project / "site").returncode == 0
    pages = [p for p in (project / "site").glob("**/20[0-9][0-9]/index.html")]
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert 'id="gaiyao"' in html and html.count("<svg") == 3
        assert len(html.encode()) < 100_000, path
