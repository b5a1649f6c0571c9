"""情况说明 written from the tables: figures computed, year-on-year change when last year exists."""

from conftest import build_site, copy_project, partial_layout
from htmltools import page, text

YEAR = """\
year: %d
final_accounts:
  department: 测试单位
  tables:
    t01:
      income:
        - {line: 1, name: 一、一般公共预算财政拨款收入, amount: %s}
      income_total: {name: 本年收入合计, amount: %s}
      income_grand_total: {name: 总计, amount: %s}
      expenditure_total: {name: 本年支出合计, amount: 0}
      expenditure_grand_total: {name: 总计, amount: %s}
    t02:
      total: {name: 合计, total: %s, fiscal: %s}
  explanations:
    - title: 一、收入支出决算总体情况说明
      computed: overall
      reason: 主要原因是：人员增加。
    - title: 二、收入决算情况说明
      computed: income
acknowledgements:
  - rule: T01-EXPENDITURE-GRAND
    figure: final_accounts.tables.t01.expenditure_grand_total.amount
    difference: %s
    reason: 测试数据只填了收入一侧。
"""


def test_computed_explanations_use_tables_and_previous_year(tmp_path):
    import shutil

    project = copy_project(tmp_path / "p")
    shutil.rmtree(project / "content")
    unit = project / "content" / "r" / "u"
    unit.mkdir(parents=True)
    (project / "content" / "r" / "region.yml").write_text("name: 测试区\n", encoding="utf-8")
    (unit / "unit.yml").write_text("name: 测试单位\n", encoding="utf-8")
    for year, total in ((2020, "100"), (2021, "110")):
        (unit / f"{year}.yml").write_text(
            partial_layout(project) + YEAR % ((year,) + (total,) * 7), encoding="utf-8"
        )
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    soup = page(project / "site", "r/u/2021/")
    overall = text(soup.find(id="shuoming-1"))
    assert (
        "2021 年度收、支总计 110.00 万元。与上年相比，增加 10.00 万元，增长 10.0%。主要原因是：人员增加。"
        in overall
    )
    income = text(soup.find(id="shuoming-2"))
    assert (
        "本年收入合计 110.00 万元，其中：财政拨款收入 110.00 万元，占 100.0%；上级补助收入 0.00 万元，占 0.0%"
        in income
    )
    first = text(page(project / "site", "r/u/2020/").find(id="shuoming-1"))
    assert "与上年相比" not in first  # no 2019 in content
