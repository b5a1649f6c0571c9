"""The text of a 部门决算 PDF: its title, parts, numbered sections, paragraphs and glossary.

Structure is read from the print, not from any document's wording:

- **paragraphs**: a new paragraph starts where a line is indented, where the space above it
  is larger than the body's line pitch, where the type changes, or at the top of a page
  when the last line before it stopped short;
- **parts**: 第一部分 … 第五部分 headings (the last printing of each number, so the
  contents page does not count); without them, standalone headings set larger than the
  body. What a part holds is told by the national part names (:data:`PARTS`);
- **sections**: numbered headings in the national order of levels 一、 → （一） → 1、 →
  （1） (:data:`LEVELS`). A numbered paragraph is a heading when it follows its siblings'
  sequence, is short and reads like a title (no sentence inside it, not ending in ：；，) or
  is set in the headings' type, and none of its numbered siblings is a body paragraph; the
  first level of 情况说明 may also be recognised by the layout's declared section titles.
"""

from __future__ import annotations

import difflib
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .pdfheader import key
from .pdfpages import Line, Page, is_han
from .pdftables import PAGE_NUMBER

PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*")
# What each part of a 部门决算 holds, by the words of its national part name.
PARTS = (
    ("glossary", ("名词解释",)),
    ("explanations", ("情况说明",)),
    ("tables", ("决算表",)),
    ("overview", ("概况",)),
    ("other", ("附件", "绩效", "报告", "自评")),
)
NUMERALS = "一二三四五六七八九十"
LEVELS = (
    re.compile(r"^([一二三四五六七八九十]+)\s*、"),
    re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]"),
    re.compile(r"^(\d{1,2})\s*[、.．](?!\d)"),
    re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]"),
)
SENTENCE_END = re.compile(r"[。：；！？:;!?]$")
TITLE_LENGTH = 40  # a heading longer than this is a paragraph
TERM = re.compile(r"^(?P<term>[^：:。，]{1,30}?)\s*[：:]\s*(?P<definition>.+)$", re.S)


def number(text: str) -> int:
    """一 → 1, 十一 → 11, 二十三 → 23; digits as they are."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _, units = text.rpartition("十")
    value = (NUMERALS.index(tens) + 1 if tens else 1) * 10 if "十" in text else 0
    return value + (NUMERALS.index(units) + 1 if units else 0)


# ------------------------------------------------------------------ paragraphs


@dataclass
class Paragraph:
    lines: list[Line]
    styled: bool = False  # set in another type than the body (a heading's)
    table: str | None = None  # a ruled table printed in the text, as Markdown
    at: tuple[int, float] = (0, 0.0)  # page and top of a table

    @property
    def text(self) -> str:
        if self.table is not None:
            return self.table
        out = ""
        for line in self.lines:
            text = line.text
            if out and out[-1].isascii() and out[-1].isalnum() and text[:1].isascii():
                out += " "
            out += text
        return out

    @property
    def page(self) -> int:
        return self.lines[0].page if self.lines else self.at[0]

    @property
    def size(self) -> float:
        return max((line.size for line in self.lines), default=0.0)


@dataclass
class Style:
    """The body type of the document and where its lines start and end."""

    size: float
    font: str
    pitch: float  # distance from one line's top to the next's, in a paragraph
    left: dict[int, float] = field(default_factory=dict)  # page → left margin
    right: dict[int, float] = field(default_factory=dict)


def body_style(lines: list[Line]) -> Style:
    weights: Counter[tuple[float, str]] = Counter()
    for line in lines:
        weights[(line.size, line.font)] += len(line.glyphs)
    (size, font), _ = weights.most_common(1)[0]
    body = [ln for ln in lines if ln.size == size]
    steps = [
        b.top - a.top
        for a, b in zip(body, body[1:], strict=False)
        if a.page == b.page and 0 < b.top - a.top < 2.5 * size
    ]
    style = Style(size, font, statistics.median(steps) if steps else 1.5 * size)
    usual = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    for page in {ln.page for ln in body}:
        on_page = [ln for ln in body if ln.page == page]
        left = min(ln.x0 for ln in on_page)  # a page of indented paragraphs has no full line
        style.left[page] = left if left <= usual + 0.8 * size else usual
        style.right[page] = sorted(ln.x1 for ln in on_page)[int(0.9 * (len(on_page) - 1))]
    return style


def paragraphs(
    lines: list[Line], style: Style, tables: list[Paragraph] | None = None
) -> list[Paragraph]:
    """The paragraphs of ``lines`` (page by page, top down), with the ``tables`` printed
    among them (paragraphs of their own, placed by ``at``)."""
    out: list[Paragraph] = []
    waiting = sorted(tables or [], key=lambda t: t.at)
    for line in lines:
        if PAGE_NUMBER.match(line.text):
            continue
        while waiting and waiting[0].at < (line.page, line.top):
            out.append(waiting.pop(0))
        if out and out[-1].table is not None:
            out.append(Paragraph([line], line.size != style.size))
            continue
        styled = line.size != style.size or (
            any(is_han(g.text) for g in line.glyphs) and line.font != style.font
        )
        if out and not starts_paragraph(out[-1].lines[-1], line, style, styled, out[-1].styled):
            out[-1].lines.append(line)
        else:
            out.append(Paragraph([line], styled))
    return out + waiting


def markdown_table(rows: list[list[str]]) -> str | None:
    """A small table printed in the text (单位构成 …) as a Markdown table."""
    rows = [[cell.replace("|", "\\|") for cell in row] for row in rows if any(row)]
    if len(rows) < 2:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def starts_paragraph(a: Line, b: Line, style: Style, styled: bool, was_styled: bool) -> bool:
    size = b.size
    left = style.left.get(b.page, min(style.left.values(), default=b.x0))
    if styled != was_styled or abs(a.size - b.size) > 0.5 or PART.match(b.text):
        return True
    if b.x0 > left + 0.8 * size:  # first-line indent, a centred line, or an indented block
        right = style.right.get(a.page, a.x1)
        block = (
            abs(b.x0 - a.x0) < 0.5 * size
            and a.x1 >= right - 3.5 * size
            and not SENTENCE_END.search(a.text)
        )
        if not block or b.top - a.top > style.pitch + 0.4 * size:
            return True
    if a.page != b.page:  # a paragraph goes on only from a full last line of body text
        full = style.right.get(a.page)
        return styled or full is None or a.x1 < full - 2 * size
    return b.top - a.top > style.pitch + 0.4 * size


# ------------------------------------------------------------------ parts


def part_kind(text: str) -> str | None:
    words = key(PART.sub("", text))
    for kind, names in PARTS:
        if any(name in words for name in names):
            return kind
    return None


def part_number(p: Paragraph) -> int:
    match = PART.match(p.text)
    return number(match.group(1)) if match else 0


def same_type(a: Paragraph, b: Paragraph) -> bool:
    if not a.lines or not b.lines:
        return False
    return (a.lines[0].size, a.lines[0].font) == (b.lines[0].size, b.lines[0].font)


def split_parts(paras: list[Paragraph], style: Style) -> dict[str, list[Paragraph]]:
    """The paragraphs of each part, by kind (see :data:`PARTS`); the first part of each kind.
    The contents page lists the part headings too: the parts are the last run of headings
    numbered in order."""
    starts: list[int] = []  # from the end: each part heading numbered below the one after it
    for i in range(len(paras) - 1, -1, -1):
        match = PART.match(paras[i].text)
        if match and (not starts or number(match.group(1)) < part_number(paras[starts[0]])):
            starts.insert(0, i)
    if starts:  # a part printed without 第X部分, in the type of the part headings
        starts += [
            i
            for i, p in enumerate(paras)
            if i > starts[0]
            and i not in starts
            and len(p.lines) <= 2
            and any(same_type(p, paras[j]) for j in starts)
            and part_kind(p.text)
        ]
        starts.sort()
    if not starts:  # no 第X部分: the largest standalone headings that name a part
        named = [
            i
            for i, p in enumerate(paras)
            if p.size > style.size + 1 and len(p.lines) <= 2 and part_kind(p.text)
        ]
        largest = max((paras[i].size for i in named), default=0.0)
        starts = [i for i in named if paras[i].size == largest]
    out: dict[str, list[Paragraph]] = {}
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(paras)
        heading, body = paras[i].text, paras[i + 1 : end]
        while body and same_type(body[0], paras[i]):  # a heading continued (…情况 / 说明)
            heading, body = heading + body[0].text, body[1:]
        out.setdefault(part_kind(heading) or "other", body)
    return out


# ------------------------------------------------------------------ sections


def titled(p: Paragraph) -> bool:
    """Whether a numbered paragraph reads like a heading rather than a body paragraph."""
    text = p.text.strip()
    inner = text[:-1] if text.endswith("。") else text
    if len(text) > TITLE_LENGTH or re.search(r"[：:；;，,]$", text) or "。" in inner:
        return False
    return len(p.lines) == 1 or (p.styled and len(p.lines) <= 2)


def sections(
    paras: list[Paragraph], level: int = 0, declared: list[str] | None = None
) -> tuple[list[Paragraph], list[dict[str, Any]]]:
    """The body before the first heading of ``level`` and the sections from it on."""
    if level >= len(LEVELS):
        return paras, []
    heads = heading_positions(paras, level, declared)
    if not heads:  # this level is not used here: the next one may be (一、 then 1、)
        return sections(paras, level + 1)
    out = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(paras)
        body, subsections = sections(paras[i + 1 : end], level + 1)
        section: dict[str, Any] = {"title": heading_text(paras[i])}
        if body:
            section["body"] = markdown(body)
        if subsections:
            section["sections"] = subsections
        out.append(section)
    return paras[: heads[0]], out


def heading_positions(paras: list[Paragraph], level: int, declared: list[str] | None) -> list[int]:
    pattern = LEVELS[level]
    numbered = [
        (i, m) for i, p in enumerate(paras) if (m := pattern.match(p.text.strip())) is not None
    ]
    if not numbered:
        return []
    heads, expected = [], 1
    for i, m in numbered:
        p = paras[i]
        known = declared is not None and is_declared(p.text, declared)
        if number(m.group(1)) != expected:
            if known:  # a declared title out of sequence (a section left out)
                heads.append(i)
                expected = number(m.group(1)) + 1
            continue
        if not (titled(p) or known):
            return []  # a numbered body paragraph: its siblings are body paragraphs too
        heads.append(i)
        expected += 1
    return heads


def is_declared(text: str, declared: list[str]) -> bool:
    wanted = key(text)
    return any(difflib.SequenceMatcher(None, wanted, key(t)).ratio() >= 0.8 for t in declared)


def heading_text(p: Paragraph) -> str:
    return "".join(line.text for line in p.lines).strip()


def markdown(paras: list[Paragraph]) -> str:
    """Paragraphs as Markdown: one blank line between them."""
    return "\n\n".join(p.text for p in paras) + "\n"


# ------------------------------------------------------------------ glossary, title


def glossary(paras: list[Paragraph]) -> list[dict[str, str]]:
    """名词解释: each term a paragraph ``一、term：definition``, or a short term line
    followed by its definition."""
    out: list[dict[str, str]] = []
    pending: str | None = None
    for p in paras:
        text = LEVELS[0].sub("", p.text.strip()).strip()
        match = TERM.match(text)
        if pending is not None:
            out.append({"term": pending, "definition": text})
            pending = None
        elif match:
            out.append({"term": match["term"].strip(), "definition": match["definition"].strip()})
        elif titled(p):
            pending = text
    return out


def document_title(pages: list[Page]) -> str | None:
    """The cover's title: the lines set in the largest type on the first page that has text."""
    for page in pages[:2]:
        lines = [ln for ln in page.lines if not PAGE_NUMBER.match(ln.text)]
        if not lines:
            continue
        largest = max(ln.size for ln in lines)
        big = [ln for ln in lines if ln.size >= largest - 0.5]
        title = re.sub(r"\s+", "", "".join(ln.text for ln in big))
        return title or None
    return None


YEAR = re.compile(r"(20\d\d)\s*年度?")


def year_of(title: str | None) -> int | None:
    match = YEAR.search(title or "")
    return int(match.group(1)) if match else None


def unit_of(title: str | None) -> str | None:
    """The unit's name in a title: …局2024年度部门决算 or 2020年度…办公室部门决算."""
    if not title:
        return None
    match = YEAR.search(title)
    if not match:
        return None
    before, after = title[: match.start()], title[match.end() :]
    name = before or re.sub(r"(部门)?决算.*$", "", after)
    return name or None
