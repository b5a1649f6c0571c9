"""PDF import (``publisher import FILE.pdf``): the two published Shanghai 2024 PDFs of
../shared/real/ read back into year files equal, figure by figure, to their hand
transcriptions (tests/fixtures/real); the blank template gives a draft of blank tables; a
scanned PDF, a file that is not a PDF and a PDF that is no 部门决算 are refused with a
Chinese message and nothing written; a seed page printed by the site (a document the
importer was not developed on) is read back with every figure.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, REAL, ROOT, SEED_004, run_cli, serving

from publisher.importer import Draft
from publisher.importer.draft import write_draft
from publisher.importer.pdf import MissingTables, read
from publisher.importer.pdfpages import PdfError
from publisher.importer.pdfprose import number
from publisher.layout import load_library
from publisher.load import load_content, load_part
from publisher.models.paths import figures

SHARED = ROOT.parent / "shared" / "real"  # the published PDFs, beside the repository
DOCUMENTS = {  # unit folder → (PDF, layout)
    "caizhengju": ("putuo-caizhengju-2024.pdf", "shanghai-2024-fenlie"),
    "guihua-ziranziyuan": ("putuo-guihua-ziranziyuan-2024.pdf", "shanghai-2024"),
}
LAYOUTS = load_library()


def shared_pdf(name: str) -> Path:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"needs {path} (the published PDFs in shared/real beside the repository)")
    return path


def flat(sections, prefix: str = "") -> list[tuple[str, str]]:
    """(title path, body without whitespace) of every section, depth first."""
    out = []
    for s in sections:
        title = prefix + (s.title or "")
        out.append((title, squeeze(s.body)))
        out += flat(s.sections, title + " / ")
    return out


def squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def paragraphs(sections) -> list[list[str]]:
    out = []
    for s in sections:
        out.append([squeeze(p) for p in (s.body or "").split("\n\n") if p.strip()])
        out += paragraphs(s.sections)
    return out


def loaded(draft: Draft, folder: Path, year: int, layout: str):
    """The draft written as a year file in a scratch content tree, read by the normal loader."""
    unit = folder / "content" / "r" / "u"
    unit.mkdir(parents=True, exist_ok=True)
    (folder / "content" / "r" / "region.yml").write_text("name: 测试区\n", encoding="utf-8")
    (unit / "unit.yml").write_text(f"name: {draft.unit or '测试单位'}\n", encoding="utf-8")
    draft.data = {"year": year, "layout": layout, **draft.data}
    write_draft(draft, unit / f"{year}.yml", force=True)
    part = load_part(unit / f"{year}.yml")
    assert not part.site.problems, part.site.problems
    return next(d for _, d in part.site.disclosures())


@pytest.fixture(scope="module")
def transcribed():
    return {unit.slug: d for unit, d in load_content(REAL).disclosures()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Each Shanghai PDF read and loaded back: slug → (draft, disclosure)."""
    out = {}
    for slug, (name, layout) in DOCUMENTS.items():
        draft = read(shared_pdf(name), LAYOUTS.get(layout))
        out[slug] = (draft, loaded(draft, tmp_path_factory.mktemp(slug), 2024, layout))
    return out


# ------------------------------------------------------------------ the Shanghai PDFs


@pytest.mark.parametrize("slug", sorted(DOCUMENTS))
def test_every_table_figure_is_the_transcribed_one(imported, transcribed, slug):
    want = {p: v for p, v, _, _ in figures(transcribed[slug].final_accounts.tables)}
    got = {p: v for p, v, _, _ in figures(imported[slug][1].final_accounts.tables)}
    same = [p for p in want if got.get(p) == want[p]]
    print(f"{slug}: {len(same)}/{len(want)} table figures as transcribed")
    assert {p: got.get(p) for p in want if p not in same} == {}
    assert set(got) == set(want)  # nothing read that the page does not print
    assert all(isinstance(v, Decimal) for v in got.values())


@pytest.mark.parametrize("slug", sorted(DOCUMENTS))
def test_rows_codes_names_and_notes_are_the_transcribed_ones(imported, transcribed, slug):
    want, got = transcribed[slug].final_accounts.tables, imported[slug][1].final_accounts.tables
    for key in ("t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09"):
        a, b = getattr(want, key), getattr(got, key)
        assert (a.note, a.statement) == (b.note, b.statement), key
        for field in ("rows", "income", "expenditure"):
            rows_a, rows_b = getattr(a, field, []), getattr(b, field, [])
            assert [(getattr(r, "code", None), r.name) for r in rows_a] == [
                (getattr(r, "code", None), r.name) for r in rows_b
            ], (key, field)


@pytest.mark.parametrize("slug", sorted(DOCUMENTS))
def test_explanations_are_the_transcribed_text(imported, transcribed, slug):
    want = transcribed[slug].final_accounts.explanations
    got = imported[slug][1].final_accounts.explanations
    same = sum(a == b for a, b in zip(flat(want), flat(got)))
    print(f"{slug}: {same}/{len(flat(want))} 情况说明 sections equal after whitespace is removed")
    assert flat(got) == flat(want)
    assert paragraphs(got) == paragraphs(want)  # the same paragraphs too


@pytest.mark.parametrize("slug", sorted(DOCUMENTS))
def test_title_overview_and_glossary_are_the_transcribed_ones(imported, transcribed, slug):
    draft, got = imported[slug]
    want = transcribed[slug]
    assert (got.year, got.title, got.final_accounts.title) == (
        want.year,
        want.title,
        want.final_accounts.title,
    )
    assert draft.unit == {u.slug: u.info.name for u in load_content(REAL).all_units()}[slug]
    assert flat(got.overview) == flat(want.overview)
    assert [(g.term, squeeze(g.definition)) for g in got.glossary] == [
        (g.term, squeeze(g.definition)) for g in want.glossary
    ]


def test_doubts_name_their_page_and_a_path_in_the_draft(imported):
    draft, _ = imported["guihua-ziranziyuan"]
    assert draft.doubts
    assert all(d.path.startswith("final_accounts.tables.t0") for d in draft.doubts)
    assert all(d.page and 7 <= d.page <= 19 for d in draft.doubts)  # the table pages
    assert any("合并" in d.why for d in draft.doubts)  # names broken across lines


def test_the_importer_names_no_document(transcribed):
    """Nothing in the PDF reader is fitted to the two documents: no unit name, no figure."""
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "publisher" / "importer").glob("pdf*.py")
    )
    for d in transcribed.values():
        assert d.title not in code
        for _, value, _, _ in figures(d.final_accounts.tables):
            if value >= 100:
                assert f"{value:,.2f}" not in code and f"{value:.2f}" not in code
    for unit in load_content(REAL).all_units():
        assert unit.info.name not in code


# ------------------------------------------------------------------ other PDFs


def test_the_blank_template_gives_blank_tables():
    draft = read(shared_pdf("shanghai-2024-template.pdf"), LAYOUTS.get("shanghai-2024"))
    tables = draft.data["final_accounts"]["tables"]
    assert list(tables) == ["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09"]
    assert not any(isinstance(v, Decimal) for v in walk(tables))  # every figure blank
    assert tables["t01"]["income"][0]["name"] == "一、一般公共预算财政拨款收入"
    assert len(draft.data["final_accounts"]["explanations"]) == 11
    assert [g["term"] for g in draft.data["glossary"]][:2] == ["财政拨款收入", "事业收入"]


def walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)
    else:
        yield value


def test_number_reads_chinese_numerals():
    assert [number(n) for n in ("一", "九", "十", "十一", "二十", "二十三", "12")] == [
        1,
        9,
        10,
        11,
        20,
        23,
        12,
    ]


def text_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with a text layer (Helvetica, ASCII): a PDF that is no 部门决算."""
    stream = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({t}) Tj 0 -16 Td" for t in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(out)
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF of one page image and no text layer, as a scanner makes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(image).rectangle((60, 100, 540, 400), outline="black")
    image.save(path, "PDF")
    return path


@pytest.fixture
def project(tmp_path):
    """A content tree with the Shanghai region and no year file for the PDF yet."""
    shutil.copytree(FIXTURES / "content", tmp_path / "content")
    shutil.copy(FIXTURES / "site_config.yml", tmp_path / "site_config.yml")
    shutil.copytree(REAL / "shanghai", tmp_path / "content" / "shanghai")
    shutil.rmtree(tmp_path / "content" / "shanghai" / "putuo" / "caizhengju")
    return tmp_path


OUT = "content/shanghai/putuo/caizhengju/2024.yml"


def test_import_command_writes_a_commented_draft_checks_it_and_reports(project):
    pdf = shared_pdf(DOCUMENTS["caizhengju"][0])
    result = run_cli(
        "import", str(pdf), "--layout", "shanghai-2024-fenlie", "--out", OUT, cwd=project
    )
    assert result.returncode == 0, result.stderr
    text = (project / OUT).read_text(encoding="utf-8")
    assert "status: draft" in text and "# 待核对：" in text
    unit = (project / OUT).parent / "unit.yml"
    assert "上海市普陀区财政局" in unit.read_text(encoding="utf-8")  # from the cover
    report = result.stdout
    assert "读取结果：9 张表" in report and "195 个数字" in report and "名词解释 11 条" in report
    assert "核对：" in report and "T06-PUBLIC" in report  # the document's own inconsistency
    assert re.search(rf"{re.escape(OUT)}:\d+: .*合并", report)  # doubts with file:line
    again = run_cli(
        "import", str(pdf), "--layout", "shanghai-2024-fenlie", "--out", OUT, cwd=project
    )
    assert again.returncode == 1 and "已存在" in again.stderr and "--force" in again.stderr
    assert (project / OUT).read_text(encoding="utf-8") == text


def refused(project: Path, pdf: Path, *extra: str):
    result = run_cli(
        "import", str(pdf), "--layout", "shanghai-2024", "--out", OUT, *extra, cwd=project
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (project / OUT).exists() and not (project / OUT).parent.exists()
    return result.stderr


def test_scanned_pdf_is_refused(project, tmp_path):
    message = refused(project, scanned_pdf(tmp_path / "scan.pdf"), "--name", "某单位")
    assert "扫描件" in message and "没有文字层" in message and "scan.pdf" in message


def test_file_that_is_not_a_pdf_is_refused(project, tmp_path):
    fake = tmp_path / "report.pdf"
    fake.write_text("这不是 PDF", encoding="utf-8")
    assert "不是可读的 PDF" in refused(project, fake, "--name", "某单位")


def test_pdf_that_is_no_final_accounts_says_which_tables_are_missing(project, tmp_path):
    pdf = text_pdf(tmp_path / "letter.pdf", ["Annual report", "Nothing about accounts here"])
    message = refused(project, pdf, "--name", "某单位")
    assert "没有找到" in message and "09表“国有资本经营预算财政拨款收入支出决算表”" in message
    assert "一张表也没有找到" in message and "--partial" in message and "--layout" in message


def test_missing_tables_are_drafted_only_when_asked(project, tmp_path):
    """A layout whose 09表 title the PDF does not print: refused, or with --partial a draft
    that says at the tables what is missing, and the checks report the missing table."""
    layout = (ROOT / "publisher" / "layouts" / "shanghai-2024-fenlie.yml").read_text(
        encoding="utf-8"
    )
    (project / "layouts").mkdir()
    (project / "layouts" / "other.yml").write_text(
        layout.replace("id: shanghai-2024-fenlie", "id: other")
        + "  - table: t09\n    title: 另一个表\n    columns:\n"
        "      - {label: 科目名称, figure: name}\n      - {label: 合计, figure: total}\n",
        encoding="utf-8",
    )
    pdf = shared_pdf(DOCUMENTS["caizhengju"][0])
    args = ["import", str(pdf), "--layout", "other", "--out", OUT]
    result = run_cli(*args, cwd=project)
    assert result.returncode == 1 and "09表“另一个表”" in result.stderr
    assert not (project / OUT).exists()
    result = run_cli(*args, "--partial", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / OUT).read_text(encoding="utf-8")
    assert "# 待核对：PDF 中没有找到09表“另一个表”" in text and "t09:" not in text
    assert "未通过" in result.stdout


def test_reader_errors_are_publisher_errors():
    assert issubclass(MissingTables, PdfError)


# ------------------------------------------------------------------ a document never seen


PRINTED = {  # page of the fixture site → (layout, the year file it shows)
    f"{SEED_004}2020/": ("hunan-2020", FIXTURES / "content" / SEED_004 / "2020.yml"),
    "shanghai/putuo/caizhengju/2024/": (
        "shanghai-2024-fenlie",
        REAL / "shanghai" / "putuo" / "caizhengju" / "2024.yml",
    ),
    "shanghai/putuo/guihua-ziranziyuan/2024/": (
        "shanghai-2024",
        REAL / "shanghai" / "putuo" / "guihua-ziranziyuan" / "2024.yml",
    ),
}


@pytest.mark.browser
@pytest.mark.parametrize("url", sorted(PRINTED))
def test_a_page_printed_by_the_site_reads_back(browser, seed_build, tmp_path, url):
    """A disclosure page as the site prints it (print stylesheet, A4, headless Chromium),
    imported with its layout: a kind of PDF the reader was not developed on (each table in
    a frame with its title and 注 inside, headers and 栏次 repeated on every page, no
    第X部分 headings). Every figure comes back, and the text but for at most two sections:
    Chromium's text layer gives 户 as 戶 (U+6236), and the page adds its own 〔按表计算：…〕
    notes, which are left out of the comparison."""
    layout, year_file = PRINTED[url]
    with serving(seed_build) as base:
        page = browser.new_page()
        page.goto(f"{base}/{url}")
        pdf = tmp_path / "printed.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        page.close()
    draft = read(pdf, LAYOUTS.get(layout))
    got = loaded(draft, tmp_path, int(year_file.stem), layout)
    want = next(d for _, d in load_part(year_file).site.disclosures())
    a = {p: v for p, v, _, _ in figures(want.final_accounts.tables)}
    b = {p: v for p, v, _, _ in figures(got.final_accounts.tables)}
    print(f"{url} printed: {sum(b.get(p) == v for p, v in a.items())}/{len(a)} figures")
    assert b == a
    site_notes = re.compile(r"〔按表计算：[^〕]*〕")
    for name, x, y in (
        ("情况说明", want.final_accounts.explanations, got.final_accounts.explanations),
        ("单位概况", want.overview, got.overview),
    ):
        pairs = [(p, (t, site_notes.sub("", body))) for p, (t, body) in zip(flat(x), flat(y))]
        same = sum(p == q for p, q in pairs)
        print(f"{url} printed: {same}/{len(flat(x))} {name} sections equal")
        assert len(flat(y)) == len(flat(x))
        assert same >= len(pairs) - 2, [q for p, q in pairs if p != q]
    assert [g.term for g in got.glossary] == [g.term for g in want.glossary]


def test_a_layout_that_does_not_fit_is_refused_with_the_one_that_does(project):
    pdf = shared_pdf(DOCUMENTS["caizhengju"][0])
    result = run_cli("import", str(pdf), "--layout", "hunan-2020", "--out", OUT, cwd=project)
    assert result.returncode == 1 and not (project / OUT).exists()
    assert "05表“公开05表 一般公共预算财政拨款支出决算表”" in result.stderr  # its title differs
    assert "是不是应加 --layout shanghai-2024-fenlie？" in result.stderr
