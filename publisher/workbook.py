"""A disclosure's nine tables as one Excel workbook, in the layout's printed form.

One sheet per table, named by its title: the number label (公开01表) and the title, the
部门 and 单位 lines, the header rows with merged cells exactly as the page's grid
(:func:`publisher.grid.head_of`), the 栏次 row where the layout prints it, the body, then
the 注 and 说明 lines.

The .xlsx file (Office Open XML, ECMA-376) is written directly: a zip of a few XML parts.
Every part but the sheets and their strings is the same for every workbook (only the sheet
names vary), so those are fixed text here; each sheet is joined from strings, its text in
one shared-strings part as Excel itself writes it. A workbook costs about a tenth of what a
general writer (XlsxWriter) took, which matters when every page of a province offers one.

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
import zipfile
from decimal import Decimal
from pathlib import Path

from . import grid
from .models import Disclosure
from .models.layout import Layout

AMOUNT_FORMAT = "#,##0.00"
EXACT_DIGITS = 15  # significant digits an IEEE double always gives back (DBL_DIG)
SHEET_NAME_LENGTH = 31  # Excel's limit
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# The workbook's creation time and its zip entries' times: fixed, so two builds of the same
# content are byte-identical. A workbook is dated by its year file.
CREATED = "2000-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
# Deflate level 1: the parts are small and repetitive, so it already gives most of the
# size of level 6 in well under half the time (measured on the benchmark sample).
COMPRESSLEVEL = 1
WIDTHS = {"code": 12, "index": 6, "num": 14, "text": 28, "head": 14}
# Characters XML 1.0 cannot hold (control characters other than tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF): dropped from editors' text.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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
        base = NOT_XML.sub("", FORBIDDEN.sub("", g.title)).strip()[:SHEET_NAME_LENGTH] or g.anchor
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
    names = sheet_names(grids)
    strings = Strings()
    sheets = [sheet_xml(g, strings, first=i == 0) for i, g in enumerate(grids)]
    parts = fixed_parts(names)
    parts += [(f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, 1)]
    parts.append(("xl/sharedStrings.xml", strings.xml()))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as z:
        for name, xml in parts:
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # as Excel writes it, whatever system builds the site
            z.writestr(entry, xml.encode("utf-8"), compresslevel=COMPRESSLEVEL)


# ------------------------------------------------------------------ text


def xml_text(text: str) -> str:
    """Text as XML character data: ``&<>`` escaped, characters XML cannot hold dropped."""
    if NOT_XML.search(text):
        text = NOT_XML.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def xml_attribute(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


class Strings:
    """The workbook's shared strings: each distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def of(self, text: str) -> int:
        self.count += 1
        n = self.index.get(text)
        if n is None:
            n = self.index[text] = len(self.index)
        return n

    def xml(self) -> str:
        items = "".join(map(string_item, self.index))
        return (
            f'{DECLARATION}<sst xmlns="{MAIN}" count="{self.count}" '
            f'uniqueCount="{len(self.index)}">{items}</sst>'
        )


def string_item(text: str) -> str:
    # Excel trims leading and trailing spaces and newlines unless told to keep them.
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<si><t{space}>{xml_text(text)}</t></si>"


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
    f'<styleSheet xmlns="{{main}}"><numFmts count="1">'
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


# ------------------------------------------------------------------ the fixed parts

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/><Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    "{sheets}"
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
    "</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{}.xml" ContentType="'
    + SPREADSHEET
    + '.worksheet+xml"/>'
)
ROOT_RELS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{PACKAGE}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE}/relationships/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>'
)
APP = (
    f'<Properties xmlns="{OFFICE}/extended-properties" xmlns:vt="{OFFICE}/docPropsVTypes">'
    "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>"
    '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
    "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4>"
    '</vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{count}" '
    'baseType="lpstr">{names}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate>'
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "<AppVersion>12.0000</AppVersion></Properties>"
)
CORE = (
    f'<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:modified>'
    "</cp:coreProperties>"
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}/relationships">'
    "<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>"
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">{{sheets}}'
    f'<Relationship Id="rIdStyles" Type="{OFFICE}/relationships/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdStrings" Type="{OFFICE}/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_REL = (
    '<Relationship Id="rId{0}" Type="' + OFFICE + '/relationships/worksheet" '
    'Target="worksheets/sheet{0}.xml"/>'
)


def fixed_parts(names: list[str]) -> list[tuple[str, str]]:
    """Every part but the sheets and their strings: fixed text with the sheets listed."""
    numbers = range(1, len(names) + 1)
    sheets = "".join(
        f'<sheet name="{xml_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in zip(numbers, names, strict=True)
    )
    titles = "".join(f"<vt:lpstr>{xml_text(name)}</vt:lpstr>" for name in names)
    parts = [
        (
            "[Content_Types].xml",
            CONTENT_TYPES.format(sheets="".join(map(SHEET_TYPE.format, numbers))),
        ),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/app.xml", APP.format(count=len(names), names=titles)),
        ("docProps/core.xml", CORE),
        ("xl/workbook.xml", WORKBOOK.format(sheets=sheets)),
        (
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(sheets="".join(map(SHEET_REL.format, numbers))),
        ),
        ("xl/styles.xml", STYLES.format(main=MAIN)),
    ]
    return [(name, DECLARATION + xml) for name, xml in parts]


# ------------------------------------------------------------------ a sheet


class Sheet:
    """A sheet's cells as XML, row by row, column by column, and its merged ranges."""

    def __init__(self, width: int, strings: Strings):
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
            f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{OFFICE}/relationships">'
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


def sheet_xml(g: grid.Grid, strings: Strings, first: bool) -> str:
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
    for offset, row in enumerate(rows):
        r, col = top + offset, 0
        cells = sheet.rows[r]
        for cell in row:
            while cells[col]:  # covered by a merge from a row above
                col += 1
            style = Formats.head if header else getattr(Formats, cell.kind, Formats.text)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge(r, col, cell.rowspan, cell.colspan, style)
            put_cell(sheet, r, col, cell, style)
            col += cell.colspan


def put_cell(sheet: Sheet, r: int, c: int, cell: grid.Cell, style: int) -> None:
    text = cell.text
    if cell.kind == "num" and text:
        plain = text.replace(",", "")
        if not PLAIN_DECIMAL.fullmatch(plain):
            plain = decimal_text(plain)
        digits = plain.replace("-", "").replace(".", "").lstrip("0")
        if len(digits) <= EXACT_DIGITS:
            # as Excel writes a number: no trailing zeros (1234.5, 0), so readers that tell
            # whole numbers from fractions see what they would in Excel's own file
            sheet.put(r, c, style, plain.rstrip("0").rstrip(".") if "." in plain else plain, "n")
        else:
            sheet.put(r, c, Formats.code, plain, "s")
    elif cell.kind == "index" and text.isascii() and text.isdigit():
        sheet.put(r, c, style, str(int(text)), "n")
    elif text:
        sheet.put(r, c, style, text, "s")
    else:
        sheet.put(r, c, style)


def decimal_text(text: str) -> str:
    """An amount printed otherwise (``1E+3``) as plain digits."""
    return f"{Decimal(text):f}"


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
