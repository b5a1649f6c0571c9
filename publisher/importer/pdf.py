"""Text PDFs of a 部门决算 → a :class:`~publisher.importer.Draft`.

The stages, top to bottom (:func:`read`): the pages as lines and ruled tables
(:mod:`.pdfpages`); each table the layout declares, found by its title and header and read
as printed rows (:mod:`.pdftables`), then turned into table data by
:func:`~publisher.importer.printed.table_from_rows`, with the 注 and 说明 printed under it;
the rest of the text as parts, numbered sections and paragraphs (:mod:`.pdfprose`): 单位概况,
情况说明, 名词解释, and the title with the unit's name and the year.

A scanned PDF (no text layer) is refused. When tables the layout requires are not found,
nothing is drafted unless ``partial`` is asked for: then the draft holds what was found and
says, at its tables, which are missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import terms
from ..grid import printed_columns
from ..models.layout import Layout, TableLayout, leaves
from ..models.paths import steps
from . import Doubt, Draft
from .pdfheader import key
from .pdfpages import Box, Cell, Line, Page, PdfError, cells_of, read_pages
from .pdfprose import (
    Paragraph,
    Style,
    body_style,
    document_title,
    glossary,
    markdown,
    markdown_table,
    paragraphs,
    sections,
    split_parts,
    unit_of,
    year_of,
)
from .pdftables import Found, find_table
from .printed import BadCell, UnreadableCells, table_from_rows

LABEL = re.compile(r"^\s*(注|说明)\s*[:：]\s*")
ITEM = re.compile(r"^\s*(\d+[.．、]|[（(]\d+[）)])")  # a numbered line of a 注 is its own paragraph
DEPARTMENT = re.compile(r"部门\s*[:：]\s*(?P<name>.+?)(?:\s+单位\s*[:：].*)?$")
# The sentence printed under an empty table in place of its figures (本表无数据, 本表为空).
EMPTY = re.compile(r"本表(?:无|为空|没有)|无数据")


class MissingTables(PdfError):
    """Tables the layout requires were not found; carries the partial draft."""

    def __init__(self, message: str, draft: Draft):
        super().__init__(message)
        self.draft = draft


@dataclass
class Tables:
    """What the tables part gave: table data, department lines, doubts, lines used up."""

    data: dict[str, dict] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    missing: list[TableLayout] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # ids of lines read as titles, 单位, 注
    regions: dict[int, list[Box]] = field(default_factory=dict)  # page → boxes read as tables
    claimed: set[int] = field(default_factory=set)  # ids of the ruled tables read


def read(path: Path, layout: Layout, *, partial: bool = False) -> Draft:
    """The draft of the PDF at ``path``, its tables read as ``layout`` prints them.

    Raises :class:`~publisher.importer.pdfpages.PdfError` for a file that cannot be read
    (not a PDF, scanned, cells that are not amounts) and :class:`MissingTables` when required
    tables are missing (unless ``partial``)."""
    pages = read_pages(path)
    tables = read_tables(pages, layout, path)
    if tables.problems:
        raise PdfError("\n".join(tables.problems))
    parts = split_parts(*prose(pages, tables))
    title = document_title(pages)
    data: dict[str, Any] = {}
    if year_of(title):
        data["year"] = year_of(title)
    if title:
        data["title"] = title
    data["source"] = path.name
    overview = with_intro(*sections(parts.get("overview", [])))
    if overview:
        data["overview"] = overview
    data["final_accounts"] = final_accounts(title, tables, parts, layout)
    terms_found = glossary(parts.get("glossary", []))
    if terms_found:
        data["glossary"] = terms_found
    doubts = tables.doubts + [
        Doubt(f"final_accounts.tables.{tl.table}", f"PDF 中没有找到{describe(tl)}")
        for tl in tables.missing
    ]
    draft = Draft(path, data, doubts, unit=unit_of(title))
    required = [tl for tl in tables.missing if tl.required]
    if required and not partial:
        raise MissingTables(missing_message(path, layout, required, tables, pages), draft)
    return draft


def prose(pages: list[Page], tables: Tables) -> tuple[list[Paragraph], Style]:
    """The paragraphs of the text outside the tables read, with the small tables in it."""
    inline, boxes = text_tables(pages, tables.claimed)
    for page_number, read_boxes in tables.regions.items():
        boxes[page_number] += read_boxes
    lines = [
        ln
        for page in pages
        for ln in page.all_lines
        if id(ln) not in tables.used and not any(inside_box(ln, box) for box in boxes[page.number])
    ]
    style = body_style(lines or [ln for page in pages for ln in page.all_lines])
    return paragraphs(lines, style, inline), style


def layouts_that_fit(path: Path, layouts: list[Layout]) -> dict[str, int]:
    """The ``layouts`` whose every required table the PDF prints, each with the number of
    its columns not found by their labels (0: every header as the layout has it)."""
    pages = read_pages(path)
    fits = {}
    for layout in layouts:
        claimed: set[int] = set()
        found = [find_table(pages, tl, claimed, layout.tables) for tl in layout.tables]
        if all(
            f is not None or not tl.required for f, tl in zip(found, layout.tables, strict=True)
        ):
            fits[layout.id] = sum(len(f.header_doubts) for f in found if f is not None)
    return fits


def final_accounts(
    title: str | None, tables: Tables, parts: dict[str, list], layout: Layout
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if title:
        out["title"] = title
    names = list(tables.departments.values())
    common = max(set(names), key=names.count) if names else None
    if common:
        out["department"] = common
    for table, name in tables.departments.items():
        if name != common:
            tables.data[table] = {"department": name} | tables.data[table]
    out["tables"] = {k: tables.data[k] for k in terms.TABLES if k in tables.data}
    declared = [s.title for s in layout.sections]
    explanations = with_intro(*sections(parts.get("explanations", []), declared=declared))
    if explanations:
        out["explanations"] = explanations
    return out


def with_intro(intro: list[Paragraph], titled: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections of a part, the text before its first heading as an untitled first one."""
    return ([{"body": markdown(intro)}] if intro else []) + titled


def text_tables(
    pages: list[Page], claimed: set[int]
) -> tuple[list[Paragraph], dict[int, list[Box]]]:
    """The ruled tables that are not 决算表 (单位构成 …) as Markdown paragraphs, and per page
    the boxes they take. Rows of one cell are prose in a frame, not table rows."""
    out: list[Paragraph] = []
    boxes: dict[int, list[Box]] = {page.number: [] for page in pages}
    for page in pages:
        for table in page.tables:
            if id(table) in claimed:
                continue
            run: list[list[Cell]] = []
            for row in cells_of(page, table) + [[]]:
                present = [c for c in row if c is not None]
                if len(present) >= 2:
                    run.append(present)
                    continue
                text = markdown_table([[c.text for c in r] for r in run]) if run else None
                if text and any(sum(1 for c in r if c.text) >= 2 for r in run):
                    box = union([c.box for r in run for c in r])
                    out.append(Paragraph([], table=text, at=(page.number, box[1])))
                    boxes[page.number].append(box)
                run = []
    return out, boxes


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def inside_box(line: Line, box: Box) -> bool:
    middle = (line.top + line.bottom) / 2
    return box[1] <= middle <= box[3] and box[0] <= (line.x0 + line.x1) / 2 <= box[2]


def describe(tl: TableLayout) -> str:
    return f"{terms.table_label(tl.table)}“{(tl.number + ' ') if tl.number else ''}{tl.title}”"


def missing_message(
    path: Path, layout: Layout, missing: list[TableLayout], tables: Tables, pages: list[Page]
) -> str:
    found = "、".join(terms.table_label(k) for k in terms.TABLES if k in tables.data)
    scanned = [str(page.number) for page in pages if not page.glyphs and page.images]
    lines = [
        f"{path}: 没有找到表样“{layout.id}”所列的 {len(missing)} 张表，未写入任何文件：",
        *[f"  {describe(tl)}" for tl in missing],
        f"已找到：{found}"
        if found
        else "一张表也没有找到：这份 PDF 可能不是部门决算，或不是按这个表样印制的。",
        "表是按表样中印制的标题和表头查找的：请确认 --layout 选对了表样"
        f"（{layout.name}）；若原文确实缺表，加 --partial 只导入已找到的部分"
        "（草稿中注明缺少的表，核对时会报告）。",
    ]
    if scanned:
        lines.insert(
            -1,
            f"第 {'、'.join(scanned)} 页没有文字层（扫描或图片页），其中的表无法读取。",
        )
    return "\n".join(lines)


# ------------------------------------------------------------------ tables


def read_tables(pages: list[Page], layout: Layout, path: Path) -> Tables:
    out = Tables()
    for tl in layout.tables:
        found = find_table(pages, tl, out.claimed, layout.tables)
        if found is None:
            out.missing.append(tl)
            continue
        try:
            data, doubts = table_from_rows(tl, found.rows)
        except UnreadableCells as error:
            out.problems += [bad_cell(path, found, cell) for cell in error.cells]
            continue
        out.used |= {id(ln) for ln in [found.title_line, *found.before] if ln is not None}
        for page_number, box in found.regions:
            out.regions.setdefault(page_number, []).append(box)
        data |= notes_under(found, data, out.used)
        department = next(
            (m["name"] for ln in found.before if (m := DEPARTMENT.search(ln.text))), None
        )
        if department:
            out.departments[tl.table] = department.strip()
        out.data[tl.table] = data
        first = found.pages[0] if found.pages else None
        prefix = f"final_accounts.tables.{tl.table}"
        out.doubts += [Doubt(prefix, why, first) for why in found.header_doubts]
        out.doubts += [Doubt(d.path, d.why, page_of(d.path, data, found) or first) for d in doubts]
        out.doubts += [
            Doubt(row_path(prefix, data, found.rows[n.row]) or prefix, n.why, n.page)
            for n in found.notes
        ]
    return out


def bad_cell(path: Path, found: Found, cell: BadCell) -> str:
    page = found.pages[cell.row] if cell.row < len(found.pages) else "?"
    columns = leaves(printed_columns(found.tl))
    column = (
        columns[cell.column].label if cell.column < len(columns) else f"第 {cell.column + 1} 列"
    )
    return (
        f"{path} 第 {page} 页：{describe(found.tl)}“{column}”列的一格"
        f"应为{cell.expected}，实为 {cell.text!r}"
    )


def notes_under(found: Found, data: dict, used: set[int]) -> dict[str, str]:
    """The 注 and the empty-table 说明 printed under a table."""
    paras: list[list[Line]] = []
    for line in found.after:
        if LABEL.match(line.text):
            paras.append([line])
        elif paras and goes_on(paras[-1][-1], line):
            paras[-1].append(line)
        else:
            break
    notes: list[str] = []
    statements: list[str] = []
    empty = not any_figure(data)
    for para in paras:
        used |= {id(ln) for ln in para}
        text = "".join(
            ("\n\n" if i and ITEM.match(ln.text) else "") + ln.text for i, ln in enumerate(para)
        )
        label = LABEL.match(text)
        body = LABEL.sub("", text).strip()
        if label and label.group(1) == "说明" or (empty and EMPTY.search(body)):
            statements.append(body)
        else:
            notes.append(body)
    out = {}
    if notes:
        out["note"] = "\n\n".join(notes)
    if statements:
        out["statement"] = "\n\n".join(statements)
    return out


def goes_on(a: Line, b: Line) -> bool:
    """Whether ``b`` continues the 注 line ``a``: the same type, right below it."""
    return (a.size, a.font) == (b.size, b.font) and b.top - a.bottom < 0.6 * (b.bottom - b.top)


def any_figure(value: Any) -> bool:
    if isinstance(value, dict):
        return any(any_figure(v) for k, v in value.items() if k not in ("code", "name", "line"))
    if isinstance(value, list):
        return any(any_figure(v) for v in value)
    return value is not None and not isinstance(value, str)


# ------------------------------------------------------------------ where a doubt is


def texts_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {key(str(v)) for k, v in value.items() if not isinstance(v, (dict, list))}
    return set()


def row_path(prefix: str, data: dict, printed: list[str | None]) -> str | None:
    """The path of the data row that holds most of a printed row's texts."""
    wanted = {key(t).replace(",", "") for t in printed if t}
    best, best_score = None, 0
    for path, item in items(data, prefix):
        score = len(wanted & {t.replace(",", "") for t in texts_of(item)})
        if score > best_score:
            best, best_score = path, score
    return best


def page_of(path: str, data: dict, found: Found) -> int | None:
    """The page of the printed row that a data path's row came from."""
    item: Any = {"": data}
    node: Any = data
    parsed = steps(path)[3:]  # past final_accounts.tables.tNN
    for name, index in parsed:
        if not isinstance(node, dict) or name not in node:
            break
        node = node[name]
        if index is not None and index.isdigit() and isinstance(node, list):
            node = node[int(index)] if int(index) < len(node) else None
        if isinstance(node, dict):
            item = node
    wanted = {t.replace(",", "") for t in texts_of(item)}
    best, best_score = None, 0
    for row, page in zip(found.rows, found.pages, strict=False):
        score = len(wanted & {key(t).replace(",", "") for t in row if t})
        if score > best_score:
            best, best_score = page, score
    return best


def items(value: Any, path: str) -> list[tuple[str, dict]]:
    """Every mapping under ``value`` with its path."""
    out: list[tuple[str, dict]] = []
    if isinstance(value, dict):
        out.append((path, value))
        for k, v in value.items():
            out += items(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += items(v, f"{path}[{i}]")
    return out
