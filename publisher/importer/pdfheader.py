"""A table's header found on the page by the layout's column tree.

Each column of the tree (:func:`publisher.grid.printed_columns`: the 06表 repeats its
columns once per column group) is looked for top-down and left to right among the header
cells of a ruled table: a child below its parent and within its width. A label may wrap
inside its cell or be printed in two stacked cells (功能分类 / 科目编码); a label printed
otherwise than the layout has it (公务用车运行费 for 公务用车运行维护费) is matched by
similarity or, failing that, by position among its siblings, and the guess is said. What
is placed is each leaf column's x-range and the bottom of its header cell.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..grid import printed_columns
from ..models.layout import Column, TableLayout
from .pdfpages import Box, Cell, Line

TOLERANCE = 2.0  # points: rules and cell edges closer than this are the same edge
SIMILAR = 0.6  # difflib ratio above which a printed label is taken for the layout's


@dataclass
class Placed:
    """A leaf column located on the page: its x-range and the bottom of its header cell."""

    column: Column
    x0: float
    x1: float
    bottom: float
    how: str  # exact | similar | position | guessed | missing
    printed: str = ""  # the label as printed, when it differs


def key(text: str) -> str:
    """A label as compared: no spaces or quotes, full-width forms folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\"'“”‘’「」:：]", "", text)


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
        left, right = (found.cell.box[0], found.cell.box[2]) if found else share(matches, i, x0, x1)
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


def share(matches: list[Match | None], i: int, x0: float, x1: float) -> tuple[float, float]:
    """The part of its gap an unmatched sibling takes: the gap split evenly among the
    unmatched siblings in it (类 款 项 looked for where one 编码 column is printed)."""
    left, right = gap(matches, i, x0, x1)
    together = [
        j
        for j in range(len(matches))
        if not matches[j] and gap(matches, j, x0, x1) == (left, right)
    ]
    width = (right - left) / len(together)
    n = together.index(i)
    return left + n * width, left + (n + 1) * width


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


GUESSED = ("表头印作", "未找到表头")  # how the doubts about a column's place begin


def header_doubts(placed: list[Placed]) -> list[str]:
    """Chinese notes on the leaf columns that were not found by their exact label."""
    out = []
    for p in placed:
        if p.how == "similar":
            out.append(f"{GUESSED[0]}“{p.printed}”，按表样的“{p.column.label}”读取")
        elif p.how == "position":
            out.append(f"{GUESSED[0]}“{p.printed}”，按位置认定为表样的“{p.column.label}”")
        elif p.how == "guessed":
            out.append(f"{GUESSED[1]}“{p.column.label}”，按位置推断该列")
        elif p.how == "missing":
            out.append(f"{GUESSED[1]}“{p.column.label}”，该列按空白读取")
    return out


def recognised(placed: list[Placed]) -> bool:
    """Whether enough of the header was found for the table to be this one."""
    sure = sum(1 for p in placed if p.how in ("exact", "similar"))
    return sure * 2 >= len(placed)


# ------------------------------------------------------------------ the body
