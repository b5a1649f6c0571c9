"""Printed table rows → table data: the inverse of :mod:`publisher.grid`.

A reader (Excel workbook, text PDF) finds a table's body rows as printed: one text cell
per printed leaf column, after the header rows and the 栏次 row. :func:`table_from_rows`
turns them into the table as plain data in the content format (what a hand-written year
file has under ``final_accounts.tables.tNN``), following the layout alone: its leaf
columns say which figure each cell is, its ``rows`` pairs say which field a two-sided
row belongs to, ``total_row`` where the 合计 row stands. Nothing depends on a particular
document's row count.

Amounts are read exactly as printed into ``Decimal`` (``1,234.56``, ``-3.00``, ``0``);
blank stays blank. A cell that cannot be read raises :class:`UnreadableCells` (every bad
cell at once, by row and column, so the reader can say which sheet cell or page); a cell
read with a guess becomes a :class:`~publisher.importer.Doubt`.
"""

from __future__ import annotations

import difflib
import re
import typing
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import terms
from ..errors import PublisherError
from ..models import tables as t
from ..models.base import label, schema_fields
from ..models.layout import Column, TableLayout, leaves
from . import Doubt

Rows = Sequence[Sequence[str | None]]
Data = dict[str, Any]

AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
DASHES = frozenset("-‐‑‒–—―－一~～")  # printed for "nothing" in some tables
MAX_DECIMALS = 2  # 万元 to the cent, as the content format requires
MAX_DIGITS = 12  # integer digits, as the loader allows (publisher/convert.py)
NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．])"
)
BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
CODE = re.compile(r"[0-9]+")
CODE_THEN_NAME = re.compile(r"([0-9]{3,7})\s*(\S.*)")
SIMILAR = 0.5  # below this, a two-sided row's name does not look like its field's label


@dataclass(frozen=True)
class BadCell:
    """A cell that could not be read: its 0-based row and column in the rows given."""

    row: int
    column: int
    text: str
    expected: str


class UnreadableCells(PublisherError):
    """Cells of one table that are not what their column prints (text in an amount column …)."""

    def __init__(self, table: str, cells: list[BadCell]):
        self.table = table
        self.cells = cells
        super().__init__(
            "；".join(
                f"{terms.table_label(table)}第 {c.row + 1} 行第 {c.column + 1} 列"
                f"（应为{c.expected}，实为 {c.text!r}）"
                for c in cells
            )
        )


def table_from_rows(tl: TableLayout, rows: list[list[str | None]]) -> tuple[dict, list[Doubt]]:
    """The table ``tl`` describes, read from its printed body rows; and the doubtful cells.

    ``rows``: one list per printed body row, one text per printed leaf column (None or ""
    for a blank cell). Raises :class:`UnreadableCells` for cells that cannot be read."""
    reader = _Reader(tl, [list(r) for r in rows])
    data = SHAPES[terms.SHAPES[tl.table]](reader)
    if reader.bad:
        raise UnreadableCells(tl.table, reader.bad)
    return data, reader.doubts


# ------------------------------------------------------------------ cells


def clean(text: str | None) -> str:
    """A cell's text with full-width forms folded and the spacing of print removed."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def printed_name(text: str | None) -> str:
    """A printed name: line breaks and the padding between Chinese characters dropped
    (``合 计`` → ``合计``), other spaces kept single."""
    joined = re.sub(r"\s*\n\s*", "", str(text or "")).strip()
    joined = re.sub(r"(?<=[^\x00-\x7f])[ \t\u3000]+(?=[^\x00-\x7f])", "", joined)
    return re.sub(r"[ \t\u3000]+", " ", joined)


def blank(text: str | None) -> bool:
    return clean(text) == ""


def comparable(name: str) -> str:
    """A name reduced for comparing with a field's label: no numbering, brackets or spaces."""
    name = NUMBERING.sub("", unicodedata.normalize("NFKC", name))
    name = BRACKETED.sub("", name)
    return re.sub(r"\s+", "", name)


def similarity(name: str | None, field_label: str) -> float:
    a, b = comparable(name or ""), comparable(field_label)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


class _Reader:
    """Reads the cells of one table, collecting bad cells and doubts as it goes."""

    def __init__(self, tl: TableLayout, rows: list[list[str | None]]):
        self.tl = tl
        self.rows = rows
        self.bad: list[BadCell] = []
        self.doubts: list[Doubt] = []
        self.prefix = f"final_accounts.tables.{tl.table}"

    def doubt(self, path: str, why: str) -> None:
        self.doubts.append(Doubt(f"{self.prefix}.{path}", why))

    def cell(self, r: int, c: int) -> str | None:
        row = self.rows[r]
        return row[c] if c < len(row) else None

    def amount(self, r: int, c: int, path: str) -> Decimal | None:
        """The amount printed in a cell, exactly (``1,234.56`` → Decimal('1234.56'))."""
        raw = self.cell(r, c)
        text = clean(raw).replace(",", "").replace(" ", "").replace("−", "-")
        if not text:
            return None
        if set(text) <= DASHES:
            self.doubt(path, f"单元格印为“{clean(raw)}”，按空白记录（不是 0）")
            return None
        negative = text.startswith("(") and text.endswith(")")
        if negative:
            text = "-" + text[1:-1]
        if not AMOUNT.fullmatch(text):
            self.bad.append(BadCell(r, c, clean(raw), "金额（如 1,234.56、-3.00、0 或空白）"))
            return None
        whole, _, decimals = text.lstrip("-").partition(".")
        if len(decimals) > MAX_DECIMALS or len(whole.lstrip("0")) > MAX_DIGITS:
            self.bad.append(
                BadCell(r, c, clean(raw), f"最多 {MAX_DIGITS} 位整数、两位小数的万元金额")
            )
            return None
        if negative:
            self.doubt(path, f"印为“{clean(raw)}”（括号表示负数），记为 {text}")
        return Decimal(text)

    def line(self, r: int, c: int, path: str) -> int | None:
        raw = clean(self.cell(r, c))
        if not raw:
            return None
        digits = re.sub(r"\s+", "", raw)
        if not digits.isdigit() or len(digits) > 9:
            self.doubt(path, f"行次印为“{raw}”，不是数字，未记录")
            return None
        if digits != raw:
            self.doubt(path, f"行次印为“{raw}”（中间有空格），记为 {digits}")
        return int(digits)

    def labelled(self, r: int, columns: list[tuple[int, Column]], path: str) -> Data:
        """The fields of one printed row (or one side or column group of it), by figure."""
        out: Data = {}
        parts: dict[str, str] = {}
        for c, column in columns:
            figure = column.figure or ""
            here = f"{path}.{figure}"
            if figure in terms.CODE_PARTS:
                parts[figure] = re.sub(r"\s+", "", clean(self.cell(r, c)))
            elif figure == "code":
                code = re.sub(r"\s+", "", clean(self.cell(r, c)))
                match = CODE_THEN_NAME.fullmatch(clean(self.cell(r, c)))
                if match and not CODE.fullmatch(code):
                    code, out["name"] = match.group(1), printed_name(match.group(2))
                    self.doubt(f"{path}.code", "编码和名称印在同一格，已分开")
                if code:
                    out["code"] = code
            elif figure == "name":
                text = self.cell(r, c)
                name = printed_name(text)
                if name and "\n" in str(text).strip():
                    self.doubt(here, "名称在单元格中分行印制，已合并为一行")
                if name and "name" not in out:
                    out["name"] = name
            elif figure == "line":
                number = self.line(r, c, here)
                if number is not None:
                    out["line"] = number
            else:
                value = self.amount(r, c, here)
                if value is not None:
                    out[figure] = value
        if parts:
            code = "".join(parts.get(p, "") for p in terms.CODE_PARTS)
            if code:
                out["code"] = code
        return out


def ordered(data: Data, cls: type) -> Data:
    """``data``'s keys in the model's field order, so the YAML reads like a hand-written file."""
    names = [f.name for f in schema_fields(cls)]
    return {n: data[n] for n in names if n in data} | {
        k: v for k, v in data.items() if k not in names
    }


def row_hints(table_key: str) -> dict[str, Any]:
    cls = typing.get_args(typing.get_type_hints(t.FinalAccountTables)[table_key])[0]
    return typing.get_type_hints(cls)


def table_class(table_key: str) -> type:
    return typing.get_args(typing.get_type_hints(t.FinalAccountTables)[table_key])[0]


def item_class(hint: Any) -> type:
    """The row model inside a field's hint (``list[Line]``, ``FundLine | None``)."""
    if isinstance(hint, type):
        return hint
    return next(a for a in typing.get_args(hint) if isinstance(a, type) and a is not type(None))


# ------------------------------------------------------------------ 02, 03, 05, 08, 09


def check_code(reader: _Reader, code: str | None, levels: tuple[int, ...], path: str) -> None:
    if code is not None and (not CODE.fullmatch(code) or len(code) not in levels):
        lengths = "、".join(str(n) for n in levels)
        reader.doubt(path, f"科目编码“{code}”不是 {lengths} 位数字，请核对")


def classified(reader: _Reader) -> Data:
    tl = reader.tl
    columns = list(enumerate(leaves(tl.columns)))
    labels = [(c, col) for c, col in columns if col.figure in terms.LABEL_FIGURES]
    body = [r for r in range(len(reader.rows)) if any(not blank(x) for x in reader.rows[r])]
    if not body:
        reader.doubt("total", "表中没有读到任何行")
        return {"total": {}}
    total_at = body[-1] if tl.total_row == "last" else body[0]
    if not code_less(reader, total_at, labels):
        others = [r for r in (body[0], body[-1]) if code_less(reader, r, labels)]
        if others:
            total_at = others[0]
        reader.doubt("total", f"合计行不在表样所说的{'末行' if tl.total_row == 'last' else '首行'}")
    total = reader.labelled(
        total_at, [(c, col) for c, col in columns if (c, col) not in labels], "total"
    )
    name = next(
        (
            printed_name(reader.cell(total_at, c))
            for c, _ in labels
            if not blank(reader.cell(total_at, c))
        ),
        None,
    )
    row_cls = item_class(row_hints(tl.table)["total"])
    out_rows: list[Data] = []
    previous_code: str | None = None
    for r in body:
        if r == total_at:
            continue
        path = f"rows[{len(out_rows)}]"
        row = reader.labelled(r, columns, path)
        row = inherit_class(reader, r, labels, row, previous_code, path)
        if "code" not in row and out_rows and set(row) == {"name"}:
            out_rows[-1]["name"] = out_rows[-1].get("name", "") + row["name"]
            reader.doubt(f"rows[{len(out_rows) - 1}].name", "科目名称跨两行印制，已合并")
            continue
        if "code" not in row:
            reader.doubt(f"{path}.code", "这一行没有科目编码")
        check_code(reader, row.get("code"), terms.CODE_LEVELS, f"{path}.code")
        previous_code = row.get("code", previous_code)
        out_rows.append(ordered(row, row_cls))
    total_data = ordered(({"name": name} if name else {}) | total, row_cls)
    return {"total": total_data, "rows": out_rows}


def code_less(reader: _Reader, r: int, labels: list[tuple[int, Column]]) -> bool:
    """Whether row ``r`` prints no digits in its code columns (a 合计 row)."""
    codes = [reader.cell(r, c) for c, col in labels if col.figure != "name"]
    return not any(CODE.fullmatch(re.sub(r"\s+", "", clean(x))) for x in codes)


def inherit_class(
    reader: _Reader,
    r: int,
    labels: list[tuple[int, Column]],
    row: Data,
    previous: str | None,
    path: str,
) -> Data:
    """Codes printed in 类/款/项 columns where a 款 or 项 row leaves the 类 (and 款) blank:
    the blank leading parts are those of the row above."""
    parts = {
        col.figure: re.sub(r"\s+", "", clean(reader.cell(r, c)))
        for c, col in labels
        if col.figure in terms.CODE_PARTS
    }
    if not parts or not row.get("code") or parts.get("code:类"):
        return row
    if previous is None:
        reader.doubt(f"{path}.code", "编码只印了款、项，上面没有可承接的类")
        return row
    code, printed = "", False
    for part, span in terms.CODE_PARTS.items():
        printed = printed or bool(parts.get(part))
        code += parts.get(part, "") if printed else previous[span]
    return row | {"code": code}


# ------------------------------------------------------------------ 01, 04: two sides


@dataclass
class Segment:
    """One pair of the layout's ``rows``: fields side by side, lists (zipped) or single rows."""

    left: str
    right: str
    is_list: bool
    optional: bool


def segments(tl: TableLayout) -> list[Segment]:
    hints = row_hints(tl.table)
    out = []
    for left, right in tl.rows:
        is_list = any(typing.get_origin(hints[f]) is list for f in (left, right))
        optional = all(type(None) in typing.get_args(hints[f]) for f in (left, right))
        out.append(Segment(left, right, is_list, optional))
    return out


SKIP_COST = 0.75  # an optional single row the document does not print at all


def place(
    reader: _Reader, segs: list[Segment], sides: list[list[tuple[int, Column]]]
) -> list[list[int]]:
    """Which printed rows belong to each segment: single rows take exactly one row (or none,
    if optional, at a cost), lists any number; the best placement matches the single rows'
    printed names to their fields' labels. Ties (nothing tells the rows apart) are doubts."""
    cls = table_class(reader.tl.table)
    n, k = len(reader.rows), len(segs)
    names = [
        [
            printed_name(next((reader.cell(r, c) for c, col in side if col.figure == "name"), None))
            for side in sides
        ]
        for r in range(n)
    ]

    def score(r: int, seg: Segment) -> float:
        return similarity(names[r][0], label(cls, seg.left)) + similarity(
            names[r][1], label(cls, seg.right)
        )

    NEG = float("-inf")
    best = [[NEG] * (n + 1) for _ in range(k + 1)]
    ways = [[0] * (n + 1) for _ in range(k + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (n + 1) for _ in range(k + 1)]
    best[0][0], ways[0][0] = 0.0, 1

    def offer(j: int, i: int, value: float, count: int, origin: tuple[int, int]) -> None:
        if value > best[j][i] + 1e-9:
            best[j][i], ways[j][i], back[j][i] = value, count, origin
        elif abs(value - best[j][i]) <= 1e-9:
            ways[j][i] += count

    for j, seg in enumerate(segs):
        for i in range(n + 1):
            if best[j][i] == NEG:
                continue
            if seg.is_list:
                for end in range(i, n + 1):
                    offer(j + 1, end, best[j][i], ways[j][i], (j, i))
            else:
                if i < n:
                    offer(j + 1, i + 1, best[j][i] + score(i, seg), ways[j][i], (j, i))
                if seg.optional:
                    offer(j + 1, i, best[j][i] - SKIP_COST, ways[j][i], (j, i))
    if best[k][n] == NEG:
        raise UnreadableCells(
            reader.tl.table,
            [
                BadCell(
                    0,
                    0,
                    f"{n} 行",
                    f"至少 {sum(not s.is_list and not s.optional for s in segs)} 行",
                )
            ],
        )
    spans: list[list[int]] = [[] for _ in segs]
    j, i = k, n
    while j > 0:
        origin = back[j][i]
        assert origin is not None
        spans[j - 1] = list(range(origin[1], i))
        j, i = origin
    if ways[k][n] > 1:
        first = next((s for s, seg in zip(spans, segs, strict=True) if seg.is_list), [])
        reader.doubt(
            segs[0].left,
            f"无法从行名确定各部分的分界（有 {ways[k][n]} 种同样可能的分法），"
            f"已按第一种读取，请核对各行是否归入正确的项目（首个列表 {len(first)} 行）",
        )
    for span, seg in zip(spans, segs, strict=True):
        if not seg.is_list and span:
            r = span[0]
            if not any(names[r]) or score(r, seg) >= SIMILAR:
                continue
            reader.doubt(
                seg.left,
                f"第 {r + 1} 行的行名（{'、'.join(x for x in names[r] if x)}）与表样的"
                f"“{label(cls, seg.left)}”/“{label(cls, seg.right)}”不像，请核对",
            )
        elif not seg.is_list:
            reader.doubt(seg.left, f"没有找到“{label(cls, seg.left)}”一行，按未印制处理")
    return spans


def two_sided(reader: _Reader) -> Data:
    tl = reader.tl
    width = len(leaves(tl.columns[:1]))
    left = list(enumerate(leaves(tl.columns[:1])))
    right = [(width + i, col) for i, col in enumerate(leaves(tl.columns[1:]))]
    segs = segments(tl)
    spans = place(reader, segs, [left, right])
    hints = row_hints(tl.table)
    out: Data = {}
    for seg, span in zip(segs, spans, strict=True):
        for field_name, side in ((seg.left, left), (seg.right, right)):
            cls = item_class(hints[field_name])
            if seg.is_list:
                out[field_name] = [
                    ordered(reader.labelled(r, side, f"{field_name}[{i}]"), cls)
                    for i, r in enumerate(span)
                ]
                continue
            value = ordered(reader.labelled(span[0], side, field_name), cls) if span else {}
            if value or type(None) not in typing.get_args(hints[field_name]):
                out[field_name] = value
    return ordered(out, table_class(tl.table))


# ------------------------------------------------------------------ 06: column groups


def economic(reader: _Reader) -> Data:
    tl = reader.tl
    columns = leaves(tl.columns)
    cls = table_class(tl.table)
    totals = {n: label(cls, n) for n in ("personnel_total", "public_total")}
    groups: list[list[tuple[int, list[tuple[int, Column]]]]] = [[] for _ in tl.rows]
    out: Data = {}
    for r in range(len(reader.rows)):
        found = totals_in_row(reader, r, totals)
        if found is not None:
            out |= found
            continue
        for g, group in enumerate(groups):
            side = [(g * len(columns) + i, col) for i, col in enumerate(columns)]
            if any(not blank(reader.cell(r, c)) for c, _ in side):
                group.append((r, side))
    rows: list[Data] = []
    for r, side in (item for group in groups for item in group):  # printed order: group by group
        path = f"rows[{len(rows)}]"
        row = reader.labelled(r, side, path)
        if "code" not in row or "name" not in row:
            missing = "经济分类科目编码" if "code" not in row else "科目名称"
            reader.doubt(path, f"这一行没有{missing}（必填）")
        check_code(reader, row.get("code"), (3, 5), f"{path}.code")
        rows.append(ordered(row, t.EconomicRow))
    return ordered({"rows": rows} | out, cls)


def totals_in_row(reader: _Reader, r: int, totals: dict[str, str]) -> Data | None:
    """人员经费合计 / 公用经费合计 of a 06表 totals row: each label, then its amount (the last
    cell before the next label)."""
    row = reader.rows[r]
    found = {
        c: name
        for c, text in enumerate(row)
        for name, lbl in totals.items()
        if comparable(printed_name(text)) == comparable(lbl)
    }
    if not found:
        return None
    out: Data = {}
    starts = sorted(found)
    for at, stop in zip(starts, starts[1:] + [len(row)], strict=True):
        cells = [c for c in range(at + 1, stop) if not blank(row[c])]
        value = reader.amount(r, cells[-1], found[at]) if cells else None
        if value is not None:
            out[found[at]] = value
    return out


# ------------------------------------------------------------------ 07: one row


def single_row(reader: _Reader) -> Data:
    tl = reader.tl
    body = [r for r, row in enumerate(reader.rows) if any(not blank(x) for x in row)]
    out: Data = {"budget": {}, "actual": {}}
    if not body:
        return out
    if len(body) > 1:
        reader.doubt("actual", f"本表应只有一行数字，读到 {len(body)} 行，取第一行")
    for c, column in enumerate(leaves(tl.columns)):
        half, _, name = (column.figure or "").partition(".")
        value = reader.amount(body[0], c, column.figure or "")
        if value is not None and half in out:
            out[half][name] = value
    return {h: ordered(v, t.SangongFigures) for h, v in out.items()}


SHAPES = {
    "two_sided": two_sided,
    "classified": classified,
    "economic": economic,
    "single_row": single_row,
}
