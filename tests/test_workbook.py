"""The disclosure workbook read by two independent readers (openpyxl and python-calamine).

For every fixture year file with tables (the Hunan seed and the two Shanghai documents):
every sheet's name, every cell's value and type (number or text), the number format of
amounts and codes, the merged ranges and the column widths, each compared with the grid the
page prints (publisher.grid), placed here on its own. Then text with XML's special
characters and control characters, an amount too long for a double, and byte-identical
output for the same input.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal

import openpyxl
import pytest
from conftest import CONTENT, FIXTURES, REAL
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from publisher.grid import Cell, Grid
from publisher.layout import load_library
from publisher.load import load_content
from publisher.workbook import sheet_names, table_grids, workbook_bytes

# Excel's stored width of a column n characters wide (Calibri 11): n + 5/7 rounded down to 1/256
STORED = {"code": 12.7109375, "index": 6.7109375, "num": 14.7109375, "text": 28.7109375}


def disclosures() -> list:
    layouts = load_library(FIXTURES)
    out = []
    for root in (CONTENT, REAL):
        for unit in load_content(root).all_units():
            for year, d in unit.years.items():
                if d.final_accounts is not None:
                    grids = table_grids(d, layouts.choose(d, unit, None))
                    out.append(pytest.param(grids, id=f"{unit.url}{year}"))
    return out


def placed(g: Grid) -> tuple[dict, set[str], dict[int, float]]:
    """What the sheet of ``g`` should hold: (row, column) → (text, kind, is header), the
    merged ranges, and the width of each column (1-based)."""
    width = max(sum(c.colspan for c in row) for row in g.head + g.body)
    cells: dict = {}
    merges: set[str] = set()
    r = 1

    def merge(r: int, c: int, rows: int, cols: int) -> None:
        if rows > 1 or cols > 1:
            merges.add(f"{get_column_letter(c)}{r}:{get_column_letter(c + cols - 1)}{r + rows - 1}")

    if g.number:
        cells[r, width] = (g.number, "text", False)
        r += 1
    cells[r, 1] = (g.title, "text", False)
    merge(r, 1, 1, width)
    r += 1
    if g.department or g.unit_line:
        if g.department:
            cells[r, 1] = (f"部门：{g.department}", "text", False)
        if g.unit_line:
            cells[r, width] = (g.unit_line, "text", False)
        r += 1
    for rows, header in ((g.head, True), (g.body, False)):
        covered: set = set()
        for offset, row in enumerate(rows):
            c = 1
            for cell in row:
                while (r + offset, c) in covered:
                    c += 1
                cells[r + offset, c] = (cell.text, cell.kind, header)
                merge(r + offset, c, cell.rowspan, cell.colspan)
                covered |= {
                    (r + offset + i, c + j)
                    for i in range(cell.rowspan)
                    for j in range(cell.colspan)
                }
                c += cell.colspan
        r += len(rows)
    for label, text in (("注", g.note), ("说明", g.statement)):
        if text:
            cells[r, 1] = (f"{label}：{text.strip()}", "text", False)
            merge(r, 1, 1, width)
            r += 1
    widths, c = {}, 1
    for cell in max(g.body, key=len) if g.body else []:
        for i in range(cell.colspan):
            widths[c + i] = STORED[cell.kind if cell.colspan == 1 else "text"]
        c += cell.colspan
    return cells, merges, widths


def check_cell(found, text: str, kind: str, header: bool, where: str) -> None:
    value, fmt = found.value, found.number_format
    if kind == "num" and text and not header:
        assert type(value) in (int, float) and Decimal(repr(value)) == Decimal(
            text.replace(",", "")
        ), where
        assert fmt == "#,##0.00", where
    elif kind == "index" and text.isdigit():
        assert type(value) is int and value == int(text), where
    elif text:
        assert value == text and isinstance(value, str), where
        if kind == "code" and not header:
            assert fmt == "@", where
    else:
        assert value is None, where


def widths_of(sheet) -> dict[int, float]:
    return {
        i: d.width
        for d in sheet.column_dimensions.values()
        if d.customWidth
        for i in range(d.min, d.max + 1)
    }


@pytest.mark.parametrize("grids", disclosures())
def test_openpyxl_reads_every_sheet_cell_merge_and_width_as_the_grid(grids):
    data = workbook_bytes(grids)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == sheet_names(grids) and len(grids) == 9
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.sheet_names == book.sheetnames
    numbers = 0
    for g, sheet in zip(grids, book.worksheets, strict=True):
        cells, merges, widths = placed(g)
        for (r, c), (text, kind, header) in cells.items():
            check_cell(sheet.cell(r, c), text, kind, header, f"{sheet.title}!{r},{c}")
            numbers += kind == "num" and bool(text)
        written = {
            (c.row, c.column) for row in sheet.iter_rows() for c in row if c.value is not None
        }
        assert written <= set(cells), sheet.title
        assert {str(m) for m in sheet.merged_cells.ranges} == merges, sheet.title
        assert widths_of(sheet) == widths, sheet.title
        # the body has borders, blank cells too (every cell of the table is written)
        top = max(r for r, _ in cells) - bool(g.note) - bool(g.statement)
        assert sheet.cell(top, 1).border.left.style == "thin", sheet.title
        # python-calamine reads the same values and merges
        rows = calamine.get_sheet_by_name(sheet.title).to_python(skip_empty_area=False)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                mine = sheet.cell(r, c).value
                assert value == ("" if mine is None else mine), (sheet.title, r, c)
        ranges = calamine.get_sheet_by_name(sheet.title).merged_cell_ranges
        assert len(ranges) == len(merges), sheet.title
    assert numbers > 100


def seed_grids() -> list[Grid]:
    return disclosures()[0].values[0]


def test_special_and_control_characters_are_escaped_or_dropped_for_both_readers():
    grids = copy.deepcopy(seed_grids())
    g = grids[0]
    g.title = '收入<&>"支出\x07表'
    g.department = '单位<b>&amp;"名"\x01称'
    g.note = '注意 <i>&</i> "引号"\x0b 结束\n第二行'
    g.body[0][0] = Cell('项目 & <项> "一"\x1f', "text")
    g.body[1][2] = Cell("1,234,567,890,123,456.78", "num")  # 19 digits: kept as text
    g.body[2][0] = Cell("代码_x0041_与_x00e9_", "text")  # read literally, not as A and é
    data = workbook_bytes(grids)
    book = openpyxl.load_workbook(io.BytesIO(data))
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = '收入<&>"支出表'
    assert book.sheetnames[0] == name and calamine.sheet_names[0] == name
    sheet = book[name]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    rows = calamine.get_sheet_by_name(name).to_python()
    read = [v for row in rows for v in row if isinstance(v, str) and v]
    for expected in (
        '收入<&>"支出表',
        '部门：单位<b>&amp;"名"称',
        '注：注意 <i>&</i> "引号" 结束\n第二行',
        '项目 & <项> "一"',
        "1234567890123456.78",
        "代码_x0041_与_x00e9_",
    ):
        assert expected in texts and expected in read, expected


def test_the_same_grids_give_the_same_bytes():
    grids = seed_grids()
    assert workbook_bytes(grids) == workbook_bytes(copy.deepcopy(grids))
