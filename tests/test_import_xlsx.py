"""publisher export → publisher import: Excel workbooks in the layouts' printed form.

Every fixture year file with tables (the Hunan seeds and the two Shanghai documents) is
exported, imported into a new unit folder beside it, loaded with the normal loader, and its
tables compared with the original figure by figure. Workbooks changed the way finance
software exports them (sheets shuffled, blank rows and columns, numbers as text, number
labels in the titles) still import; bad input is refused in Chinese, exit 1, nothing written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import CONTENT, REAL, copy_project, run_cli
from python_calamine import CalamineWorkbook
from test_import_printed import figure_paths

from publisher.importer.commands import export, import_file
from publisher.layout import load_library
from publisher.load import load_content, load_part
from publisher.scaffold import write_unit_file


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The fixture project with the Shanghai documents added to its content."""
    root = copy_project(tmp_path_factory.mktemp("import"))
    shutil.copytree(REAL, root / "content", dirs_exist_ok=True)
    return root


def year_files() -> list:
    out = []
    for root in (CONTENT, REAL):
        for unit in load_content(root).all_units():
            for year, d in unit.years.items():
                if d.final_accounts is not None:
                    out.append(pytest.param(unit.url, year, id=f"{unit.url}{year}"))
    return out


def loaded(path: Path):
    part = load_part(path)
    assert part.site.problems == []
    unit = next(u for u in part.site.all_units() if u.directory == path.parent)
    return unit, unit.years[int(path.stem)]


def tables_of(project: Path, path: Path):
    unit, d = loaded(path)
    layout = load_library(project).choose(d, unit, None)
    return layout, d.final_accounts.tables, d.final_accounts.department


def effective(tables, department, key: str) -> tuple:
    """What a table prints besides its figures: department line, note, statement."""
    table = getattr(tables, key)
    return (
        table.department or department,
        (table.note or "").strip(),
        (table.statement or "").strip(),
    )


def round_trip(project: Path, unit_url: str, year: int, tmp: Path, name: str) -> tuple:
    original = project / "content" / unit_url / f"{year}.yml"
    layout, tables, department = tables_of(project, original)
    book = tmp / f"{name}.xlsx"
    export(book, original, project / "site_config.yml")
    out = original.parent.parent / name / f"{year}.yml"
    import_file(
        book,
        out,
        project / "site_config.yml",
        layout.id,
        name=f"测试单位{name}",
        new_unit=write_unit_file,
    )
    _, back, back_department = tables_of(project, out)
    return layout, tables, department, back, back_department, out


@pytest.mark.parametrize("unit_url,year", year_files())
def test_export_then_import_gives_the_same_tables_figure_by_figure(
    project, unit_url, year, tmp_path
):
    layout, tables, department, back, back_department, out = round_trip(
        project, unit_url, year, tmp_path, f"rt-{year}"
    )
    compared = 0
    for tl in layout.tables:
        original = getattr(tables, tl.table)
        if original is None:
            assert getattr(back, tl.table) is None
            continue
        paths = list(figure_paths(original))
        assert list(figure_paths(getattr(back, tl.table))) == paths, tl.table
        assert effective(back, back_department, tl.table) == effective(tables, department, tl.table)
        compared += len(paths)
    assert compared > 100
    text = out.read_text(encoding="utf-8")
    assert "status: draft" in text and "# 由 publisher import" in text
    shutil.rmtree(out.parent)


def sheets(book: Path) -> list[tuple[str, list[list]]]:
    wb = CalamineWorkbook.from_path(str(book))
    return [(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names]


def write_book(path: Path, sheets_: list[tuple[str, list[list]]]) -> None:
    """Sheets as another program writes them (openpyxl), plain values only."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets_:
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in ("", None):
                    sheet.cell(r + 1, c + 1, value)
    book.save(path)


def finance_software_style(rows: list[list], index: int) -> list[list]:
    """A sheet as another program might write it: two blank rows and a blank column before the
    table, the title with its number label and spaces, a blank row under the header, every
    second amount as text with thousands separators, three blank rows at the end."""
    out = [[], []]
    for r, row in enumerate(rows):
        new = [""] + list(row)
        if r == 0:
            new = [""] + [f"公开{index + 1:02d}表  {x}" if x else x for x in row]
        for c, value in enumerate(new):
            if isinstance(value, float) and (r + c) % 2:
                new[c] = f"{value:,.2f}"
        out.append(new)
    return out + [[], [], []]


def test_shuffled_sheets_blank_rows_and_text_numbers_still_import(project, tmp_path):
    unit_url = "shanghai/putuo/guihua-ziranziyuan/"
    original = project / "content" / unit_url / "2024.yml"
    layout, tables, _ = tables_of(project, original)
    book = tmp_path / "plain.xlsx"
    export(book, original, project / "site_config.yml")
    changed = [
        (f"Sheet{i + 1}", finance_software_style(rows, i))
        for i, (_, rows) in enumerate(sheets(book))
    ]
    changed.reverse()
    messy = tmp_path / "messy.xlsx"
    write_book(messy, changed)
    out = original.parent.parent / "messy" / "2024.yml"
    import_file(
        messy,
        out,
        project / "site_config.yml",
        layout.id,
        name="测试单位",
        new_unit=write_unit_file,
    )
    _, back, _ = tables_of(project, out)
    for tl in layout.tables:
        assert list(figure_paths(getattr(back, tl.table))) == list(
            figure_paths(getattr(tables, tl.table))
        ), tl.table
    shutil.rmtree(out.parent)


@pytest.fixture()
def workbook(project, tmp_path) -> Path:
    book = tmp_path / "book.xlsx"
    export(
        book, project / "content/shanghai/putuo/caizhengju/2024.yml", project / "site_config.yml"
    )
    return book


def import_cli(project: Path, book: Path, out: str, *extra: str):
    return run_cli(
        "import", str(book), "--out", out, "--layout", "shanghai-2024-fenlie", *extra, cwd=project
    )


def refused(result, project: Path, out: str, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert not (project / out).exists()
    assert not (project / out).parent.exists() or not any((project / out).parent.iterdir())


def test_a_missing_sheet_is_named(project, workbook, tmp_path):
    kept = [s for s in sheets(workbook) if s[0] != "收入决算表"]
    book = tmp_path / "missing.xlsx"
    write_book(book, kept)
    out = "content/shanghai/putuo/missing/2024.yml"
    result = import_cli(project, book, out, "--name", "测试单位")
    refused(result, project, out, "找不到02表“收入决算表”", "工作簿中有")


def test_text_in_an_amount_cell_names_sheet_and_cell(project, workbook, tmp_path):
    changed = sheets(workbook)
    name, rows = changed[1]
    rows[5][4] = "壹佰元"
    book = tmp_path / "text.xlsx"
    write_book(book, changed)
    out = "content/shanghai/putuo/text/2024.yml"
    result = import_cli(project, book, out, "--name", "测试单位")
    refused(result, project, out, f"工作表“{name}”E6", "应为金额", "壹佰元")


def test_a_file_that_is_not_a_workbook(project, tmp_path):
    book = tmp_path / "fake.xlsx"
    book.write_text("这不是工作簿", encoding="utf-8")
    out = "content/shanghai/putuo/fake/2024.yml"
    result = import_cli(project, book, out, "--name", "测试单位")
    refused(result, project, out, "不是可以读取的 Excel 工作簿")


def test_an_existing_year_file_is_not_written_over_without_force(project, workbook):
    target = project / "content/shanghai/putuo/caizhengju/2024.yml"
    before = target.read_bytes()
    result = import_cli(project, workbook, "content/shanghai/putuo/caizhengju/2024.yml")
    assert result.returncode == 1 and "已存在" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == before


def test_a_new_unit_needs_its_name(project, workbook):
    out = "content/shanghai/putuo/noname/2024.yml"
    refused(import_cli(project, workbook, out), project, out, "--name")


def test_review_lists_what_was_read_failing_checks_and_doubts_with_their_lines(
    project, workbook, tmp_path
):
    changed = sheets(workbook)
    name, rows = changed[4]  # 05表: a dash where a figure would be
    at = next(r for r, row in enumerate(rows) if row and row[0] == "201")
    rows[at][6] = "—"
    book = tmp_path / "dash.xlsx"
    write_book(book, changed)
    out = "content/shanghai/putuo/dash/2024.yml"
    result = import_cli(project, book, out, "--name", "测试单位")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert "读取结果：9 张表" in report and "未通过" in report and "[T06-CLASS]" in report
    doubt = next(line for line in report.splitlines() if "按空白记录" in line)
    line = int(doubt.split(":")[1])
    text = (project / out).read_text(encoding="utf-8").splitlines()
    assert "# 待核对" in text[line - 2] and "按空白记录" in text[line - 2]
    assert '{code: "201"' in text[line - 1] and "project" not in text[line - 1]
    shutil.rmtree((project / out).parent)


def test_pdf_import_is_dispatched_to_the_pdf_reader(project, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    out = "content/shanghai/putuo/pdf/2024.yml"
    result = import_cli(project, pdf, out, "--name", "测试单位")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (project / out).exists()


def test_export_refuses_to_write_over_a_workbook(project, workbook):
    result = run_cli(
        "export", str(workbook), "content/shanghai/putuo/caizhengju/2024.yml", cwd=project
    )
    assert result.returncode == 1 and "已存在" in result.stderr


def test_export_cli_writes_one_sheet_per_table_with_merged_headers(project, tmp_path):
    book = tmp_path / "cli.xlsx"
    result = run_cli(
        "export", str(book), "content/zhuzhou/shifeng/zhengfu-bangongshi/2020.yml", cwd=project
    )
    assert result.returncode == 0, result.stderr
    wb = CalamineWorkbook.from_path(str(book))
    assert len(wb.sheet_names) == 9 and wb.sheet_names[0] == "收入支出决算总表"
    sheet = wb.get_sheet_by_name("收入支出决算总表")
    rows = sheet.to_python(skip_empty_area=False)
    assert rows[0][-1] == "公开01表" and rows[1][0] == "收入支出决算总表"
    assert rows[2][0].startswith("部门：") and rows[2][-1] == "单位：万元"
    assert rows[3][:4] == ["收入", "", "", "支出"] and rows[5][0] == "栏次"
    merged = sheet.merged_cell_ranges
    assert ((3, 0), (3, 2)) in merged and ((3, 3), (3, 5)) in merged
    assert rows[6][2] == 606.71  # a number, formatted #,##0.00


def test_a_workbook_in_another_layout_gets_the_layout_named(project, workbook):
    """caizhengju prints its codes in 类/款/项 columns; read with the region's single-column
    layout, the headers do not fit, and the message names the layout that does."""
    out = "content/shanghai/putuo/layout/2024.yml"
    result = run_cli("import", str(workbook), "--out", out, "--name", "测试单位", cwd=project)
    refused(
        result, project, out, "表头中找不到“功能分类科目编码”列", "--layout shanghai-2024-fenlie"
    )
