"""Find the layout's tables in a PDF and read their body rows as printed.

A table is found by its printed title (and number label, when the layout prints one); the
ruled table below the title must carry the layout's header: each column of the column tree
is looked for, top-down and left to right, among the header cells (a label may wrap inside
its cell, or be printed in two stacked cells, e.g. 功能分类 / 科目编码). A label printed
differently from the layout (公务用车运行费 for 公务用车运行维护费) is matched by similarity
or, failing that, by position among its siblings, and the guess is recorded as a doubt. The
leaf columns' x-ranges then place every body cell. A table continues on the next page when
that page starts with a ruled table, whether or not it repeats the header; a row the page
break cuts in two is joined again.

The result is what :func:`publisher.importer.printed.table_from_rows` reads: one text per
printed leaf column (None for a blank cell), amounts as printed.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from .. import terms
from ..grid import printed_columns
from ..models.layout import Column, TableLayout
from .pdfpages import Box, Line, Page, Ruled

TOLERANCE = 2.0  # points: rules and cell edges closer than this are the same edge
SIMILAR = 0.6  # difflib ratio above which a printed label is taken for the layout's
NOTE_LABEL = re.compile(r"^\s*(注|说明)\s*[:：]")
PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*(页)?(\s*/\s*(共\s*)?\d+\s*页?)?[-—–\s]*$")


@dataclass
class Cell:
    box: Box
    lines: list[str]

    @property
    def text(self) -> str:
        return join_lines(self.lines)


@dataclass
class Placed:
    """A leaf column located on the page: its x-range and the bottom of its header cell."""

    column: Column
    x0: float
    x1: float
    bottom: float
    how: str  # exact | similar | position | guessed | missing
    printed: str = ""  # the label as printed, when it differs


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


def key(text: str) -> str:
    """A label as compared: no spaces or quotes, full-width forms folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\"'“”‘’「」:：]", "", text)


def join_lines(lines: list[str]) -> str:
    """The lines of one cell as one text: a name broken across lines is one name, and
    letter-spaced Han characters (因 公 出 国) lose their spaces."""
    text = "".join(lines)
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text).strip()


def cells_of(page: Page, table: Ruled) -> list[list[Cell | None]]:
    grid: list[list[Cell | None]] = []
    for row in table.rows:
        grid.append(
            [
                None if box is None else Cell(box, [ln.text for ln in page.lines_in(box)])
                for box in row
            ]
        )
    return grid


def is_significant(line: Line) -> bool:
    """A printed line that is more than a page number."""
    return not PAGE_NUMBER.match(line.text)


# ------------------------------------------------------------------ titles


def title_keys(tl: TableLayout) -> set[str]:
    title = key(tl.title)
    keys = {title}
    if tl.number:
        number = key(tl.number)
        keys |= {number + title, title + number}
    return keys


def is_title(line: Line, tl: TableLayout) -> bool:
    """Whether ``line`` prints the table's title: the title alone, or with its number label,
    or after an ordinal (一、) or a unit name ending in the title (…局收入支出决算总表 is
    the table 收入支出决算总表, not 财政拨款收入支出决算总表: the text before must not be
    part of a longer declared title, which the caller checks by trying longer titles first)."""
    text = key(line.text)
    if text in title_keys(tl):
        return True
    stripped = re.sub(
        r"^([一二三四五六七八九十]+[、.]|\d+[、.]|表[一二三四五六七八九十\d]+)", "", text
    )
    return stripped in title_keys(tl)


# ------------------------------------------------------------------ the header


def header_cells(grid: list[list[Cell | None]]) -> list[Cell]:
    return [c for row in grid for c in row if c is not None and c.text]


def within(cell: Cell, x0: float, x1: float) -> bool:
    middle = (cell.box[0] + cell.box[2]) / 2
    return x0 - TOLERANCE <= middle <= x1 + TOLERANCE


def stacked(cell: Cell, cells: list[Cell]) -> list[tuple[str, Cell, float]]:
    """The label read from ``cell`` alone, and with the cells stacked directly below it
    over the same width (a label printed in two cells): (key, cell, bottom)."""
    out = [(key(cell.text), cell, cell.box[3])]
    text, bottom = key(cell.text), cell.box[3]
    for _ in range(3):
        below = [
            c
            for c in cells
            if abs(c.box[1] - bottom) <= TOLERANCE
            and abs(c.box[0] - cell.box[0]) <= TOLERANCE
            and abs(c.box[2] - cell.box[2]) <= TOLERANCE
        ]
        if not below:
            break
        text, bottom = text + key(below[0].text), below[0].box[3]
        out.append((text, cell, bottom))
    return out


@dataclass
class Match:
    cell: Cell
    bottom: float
    how: str


def place_header(
    tl: TableLayout, cells: list[Cell], bbox: Box, top: float | None = None
) -> list[Placed]:
    """Place every leaf of the printed column tree among ``cells`` below ``top`` (the
    table's top by default); see the module docstring."""
    placed: list[Placed] = []
    used: set[int] = set()
    place(
        printed_columns(tl), bbox[0], bbox[2], bbox[1] if top is None else top, cells, used, placed
    )
    return placed


def place(
    columns: list[Column],
    x0: float,
    x1: float,
    top: float,
    cells: list[Cell],
    used: set[int],
    placed: list[Placed],
) -> None:
    """Match sibling ``columns`` left to right among the cells below ``top`` in [x0, x1]."""
    region = [
        c for c in cells if id(c) not in used and c.box[1] >= top - TOLERANCE and within(c, x0, x1)
    ]
    matches: list[Match | None] = [None] * len(columns)
    cursor = x0
    for i, column in enumerate(columns):  # exact labels first, in order
        found = exact(column.label, region, cursor, used)
        if found:
            matches[i] = found
            used.add(id(found.cell))
            cursor = found.cell.box[2]
    for i in range(len(columns)):  # then similar or positional ones, in the gaps
        if matches[i] is None:
            left, right = gap(matches, i, x0, x1)
            matches[i] = similar(columns, matches, i, region, left, right, used)
    for i, column in enumerate(columns):
        found = matches[i]
        left, right = (found.cell.box[0], found.cell.box[2]) if found else gap(matches, i, x0, x1)
        if column.columns:
            below = found.bottom if found else top
            place(column.columns, left, right, below, cells, used, placed)
        elif found:
            placed.append(Placed(column, left, right, found.bottom, found.how, found.cell.text))
        else:
            placed.append(
                Placed(column, left, right, top, "missing" if right <= left else "guessed")
            )


def exact(label: str, region: list[Cell], cursor: float, used: set[int]) -> Match | None:
    wanted = key(label)
    hits = [
        (cell.box[1], cell.box[0], bottom, cell)
        for c in region
        if id(c) not in used and c.box[0] >= cursor - TOLERANCE
        for text, cell, bottom in stacked(c, region)
        if text == wanted
    ]
    if not hits:
        return None
    _, _, bottom, cell = min(hits, key=lambda h: (h[0], h[1]))
    return Match(cell, bottom, "exact")


def gap(matches: list[Match | None], i: int, x0: float, x1: float) -> tuple[float, float]:
    """The x-range left free for sibling ``i`` between its matched neighbours."""
    left = next((m.cell.box[2] for m in reversed(matches[:i]) if m), x0)
    right = next((m.cell.box[0] for m in matches[i + 1 :] if m), x1)
    return left, right


def similar(
    columns: list[Column],
    matches: list[Match | None],
    i: int,
    region: list[Cell],
    left: float,
    right: float,
    used: set[int],
) -> Match | None:
    free = [
        c
        for c in region
        if id(c) not in used and c.box[0] >= left - TOLERANCE and c.box[2] <= right + TOLERANCE
    ]
    if not free:
        return None
    wanted = key(columns[i].label)
    scored = [(difflib.SequenceMatcher(None, wanted, key(c.text)).ratio(), c) for c in free]
    score, best = max(scored, key=lambda s: (s[0], -s[1].box[1]))
    if score >= SIMILAR:
        used.add(id(best))
        return Match(best, best.box[3], "similar")
    # by position: as many free cells on the topmost level as unmatched siblings in the gap
    unmatched = [
        j
        for j in range(len(columns))
        if matches[j] is None and gap(matches, j, left, right) == gap(matches, i, left, right)
    ]
    level = min(c.box[1] for c in free)
    row = sorted((c for c in free if abs(c.box[1] - level) <= TOLERANCE), key=lambda c: c.box[0])
    if len(row) == len(unmatched):
        cell = row[unmatched.index(i)]
        used.add(id(cell))
        return Match(cell, cell.box[3], "position")
    return None


def header_doubts(placed: list[Placed]) -> list[str]:
    """Chinese notes on the leaf columns that were not found by their exact label."""
    out = []
    for p in placed:
        if p.how == "similar":
            out.append(f"表头印作“{p.printed}”，按表样的“{p.column.label}”读取")
        elif p.how == "position":
            out.append(f"表头印作“{p.printed}”，按位置认定为表样的“{p.column.label}”")
        elif p.how == "guessed":
            out.append(f"未找到表头“{p.column.label}”，按位置推断该列")
        elif p.how == "missing":
            out.append(f"未找到表头“{p.column.label}”，该列按空白读取")
    return out


def recognised(placed: list[Placed]) -> bool:
    """Whether enough of the header was found for the table to be this one."""
    sure = sum(1 for p in placed if p.how in ("exact", "similar"))
    return sure * 2 >= len(placed)


# ------------------------------------------------------------------ the body


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
        row_top = min(c.box[1] for c in present)
        bottom = max(bottom, max(c.box[3] for c in present))
        texts: list[str | None] = [None] * len(placed)
        taken: set[int] = set()
        for j, p in enumerate(placed):
            if row_top < p.bottom - TOLERANCE:
                continue  # still this column's header (类 款 项 beside the 合计 row)
            cell = covering(present, p.x0 + shift, p.x1 + shift)
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
