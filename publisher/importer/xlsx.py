"""Excel workbooks (.xlsx and old .xls, read with python-calamine) → a :class:`Draft`.

One sheet per table, in the layout's printed form: what ``publisher export`` writes, and
what finance software exports. Each table's sheet is found by its printed title (in a cell
of its first rows, or the sheet's name), whatever the sheet order, with whitespace, quote
marks and number labels such as 公开01表 ignored. Below the title come the 部门 and 单位
lines, the header rows (cells that are the layout's column labels), the 栏次 row, then the
body; the leaf columns are located by their labels, so blank columns and rows in between
do not matter. The body rows go to :func:`publisher.importer.printed.table_from_rows`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import terms
from ..errors import PublisherError
from ..grid import printed_columns, tree_depth
from ..models.layout import Column, Layout, TableLayout, leaves
from . import Doubt, Draft
from .printed import UnreadableCells, table_from_rows

HEAD_ROWS = 12  # the title is looked for in a sheet's first rows
NUMBER_LABEL = re.compile(r"(?:公开|附)?[0-9０-９]+表|表[一二三四五六七八九十0-9]+|^[0-9]+[、.．]")
QUOTES = re.compile(r"[“”‘’\"'「」『』〝〞]")
NOTE = re.compile(r"^\s*(注|说明|备注)\s*[:：]\s*")
META = re.compile(r"^\s*(部门|单位|编制单位|金额单位)\s*[:：]")
FLOAT_NOISE = Decimal("1e-9")


class WorkbookError(PublisherError):
    """A workbook that cannot be imported: every problem, each with its sheet and cell."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def a1(row: int, col: int) -> str:
    """A cell's Excel reference (0-based row and column → ``B7``)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def normal(text: str) -> str:
    """Text reduced for comparing titles and labels: width folded, no spaces or quotes."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", QUOTES.sub("", text))


def title_key(text: str) -> str:
    return normal(NUMBER_LABEL.sub("", unicodedata.normalize("NFKC", text)))


@dataclass
class Sheet:
    name: str
    cells: list[list[Any]]

    def text(self, r: int, c: int) -> str:
        row = self.cells[r] if r < len(self.cells) else []
        value = row[c] if c < len(row) else None
        return "" if value is None else str(value).strip()

    def row_texts(self, r: int) -> list[str]:
        return [self.text(r, c) for c in range(len(self.cells[r]))]

    def blank_row(self, r: int) -> bool:
        return not any(self.row_texts(r))


def open_workbook(path: Path) -> list[Sheet]:
    """Every sheet's cells; a file that is not a workbook is a clear error."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append(Sheet(name, [list(row) for row in cells]))
        return sheets
    except Exception as error:  # calamine raises its own errors, zip and XML errors alike
        cause = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise WorkbookError(
            [f"{path}: 不是可以读取的 Excel 工作簿（应为 .xlsx 或 .xls 文件，读取时出错：{cause}）"]
        ) from None


# ------------------------------------------------------------------ finding the tables


def match(tl: TableLayout, sheet: Sheet) -> tuple[float, int | None]:
    """How well ``sheet`` is ``tl``'s (0 = not at all) and the row of its title (None: the
    sheet's name matched)."""
    want = title_key(tl.title)
    best: tuple[float, int | None] = (0.0, None)
    for r in range(min(HEAD_ROWS, len(sheet.cells))):
        for text in sheet.row_texts(r):
            key = title_key(text)
            score = 0.0
            if key == want:
                score = 3.0
            elif key.endswith(want):
                score = 2.0 - (len(key) - len(want)) / 1000
            elif want in key and len(key) < 3 * len(want):
                score = 1.0 - (len(key) - len(want)) / 1000
            if score > best[0]:
                best = (score, r)
    if best[0] < 3.0 and title_key(sheet.name) == want:
        best = (2.5, None)
    return best


def assign(layout: Layout, sheets: list[Sheet]) -> dict[str, tuple[Sheet, int | None]]:
    """Each table's sheet: the best matches first, each sheet used once."""
    offers = [
        (score, i, j, row)
        for i, tl in enumerate(layout.tables)
        for j, sheet in enumerate(sheets)
        for score, row in [match(tl, sheet)]
        if score > 0
    ]
    chosen: dict[str, tuple[Sheet, int | None]] = {}
    used: set[int] = set()
    for _, i, j, row in sorted(offers, key=lambda o: (-o[0], o[1], o[2])):
        key = layout.tables[i].table
        if key not in chosen and j not in used:
            chosen[key] = (sheets[j], row)
            used.add(j)
    return chosen


# ------------------------------------------------------------------ one table's sheet


@dataclass
class Found:
    data: dict
    doubts: list[Doubt]
    department: str | None


def labels_of(columns: list[Column]) -> set[str]:
    out = set()
    for c in columns:
        out.add(normal(c.label))
        out |= labels_of(c.columns)
    return out


def is_numbers_row(texts: list[str]) -> bool:
    """The 栏次 row: 栏次/行次 labels and 1, 2, 3 … in order."""
    numbers = [t for t in texts if t and normal(t) not in ("栏次", "行次")]
    expected = [str(i + 1) for i in range(len(numbers))]
    return bool(numbers) and [number_text(t) for t in numbers] == expected


def number_text(text: str) -> str:
    return text[:-2] if text.endswith(".0") else text


class SheetReader:
    def __init__(self, path: Path, tl: TableLayout, sheet: Sheet, title_row: int | None):
        self.path, self.tl, self.sheet = path, tl, sheet
        self.title_row = title_row
        self.problems: list[str] = []

    def where(self, r: int, c: int) -> str:
        return f"{self.path}：工作表“{self.sheet.name}”{a1(r, c)}"

    def problem(self, r: int, c: int, message: str) -> None:
        self.problems.append(f"{self.where(r, c)}：{message}")

    def read(self) -> Found | None:
        sheet, tl = self.sheet, self.tl
        start = 0 if self.title_row is None else self.title_row + 1
        department, r = None, start
        known = labels_of(printed_columns(tl)) | {"栏次", "行次"}
        while r < len(sheet.cells) and not self.header_like(r, known):
            for text in sheet.row_texts(r):
                if text.startswith("部门") and META.match(text):
                    department = META.sub("", text).strip() or None
            r += 1
        head_start = r
        limit = tree_depth(printed_columns(tl))  # a 合计 row without figures is label-only too
        while r < len(sheet.cells) and r - head_start < limit and self.header_like(r, known):
            r += 1
        if r == head_start:
            self.problem(
                start, 0, f"找不到{tl.title}的表头（应为表样的表头：{self.leaf_labels()}）"
            )
            return None
        if tl.column_numbers and r < len(sheet.cells) and is_numbers_row(sheet.row_texts(r)):
            r += 1
        columns = self.columns(head_start, r)
        if columns is None:
            return None
        body, notes = self.body(r)
        rows = [[self.value(row, c, leaf) for c, leaf in columns] for row in body]
        try:
            data, doubts = table_from_rows(tl, rows)
        except UnreadableCells as error:
            for bad in error.cells:
                self.problem(
                    body[bad.row] if bad.row < len(body) else r,
                    columns[bad.column][0] if bad.column < len(columns) else 0,
                    f"{terms.table_label(tl.table)}{tl.title}："
                    f"应为{bad.expected}，实为 {bad.text!r}",
                )
            return None
        for label, key in (("注", "note"), ("说明", "statement")):
            if notes.get(label):
                data[key] = notes[label]
        return Found(data, doubts, department)

    def leaf_labels(self) -> str:
        return "、".join(c.label for c in leaves(printed_columns(self.tl)))

    def header_like(self, r: int, known: set[str]) -> bool:
        texts = [t for t in self.sheet.row_texts(r) if t]
        return bool(texts) and all(normal(t) in known for t in texts)

    def columns(self, top: int, bottom: int) -> list[tuple[int, Column]] | None:
        """Each leaf column's sheet column, found by its label left to right in the header."""
        found: list[tuple[int, Column]] = []
        width = max((len(self.sheet.cells[r]) for r in range(top, bottom)), default=0)
        c = 0
        for leaf in leaves(printed_columns(self.tl)):
            want = normal(leaf.label)
            while c < width and all(
                normal(self.sheet.text(r, c)) != want for r in range(top, bottom)
            ):
                c += 1
            if c == width:
                self.problem(
                    top,
                    0,
                    f"表头中找不到“{leaf.label}”列（应为表样的各列，从左到右：{self.leaf_labels()}）",
                )
                return None
            found.append((c, leaf))
            c += 1
        return found

    def body(self, r: int) -> tuple[list[int], dict[str, str]]:
        """The body rows from ``r`` (blank rows at either end left out) and the 注/说明 lines."""
        rows, notes = [], {}
        while r < len(self.sheet.cells):
            texts = [t for t in self.sheet.row_texts(r) if t]
            note = NOTE.match(texts[0]) if len(texts) == 1 else None
            if note:
                notes[note.group(1) if note.group(1) != "备注" else "注"] = NOTE.sub("", texts[0])
            elif not notes:
                rows.append(r)
            r += 1
        while rows and self.sheet.blank_row(rows[-1]):
            rows.pop()
        while rows and self.sheet.blank_row(rows[0]):
            rows.pop(0)
        return rows, notes

    def value(self, r: int, c: int, leaf: Column) -> str | None:
        """A cell as printed text: numbers as the sheet shows them (amounts to the cent,
        codes with their leading zeros)."""
        row = self.sheet.cells[r]
        value = row[c] if c < len(row) else None
        figure = leaf.figure or ""
        if value is None or value == "":
            return None
        if isinstance(value, bool) or isinstance(value, (datetime, date, time, timedelta)):
            return str(value)
        if isinstance(value, (int, float)):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if figure in terms.CODE_PARTS:
                width = terms.CODE_PARTS[figure].stop - terms.CODE_PARTS[figure].start
                return f"{int(number):0{width}d}" if number == int(number) else str(number)
            if figure in ("code", "line"):
                return str(int(number)) if number == int(number) else str(number)
            cents = number.quantize(Decimal("0.01"))
            return str(cents) if abs(cents - number) < FLOAT_NOISE else str(number)
        return str(value)


# ------------------------------------------------------------------ the workbook


def read(path: Path, layout: Layout) -> Draft:
    """The draft of the workbook at ``path``, its tables read as ``layout`` prints them.
    Raises :class:`WorkbookError` with every problem (sheet and cell named)."""
    sheets = open_workbook(path)
    chosen = assign(layout, sheets)
    problems: list[str] = []
    tables: dict[str, dict] = {}
    doubts: list[Doubt] = []
    departments: dict[str, str] = {}
    for tl in layout.tables:
        if tl.table not in chosen:
            if tl.required:
                names = "、".join(f"“{s.name}”" for s in sheets) or "没有工作表"
                problems.append(
                    f"{path}：找不到{terms.table_label(tl.table)}“{tl.title}”（应有一张工作表，"
                    f"其标题或名称为“{tl.title}”；工作簿中有：{names}）"
                )
            continue
        sheet, title_row = chosen[tl.table]
        reader = SheetReader(path, tl, sheet, title_row)
        found = reader.read()
        problems += reader.problems
        if found is not None:
            tables[tl.table] = found.data
            doubts += found.doubts
            if found.department:
                departments[tl.table] = found.department
    if problems:
        raise WorkbookError(problems)
    final_accounts: dict[str, Any] = {}
    common = max(set(departments.values()), key=list(departments.values()).count, default=None)
    if common:
        final_accounts["department"] = common
    for key, name in departments.items():
        if name != common:
            tables[key] = {"department": name} | tables[key]
    final_accounts["tables"] = {k: tables[k] for k in terms.TABLES if k in tables}
    return Draft(path, {"final_accounts": final_accounts}, doubts)
