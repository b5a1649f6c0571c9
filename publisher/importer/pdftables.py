"""Find the layout's tables in a PDF and read their body rows as printed.

A table is found by its printed title (and number label, when the layout prints one), in a
line above a ruled table or in the table's first cell; the ruled table must carry the
layout's header (:mod:`.pdfheader`). The leaf columns' x-ranges then place every body cell.
A table continues on the next page when that page starts with a ruled table that repeats
the header, or whose cells line up with its columns and that prints no other title; a row
the page break cuts in two is joined again. Text printed inside the table's frame below
the body (注：…) goes with the table; other text in the frame ends it.

The result is what :func:`publisher.importer.printed.table_from_rows` reads: one text per
printed leaf column (None for a blank cell), amounts as printed.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field

from .. import terms
from ..models.layout import TableLayout
from .pdfheader import (
    TOLERANCE,
    Placed,
    header_cells,
    header_doubts,
    is_title,
    key,
    place_header,
    recognised,
)
from .pdfpages import Box, Cell, Line, Page, Ruled, cells_of

NOTE_LABEL = re.compile(r"^\s*(注|说明)\s*[:：]")
PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*(页)?(\s*/\s*(共\s*)?\d+\s*页?)?[-—–\s]*$")


@dataclass
class CellNote:
    """Something to tell the editor about one printed cell: its body row and leaf column."""

    row: int
    leaf: int
    text: str
    why: str
    page: int


@dataclass
class Found:
    """One table as printed: body rows (text per leaf column) and what was uncertain."""

    tl: TableLayout
    rows: list[list[str | None]] = field(default_factory=list)
    notes: list[CellNote] = field(default_factory=list)
    header_doubts: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    title_line: Line | None = None
    before: list[Line] = field(default_factory=list)  # between title and table (部门：…)
    after: list[Line] = field(default_factory=list)  # lines printed below it (注、说明)
    regions: list[tuple[int, Box]] = field(default_factory=list)  # page, box read as table


# ------------------------------------------------------------------ text helpers


def is_significant(line: Line) -> bool:
    """A printed line that is more than a page number."""
    return not PAGE_NUMBER.match(line.text)


# ------------------------------------------------------------------ titles


def body_rows(
    page: Page,
    grid: list[list[Cell | None]],
    placed: list[Placed],
    shift: float,
    found: Found,
    top: float,
) -> bool:
    """Append the body rows of one page's part of the table to ``found``, and the region
    they take (from ``top``). A row that is one cell across the whole table is text printed
    inside the table's frame: a 注 or 说明 goes with the table; other text ends the table
    (the frame goes on around the next part). Returns whether the table ended here."""
    start = min(p.bottom for p in placed)
    left, right = min(p.x0 for p in placed) + shift, max(p.x1 for p in placed) + shift
    labels = {key(p.column.label) for p in placed if p.column.figure in terms.LABEL_FIGURES}
    labels |= {part.split(":")[1] for part in terms.CODE_PARTS}
    bottom, ended = top, False
    for row in grid:
        present = [c for c in row if c is not None]
        if not present or min(c.box[1] for c in present) < start - TOLERANCE:
            continue
        if len(present) == 1 and present[0].text and spans(present[0], left, right):
            if not NOTE_LABEL.match(present[0].text):
                ended = bool(found.rows)
                if ended:
                    break
                continue
            found.after += page.lines_within(present[0].box)
            continue
        if not found.rows and sub_header(present, labels):
            continue  # header cells the layout does not have (类 款 under one 编码 column)
        row_top = min(c.box[1] for c in present)
        bottom = max(bottom, max(c.box[3] for c in present))
        texts: list[str | None] = [None] * len(placed)
        taken: set[int] = set()
        for j, p in enumerate(placed):
            if row_top < p.bottom - TOLERANCE:
                continue  # still this column's header (类 款 项 beside the 合计 row)
            cell = None
            if p.column.figure in ("code", "line"):  # 类 款 项 printed under one 编码 column
                cell = joined(present, p.x0 + shift, p.x1 + shift)
            cell = cell or covering(present, p.x0 + shift, p.x1 + shift)
            if cell is None or id(cell) in taken:
                continue
            taken.add(id(cell))
            texts[j] = cell_text(cell, p, found, page.number, j)
        found.rows.append(texts)
        found.pages.append(page.number)
    x0 = min((c.box[0] for row in grid for c in row if c), default=left)
    x1 = max((c.box[2] for row in grid for c in row if c), default=right)
    found.regions.append((page.number, (x0, top, x1, bottom)))
    return ended


def sub_header(cells: list[Cell], labels: set[str]) -> bool:
    """Whether a row above the body prints only the labels of label columns (the layout's,
    or 类 款 项)."""
    texts = [key(c.text) for c in cells if c.text]
    return bool(texts) and all(t in labels for t in texts)


def spans(cell: Cell, left: float, right: float) -> bool:
    return cell.box[0] <= left + TOLERANCE and cell.box[2] >= right - TOLERANCE


def covering(cells: list[Cell], x0: float, x1: float) -> Cell | None:
    """The cell over most of the column [x0, x1], if it covers half of it or more."""
    best, best_overlap = None, (x1 - x0) / 2
    for c in cells:
        overlap = min(c.box[2], x1) - max(c.box[0], x0)
        if overlap >= best_overlap:
            best, best_overlap = c, overlap
    return best


def joined(cells: list[Cell], x0: float, x1: float) -> Cell | None:
    """The cells printed side by side within the column [x0, x1], as one cell (a code
    printed as 类, 款 and 项 under a layout's single code column)."""
    parts = sorted(
        (c for c in cells if x0 <= (c.box[0] + c.box[2]) / 2 <= x1), key=lambda c: c.box[0]
    )
    if len(parts) < 2 or any(c.text and not c.text.isdigit() for c in parts):
        return None  # not a code in parts (the 类 款 项 labels themselves, say)
    box = (
        parts[0].box[0],
        min(c.box[1] for c in parts),
        parts[-1].box[2],
        max(c.box[3] for c in parts),
    )
    return Cell(box, ["".join(c.text for c in parts)])


def cell_text(cell: Cell, p: Placed, found: Found, page: int, leaf: int) -> str | None:
    """A body cell as printed: a name keeps its line breaks (the table reader joins them
    and says so); figures lose the spaces of print; two lines in a figure cell are noted."""
    if not cell.text:
        return None
    figure = p.column.figure
    if figure == "name":
        return "\n".join(cell.lines)
    if figure in terms.LABEL_FIGURES:
        return re.sub(r"\s+", "", cell.text)
    if len(cell.lines) > 1:
        found.notes.append(
            CellNote(
                len(found.rows), leaf, cell.text, f"一格中印有多行：{' / '.join(cell.lines)}", page
            )
        )
    return unicodedata.normalize("NFKC", cell.text).replace(" ", "")


def drop_numbers_row(found: Found, placed: list[Placed], first: int = 0) -> None:
    """Remove the 栏次 row (栏次 under the label columns, 1, 2, 3 … under the figures) among
    the first rows from ``first`` (a header printed again on a later page repeats it)."""
    for i, row in enumerate(found.rows[first : first + 2], start=first):
        figures = [
            t
            for t, p in zip(row, placed, strict=True)
            if p.column.figure not in terms.LABEL_FIGURES
        ]
        labels = [
            t for t, p in zip(row, placed, strict=True) if p.column.figure in terms.LABEL_FIGURES
        ]
        numbered = [t for t in figures if t] == [str(n + 1) for n in range(len(figures))]
        if numbered or any(t and key(t) == "栏次" for t in labels):
            del found.rows[i], found.pages[i]
            found.notes = [n for n in found.notes if n.row != i]
            for n in found.notes:
                n.row -= n.row > i
            return


def join_split_rows(found: Found, first: int, placed: list[Placed]) -> None:
    """Join the row a page break cut in two: the first row of a continued page (``first``)
    goes into the last row of the page before when they have no column in common and it is
    blank, or (功能分类 tables) neither is a whole row with its code and its name."""
    if first == 0 or first >= len(found.rows):
        return
    a, b = found.rows[first - 1], found.rows[first]
    if any(x and y for x, y in zip(a, b, strict=True)):
        return
    labels = [j for j, p in enumerate(placed) if p.column.figure in terms.LABEL_FIGURES]
    if terms.SHAPES[found.tl.table] == "classified":
        parts = not all(a[j] for j in labels) and not all(b[j] for j in labels)
    else:
        parts = False
    if any(b) and not parts:
        return
    found.rows[first - 1] = [x or y for x, y in zip(a, b, strict=True)]
    del found.rows[first]
    page = found.pages.pop(first)
    for n in found.notes:
        n.row -= n.row >= first
    if any(b):
        leaf = next((j for j in labels if placed[j].column.figure == "name"), 0)
        found.notes.append(CellNote(first - 1, leaf, "", "此行跨页印制，已合并", page))


def drop_blank_rows(found: Found) -> None:
    """Leave out rows with nothing printed in them (the rest of a frame at a page's foot,
    spacer rows): they carry no figure and no name."""
    keep = [i for i, row in enumerate(found.rows) if any(row)]
    moved = {old: new for new, old in enumerate(keep)}
    found.notes = [n for n in found.notes if n.row in moved]
    for n in found.notes:
        n.row = moved[n.row]
    found.rows = [found.rows[i] for i in keep]
    found.pages = [found.pages[i] for i in keep]


# ------------------------------------------------------------------ across the document


@dataclass
class Start:
    """Where a table was recognised: its title line, ruled table and placed header."""

    page: int  # index into pages
    table: Ruled
    placed: list[Placed]
    title: Line
    header_top: float


def find_table(
    pages: list[Page], tl: TableLayout, claimed: set[int], others: list[TableLayout]
) -> Found | None:
    """The first printing of ``tl`` whose ruled table carries its header, with every page
    it continues on; None when the document has none. ``claimed``: ruled tables already
    read as another table (by id); ``others``: the layout's tables, whose titles end it."""
    start = locate(pages, tl, claimed)
    if start is None:
        return None
    found = Found(tl, title_line=start.title)
    found.header_doubts = header_doubts(start.placed)
    found.before = lines_between(pages[start.page], start.title, start.header_top)
    index, table, placed, shift = start.page, start.table, start.placed, 0.0
    top = start.title.top
    while True:
        claimed.add(id(table))
        first = len(found.rows)
        ended = body_rows(pages[index], cells_of(pages[index], table), placed, shift, found, top)
        if tl.column_numbers and placed[0].bottom > float("-inf"):
            drop_numbers_row(found, placed, first)
        join_split_rows(found, first, placed)
        top = 0.0
        following = None if ended else continuation(pages, index, table)
        if following is None or titled(pages[following[0]], following[1], others):
            break
        grid = cells_of(pages[following[0]], following[1])
        again = place_header(tl, header_cells(grid), following[1].bbox)
        if recognised(again):  # the header printed again
            next_placed, next_shift = again, 0.0
        else:
            next_shift = shift + aligned_shift(table, following[1])
            if not aligned(grid, placed, next_shift):
                break
            next_placed = [dataclasses.replace(p, bottom=float("-inf")) for p in placed]
        (index, table), placed, shift = following, next_placed, next_shift
    drop_blank_rows(found)
    if not ended:
        found.after += lines_after(pages[index], table)
    return found


def locate(pages: list[Page], tl: TableLayout, claimed: set[int]) -> Start | None:
    """The first title of ``tl`` with its header in the ruled table below it, or in the
    table whose first cell holds it."""
    for index, page in enumerate(pages):
        for line in page.all_lines:
            if not is_title(line, tl):
                continue
            below = [
                t
                for t in page.tables
                if id(t) not in claimed
                and t.bbox[3] > line.bottom
                and (t.bbox[1] >= line.bottom - TOLERANCE or t.bbox[1] <= line.top + TOLERANCE)
            ]
            if not below:
                continue
            table = min(below, key=lambda t: abs(t.bbox[1] - line.bottom))
            cells = [c for c in header_cells(cells_of(page, table)) if c.box[1] >= line.top]
            placed = place_header(tl, cells, table.bbox, max(table.bbox[1], line.bottom))
            if recognised(placed):
                header_top = min((c.box[1] for c in cells), default=table.bbox[1])
                return Start(index, table, placed, line, header_top)
    return None


def continuation(pages: list[Page], index: int, table: Ruled) -> tuple[int, Ruled] | None:
    """The ruled table that continues ``table`` on the next page: nothing but page numbers
    may be printed below ``table`` or above the next page's first table."""
    page = pages[index]
    if any(is_significant(ln) and ln.top >= table.bbox[3] - TOLERANCE for ln in page.lines):
        return None
    later = [t for t in page.tables if t.bbox[1] > table.bbox[3]]
    if later or index + 1 >= len(pages) or not pages[index + 1].tables:
        return None
    following = pages[index + 1]
    first = min(following.tables, key=lambda t: t.bbox[1])
    if any(is_significant(ln) and ln.bottom <= first.bbox[1] + TOLERANCE for ln in following.lines):
        return None
    return index + 1, first


def titled(page: Page, table: Ruled, layouts: list[TableLayout]) -> bool:
    """Whether a table's cells print the title of one of ``layouts`` (it is a new table)."""
    x0, top, x1, bottom = table.bbox
    inside = [ln for ln in page.all_lines if top <= ln.top and ln.bottom <= bottom + 1]
    return any(is_title(ln, tl) for ln in inside for tl in layouts)


def aligned(grid: list[list[Cell | None]], placed: list[Placed], shift: float) -> bool:
    """Whether every cell of a table without a header starts and ends where the placed
    leaf columns do (the same table going on, not another one)."""
    starts = [p.x0 + shift for p in placed]
    ends = [p.x1 + shift for p in placed]
    near = 2 * TOLERANCE
    return all(
        any(abs(c.box[0] - x) <= near for x in starts)
        and any(abs(c.box[2] - x) <= near for x in ends)
        for row in grid
        for c in row
        if c is not None
    )


def aligned_shift(before: Ruled, after: Ruled) -> float:
    """How far a continued table moved right on its next page (0 unless just moved)."""
    same_width = abs((after.bbox[2] - after.bbox[0]) - (before.bbox[2] - before.bbox[0]))
    return after.bbox[0] - before.bbox[0] if same_width <= TOLERANCE else 0.0


def lines_between(page: Page, title: Line, header_top: float) -> list[Line]:
    """The lines printed between a title and its header (部门：…, 单位：万元)."""
    return [ln for ln in page.all_lines if title.bottom <= ln.top and ln.bottom <= header_top + 1]


def lines_after(page: Page, table: Ruled) -> list[Line]:
    """The lines printed below a table on its last page, up to the next ruled table."""
    later = [t.bbox[1] for t in page.tables if t.bbox[1] > table.bbox[3]]
    limit = min(later, default=float("inf"))
    return [ln for ln in page.all_lines if table.bbox[3] - 1 <= ln.top < limit]
