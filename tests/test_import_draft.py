"""publisher/importer/draft.py: a draft written as a year file reads back as the same disclosure.

Every fixture document, turned into plain data (what a reader produces) and written by the
draft writer, loads with the normal loader as the very same disclosure: tables, 情况说明,
名词解释, 绩效自评, Markdown bodies byte for byte. Doubts become comments above their lines."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, REAL

from publisher.importer import Doubt, Draft
from publisher.importer.draft import to_yaml, write_draft
from publisher.load import load_content, load_part
from publisher.models.base import Node, Percent, schema_fields


def plain(value):
    """A model as a reader's plain data: Decimal kept, percentages as printed, marks dropped."""
    if isinstance(value, Percent):
        return value.text
    if isinstance(value, Node):
        return {
            f.name: plain(getattr(value, f.name))
            for f in schema_fields(type(value))
            if getattr(value, f.name) not in (None, [])
        }
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def documents():
    for root in (CONTENT, REAL):
        for unit in load_content(root).all_units():
            for year, d in unit.years.items():
                yield pytest.param(root, unit.url, year, d, id=f"{unit.url}{year}")


@pytest.mark.parametrize("root,url,year,d", list(documents()))
def test_every_document_written_as_a_draft_loads_as_the_same_disclosure(
    tmp_path, root, url, year, d
):
    import shutil

    shutil.copytree(root, tmp_path / "content")
    out = tmp_path / "content" / url / f"{year}.yml"
    write_draft(Draft(Path("source.xlsx"), plain(d)), out, force=True)
    part = load_part(out)
    assert part.site.problems == []
    unit = next(u for u in part.site.all_units() if u.url == url)
    assert unit.years[year] == d


def test_an_existing_file_is_kept_without_force(tmp_path):
    out = tmp_path / "2024.yml"
    out.write_text("year: 2024\n", encoding="utf-8")
    with pytest.raises(Exception, match="已存在"):
        write_draft(Draft(Path("x.xlsx"), {"year": 2024}), out)
    assert out.read_text(encoding="utf-8") == "year: 2024\n"


def test_doubts_are_comments_above_their_values_and_their_lines_are_returned():
    data = {
        "year": 2024,
        "final_accounts": {
            "tables": {
                "t05": {
                    "total": {"name": "合计", "total": Decimal("5.00")},
                    "rows": [{"code": "201", "name": "一般公共服务支出", "total": Decimal("5.00")}],
                }
            }
        },
        "glossary": [{"term": "三公经费", "definition": "第一行\n\n第二行：含冒号 # 与井号\n"}],
    }
    doubts = [
        Doubt("final_accounts.tables.t05.rows[0].name", "科目名称跨两行印制，已合并", page=7),
        Doubt("final_accounts.tables.t05.rows[3]", "没有这一行：注在最近的上级"),
    ]
    text, placed = to_yaml(Draft(Path("x.pdf"), data, doubts), ["标题"])
    lines = text.splitlines()
    line = {doubt.why: at for doubt, at in placed}
    first, second = (doubts[0], line[doubts[0].why]), (doubts[1], line[doubts[1].why])
    assert lines[first[1] - 1].strip().startswith('- {code: "201", name: 一般公共服务支出')
    assert lines[first[1] - 2].strip() == "# 待核对：科目名称跨两行印制，已合并（原文第 7 页）"
    assert lines[second[1] - 1].strip() == "rows:"
    assert "definition: |" in text and "    第二行：含冒号 # 与井号" in text
