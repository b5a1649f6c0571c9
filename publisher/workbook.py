"""A disclosure's nine tables as one Excel workbook, in the layout's printed form.

One sheet per table, named by its title: the number label (公开01表) and the title, the
部门 and 单位 lines, the header rows with merged cells exactly as the page's grid
(:func:`publisher.grid.head_of`), the 栏次 row where the layout prints it, the body, then
the 注 and 说明 lines. Written with XlsxWriter (write-only, fast, full control of merges
and number formats).

Amounts are written as numbers with the format ``#,##0.00``. Excel holds a number as an
IEEE double, which recovers any decimal of at most 15 significant digits exactly (that is
what Excel shows and what a reader rounds back to); an amount has at most 12 integer
digits and two decimals, so every amount is a number equal to the Decimal as printed. An
amount that could not be held so (more than 15 significant digits) would be written as
text instead, never rounded. Codes are text, so ``06`` keeps its leading zero.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from . import grid
from .models import Disclosure
from .models.layout import Layout

AMOUNT_FORMAT = "#,##0.00"
EXACT_DIGITS = 15  # significant digits an IEEE double always gives back (DBL_DIG)
SHEET_NAME_LENGTH = 31  # Excel's limit
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# The workbook's creation time: fixed, so two builds of the same content are byte-identical
# (the zip entries' times are fixed by XlsxWriter itself). A workbook is dated by its year file.
CREATED = datetime(2000, 1, 1, tzinfo=UTC)
WIDTHS = {"code": 12, "index": 6, "num": 14, "text": 28, "head": 14}


def exact_as_number(value: Decimal) -> bool:
    """Whether a double holds ``value`` so that it reads back exactly."""
    return len(value.as_tuple().digits) <= EXACT_DIGITS


def sheet_names(grids: list[grid.Grid]) -> list[str]:
    """One sheet name per table: its title, within Excel's rules (31 characters, no
    ``[]:*?/\\``), made unique with a number where two titles would collide."""
    names: list[str] = []
    for g in grids:
        base = FORBIDDEN.sub("", g.title).strip()[:SHEET_NAME_LENGTH] or g.anchor
        name, n = base, 2
        while name.casefold() in {x.casefold() for x in names}:
            suffix = f"（{n}）"
            name, n = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def table_grids(d: Disclosure, layout: Layout) -> list[grid.Grid]:
    fa = d.final_accounts
    if fa is None:
        return []
    return grid.public_table_grids(fa.tables, layout, fa.department)


def workbook_bytes(grids: list[grid.Grid]) -> bytes:
    """The workbook of these table grids, as the bytes of an .xlsx file."""
    out = io.BytesIO()
    write_workbook(out, grids)
    return out.getvalue()


def write_workbook(target: Path | io.BytesIO, grids: list[grid.Grid]) -> None:
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,  # a name starting with "=" is text, not a formula
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(target, options)
    book.set_properties({"created": CREATED})
    formats = Formats(book)
    for g, name in zip(grids, sheet_names(grids), strict=True):
        write_sheet(book.add_worksheet(name), g, formats)
    book.close()


class Formats:
    """The few cell formats of a table sheet, created once per workbook."""

    def __init__(self, book: Any):
        border = {"border": 1, "valign": "vcenter"}
        self.title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
        self.meta = book.add_format({})
        self.right = book.add_format({"align": "right"})
        self.head = book.add_format({**border, "bold": True, "align": "center", "text_wrap": True})
        self.text = book.add_format({**border, "text_wrap": True})
        self.code = book.add_format({**border, "num_format": "@"})
        self.index = book.add_format({**border, "align": "center"})
        self.num = book.add_format({**border, "num_format": AMOUNT_FORMAT})
        self.grid = book.add_format({"border": 1})
        self.note = book.add_format({"text_wrap": True, "valign": "top"})


def write_sheet(sheet: Any, g: grid.Grid, f: Formats) -> None:
    width = max(sum(c.colspan for c in row) for row in g.head + g.body)
    r = 0
    if g.number:
        sheet.write_string(r, width - 1, g.number, f.right)
        r += 1
    span(sheet, r, 0, 1, width, g.title, f.title)
    r += 1
    if g.department or g.unit_line:
        if g.department:
            sheet.write_string(r, 0, f"部门：{g.department}", f.meta)
        if g.unit_line:
            sheet.write_string(r, width - 1, g.unit_line, f.right)
        r += 1
    r = write_rows(sheet, r, g.head, f, header=True)
    top = r
    r = write_rows(sheet, r, g.body, f, header=False)
    if r > top:
        # Blank body cells are not written (they are half of a table's cells and of the time
        # it takes to write it); one conditional format draws their borders instead.
        sheet.conditional_format(top, 0, r - 1, width - 1, {"type": "no_errors", "format": f.grid})
    for label, text in (("注", g.note), ("说明", g.statement)):
        if text:
            span(sheet, r, 0, 1, width, f"{label}：{text.strip()}", f.note)
            r += 1
    widths(sheet, g)


def write_rows(sheet: Any, r: int, rows: list[list[grid.Cell]], f: Formats, header: bool) -> int:
    """Rows of cells with their spans merged; returns the next free row."""
    taken: set[tuple[int, int]] = set()
    for offset, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r + offset, col) in taken:
                col += 1
            fmt = f.head if header else getattr(f, cell.kind, f.text)
            if cell.rowspan > 1 or cell.colspan > 1:
                span(sheet, r + offset, col, cell.rowspan, cell.colspan, "", fmt)
                taken |= {
                    (r + offset + dr, col + dc)
                    for dr in range(cell.rowspan)
                    for dc in range(cell.colspan)
                }
            write_cell(sheet, r + offset, col, cell, fmt, f)
            col += cell.colspan
    return r + len(rows)


def write_cell(sheet: Any, r: int, c: int, cell: grid.Cell, fmt: Any, f: Formats) -> None:
    if cell.kind == "num" and cell.text:
        value = Decimal(cell.text.replace(",", ""))
        if exact_as_number(value):
            sheet.write_number(r, c, float(value), fmt)
        else:
            sheet.write_string(r, c, str(value), f.code)
    elif cell.kind == "index" and cell.text.isdigit():
        sheet.write_number(r, c, int(cell.text), fmt)
    elif cell.text:
        sheet.write_string(r, c, cell.text, fmt)
    elif cell.kind == "head":
        sheet.write_blank(r, c, None, fmt)


def span(sheet: Any, r: int, c: int, rows: int, cols: int, text: str, fmt: Any) -> None:
    if rows == 1 and cols == 1:
        sheet.write_string(r, c, text, fmt)
    else:
        sheet.merge_range(r, c, r + rows - 1, c + cols - 1, text, fmt)


def widths(sheet: Any, g: grid.Grid) -> None:
    """Column widths by what the body prints in each column (names wide, amounts narrower)."""
    if not g.body:
        return
    col = 0
    for cell in max(g.body, key=len):
        kind = cell.kind if cell.colspan == 1 else "text"
        sheet.set_column(col, col + cell.colspan - 1, WIDTHS.get(kind, 14))
        col += cell.colspan
