"""A PDF as the importer sees it: per page, the printed lines of text and the ruled tables.

pdfplumber gives each character with its box and the page's ruling lines. Here characters are
grouped into printed lines: a line is a run of characters whose boxes overlap vertically, so
digits set in a Latin font a few points below the Han characters beside them (common in Word
and WPS output) stay on their line. Characters some fonts map oddly (Kangxi radicals, the CJK
radicals supplement, full-width forms) are normalised to the ideographs they stand for. Ruled
tables come from pdfplumber's table finder, each cell with its box, so that a figure printed
at the top of a tall cell still belongs to that cell's row.
"""

from __future__ import annotations

import bisect
import logging
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import PublisherError

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, top-down)

# Characters of the CJK Radicals Supplement that fonts map whole ideographs to (Chromium's
# PDFs of Noto CJK do: 民 comes out as U+2EA0). NFKC covers the Kangxi radicals, not these;
# only the radicals that stand for a whole character in simplified text are listed.
RADICALS = str.maketrans(
    "⺟⺠⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "母民西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
)
# How much two boxes must overlap vertically, as a share of the lower one, to share a line.
SAME_LINE = 0.5
# A horizontal gap of this share of the font size or more prints as a space.
SPACE_GAP = 0.25


class PdfError(PublisherError):
    """A PDF the importer cannot read (not a PDF, encrypted, scanned): said in Chinese."""


@dataclass(frozen=True)
class Glyph:
    """One printed character."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str

    @property
    def middle(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass
class Line:
    """One printed line: its characters left to right."""

    page: int
    glyphs: list[Glyph]

    @cached_property
    def text(self) -> str:
        return spaced(self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @cached_property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @cached_property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @cached_property
    def size(self) -> float:
        """The size most of the line's Han characters (else of all its characters) are set in."""
        han = [g.size for g in self.glyphs if is_han(g.text)] or [g.size for g in self.glyphs]
        return round(statistics.median(han), 1)

    @cached_property
    def font(self) -> str:
        """The font most of the line's characters are set in (subset prefix removed)."""
        fonts = [g.font for g in self.glyphs if is_han(g.text)] or [g.font for g in self.glyphs]
        return statistics.mode(fonts)


@dataclass
class Ruled:
    """A ruled table on a page: pdfplumber's grid, each row's cells as boxes (None where a
    cell of an earlier row or column spans it)."""

    page: int
    bbox: Box
    rows: list[list[Box | None]]


@dataclass
class Cell:
    """One cell of a ruled table: its box and the lines printed in it."""

    box: Box
    lines: list[str]

    @property
    def text(self) -> str:
        return join_lines(self.lines)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    tables: list[Ruled]
    images: int = 0  # pictures on the page (a scanned page is one)
    _by_y: list[float] = field(default_factory=list, repr=False)
    _sorted: list[Glyph] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._sorted = sorted(self.glyphs, key=lambda g: g.middle[1])
        self._by_y = [g.middle[1] for g in self._sorted]

    @cached_property
    def lines(self) -> list[Line]:
        """The lines printed outside the ruled tables, top to bottom."""
        outside = [g for g in self.glyphs if not any(inside(g, t.bbox) for t in self.tables)]
        return lines_of(outside, self.number)

    @cached_property
    def all_lines(self) -> list[Line]:
        """Every line of the page, inside the ruled tables too (a title may be a table's
        first cell)."""
        return lines_of(self.glyphs, self.number)

    def lines_within(self, box: Box) -> list[Line]:
        """The page's lines (of :attr:`all_lines`) whose middle is inside ``box``."""
        return [
            ln
            for ln in self.all_lines
            if box[1] <= (ln.top + ln.bottom) / 2 <= box[3]
            and box[0] <= (ln.x0 + ln.x1) / 2 <= box[2]
        ]

    def lines_in(self, box: Box) -> list[Line]:
        """The lines of the characters whose middle is inside ``box``."""
        x0, top, x1, bottom = box
        lo = bisect.bisect_left(self._by_y, top)
        hi = bisect.bisect_right(self._by_y, bottom)
        return lines_of([g for g in self._sorted[lo:hi] if x0 <= g.middle[0] <= x1], self.number)


def inside(glyph: Glyph, box: Box) -> bool:
    x, y = glyph.middle
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def is_han(text: str) -> bool:
    return len(text) == 1 and ("\u4e00" <= text <= "\u9fff" or "\u3400" <= text <= "\u4dbf")


def normal(text: str) -> str:
    """A character as an editor would type it: Kangxi radicals, compatibility ideographs and
    the radicals some fonts substitute for whole characters become the ideographs they stand
    for. Full-width punctuation stays as printed (NFKC would make ，half-width)."""
    if text and (
        "\u2f00" <= text[0] <= "\u2fdf"
        or "\uf900" <= text[0] <= "\ufaff"
        or "\U0002f800" <= text[0] <= "\U0002fa1f"
    ):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(RADICALS)


def spaced(glyphs: list[Glyph]) -> str:
    """The text of glyphs on one line: a space where the print leaves a gap or a space."""
    out: list[str] = []
    previous: Glyph | None = None
    for g in glyphs:
        if g.text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if previous is not None and g.x0 - previous.x1 >= SPACE_GAP * min(g.size, previous.size):
            if out and out[-1] != " ":
                out.append(" ")
        out.append(g.text)
        previous = g
    return "".join(out).strip()


def lines_of(glyphs: Iterable[Glyph], page: int) -> list[Line]:
    """Group characters into lines by vertical overlap (see the module docstring)."""
    rows: list[tuple[float, float, list[Glyph]]] = []  # reference top, bottom, glyphs
    for g in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        best, best_share = None, SAME_LINE
        for i in range(len(rows) - 1, -1, -1):
            top, bottom, _ = rows[i]
            if bottom < g.top:
                if i < len(rows) - 8:  # rows are sorted by top: older ones cannot overlap
                    break
                continue
            overlap = min(bottom, g.bottom) - max(top, g.top)
            share = overlap / max(min(bottom - top, g.bottom - g.top), 0.1)
            if share >= best_share:
                best, best_share = i, share
        if best is None:
            rows.append((g.top, g.bottom, [g]))
        else:
            rows[best][2].append(g)
    lines = [
        Line(page, sorted(gs, key=lambda g: g.x0))
        for _, _, gs in rows
        if not all(g.text.isspace() for g in gs)
    ]
    return sorted(lines, key=lambda line: line.top)


# ------------------------------------------------------------------ reading the file


def read_pages(path: Path) -> list[Page]:
    """Every page of the PDF at ``path``; raises :class:`PdfError` for what cannot be read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    # pdfminer logs a warning for every font without a bounding box (Chromium's PDFs have
    # many); they say nothing an editor can act on.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(path) as pdf:
            pages = [read_page(p) for p in pdf.pages]
    except (PdfminerException, MalformedPDFException, PSException) as error:
        cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
        if isinstance(cause, PDFEncryptionError):
            raise PdfError(f"{path}: PDF 文件已加密，无法读取；请提供未加密的文件") from None
        raise PdfError(f"{path}: 不是可读的 PDF 文件（{cause}）") from None
    if not pages:
        raise PdfError(f"{path}: PDF 文件没有页面")
    if not any(p.glyphs for p in pages):
        raise PdfError(
            f"{path}: 这是扫描件或图片 PDF（{len(pages)} 页都没有文字层），"
            "无法读取其中的文字和数字。"
            "请向单位索取由 Word、WPS 或财务软件直接导出的 PDF，或 Excel 文件；"
            "不要用识别（OCR）结果代替，以免数字出错。"
        )
    return pages


def read_page(page) -> Page:  # page: pdfplumber.page.Page
    page = page.dedupe_chars()  # fake bold prints every character twice
    glyphs = [
        Glyph(
            normal(c["text"]),
            c["x0"],
            c["x1"],
            c["top"],
            c["bottom"],
            round(c["size"], 1),
            c["fontname"].split("+")[-1],
        )
        for c in page.chars
        if c["text"]
    ]
    tables = []
    for found in page.find_tables():
        rows = [list(row.cells) for row in found.rows]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            tables.append(Ruled(page.page_number, found.bbox, rows))
    return Page(page.page_number, page.width, page.height, glyphs, tables, len(page.images))


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
