"""Issue 15: no input crashes the publisher. Each defect found by fuzzing has a case here:
the CLI exits 1 with ``file:line:col: …`` and no traceback, within a few seconds."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import make_tree, partial_layout, run_cli
from test_checks import EXAMPLES  # every rule's failing example

YEAR = "year: 2020\n"
SECTION = "final_accounts:\n  department: 测试单位\n  explanations:\n"


def check(root: Path, *args: str, timeout: float = 20):
    """``publisher check content`` in ``root``: (result, seconds)."""
    start = time.monotonic()
    result = run_cli("check", "content", *args, cwd=root)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert elapsed < timeout, elapsed
    return result


def fails_at(root: Path, where: str, fragment: str, *args: str, timeout: float = 20) -> str:
    result = check(root, *args, timeout=timeout)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert lines, result.stderr[-3000:]
    assert any(fragment in line for line in lines), lines
    return result.stderr


def alias_chain(levels: int) -> str:
    """A 'billion laughs' in report sections: each level repeats the previous ten times."""
    lines = [YEAR, "reports:\n  - title: r\n    sections:\n      - &s0 {title: a, body: 哈}\n"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*s{level - 1}"] * 10)
        lines.append(f"      - &s{level} {{title: a, sections: [{refs}]}}\n")
    return "".join(lines)


# -------------------------------------------------------- 1. a grade breaks reporting


def test_grade_finding_is_reported_in_text_json_and_html(tmp_path):
    make_tree(tmp_path / "content", EXAMPLES["P-GRADE"][1])
    stderr = fails_at(tmp_path, "content/r/u/2020.yml:", "[P-GRADE]", "--html", "report.html")
    assert "实为 良" in stderr
    assert "良" in (tmp_path / "report.html").read_text(encoding="utf-8")
    result = check(tmp_path, "--format", "json")
    assert result.returncode == 1 and '"found": "良"' in result.stdout


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
def test_every_rule_failing_example_reports(tmp_path, rule):
    """Every rule's failing example goes through the text, JSON and HTML reports."""
    from publisher.build import check_content
    from publisher.checks.report import to_html, to_json
    from publisher.layout import load_library

    bad = EXAMPLES[rule][1]
    for year, text in (bad if isinstance(bad, dict) else {2020: bad}).items():
        make_tree(tmp_path, text, year=year)
    summary = check_content(tmp_path, load_library())
    located = [f for f in summary.findings if f.rule == rule]
    assert located
    for f in located:
        assert f"[{rule}]" in f.lines[0]
    assert rule in to_json(summary)
    assert rule in to_html(summary, "report")


def test_grade_finding_in_a_parallel_build(tmp_path):
    """40+ units run in worker processes; a finding there once surfaced as a KeyError."""
    from conftest import FIXTURES

    from publisher.build import build_site
    from publisher.load import load_site_config

    root = tmp_path / "content"
    make_tree(root, EXAMPLES["P-GRADE"][1])
    for i in range(45):
        unit = root / "r" / f"u{i}"
        unit.mkdir()
        (unit / "unit.yml").write_text("name: 单位\n", encoding="utf-8")
        (unit / "2020.yml").write_text(EXAMPLES["P-GRADE"][1], encoding="utf-8")
    build = build_site(root, load_site_config(FIXTURES / "site_config.yml"), workers=2)
    assert len([f for f in build.failing if f.rule == "P-GRADE"]) == 46


# ------------------------------------------------------------------ 2. aliases


def test_alias_chain_is_refused_quickly(tmp_path):
    make_tree(tmp_path / "content", alias_chain(24))
    fails_at(tmp_path, "content/r/u/2020.yml:6:", "YAML alias '*s0' is not allowed", timeout=10)


def test_self_referencing_alias_is_refused(tmp_path):
    make_tree(tmp_path / "content", YEAR + SECTION + "    - &a {title: x, sections: [*a]}\n")
    fails_at(tmp_path, "content/r/u/2020.yml:5:", "YAML alias '*a' is not allowed")


# ------------------------------------------------------------ 4. control characters

CONTROL = {
    "form feed": "\x0c",
    "vertical tab": "\x0b",
    "NUL": "\x00",
    "bell": "\x07",
    "unit separator": "\x1f",
    "delete": "\x7f",
    "U+FFFE": "\ufffe",
    "next line": "\x85",
    "RTL override": "\u202e",
    "RTL isolate": "\u2067",
}


@pytest.mark.parametrize("name", CONTROL)
def test_control_character_is_located(tmp_path, name):
    make_tree(tmp_path / "content", YEAR + f"title: 决算{CONTROL[name]}说明\n")
    fails_at(tmp_path, "content/r/u/2020.yml:2:10:", f"U+{ord(CONTROL[name]):04X}")


def test_control_character_in_unit_yml_is_located(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    (tmp_path / "content/r/u/unit.yml").write_text("name: 测试\u202e单位\n", encoding="utf-8")
    fails_at(tmp_path, "content/r/u/unit.yml:1:9:", "bidirectional control character U+202E")


# -------------------------------------------------------------------- 5. nesting


def test_100000_brackets_do_not_crash(tmp_path):
    make_tree(tmp_path / "content", YEAR + "title: " + "[" * 100_000 + "\n")
    fails_at(tmp_path, "content/r/u/2020.yml:2:", "nested too deeply")


def test_deeply_nested_sections(tmp_path):
    text = (
        YEAR
        + SECTION
        + "".join(
            "  " * (i + 2) + "- title: x\n" + "  " * (i + 3) + "sections:\n" for i in range(200)
        )
    )
    make_tree(tmp_path / "content", text)
    fails_at(tmp_path, "content/r/u/2020.yml:", "nested too deeply")


# ------------------------------------------------------- 6. ignored or duplicated files


@pytest.mark.parametrize("name", ["２０２０.yml", "2020.YML", "2020.yml ", "Unit.yml"])
def test_near_miss_file_names_are_errors(tmp_path, name):
    make_tree(tmp_path / "content", YEAR)
    (tmp_path / "content/r/u" / name).write_text("year: 2020\ntitle: 另一个\n", encoding="utf-8")
    fails_at(tmp_path, f"content/r/u/{name}:1:1:", "文件名不准确")


def test_symlink_loop_is_not_followed(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    (tmp_path / "content/r/loop").symlink_to("..")
    fails_at(tmp_path, "content/r/loop:1:1:", "symbolic link to a folder is not followed")


def test_symlink_out_of_content_is_not_read(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    secret = tmp_path / "secret.yml"
    secret.write_text("year: 2020\ntitle: 机密内容\n", encoding="utf-8")
    (tmp_path / "content/r/u/2021.yml").symlink_to(secret)
    stderr = fails_at(tmp_path, "content/r/u/2021.yml:1:1:", "points outside the content folder")
    assert "机密" not in stderr


def test_dangling_symlink(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    (tmp_path / "content/r/u/2021.yml").symlink_to(tmp_path / "missing.yml")
    fails_at(tmp_path, "content/r/u/2021.yml:1:1:", "broken symbolic link")


# ------------------------------------------------------------ 7. file-system errors


def test_fifo_named_like_a_year_file_does_not_hang(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    os.mkfifo(tmp_path / "content/r/u/2019.yml")
    fails_at(tmp_path, "content/r/u/2019.yml:1:1:", "not a regular file")


def test_folder_named_like_a_year_file(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    (tmp_path / "content/r/u/2019.yml").mkdir()
    fails_at(tmp_path, "content/r/u/2019.yml:1:1:", "不应有子文件夹")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path):
    path = make_tree(tmp_path / "content", YEAR)
    path.chmod(0)
    fails_at(tmp_path, "content/r/u/2020.yml:1:1:", "cannot read the file")


def test_html_report_into_missing_folder(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    result = check(tmp_path, "--html", "missing/report.html")
    assert result.returncode == 1
    assert "missing/report.html: No such file or directory" in result.stderr


def test_too_large_file(tmp_path):
    make_tree(tmp_path / "content", YEAR + "title: " + "决" * 400_000 + "\n")
    fails_at(tmp_path, "content/r/u/2020.yml:1:1:", "file is too large")


def test_long_nested_folder_names_are_bounded(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    (tmp_path / "content/r/u").rename(tmp_path / "content/r" / ("a" * 100))
    fails_at(tmp_path, "content/r/" + "a" * 100 + ":1:1:", "不能用作网址")


# ----------------------------------------------------------------- 8. smaller defects

TABLE_07 = (
    YEAR
    + SECTION.replace("  explanations:\n", "")
    + "  tables:\n    t07:\n      budget: {total: 1}\n      actual: {total: %s}\n"
)


@pytest.mark.parametrize(
    "amount, fragment",
    [
        ("1" * 5000, "expected at most 12 digits before the decimal point"),
        ("1" + "0" * 29, "expected at most 12 digits before the decimal point"),
        ("9" * 13 + ".5", "expected at most 12 digits"),
    ],
)
def test_huge_amounts(tmp_path, amount, fragment):
    make_tree(tmp_path / "content", TABLE_07 % amount)
    stderr = fails_at(tmp_path, "content/r/u/2020.yml:7:", fragment)
    assert len(max(stderr.splitlines(), key=len)) < 400  # the value is shortened


def test_huge_year(tmp_path):
    make_tree(tmp_path / "content", "year: " + "2" * 5000 + "\n")
    fails_at(tmp_path, "content/r/u/2020.yml:1:7:", "expected a whole number of at most 9 digits")


def test_comma_decimal_share_in_prose(tmp_path):
    text = EXAMPLES["S-TABLE"][0].replace("占 75%", "占 97,9%")
    assert "97,9%" in text
    make_tree(tmp_path / "content", text)
    fails_at(tmp_path, "content/r/u/2020.yml:", "[S-TABLE]")


def test_long_digit_runs_in_prose_are_fast(tmp_path):
    text = EXAMPLES["S-RATE"][0].replace(
        "本年收入合计", "1" * 45_000 + " 万元，与上年相比增加 本年收入合计"
    )
    assert "1" * 45_000 in text
    make_tree(tmp_path / "content", partial_layout(tmp_path) + text)
    result = check(tmp_path, timeout=10)
    assert result.returncode == 0, result.stderr


def test_many_brackets_in_markdown(tmp_path):
    text = YEAR + SECTION + "    - title: x\n      body: |\n        " + "[" * 40_000 + "\n"
    make_tree(tmp_path / "content", text)
    fails_at(tmp_path, "content/r/u/2020.yml:6:", "too many '['")


def test_new_refuses_a_region_as_unit(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    result = run_cli("new", "r", "2024", cwd=tmp_path)
    assert result.returncode == 1 and "应为 <地区>/<单位>" in result.stderr
    (tmp_path / "content/r/sub").mkdir()
    (tmp_path / "content/r/sub/region.yml").write_text("name: 子区\n", encoding="utf-8")
    result = run_cli("new", "r/sub", "2024", cwd=tmp_path)
    assert result.returncode == 1 and "is a region" in result.stderr, result.stderr
    assert not (tmp_path / "content/r/sub/2024.yml").exists()


def test_300_character_names(tmp_path):
    make_tree(
        tmp_path / "content",
        YEAR + "overview:\n  - {title: 一、部门职责, body: 负责本区政务工作。}\n",
    )
    result = run_cli("new", "r/" + "a" * 300, "2024", cwd=tmp_path)
    assert result.returncode == 1 and "不能用作网址" in result.stderr, result.stderr
    (tmp_path / "content/r/u/unit.yml").write_text("name: " + "长" * 300 + "\n", encoding="utf-8")
    assert check(tmp_path).returncode == 0


def test_file_names_that_are_not_utf8_or_printable(tmp_path):
    make_tree(tmp_path / "content", YEAR)
    os.mkdir(os.fsencode(tmp_path / "content/r") + b"/\xff\xfe")
    (tmp_path / "content/r/u/a\x1bb.yml").write_text("year: 2020\n", encoding="utf-8")
    result = check(tmp_path, "--html", "report.html", "--format", "json")
    assert result.returncode == 1
    problems = [
        f"{p['file']}:{p['line']}:{p['col']}: {p['message']}"
        for p in json.loads(result.stdout)["problems"]
    ]
    assert "content/r/\\xff\\xfe:1:1: name is not printable UTF-8 text" in problems[0]
    assert "content/r/u/a\\x1bb.yml:1:1: name is not printable" in problems[1]
    assert "name is not printable" in (tmp_path / "report.html").read_text(encoding="utf-8")
