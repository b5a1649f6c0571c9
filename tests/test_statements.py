"""The statement kinds: every wording of every kind is read against its figure, computed
情况说明 read back as consistent, the prose of the real documents is tied to figures (≥ 90%),
and changing any tied prose figure of the two Shanghai documents is caught at its line."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from conftest import CONTENT, REAL, run_cli, unit_of

from publisher import explain
from publisher import statements as st
from publisher.build import check_content
from publisher.checks.kinds import Context
from publisher.checks.prose import RULES_BY_ID, Passage, Reader, coverage, printed_like
from publisher.layout import load_library
from publisher.load import load_content

LAYOUTS = load_library()
SEED_004 = "zhuzhou/shifeng/zhengfu-bangongshi"
SHANGHAI = ["shanghai/putuo/caizhengju", "shanghai/putuo/guihua-ziranziyuan"]


@pytest.fixture(scope="module")
def real_site():
    return load_content(REAL)


@pytest.fixture(scope="module")
def seed_content():
    return load_content(CONTENT)


def context(site, path: str, year: int) -> Context:
    unit = unit_of(site, path)
    d = unit.years[year]
    return Context(d, Decimal("0.01"), LAYOUTS.choose(d, unit, None), unit.years.get(year - 1))


def read(ctx: Context, title: str, body: str) -> Reader:
    return Reader(
        ctx, Passage("final_accounts.explanations[0].body", [title], body, None), RULES_BY_ID
    ).read()


# ------------------------------------------------------------------ sections and kinds


@pytest.mark.parametrize("key", sorted(st.SECTIONS))
def test_section_titles_are_matched_by_meaning(key):
    for title in st.SECTIONS[key].examples:
        assert [k for k, s in st.SECTIONS.items() if s.matches(title)] == [key], title


def test_every_kind_names_a_section_and_a_known_denominator():
    for kind in st.KINDS.values():
        assert kind.section in st.SECTIONS, kind.key
        assert kind.share_of is None or kind.share_of in st.KINDS, kind.key
        assert (
            kind.figure is None
            or kind.figure in st.DERIVED
            or kind.figure.startswith("final_accounts.")
        )


def checked_kinds():
    return [(k.key, w) for k in st.KINDS.values() if k.figure and k.verify for w in k.wordings]


@pytest.mark.parametrize("key,wording", checked_kinds())
def test_every_wording_is_read_against_its_figure(real_site, seed_content, key, wording):
    kind = st.KINDS[key]
    site, path, year = (
        (seed_content, SEED_004, 2020)
        if kind.figure in ("项目自评资金",)
        else (real_site, SHANGHAI[1], 2024)
    )
    ctx = context(site, path, year)
    value = st.value(ctx.disclosure, kind.figure)
    assert value is not None, key
    title = st.SECTIONS[kind.section].examples[-1]
    body = f"本单位{wording} {value:.2f} 万元"
    share = ""
    if kind.share_of:
        whole = st.value(ctx.disclosure, st.KINDS[kind.share_of].figure)
        share = f"{printed_like(value / whole * 100, '0.00')}" if whole else "0.00"
    good = read(ctx, title, body + (f"，占 {share}%。" if share else "。"))
    assert good.findings == [], [f.detail for f in good.findings]
    assert all(n.tied for n in good.numbers.values() if n.unit), key
    bad = read(
        ctx,
        title,
        f"本单位{wording} {value + 1:.2f} 万元"
        + (f"，占 {Decimal(share) + 1}%。" if share else "。"),
    )
    assert [f.rule.id for f in bad.findings] == ["S-TABLE"] * (2 if share else 1), key


@pytest.mark.parametrize("writer", sorted(explain.WRITERS))
def test_computed_explanations_read_back_consistent(real_site, seed_content, writer):
    for site, path, year in [
        (seed_content, SEED_004, 2020),
        (real_site, SHANGHAI[0], 2024),
        (real_site, SHANGHAI[1], 2024),
    ]:
        ctx = context(site, path, year)
        text = explain.WRITERS[writer](ctx.disclosure, ctx.disclosure)
        reader = read(ctx, st.SECTIONS[writer].examples[0], text)
        assert reader.findings == [], (path, writer, [f.detail for f in reader.findings])


@pytest.mark.parametrize(
    "body,rule,expected",
    [
        # 增长100.00% from a base of 0 cannot be computed
        ("机关运行经费支出 2.55 万元，比上年增加 2.55 万元，增长 100.00%。", "S-BASE", None),
        # a 年初预算 of 0 has no completion rate
        ("年初预算为 0 万元，支出决算为 15 万元，完成年初预算的 95.89%。", "S-BASE", None),
        # rates are compared at their printed precision: 95.457 printed 95.45 → 95.46
        (
            "年初预算为 10210.34 万元，支出决算为 9746.50 万元，完成年初预算的 95.45%。",
            "S-RATE",
            Decimal("95.46"),
        ),
        ("年初预算为 10210.34 万元，支出决算为 9746.50 万元，完成全年预算数的 95.5%。", None, None),
        (
            "年初预算为 100 万元，支出决算为 90 万元，完成调整预算的 91.00%。",
            "S-RATE",
            Decimal("90.00"),
        ),
        ("收入支出总计 110 万元。比上年增加 10 万元，增长 9.00%。", "S-RATE", Decimal("10.00")),
        ("收入支出总计 110 万元，较上年增加 10 万元，增长 10.00%。", None, None),
        ("收入支出总计 90 万元，较上一年度减少 10 万元，下降 10.00%。", None, None),
        (
            "收入支出总计 90 万元，与2023年度相比，收入支出总计减少 10 万元，下降（增长）11.00%。",
            "S-RATE",
            Decimal("10.00"),
        ),
        (
            "政府采购金额为 10 万元，其中：货物采购金额 4 万元、工程采购金额 0 万元、服务采购金额 5 万元。",
            "S-SUM",
            Decimal(9),
        ),
    ],
)
def test_rates_and_sums_of_the_prose(real_site, body, rule, expected):
    ctx = context(real_site, SHANGHAI[1], 2024)
    ctx.disclosure = type(ctx.disclosure)(year=2024)  # no tables: the prose alone
    title = (
        "（二）政府采购支出情况"
        if "采购" in body
        else "（一）机关运行经费支出情况"
        if "机关运行" in body
        else "一、收入支出决算总体情况说明"
        if "总计" in body
        else "五、一般公共预算财政拨款支出决算情况说明"
    )
    found = [(f.rule.id, f.expected) for f in read(ctx, title, body).findings]
    assert found == ([(rule, expected)] if rule else []), found


def test_class_shares_name_the_05_rows(real_site):
    ctx = context(real_site, SHANGHAI[0], 2024)
    title = "（二）一般公共预算财政拨款支出决算结构情况"
    reader = read(
        ctx,
        title,
        "一般公共服务支出（类）2106.66万元，占71.65%；住房保障支出（类）445.69万元，占15.16%；",
    )
    assert reader.findings == []
    reader = read(ctx, title, "教育支出（类）10.00万元，占0.34%；")
    assert [f.detail for f in reader.findings] == ["05表无此类"]


# ------------------------------------------------------------------ the real documents


def test_prose_coverage_of_the_real_documents(real_site, seed_content):
    for site, path, year in [
        (seed_content, SEED_004, 2020),
        *[(real_site, p, 2024) for p in SHANGHAI],
    ]:
        found = coverage(context(site, path, year))
        assert found.total > 70 and found.share >= 90, (path, found.share)


def test_real_prose_findings_are_reported():
    outcome = check_content(REAL, LAYOUTS)
    found = {
        (f.data["unit_url"].split("/")[-2], f.rule, Decimal(f.data["found"]))
        for f in outcome.findings
        if f.rule.startswith("S-")
    }
    assert {
        ("caizhengju", "S-TABLE", Decimal("0.3")),
        ("caizhengju", "S-TABLE", Decimal("71.73")),
        ("caizhengju", "S-SUM", Decimal("251.25")),
        ("caizhengju", "S-SUM", Decimal("2993.92")),
        ("guihua-ziranziyuan", "S-TABLE", Decimal("5377.64")),
        ("guihua-ziranziyuan", "S-TABLE", Decimal("4896.98")),
        ("guihua-ziranziyuan", "S-TABLE", Decimal("99.86")),
        ("guihua-ziranziyuan", "S-RATE", Decimal("95.45")),
        ("guihua-ziranziyuan", "S-SUM", Decimal("10210.34")),
        ("guihua-ziranziyuan", "S-SUM", Decimal("2319.21")),
    } <= found
    assert outcome.ok


def bumped(text: str) -> str:
    """A visibly different figure, printed the same way: 251.25 → 252.25, 0% → 1%."""
    value = Decimal(text.replace(",", "")) + 1
    places = len(text.split(".")[1]) if "." in text else 0
    return f"{value:.{places}f}"


@pytest.mark.parametrize(
    "root,path,year",
    [(REAL, SHANGHAI[0], 2024), (REAL, SHANGHAI[1], 2024), (CONTENT, SEED_004, 2020)],
)
def test_mutating_any_tied_prose_figure_is_caught(tmp_path, root, path, year):
    """Each number coverage counts as tied, changed by a visible amount, fails the check at its
    line (Shanghai: both documents, all caught; seed 004 prints integer rates, which hide some)."""
    content = tmp_path / "content"
    top = path.split("/")[0]  # the document's top region is all the check needs
    shutil.copytree(root / top, content / top)
    tied = coverage(context(load_content(root), path, year)).tied
    assert len(tied) > 70
    original = (root / path / f"{year}.yml").read_text(encoding="utf-8").splitlines(keepends=True)
    target = content / path / f"{year}.yml"
    missed = []
    for passage, number in tied:
        place = passage.at(number.start)
        lines = list(original)
        line, col = lines[place.line - 1], place.col - 1
        assert line[col : col + len(number.text)] == number.text, (place, number.text)
        lines[place.line - 1] = line[:col] + bumped(number.text) + line[col + len(number.text) :]
        target.write_text("".join(lines), encoding="utf-8")
        outcome = check_content(content, LAYOUTS)
        output = "\n".join("\n".join(f.lines) for f in outcome.failing)
        if f"{path}/{year}.yml:{place.line}:" not in output:
            missed.append(f"{place} {number.text}")
    assert 1 - len(missed) / len(tied) >= 0.95, missed


@pytest.mark.parametrize(
    "phrase",
    [
        "与上年相比，",
        "与2023年度相比，",
        "与 2023 年度相比，",
        "比上年",
        "较上年",
        "较上一年度",
        "比2023年度",
        "比 2023 年度",
        "比上年决算数",
    ],
)
def test_every_change_wording_is_read(real_site, phrase):
    ctx = context(real_site, SHANGHAI[1], 2024)
    ctx.disclosure = type(ctx.disclosure)(year=2024)
    title = "一、收入支出决算总体情况说明"
    good = read(ctx, title, f"收入支出总计 110 万元，{phrase}增加 10 万元，增长 10.00%。")
    assert good.findings == [] and all(n.tied for n in good.numbers.values() if n.unit)
    bad = read(ctx, title, f"收入支出总计 110 万元，{phrase}增加 10 万元，增长 9.00%。")
    assert [(f.rule.id, f.expected) for f in bad.findings] == [("S-RATE", Decimal("10.00"))]


@pytest.mark.parametrize(
    "phrase", ["完成年初预算的", "完成全年预算数的", "完成调整预算的", "完成预算的"]
)
def test_every_completion_wording_is_read(real_site, phrase):
    ctx = context(real_site, SHANGHAI[1], 2024)
    ctx.disclosure = type(ctx.disclosure)(year=2024)
    title = "五、一般公共预算财政拨款支出决算情况说明"
    good = read(ctx, title, f"年初预算为 100 万元，支出决算为 90 万元，{phrase}90.00%。")
    assert good.findings == [] and all(n.tied for n in good.numbers.values() if n.unit)
    bad = read(ctx, title, f"年初预算为 100 万元，支出决算为 90 万元，{phrase}95.00%。")
    assert [f.rule.id for f in bad.findings] == ["S-RATE"]


def test_a_budget_pair_is_not_read_as_a_statement_of_its_words(real_site):
    ctx = context(real_site, SHANGHAI[1], 2024)
    body = (
        "政府性基金预算财政拨款收入 0.00 万元，支出 0.00 万元。\n\n1、城乡社区支出（类）其他城乡社区支出（款）其他城乡社区支出（项）。"
        "年初预算为 10.00 万元，支出决算为 9.00 万元，完成年初预算的 90.00%。"
    )
    reader = read(ctx, "八、政府性基金预算财政拨款收入支出决算情况说明", body)
    assert reader.findings == [], [f.detail for f in reader.findings]


def test_check_coverage_lists_untied_numbers_where_they_are():
    result = run_cli("check", "--coverage", "real")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "real/shanghai/putuo/caizhengju/2024.yml: 情况说明中的数字 74/79 个已核对（93.7%），5 个未核对"
        in lines
    )
    assert any(
        line.startswith("real/shanghai/putuo/caizhengju/2024.yml:470:")
        and "未核对 246.47万元" in line
        and "面向中小企业预留政府采购项目预算金额" in line
        for line in lines
    )
    assert lines[-2].startswith("情况说明数字核对覆盖率：182/197")


def test_flat_is_read_against_last_year(real_site):
    ctx = context(real_site, SHANGHAI[1], 2024)
    title, body = "一、收入支出决算总体情况说明", "与2023年度相比，收入支出总计持平。"
    ctx.previous = ctx.disclosure
    assert read(ctx, title, body).findings == []
    ctx.previous = unit_of(real_site, SHANGHAI[0]).years[2024]  # another unit: 2995.39
    found = read(
        ctx,
        "七、财政拨款“三公”经费支出决算情况说明",
        "2024年度“三公”经费财政拨款支出决算数与2023年度持平。其中：因公出国（境）费支出决算持平；"
        "公务接待费支出决算持平。",
    ).findings
    assert [(f.rule.id, f.expected) for f in found] == [
        ("S-CHANGE", Decimal("0.39")),
        ("S-CHANGE", Decimal("0.39")),
    ]
    found = read(ctx, title, body).findings
    assert [(f.rule.id, f.expected) for f in found] == [
        ("S-CHANGE", Decimal("9859.38") - Decimal("2995.39"))
    ]
