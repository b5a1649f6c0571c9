"""A disclosure's nine tables as one Excel workbook, in the layout's printed form.

One sheet per table, named by its title: the number label (公开01表) and the title, the
部门 and 单位 lines, the header rows with merged cells exactly as the page's grid
(:func:`publisher.grid.head_of`), the 栏次 row where the layout prints it, the body, then
the 注 and 说明 lines.

The .xlsx file is written directly (the package and its fixed parts in
:mod:`publisher.ooxml`): each sheet's XML is joined from strings, its text in the shared
strings part as Excel itself writes it, every cell of the table given its format (blank
ones too, so the whole table has borders). That costs about a tenth of what a general
writer (XlsxWriter) took, which matters when every page of a province offers a workbook.

Amounts are written as numbers with the format ``#,##0.00``. Excel holds a number as an
IEEE double, which recovers any decimal of at most 15 significant digits exactly (that is
what Excel shows and what a reader rounds back to); an amount has at most 12 integer
digits and two decimals, so every amount is a number equal to the Decimal as printed. An
amount that could not be held so (more than 15 significant digits) would be written as
text instead, never rounded. Codes are text, so ``06`` keeps its leading zero.
"""

from __future__ import annotations

import functools
import io
import re
from decimal import Decimal
from pathlib import Path

from . import grid, ooxml
from .models import Disclosure
from .models.layout import Layout

AMOUNT_FORMAT = "#,##0.00"
EXACT_DIGITS = 15  # significant digits an IEEE double always gives back (DBL_DIG)
SHEET_NAME_LENGTH = 31  # Excel's limit
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WIDTHS = {"code": 12, "index": 6, "num": 14, "text": 28, "head": 14}
# A decimal as money() prints it once its separators are gone: written as the cell's value.
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def exact_as_number(value: Decimal) -> bool:
    """Whether a double holds ``value`` so that it reads back exactly."""
    return len(value.as_tuple().digits) <= EXACT_DIGITS


def sheet_names(grids: list[grid.Grid]) -> list[str]:
    """One sheet name per table: its title, within Excel's rules (31 characters, no
    ``[]:*?/\\``), made unique with a number where two titles would collide."""
    names: list[str] = []
    for g in grids:
        base = (
            ooxml.NOT_XML.sub("", FORBIDDEN.sub("", g.title)).strip()[:SHEET_NAME_LENGTH]
            or g.anchor
        )
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
    strings = ooxml.Strings()
    sheets = [sheet_xml(g, strings, first=i == 0) for i, g in enumerate(grids)]
    return ooxml.package(STYLES, sheet_names(grids), sheets, strings)


def write_workbook(target: Path | io.BytesIO, grids: list[grid.Grid]) -> None:
    data = workbook_bytes(grids)
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)


# ------------------------------------------------------------------ cell formats


class Formats:
    """The cell formats of a table sheet, as indexes into styles.xml's ``cellXfs`` (below):
    0 plain, title bold 14pt centred, header cells bold centred and wrapped, body cells
    bordered (text wrapped, codes as text ``@``, amounts ``#,##0.00``), notes wrapped."""

    meta = 0
    right = 1
    title = 2
    head = 3
    text = 4
    code = 5
    index = 6
    num = 7
    note = 8


# One <xf> per Formats index, in that order: numFmtId 49 is Excel's built-in "@" (text),
# 164 the amount format; fontId 1 is bold 14pt, 2 bold; borderId 1 thin on all sides.
CELL_FORMATS = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment horizontal="right"/></xf>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" '
    'applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>',
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" '
    'applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>',
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" '
    'applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>',
)
FONT = '<sz val="{}"/><name val="Calibri"/><family val="2"/>'
THIN = '<{} style="thin"><color auto="1"/></{}>'
STYLES = (
    f'<styleSheet xmlns="{ooxml.MAIN}"><numFmts count="1">'
    f'<numFmt numFmtId="164" formatCode="{AMOUNT_FORMAT}"/></numFmts>'
    f'<fonts count="3"><font>{FONT.format(11)}</font><font><b/>{FONT.format(14)}</font>'
    f"<font><b/>{FONT.format(11)}</font></fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>'
    + "".join(THIN.format(side, side) for side in ("left", "right", "top", "bottom"))
    + "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(CELL_FORMATS)}">{"".join(CELL_FORMATS)}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
)


# ------------------------------------------------------------------ a sheet


class Sheet:
    """A sheet's cells as XML, row by row, column by column, and its merged ranges."""

    def __init__(self, width: int, strings: ooxml.Strings):
        self.width = width
        self.strings = strings
        self.letters = [column_letter(c) for c in range(width)]
        self.rows: list[list[str]] = []
        self.merges: list[str] = []

    def row(self) -> list[str]:
        """A new row at the bottom, each column empty."""
        cells = [""] * self.width
        self.rows.append(cells)
        return cells

    def put(self, r: int, c: int, style: int, value: str = "", kind: str = "") -> None:
        """A cell: ``kind`` "s" a string (``value`` its text), "n" a number (``value`` as
        written), "" blank with only its style."""
        ref = f"{self.letters[c]}{r + 1}"
        if kind == "s":
            n = self.strings.of(value)
            self.rows[r][c] = f'<c r="{ref}" s="{style}" t="s"><v>{n}</v></c>'
        elif kind == "n":
            self.rows[r][c] = f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
        else:
            self.rows[r][c] = f'<c r="{ref}" s="{style}"/>'

    def merge(self, r: int, c: int, rows: int, cols: int, style: int) -> None:
        """A merged range, every cell it covers blank with the style (so its borders show),
        as Excel writes a merge; the caller then puts the first cell's value."""
        for dr in range(rows):
            for dc in range(cols):
                self.put(r + dr, c + dc, style)
        last = f"{self.letters[c + cols - 1]}{r + rows}"
        self.merges.append(f'<mergeCell ref="{self.letters[c]}{r + 1}:{last}"/>')

    def line(self, text: str, style: int) -> None:
        """A new row at the bottom: ``text`` across the whole width (title, 注, 说明)."""
        r = len(self.rows)
        self.row()
        if self.width > 1:
            self.merge(r, 0, 1, self.width, style)
        self.put(r, 0, style, text, "s")

    def xml(self, columns: str, first: bool) -> str:
        rows = "".join(
            f'<row r="{r}">{"".join(cells)}</row>' for r, cells in enumerate(self.rows, 1)
        )
        merges = (
            f'<mergeCells count="{len(self.merges)}">{"".join(self.merges)}</mergeCells>'
            if self.merges
            else ""
        )
        selected = ' tabSelected="1"' if first else ""
        return (
            f"{ooxml.DECLARATION}{ooxml.WORKSHEET}"
            f'<dimension ref="A1:{self.letters[-1]}{len(self.rows)}"/>'
            f'<sheetViews><sheetView{selected} workbookViewId="0"/></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{columns}<sheetData>{rows}</sheetData>'
            f'{merges}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/></worksheet>'
        )


def column_letter(c: int) -> str:
    """``A`` … ``Z``, ``AA`` … for the 0-based column ``c``."""
    letters = ""
    c += 1
    while c:
        c, rest = divmod(c - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(g: grid.Grid, strings: ooxml.Strings, first: bool) -> str:
    f = Formats
    width = max(sum(c.colspan for c in row) for row in g.head + g.body)
    sheet = Sheet(width, strings)
    if g.number:
        sheet.row()
        sheet.put(0, width - 1, f.right, g.number, "s")
    sheet.line(g.title, f.title)
    if g.department or g.unit_line:
        r = len(sheet.rows)
        sheet.row()
        if g.department:
            sheet.put(r, 0, f.meta, f"部门：{g.department}", "s")
        if g.unit_line:
            sheet.put(r, width - 1, f.right, g.unit_line, "s")
    put_rows(sheet, g.head, header=True)
    put_rows(sheet, g.body, header=False)
    for label, text in (("注", g.note), ("说明", g.statement)):
        if text:
            sheet.line(f"{label}：{text.strip()}", f.note)
    return sheet.xml(columns_xml(g), first)


def put_rows(sheet: Sheet, rows: list[list[grid.Cell]], header: bool) -> None:
    """Rows of cells with their spans merged. Every cell of a table is written, a blank one
    with its style only, so the whole table has its borders."""
    top = len(sheet.rows)
    for _ in rows:
        sheet.row()
    letters, strings = sheet.letters, sheet.strings
    for r in range(top, top + len(rows)):
        cells, number, col = sheet.rows[r], r + 1, 0
        for cell in rows[r - top]:
            while cells[col]:  # covered by a merge from a row above
                col += 1
            style = Formats.head if header else BODY_STYLES.get(cell.kind, Formats.text)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge(r, col, cell.rowspan, cell.colspan, style)
            cells[col] = cell_xml(f"{letters[col]}{number}", cell, style, strings)
            col += cell.colspan


BODY_STYLES = {kind: getattr(Formats, kind) for kind in ("text", "code", "index", "num")}


def cell_xml(ref: str, cell: grid.Cell, style: int, strings: ooxml.Strings) -> str:
    """The ``<c>`` element of a grid cell: amounts and 栏次/行次 numbers as numbers, the
    rest as text; a blank cell with its style only."""
    text = cell.text
    if not text:
        return f'<c r="{ref}" s="{style}"/>'
    if cell.kind == "num":
        value = number_text(text)
        if value is None:  # more digits than a double holds: text, never rounded
            return f'<c r="{ref}" s="{Formats.code}" t="s"><v>{strings.of(plain(text))}</v></c>'
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if cell.kind == "index" and text.isascii() and text.isdigit():
        return f'<c r="{ref}" s="{style}"><v>{int(text)}</v></c>'
    return f'<c r="{ref}" s="{style}" t="s"><v>{strings.of(text)}</v></c>'


@functools.lru_cache(maxsize=4096)  # the same few thousand amounts recur across tables
def number_text(printed: str) -> str | None:
    """An amount as printed (``1,234.50``) as a cell's number as Excel writes it (``1234.5``,
    no trailing zeros, so readers that tell whole numbers from fractions see what they see
    in Excel's own files); None if a double would not give it back exactly."""
    value = plain(printed)
    digits = value.replace("-", "").replace(".", "").lstrip("0")
    if len(digits) > EXACT_DIGITS:
        return None
    return value.rstrip("0").rstrip(".") if "." in value else value


def plain(printed: str) -> str:
    """An amount as printed, without separators, as plain digits (never an exponent)."""
    value = printed.replace(",", "")
    return value if PLAIN_DECIMAL.fullmatch(value) else f"{Decimal(value):f}"


def columns_xml(g: grid.Grid) -> str:
    """Column widths by what the body prints in each column (names wide, amounts narrower)."""
    if not g.body:
        return ""
    cols, col = [], 0
    for cell in max(g.body, key=len):
        kind = cell.kind if cell.colspan == 1 else "text"
        width = stored_width(WIDTHS.get(kind, 14))
        cols.append(
            f'<col min="{col + 1}" max="{col + cell.colspan}" width="{width}" customWidth="1"/>'
        )
        col += cell.colspan
    return f"<cols>{''.join(cols)}</cols>"


def stored_width(characters: int) -> float:
    """A column ``characters`` wide as Excel stores it: the characters of the default font's
    7-pixel digits plus 5 pixels of padding, in 1/256 of a character (ECMA-376 18.3.1.13)."""
    return int((characters * 7 + 5) / 7 * 256) / 256
