"""Rules on the text an editor writes rather than the figures: what is left unfinished, and
what the page would silently drop.

- ``C-PLACEHOLDER``: a ``（填写…）`` placeholder of ``publisher new``'s template is still there;
- ``C-SANITISED``: Markdown that the sanitiser changes (raw HTML, a link): the page would
  show less than the file says, so the editor is told, with the line;
- ``C-TABLE`` / ``C-SECTION``: a table or 情况说明 section the disclosure's layout requires is
  missing; ``C-EMPTY``: a year file with nothing to publish.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser

import markdown

from .. import terms
from ..convert import type_hints, unwrap_optional
from ..models.base import Mark, Markdown, Node, Percent, label, schema_fields
from .figures import Figure
from .kinds import WARNING, Context, Custom, Finding, Rule

# Every placeholder in publisher/templates/new_year.yml has this shape (a test keeps it so).
PLACEHOLDER = re.compile(r"（填写[^）]*）")


# Text with none of these is plain paragraphs: nothing for the sanitiser to change.
MARKUP = re.compile(r"[<\[&]|\]\(|https?:|javascript:", re.IGNORECASE)


Text = tuple[str, str, Node, str, bool]  # (path, text, the node holding it, field name, Markdown)
NO_TEXT = (int, bool, Decimal, Percent)  # scalar kinds that never hold text (amounts, scores…)


def text_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """The fields of a model that may hold text or models, with whether they are Markdown."""
    return _text_fields(cls)  # a plain ``type`` here: mypy takes type[Node] as unhashable


@functools.cache
def _text_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    hints = type_hints(cls)
    fields = []
    for f in schema_fields(cls):
        inner, _ = unwrap_optional(hints[f.name])
        if typing.get_origin(inner) is list:
            inner, _ = unwrap_optional(typing.get_args(inner)[0])
        if not (isinstance(inner, type) and issubclass(inner, NO_TEXT)):
            fields.append((f.name, is_markdown(hints[f.name])))
    return tuple(fields)


def texts(node: Node, path: str = "", found: list[Text] | None = None) -> list[Text]:
    """Every text of a model tree, in the order of its fields (depth first)."""
    found = [] if found is None else found
    for name, markdown_ in text_fields(type(node)):
        value = getattr(node, name)
        if not value:  # nothing written (None, '' or []): no text
            continue
        here = f"{path}.{name}" if path else name
        if isinstance(value, str):
            found.append((here, value, node, name, markdown_))
        elif isinstance(value, Node):
            texts(value, here, found)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    found.append((f"{here}[{i}]", item, node, name, markdown_))
                elif isinstance(item, Node):
                    texts(item, f"{here}[{i}]", found)
    return found


def is_markdown(hint: object) -> bool:
    inner, _ = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        inner, _ = unwrap_optional(typing.get_args(inner)[0])
    return inner is Markdown


def disclosure_texts(ctx: Context) -> list[Text]:
    """The disclosure's texts, collected once for the rules that read them all."""
    if "texts" not in ctx.memo:
        ctx.memo["texts"] = texts(ctx.disclosure)
    return ctx.memo["texts"]


def text_figure(path: str, node: Node, name: str) -> Figure:
    return Figure(path, label(type(node), name), None, node.where(name))


def placeholders(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for path, text, node, name, _ in disclosure_texts(ctx):
        for match in PLACEHOLDER.finditer(text):
            figure = text_figure(path, node, name)
            yield Finding(
                rule,
                replace(figure, mark=line_of(figure.mark, text, match.start())),
                None,
                detail=f"仍是模板的占位文字“{match.group(0)}”（应填写公开文本的内容，或删去这一项）",
            )


def line_of(mark: Mark | None, text: str, offset: int) -> Mark | None:
    """The mark of ``text[offset]``. A literal block (``body: |``) keeps its final newline and
    its mark is the ``|``: its lines follow that line one for one. The column inside a block
    is not known (the block's indentation), so the line's first is given."""
    if mark is None or not text.endswith("\n"):
        return mark
    return Mark(mark.path, mark.line + 1 + text.count("\n", 0, offset), 1)


def sanitised(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for path, text, node, name, is_md in disclosure_texts(ctx):
        if is_md and MARKUP.search(text):
            dropped = dropped_markup(text)
            if dropped:
                yield Finding(
                    rule,
                    text_figure(path, node, name),
                    None,
                    detail=f"页面上会删去：{'、'.join(dropped)}（网站只保留文字和基本格式，"
                    f"不保留 HTML、链接和脚本）",
                )


class _Markup(HTMLParser):
    """Collects the tags and attributes that the sanitiser removes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dropped: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in terms.MARKDOWN_TAGS:
            self.note(f"<{tag}>")
        for name, value in attrs:
            self.note(f'{name}="{value}"' if value and len(value) <= 60 else name)

    def note(self, what: str) -> None:
        if what not in self.dropped:
            self.dropped.append(what)


@functools.cache
def converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists", "nl2br"])  # as publisher/render.py


def dropped_markup(text: str) -> list[str]:
    """What of ``text``'s Markdown the page drops, e.g. ``<script>``, ``href="javascript:…"``."""
    parser = _Markup()
    parser.feed(converter().reset().convert(text))
    parser.close()
    return parser.dropped


# ------------------------------------------------------------------ what the layout requires


def section_number(title: str | None) -> str:
    """The numbering of a heading: 一、收入支出决算总体情况说明 → 一."""
    match = NUMBERED.match(title or "")
    return match.group(1) if match else ""


NUMBERED = re.compile(r"\s*([一二三四五六七八九十]+)\s*[、.．]")


def layout_tables(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Every table the layout prints is published (an empty one with its 说明)."""
    fa = ctx.disclosure.final_accounts
    if fa is None:
        return
    for tl in ctx.layout.tables:
        if tl.required and getattr(fa.tables, tl.table) is None:
            yield Finding(
                rule,
                Figure(
                    f"final_accounts.tables.{tl.table}",
                    f"{terms.table_label(tl.table)} {tl.title}",
                    None,
                    fa.where("tables"),
                ),
                None,
                detail=f"表样“{ctx.layout.name}”要求公开此表（无数据的表也须公开，并附说明）",
            )


def layout_sections(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Every 情况说明 section the layout requires is there, matched by its numbering."""
    fa = ctx.disclosure.final_accounts
    if fa is None:
        return
    present = {section_number(s.title) for s in fa.explanations}
    for section in ctx.layout.sections:
        if section.required and section_number(section.title) not in present:
            yield Finding(
                rule,
                Figure(
                    "final_accounts.explanations",
                    f"情况说明 {section.title}",
                    None,
                    fa.where("explanations"),
                ),
                None,
                detail=f"表样“{ctx.layout.name}”要求有此节（标题以“{section_number(section.title)}、”开头）",
            )


def nothing_published(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A year file with neither 部门决算 nor 绩效 content would publish an empty page."""
    d = ctx.disclosure
    if d.final_accounts is None and not d.reports and not d.self_evaluations and not d.overview:
        yield Finding(
            rule,
            Figure("year", "年度文件", None, d.mark),
            None,
            detail="没有单位概况、部门决算、绩效评价报告或绩效自评表，页面将是空的",
        )


COMPLETENESS_RULES: list[Rule] = [
    Custom(
        id="C-PLACEHOLDER",
        description="不得保留 publisher new 模板中的“（填写…）”占位文字",
        run=placeholders,
    ),
    Custom(
        id="C-SANITISED",
        description="正文中的 HTML、链接和脚本不会显示在页面上",
        severity=WARNING,
        run=sanitised,
    ),
    Custom(
        id="C-TABLE",
        description="表样要求的决算表均已公开",
        run=layout_tables,
        reads=["final_accounts.tables"],
    ),
    Custom(
        id="C-SECTION",
        description="表样要求的情况说明各节均已公开",
        run=layout_sections,
        reads=["final_accounts.explanations[*].title"],
    ),
    Custom(id="C-EMPTY", description="年度文件须有公开内容", run=nothing_published),
]
