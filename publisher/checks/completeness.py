"""Rules on the text an editor writes rather than the figures: what is left unfinished, and
what the page would silently drop.

- ``C-PLACEHOLDER``: a ``（填写…）`` placeholder of ``publisher new``'s template is still there;
- ``C-SANITISED``: Markdown that the sanitiser changes (raw HTML, a link): the page would
  show less than the file says, so the editor is told, with the line.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser

import markdown

from ..convert import type_hints, unwrap_optional
from ..models.base import Mark, Markdown, Node, label, schema_fields
from .figures import Figure
from .kinds import WARNING, Context, Custom, Finding, Rule

# Every placeholder in publisher/templates/new_year.yml has this shape (a test keeps it so).
PLACEHOLDER = re.compile(r"（填写[^）]*）")

# What the page keeps of Markdown's HTML (publisher/render.py sanitises to these tags, no attributes).
KEPT_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "code", "pre", "blockquote",
                       "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr", "sup", "sub"})
# Text with none of these is plain paragraphs: nothing for the sanitiser to change.
MARKUP = re.compile(r"[<\[&]|\]\(|https?:|javascript:", re.IGNORECASE)


def texts(node: Node, path: str = "") -> Iterator[tuple[str, str, Node, str, bool]]:
    """Every text of a model tree: (path, text, the node holding it, field name, is Markdown)."""
    hints = type_hints(type(node))
    for f in schema_fields(type(node)):
        value = getattr(node, f.name)
        here = f"{path}.{f.name}" if path else f.name
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            at = here if index is None else f"{here}[{index}]"
            if isinstance(item, Node):
                yield from texts(item, at)
            elif isinstance(item, str):
                yield at, item, node, f.name, is_markdown(hints[f.name])


def is_markdown(hint: object) -> bool:
    inner, _ = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        inner, _ = unwrap_optional(typing.get_args(inner)[0])
    return inner is Markdown


def text_figure(path: str, node: Node, name: str) -> Figure:
    return Figure(path, label(type(node), name), None, node.where(name))


def placeholders(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for path, text, node, name, _ in texts(ctx.disclosure):
        for match in PLACEHOLDER.finditer(text):
            figure = text_figure(path, node, name)
            yield Finding(rule, replace(figure, mark=line_of(figure.mark, text, match.start())), None,
                          detail=f"仍是模板的占位文字“{match.group(0)}”（应填写公开文本的内容，或删去这一项）")


def line_of(mark: Mark | None, text: str, offset: int) -> Mark | None:
    """The mark of ``text[offset]``. A literal block (``body: |``) keeps its final newline and
    its mark is the ``|``: its lines follow that line one for one. The column inside a block
    is not known (the block's indentation), so the line's first is given."""
    if mark is None or not text.endswith("\n"):
        return mark
    return Mark(mark.path, mark.line + 1 + text.count("\n", 0, offset), 1)


def sanitised(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for path, text, node, name, is_md in texts(ctx.disclosure):
        if is_md and MARKUP.search(text):
            dropped = dropped_markup(text)
            if dropped:
                yield Finding(rule, text_figure(path, node, name), None,
                              detail=f"页面上会删去：{'、'.join(dropped)}（网站只保留文字和基本格式，"
                                     f"不保留 HTML、链接和脚本）")


class _Markup(HTMLParser):
    """Collects the tags and attributes that the sanitiser removes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dropped: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in KEPT_TAGS:
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
    """What of ``text``'s Markdown the page would not keep, e.g. ``<script>``, ``href="javascript:…"``."""
    parser = _Markup()
    parser.feed(converter().reset().convert(text))
    parser.close()
    return parser.dropped


COMPLETENESS_RULES: list[Rule] = [
    Custom(id="C-PLACEHOLDER", description="不得保留 publisher new 模板中的“（填写…）”占位文字",
           run=placeholders),
    Custom(id="C-SANITISED", description="正文中的 HTML、链接和脚本不会显示在页面上", severity=WARNING,
           run=sanitised),
]
