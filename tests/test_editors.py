"""What editors rely on (issue 13): nothing unfinished goes live, one broken unit never hides
the others, a unit or a file can be checked alone, names cannot take over site paths."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import (
    CONTENT,
    build_site,
    copy_project,
    make_tree,
    partial_layout,
    run_cli,
    this_checkout,
)

from publisher.checks.completeness import PLACEHOLDER
from publisher.scaffold import YEAR_TEMPLATE

SEED_004 = "content/zhuzhou/shifeng/zhengfu-bangongshi/2020.yml"
SEED_002 = "content/changde/zhengfu-bangongshi/2020.yml"


def content_copy(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def lines_of(result) -> list[str]:
    return (result.stderr + result.stdout).splitlines()


# ------------------------------------------------------------------ completeness


def new_unit(tmp_path, name="常德市武陵区统计局"):
    content_copy(tmp_path)
    return run_cli("new", "changde/tongjiju", "2024", cwd=tmp_path, stdin=name + "\n")


def test_scaffold_fails_check_naming_each_placeholder(tmp_path):
    made = new_unit(tmp_path)
    assert made.returncode == 0, made.stderr
    year_file = tmp_path / "content" / "changde" / "tongjiju" / "2024.yml"
    text = year_file.read_text(encoding="utf-8")
    assert "name: 常德市武陵区统计局" in (year_file.parent / "unit.yml").read_text(encoding="utf-8")
    assert "title: 2024年度常德市武陵区统计局部门决算" in text
    result = run_cli("check", "content/changde/tongjiju", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("未通过：")
    expected = [
        (n, m.group(0))
        for n, line in enumerate(text.splitlines(), 1)
        if not line.lstrip().startswith("#")
        for m in PLACEHOLDER.finditer(line)
    ]
    assert len(expected) >= 8
    reported = [line for line in result.stderr.splitlines() if "[C-PLACEHOLDER]" in line]
    assert len(reported) == len(expected)
    for line_no, placeholder in expected:
        assert any(
            r.startswith(f"content/changde/tongjiju/2024.yml:{line_no}:") and placeholder in r
            for r in reported
        ), (line_no, placeholder)


def test_scaffold_placeholders_all_have_the_checked_shape():
    for line in YEAR_TEMPLATE.read_text(encoding="utf-8").splitlines():
        code = line.split("#")[0]
        if "填写" in code:
            assert PLACEHOLDER.search(code), line


def test_filled_scaffold_passes(tmp_path):
    new_unit(tmp_path)
    year_file = tmp_path / "content" / "changde" / "tongjiju" / "2024.yml"
    text = PLACEHOLDER.sub("按公开文本填写的内容", year_file.read_text(encoding="utf-8"))
    year_file.write_text(text, encoding="utf-8")
    result = run_cli("check", str(year_file.relative_to(tmp_path)), cwd=tmp_path)
    assert "[C-PLACEHOLDER]" not in result.stderr + result.stdout


def test_new_takes_the_name_from_unit_yml_or_refuses_without_one(tmp_path):
    content = content_copy(tmp_path)
    made = run_cli("new", "changde/zhengfu-bangongshi", "2021", cwd=tmp_path, stdin="")
    assert made.returncode == 0, made.stderr
    assert "单位全称（" not in made.stdout  # not asked: unit.yml has it
    text = (content / "changde" / "zhengfu-bangongshi" / "2021.yml").read_text(encoding="utf-8")
    assert "2021年度常德市人民政府办公室部门决算" in text
    for answer in ("", "tongjiju"):
        refused = run_cli("new", "changde/tongjiju", "2024", cwd=tmp_path, stdin=answer + "\n")
        assert refused.returncode == 1 and "需要单位全称" in refused.stderr
        assert not (content / "changde" / "tongjiju").exists()
    named = run_cli("new", "changde/tongjiju", "2024", "--name", "常德市统计局", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    again = run_cli("new", "changde/tongjiju", "2024", cwd=tmp_path)
    assert again.returncode == 1 and "已存在" in again.stderr
    assert run_cli("new", "changde/新单位", "2024", cwd=tmp_path, stdin="某单位\n").returncode == 1


def test_unit_name_equal_to_its_folder_fails(tmp_path):
    make_tree(tmp_path / "content", "year: 2020\ntitle: 示例\n")
    (tmp_path / "content" / "r" / "u" / "unit.yml").write_text("name: u\n", encoding="utf-8")
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/r/u/unit.yml:1:7: 单位全称仍是文件夹名" in result.stderr


# ------------------------------------------------------------------ drafts


def test_draft_is_checked_but_not_failing_and_never_published(tmp_path):
    project = copy_project(tmp_path / "p")
    new = run_cli("new", "changde/tongjiju", "2024", "--name", "常德市统计局", cwd=project)
    assert new.returncode == 0, new.stderr
    year_file = project / "content" / "changde" / "tongjiju" / "2024.yml"
    edit(year_file, "# status: draft", "status: draft")
    check = run_cli("check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert "草稿错误 [C-PLACEHOLDER]" in check.stdout and "项属于草稿" in check.stdout
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert not (site / "changde" / "tongjiju" / "2024").exists()
    pages = [
        p for p in site.rglob("*.html") if "format" not in p.parts
    ]  # the reference quotes “（填写…）”
    assert "（填写" not in "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "tongjiju/2024" not in (site / "changde" / "index.html").read_text(encoding="utf-8")
    # the same file published: status removed, placeholders left → the build refuses
    edit(year_file, "status: draft", "# status: draft")
    assert build_site(project, project / "site").returncode == 1


# ------------------------------------------------------------------ isolation


def test_broken_unit_and_wrong_total_elsewhere_are_both_reported(tmp_path):
    content = content_copy(tmp_path)
    edit(tmp_path / SEED_002, "year: 2020", "year: [2020")
    edit(tmp_path / SEED_004, "amount: 606.71", "amount: 607.71")
    result = run_cli("check", "--html", "report.html", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first == "未通过：1 个文件有 1 个问题，1 项发现须处理（共检查了 4 份年度公开文件）。"
    assert re.search(rf"^{SEED_002}:\d+:\d+: invalid YAML", result.stderr, re.MULTILINE)
    assert re.search(rf"^{SEED_004}:\d+:\d+: 错误 \[T01-INCOME\]", result.stderr, re.MULTILINE)
    assert (
        "4 份年度公开文件，1 个问题（1 个文件），56 项发现：1 项未说明，50 项已说明"
        in result.stderr
    )
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "未通过" in html and "T01-INCOME" in html and "invalid YAML" in html
    assert "未发现" not in html
    assert content.exists()


def test_check_a_region_a_unit_or_a_single_file(tmp_path):
    content_copy(tmp_path)
    edit(tmp_path / SEED_004, "amount: 606.71", "amount: 607.71")
    for path, count, ok in [
        ("content/yueyang", 3, True),
        ("content/yueyang/yunxi/jiguan-shiwu", 1, True),
        ("content/yueyang/yunxi/jiguan-shiwu/2023.yml", 1, True),
        ("content/zhuzhou/shifeng/zhengfu-bangongshi/", 1, False),
        (SEED_004, 1, False),
    ]:
        result = run_cli("check", path, cwd=tmp_path)
        assert result.returncode == (0 if ok else 1), (path, result.stderr)
        first = lines_of(result)[0] if ok else result.stderr.splitlines()[0]
        assert f"检查了 {count} 份年度公开文件" in first, (path, first)
        assert "unit.yml" not in result.stderr
        if ok:
            assert "T01-INCOME" not in result.stdout + result.stderr
    result = run_cli("check", "content/nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("content/nowhere:1:1: 找不到该路径")


def test_a_broken_year_file_checked_alone_is_reported(tmp_path):
    content_copy(tmp_path)
    edit(tmp_path / SEED_002, "year: 2020", "year: [2020")
    result = run_cli("check", SEED_002, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("未通过：1 个文件有 1 个问题")


def test_quiet_hides_acknowledged_findings():
    loud, quiet = run_cli("check"), run_cli("check", "--quiet")
    assert loud.returncode == quiet.returncode == 0
    assert len(loud.stdout.splitlines()) > 200
    assert quiet.stdout.splitlines() == [
        "通过：检查了 5 份年度公开文件，没有须处理的问题。",
        "5 份年度公开文件，0 个问题（0 个文件），56 项发现：0 项未说明，50 项已说明，0 项提示，6 项尾差（容差内）",
    ]


def test_json_gives_problems_the_structure_of_findings(tmp_path):
    content_copy(tmp_path)
    edit(tmp_path / SEED_002, "year: 2020", "year: [2020")
    edit(tmp_path / SEED_004, "amount: 606.71", "amount: 607.71")
    result = run_cli("check", "--format", "json", "--quiet", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["summary"]["failing"] == 1
    (problem,) = data["problems"]
    (finding,) = data["findings"]  # --quiet: the acknowledged ones are left out
    assert set(problem) == set(finding)
    assert (problem["kind"], problem["file"]) == ("problem", SEED_002)
    assert problem["line"] > 0 and problem["col"] > 0 and problem["failing"]
    assert finding["kind"] == "finding" and finding["rule"] == "T01-INCOME" and finding["failing"]
    assert finding["file"] == SEED_004 and "应为" in finding["message"]


def test_misspelled_rule_id_gets_a_did_you_mean(tmp_path):
    content_copy(tmp_path)
    edit(tmp_path / SEED_004, "rule: T06-PUBLIC", "rule: T06-PUBLIK")
    result = run_cli("check", SEED_004, cwd=tmp_path)
    assert result.returncode == 1
    assert "没有编号为 T06-PUBLIK 的规则，是不是 T06-PUBLIC？" in result.stderr


# ------------------------------------------------------------------ names and figures


@pytest.mark.parametrize("slug", ["search", "format", "pagefind", "404"])
def test_reserved_slug_is_refused(tmp_path, slug):
    content = content_copy(tmp_path)
    shutil.copytree(content / "changde", content / slug)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert f"content/{slug}:1:1: 文件夹名 '{slug}' 是网站保留的路径 /{slug}/" in result.stderr
    refused = run_cli("new", f"{slug}/x", "2024", "--name", "某单位", cwd=tmp_path)
    assert refused.returncode == 1 and "保留" in refused.stderr


def test_reserved_slug_stops_the_build(tmp_path):
    project = copy_project(tmp_path / "p")
    shutil.copytree(project / "content" / "changde", project / "content" / "search")
    result = build_site(project, project / "site")
    assert result.returncode == 1 and "网站保留的路径 /search/" in result.stderr


def test_negative_figure_is_published_as_printed(tmp_path):
    project = copy_project(tmp_path / "p")
    shutil.rmtree(project / "content")
    make_tree(project / "content", partial_layout(project) + NEGATIVE)
    check = run_cli("check", cwd=project)
    assert check.returncode == 0, check.stderr
    built = build_site(project, project / "site")
    assert built.returncode == 0, built.stderr
    page = (project / "site" / "r" / "u" / "2020" / "index.html").read_text(encoding="utf-8")
    assert '<td class="n">-21.36</td>' in page


NEGATIVE = """\
year: 2020
final_accounts:
  department: 测试单位
  tables:
    t01:
      income:
        - {line: 1, name: 一、一般公共预算财政拨款收入, amount: 100}
      income_total: {line: 28, name: 本年收入合计, amount: 100}
      income_grand_total: {line: 31, name: 总计, amount: 100}
      expenditure:
        - {line: 32, name: 一、一般公共服务支出, amount: 121.36}
      expenditure_total: {line: 58, name: 本年支出合计, amount: 121.36}
      closing_balance: {line: 60, name: 年末结转和结余, amount: -21.36}
      expenditure_grand_total: {line: 61, name: 总计, amount: 100}
"""


def test_sanitised_content_is_a_warning_with_its_line(tmp_path):
    text = (
        "year: 2020\ntitle: 示例\noverview:\n  - title: 一、部门职责\n    body: |\n      正文\n\n"
        "      <script>alert(1)</script>\n  - title: 二、链接\n    body: '[点此](javascript:alert(1))'\n"
        "  - title: 三、纯文字\n    body: 没有标记的文字\n"
    )
    make_tree(tmp_path / "content", text)
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # a warning, not a failure
    warned = [line for line in result.stdout.splitlines() if "[C-SANITISED]" in line]
    assert len(warned) == 2, result.stdout
    assert warned[0].startswith("content/r/u/2020.yml:5:11: 提示 ") and "<script>" in warned[0]
    assert warned[1].startswith("content/r/u/2020.yml:10:11: 提示 ")
    assert "<a>" in warned[1] and 'href="javascript:alert(1)"' in warned[1]
    assert "1 项提示" not in result.stdout and "2 项提示" in result.stdout


# ------------------------------------------------------------------ a release despite one broken unit


def test_keep_last_good_publishes_the_rest_and_warns(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "on_broken_unit: keep-last-good\n", encoding="utf-8"
    )
    out = project / "site"
    assert build_site(project, out).returncode == 0
    changde = out / "changde" / "zhengfu-bangongshi" / "2020" / "index.html"
    before = changde.read_bytes()
    edit(project / SEED_002, "year: 2020", "year: [2020")  # a typo in one unit …
    edit(
        project / SEED_004,
        "department: 株洲市石峰区政府办公室",
        "department: 石峰区政府办公室（修订）",
    )  # … another corrected
    new = project / "content" / "changde" / "tongjiju"
    new.mkdir()
    (new / "unit.yml").write_text("name: 常德市统计局\n", encoding="utf-8")
    (new / "2024.yml").write_text("year: 2024\ntitle: （填写标题）\n", encoding="utf-8")
    result = build_site(project, out, quiet=False)
    assert result.returncode == 0, result.stderr
    assert (
        "常德市人民政府办公室（changde/zhengfu-bangongshi/）有错误，保留上次构建成功的页面"
        in result.stderr
    )
    assert f"{SEED_002}:" in result.stderr
    assert "常德市统计局（changde/tongjiju/）有错误，从未成功构建过，暂不发布" in result.stderr
    assert changde.read_bytes() == before
    assert not (out / "changde" / "tongjiju" / "2024").exists()
    page = (out / "zhuzhou" / "shifeng" / "zhengfu-bangongshi" / "2020" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "石峰区政府办公室（修订）" in page
    config.write_text(
        config.read_text(encoding="utf-8").replace("on_broken_unit: keep-last-good\n", ""),
        encoding="utf-8",
    )
    strict = build_site(project, out)
    assert strict.returncode == 1 and f"{SEED_002}:" in strict.stderr


def test_draft_is_previewed_with_a_draft_mark(tmp_path):
    from test_serve import free_port, wait_for

    project = copy_project(tmp_path / "p")
    run_cli("new", "changde/tongjiju", "2024", "--name", "常德市统计局", cwd=project)
    edit(
        project / "content" / "changde" / "tongjiju" / "2024.yml",
        "# status: draft",
        "status: draft",
    )
    port = free_port()
    with open(tmp_path / "serve.log", "w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=this_checkout(),
        )
        try:
            page = wait_for(
                f"http://127.0.0.1:{port}/changde/tongjiju/2024/", lambda body: "草稿" in body
            )
            assert 'class="draft-mark"' in page and "<title>【草稿】" in page
        finally:
            process.terminate()
            process.wait(timeout=10)
