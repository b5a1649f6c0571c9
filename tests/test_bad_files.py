"""Every user mistake gives path:line:col, what was expected, exit 1 and no traceback."""

import pytest
from conftest import make_tree, run_cli

TABLE_07 = """\
year: 2020
final_accounts:
  department: 测试单位
  tables:
    t07:
      budget: {total: 1}
      actual: {total: %s}
"""

CASES = {
    # name: (year file text, expected line:col, expected message fragment)
    "yaml syntax": ("year: 2020\nfinal_accounts: [\n", "3:1", "invalid YAML"),
    "tab indentation": ("year: 2020\nfinal_accounts:\n\tdepartment: x\n", "3:1", "tab character"),
    "duplicate key": ("year: 2020\nyear: 2020\n", "2:1", "duplicate key 'year'"),
    "amount with unit": (
        TABLE_07 % "511.38万",
        "7:23",
        "expected an amount in 万元 (e.g. 511.38) for 'total' (合计), found '511.38万'",
    ),
    "three decimals": (TABLE_07 % "0.925", "7:23", "expected at most two decimals"),
    "negative score": (
        "year: 2020\nself_evaluations:\n  - {scope: 项目, title: x, total_score: -1}\n",
        "3:40",
        "expected a non-negative number",
    ),
    "missing required": (
        "year: 2020\nfinal_accounts:\n  department: x\n",
        "3:3",
        "missing required key 'tables'",
    ),
    "unknown key": (
        "year: 2020\ntitel: x\n",
        "2:1",
        "unknown key 'titel' in Disclosure; did you mean 'title'?",
    ),
    "unknown key by label": ("year: 2020\n名词解释: []\n", "2:1", "did you mean 'glossary'?"),
    "scalar for list": ("year: 2020\noverview: 单位概况\n", "2:11", "expected a list of Section"),
    "list for mapping": (
        "year: 2020\nfinal_accounts: [1]\n",
        "2:17",
        "expected a mapping of FinalAccounts",
    ),
    "text for number": ("year: 二〇二〇\n", "1:7", "expected a whole number"),
    "wrong year": (
        "year: 2021\n",
        "1:7",
        "年度与文件名不符（2020.yml 中应为 year: 2020，实为 2021）",
    ),
    "empty file": ("", "1:1", "file is empty"),
    "bad percent": (
        "year: 2020\nself_evaluations:\n  - {scope: 项目, title: x, funds: {rate: 百分百}}\n",
        "3:41",
        "expected a percentage like 98.5%",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_year_file(tmp_path, name):
    text, where, fragment = CASES[name]
    path = make_tree(tmp_path / "content", text)
    result = run_cli("check", str(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    shown = path.relative_to(tmp_path).as_posix()
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{shown}:{where}: ")]
    assert lines, result.stderr
    assert fragment in lines[0], lines[0]


def test_non_utf8_file(tmp_path):
    path = make_tree(tmp_path / "content", "")
    path.write_bytes("year: 2020\ntitle: 决算\n".encode("gbk"))
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/r/u/2020.yml:2:8: file is not UTF-8 text" in result.stderr


def test_unit_without_unit_yml(tmp_path):
    make_tree(tmp_path / "content", "year: 2020\n")
    (tmp_path / "content" / "r" / "u" / "unit.yml").unlink()
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/r/u/2020.yml:1:1: 单位文件夹 'content/r/u' 缺少 unit.yml" in result.stderr


def test_folder_name_must_be_a_slug(tmp_path):
    make_tree(tmp_path / "content", "year: 2020\n")
    (tmp_path / "content" / "r" / "u").rename(tmp_path / "content" / "r" / "单位")
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "文件夹名不能用作网址" in result.stderr


def test_every_problem_in_one_run(tmp_path):
    text = (
        "year: 2021\ntitel: x\nfinal_accounts:\n  department: d\n  tables:\n    t07:\n"
        "      budget: {total: 1.001}\n      actual: {total: 2万}\n"
    )
    make_tree(tmp_path / "content", text)
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 1
    found = [
        line.split(": ")[0] for line in result.stderr.splitlines() if line.startswith("content/")
    ]
    assert found == [
        "content/r/u/2020.yml:2:1",
        "content/r/u/2020.yml:7:23",
        "content/r/u/2020.yml:8:23",
        "content/r/u/2020.yml:1:7",
    ]
    assert result.stderr.startswith("未通过：1 个文件有 4 个问题")


def test_clean_tree_exits_zero(tmp_path):
    make_tree(
        tmp_path / "content",
        "year: 2020\ntitle: 示例\noverview:\n  - {title: 一、部门职责, body: 负责本区政务工作。}\n",
    )
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("通过：检查了 1 份年度公开文件")
