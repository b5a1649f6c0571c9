"""The five seed documents load completely: sample figures and passages at their model paths."""

from decimal import Decimal

from conftest import run_cli, unit_of


def test_check_passes_on_the_seed_documents():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("通过：检查了 5 份年度公开文件")


def test_seed_004_full_final_accounts(seed_site):
    d = unit_of(seed_site, "zhuzhou/shifeng/zhengfu-bangongshi").years[2020]
    t = d.final_accounts.tables
    assert d.final_accounts.department == "株洲市石峰区政府办公室"
    basic_salary = next(r for r in t.t06.rows if r.code == "30101")
    assert (basic_salary.name, basic_salary.amount) == ("基本工资", Decimal("92.46"))
    assert t.t01.income[0].amount == Decimal("606.71")
    assert t.t01.income_total.amount == Decimal("619.54")
    assert t.t01.expenditure_grand_total.line == 61
    assert t.t02.total.other == Decimal("12.82")
    assert [r.code for r in t.t02.rows][:3] == ["201", "20103", "2010301"]
    assert t.t03.total.basic == Decimal("524.2")
    assert t.t04.income[1].amount == Decimal("0")  # printed 0, not blank
    assert t.t04.income[3].amount is None  # a blank cell stays blank
    assert t.t05.total.project == Decimal("95.34")
    assert t.t06.public_total == Decimal("56.42") and t.t06.personnel_total is None
    assert t.t07.actual.reception == Decimal("0.92")
    assert t.t08.total.total is None and "无数据" in t.t08.statement
    assert "国有资本经营预算支出" in t.t09.statement
    assert len(d.final_accounts.explanations) == 15
    assert "完成年初预算的 119.2%" in str(d.final_accounts.explanations[4].sections)
    assert [g.term for g in d.glossary][0] == "财政拨款收入"
    assert len(d.glossary) == 8


def test_seed_004_self_evaluations(seed_site):
    d = unit_of(seed_site, "zhuzhou/shifeng/zhengfu-bangongshi").years[2020]
    scopes = [e.scope for e in d.self_evaluations]
    assert scopes == ["部门整体"] + ["项目"] * 7
    whole = d.self_evaluations[0]
    assert whole.funds.rows[0].initial_budget == Decimal("508.92")
    assert whole.funds.score == Decimal("9.85") and whole.funds.rate.value == Decimal("100")
    assert whole.total_score == Decimal("98.5") and whole.grade == "优"
    party = next(
        e for e in d.self_evaluations if e.project and e.project.name == "政府办党组工作经费"
    )
    social = party.indicators[1].children[1].children[0]
    assert (social.points, social.score) == (Decimal("10"), Decimal("14.5"))  # published as is
    assert d.reports and "部门整体支出绩效评价报告" in d.reports[0].title


def test_seed_002_narrative_report(seed_site):
    d = unit_of(seed_site, "changde/zhengfu-bangongshi").years[2020]
    sections = d.reports[0].sections
    found = [s for top in sections for s in top.sections if s.sangong_comparison]
    table = found[0].sangong_comparison
    assert table.total.previous == Decimal("140.74")
    assert table.total.change == Decimal("-25.47")
    budget = next(
        s for top in sections for s in top.sections if s.budget_execution
    ).budget_execution
    assert budget.total.available == Decimal("5566.61")
    assert "经综合自评，得分94分" in "".join(s.body or "" for s in sections)


def test_seed_000_whole_evaluation(seed_site):
    e = unit_of(seed_site, "yueyang/yunxi/zhengfu-bangongshi").years[2020].self_evaluations[0]
    assert e.basic_info.staff_quota == 43 and e.basic_info.staff_actual == 55
    assert e.finances.income[0].total == Decimal("798.38")
    assert e.finances.spending[0].personnel == Decimal("597.05")
    assert e.finances.sangong[0].reception == Decimal("19.92")
    assert e.total_score == Decimal("97") and e.grade == "优秀"
    assert [p.name for p in e.evaluators][0] == "张育锋"
    assert e.quantitative_goals


def test_seed_001_funds_and_indicators(seed_site):
    e = unit_of(seed_site, "yueyang/yunxi/jiguan-shiwu").years[2023].self_evaluations[0]
    assert e.funds.rows[0].initial_budget == Decimal("935.95")
    assert e.funds.rows[0].executed == Decimal("2246.07")
    assert e.funds.rate is None and e.funds.score is None  # blank on the form
    assert e.total_score == Decimal("96") and e.grade == "优"
    assert e.filled_by == "刘媛冶"
    names = [leaf.name for top in e.indicators for mid in top.children for leaf in mid.children]
    assert "公车平台" in [n.strip() for n in names]


def test_seed_003_projects_and_score_sheets(seed_site):
    d = unit_of(seed_site, "yueyang/junshan/jiguan-shiwu").years[2021]
    whole = next(e for e in d.self_evaluations if e.scope == "部门整体")
    assert whole.finances.income[0].total == Decimal("1588.84")
    assert whole.score_sheets[0].total_score == Decimal("99")
    projects = [e.project.name for e in d.self_evaluations if e.scope == "项目"]
    assert projects == ["政务中心租赁费", "公车平台运维费"]
    sheet = next(s for e in d.self_evaluations for s in e.score_sheets if "指标体系" in s.title)
    assert sheet.total_points == Decimal("100")
