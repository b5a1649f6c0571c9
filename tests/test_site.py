"""The built seed site: pages at stable URLs, figures in the right cells, links that resolve."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import build_site, copy_project, make_tree, partial_layout
from htmltools import page, row_starting, table_rows, text

SEED_PAGES = {
    "zhuzhou/shifeng/zhengfu-bangongshi/2020/": "2020年度株洲市石峰区人民政府办公室部门决算",
    "changde/zhengfu-bangongshi/2020/": "常德市人民政府办公室",
    "yueyang/yunxi/zhengfu-bangongshi/2020/": "云溪区人民政府办公室",
    "yueyang/yunxi/jiguan-shiwu/2023/": "岳阳市云溪区2023年度部门整体支出绩效评价自评报告",
    "yueyang/junshan/jiguan-shiwu/2021/": "君山区机关事务服务中心",
}


@pytest.fixture(scope="session")
def built(seed_build) -> Path:
    return seed_build


@pytest.mark.parametrize("url", SEED_PAGES)
def test_seed_page_exists_with_title(built, url):
    soup = page(built, url)
    assert SEED_PAGES[url] in text(soup.find("h1"))
    assert soup.html["lang"] == "zh-CN"
    assert [text(a) for a in soup.select(".crumbs a")][0] == "首页"


def test_004_tables_figures_in_their_cells(built):
    soup = page(built, "zhuzhou/shifeng/zhengfu-bangongshi/2020/")
    t01 = table_rows(soup, "gongkai-01")
    assert row_starting(t01, "本年收入合计") == [
        "本年收入合计",
        "28",
        "619.54",
        "本年支出合计",
        "58",
        "619.54",
    ]
    assert row_starting(t01, "一、一般公共预算财政拨款收入")[:3] == [
        "一、一般公共预算财政拨款收入",
        "1",
        "606.71",
    ]
    t02 = table_rows(soup, "gongkai-02")
    assert row_starting(t02, "合计") == ["合计", "619.54", "606.71", "", "", "", "", "12.82"]
    assert row_starting(t02, "2010301", "行政运行")[2] == "511.38"
    t03 = table_rows(soup, "gongkai-03")
    assert row_starting(t03, "合计")[1:4] == ["619.54", "524.20", "95.34"]
    t06 = table_rows(soup, "gongkai-06")
    salary = row_starting(t06, "30101", "基本工资")
    assert salary[2] == "92.46"
    office = next(row for row in t06 if "办公费" in row)
    assert office[office.index("办公费") + 1] == "10.30"
    assert t06[-1] == ["人员经费合计", "", "公用经费合计", "56.42"]
    t07 = table_rows(soup, "gongkai-07")
    assert t07[0] == ["1.00", "", "", "", "", "1.00", "0.92", "", "", "", "", "0.92"]
    empty = soup.find(id="gongkai-08")
    assert "is-empty" in empty["class"] and "本表无数据" in text(
        empty.select_one(".table-statement")
    )
    assert "单位：万元" in text(
        soup.find(id="gongkai-04")
    ) and "部门：株洲市石峰区政府办公室" in text(soup.find(id="gongkai-04"))


def test_004_explanations_glossary_and_evaluations(built):
    soup = page(built, "zhuzhou/shifeng/zhengfu-bangongshi/2020/")
    assert "完成年初预算的 119.2%" in text(soup.find(id="shuoming"))
    assert "机关运行经费" in text(soup.find(id="mingci"))
    forms = soup.select("#ziping article.evaluation")
    assert len(forms) == 8
    whole = table_rows(soup, "ziping-1-zijin")
    assert whole[0][:7] == ["合计", "508.92", "606.71", "606.71", "10", "100 %", "9.85"]
    indicators = table_rows(soup, "ziping-1-zhibiao")
    assert indicators[-1][-3:] == ["100", "98.5", "等级：优"]


def test_002_report_tables(built):
    soup = page(built, "changde/zhengfu-bangongshi/2020/")
    sangong = next(
        s for s in soup.select("section.table-block") if "三公" in text(s.find(["h4", "h5", "h6"]))
    )
    rows = table_rows(soup, sangong["id"])
    assert row_starting(rows, "合计") == ["合计", "115.27", "140.74", "-25.47"]
    assert "部门决算表" not in text(soup.select_one(".toc"))  # shows what it has, nothing empty


def test_000_and_003_forms(built):
    soup = page(built, "yueyang/yunxi/zhengfu-bangongshi/2020/")
    income = table_rows(soup, "ziping-1-shouzhi-income")
    assert row_starting(income, "局机关及二级机构汇总")[1] == "798.38"
    assert "97分" in text(soup.select_one(".score-line"))
    soup = page(built, "yueyang/junshan/jiguan-shiwu/2021/")
    sheet = table_rows(soup, "ziping-1-pingfen-1")
    assert sheet[-1][0] == "总分" and "99" in sheet[-1]


def test_unit_region_and_home_pages(built):
    unit = page(built, "zhuzhou/shifeng/zhengfu-bangongshi/")
    compare = [
        [text(c) for c in tr.find_all(["th", "td"])] for tr in unit.select("table.compare tbody tr")
    ]
    # two years of seed 004 (the 2021 file is its 2020 one: conftest.seed_build)
    assert row_starting(compare, "本年收入合计（万元）") == [
        "本年收入合计（万元）",
        "619.54",
        "619.54",
    ]
    region = page(built, "yueyang/yunxi/")
    assert {text(a) for a in region.select("table.units th a")} == {
        "岳阳市云溪区人民政府办公室",
        "岳阳市云溪区机关事务服务中心",
    }
    home = page(built, "")
    assert "8 份年度公开" in text(home.select_one(".stats"))
    assert "岳阳市" in text(home)


def internal_targets(site: Path):
    for html in site.rglob("*.html"):
        soup = page(site, str(html.parent.relative_to(site))) if html.name == "index.html" else None
        if soup is None:
            continue
        for tag in soup.find_all(["a", "link", "script", "img"]):
            ref = tag.get("href") or tag.get("src")
            if ref:
                yield html, soup, ref


def test_every_internal_link_resolves(built):
    checked = 0
    for html, _soup, ref in internal_targets(built):
        scheme = urlsplit(ref).scheme
        assert scheme in ("", "mailto"), f"{html}: external reference {ref}"
        path, anchor = urldefrag(ref)
        target = (html.parent / path).resolve() if path else html
        if target.is_dir():
            target = target / "index.html"
        assert target.exists(), f"{html.relative_to(built)}: broken link {ref}"
        if anchor and target.suffix == ".html":
            doc = target.read_text(encoding="utf-8")
            assert f'id="{anchor}"' in doc, f"{html.relative_to(built)}: missing anchor {ref}"
        checked += 1
    assert checked > 100


def test_every_page_declares_chinese_and_loads_nothing_external(built):
    pages = list(built.rglob("*.html"))
    assert len(pages) >= 15
    for html in pages:
        doc = html.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in doc, html
        assert not re.search(r'(src|href)="(https?:)?//', doc), html


def test_stable_anchors_for_citation(built):
    soup = page(built, "zhuzhou/shifeng/zhengfu-bangongshi/2020/")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    assert {f"gongkai-0{i}" for i in range(1, 10)} <= ids
    assert {
        "gaikuang",
        "shuoming",
        "shuoming-1",
        "shuoming-15",
        "mingci",
        "ziping",
        "ziping-1",
    } <= ids


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_text_from_yaml_is_escaped_or_sanitised(tmp_path):
    year = f"""\
year: 2020
title: '{HOSTILE}'
source: '{HOSTILE}'
notes: |
  正文 {HOSTILE} [链接](javascript:alert(3))
overview:
  - title: '{HOSTILE}'
    body: |
      {HOSTILE}
final_accounts:
  department: '{HOSTILE}'
  tables:
    t07:
      budget: {{total: 1, reception: 1}}
      actual: {{total: 1, reception: 1}}
      note: '{HOSTILE}'
self_evaluations:
  - scope: 项目
    title: '{HOSTILE}'
    project: {{name: '{HOSTILE}'}}
    indicators:
      - {{name: '{HOSTILE}', target: '{HOSTILE}', points: 1}}
"""
    project = copy_project(tmp_path / "p", content=None)
    import shutil

    shutil.rmtree(project / "content")
    make_tree(project / "content", partial_layout(project) + year)
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    doc = (project / "site" / "r" / "u" / "2020" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in doc and "onerror=" not in doc.replace("onerror=alert(2)&gt;", "")
    assert "javascript:" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc  # shown as text where text is expected


def test_broken_file_fails_build_and_keeps_previous_site(tmp_path):
    project = copy_project(tmp_path / "p")
    out = project / "site"
    assert build_site(project, out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    year_file = project / "content" / "changde" / "zhengfu-bangongshi" / "2020.yml"
    year_file.write_text(
        year_file.read_text(encoding="utf-8").replace("year: 2020", "year: [2020"), encoding="utf-8"
    )
    result = build_site(project, out)
    assert result.returncode == 1
    assert "content/changde/zhengfu-bangongshi/2020.yml:" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.html")} == before
