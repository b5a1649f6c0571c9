"""A :class:`~publisher.importer.Draft` written as a year file, checked, and reviewed.

The YAML reads like a hand-written file: one row per line (``- {code: "201", name: …}``),
long texts as block scalars (``body: |``), and above every doubtful value a comment that
says why it is doubtful (``# 待核对：…``). Nothing existing is written over unless asked.
The file is then read by the normal loader and checked by the normal rules, as if it were
published, and the review says what was read, what fails and where to look.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..errors import PublisherError
from . import Doubt, Draft

INDENT = "  "
FLOW_WIDTH = 160  # a row longer than this is written as a block mapping
BLOCK_TEXT = 60  # texts longer than this (or with line breaks) become block scalars
FLOW_SPECIAL = re.compile(r"[,\[\]{}]")
PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: |\s#|[\x00-\x1f\x7f]|\s$|:$")


# ------------------------------------------------------------------ YAML


def scalar(value: Any, flow: bool) -> str:
    """One scalar as YAML: plain where YAML reads it back as the same text, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = str(value)
    plain = (
        text != ""
        and not PLAIN_UNSAFE.search(text)
        and not (flow and FLOW_SPECIAL.search(text))
        and yaml.safe_load(text) == text
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def is_row(value: Any) -> bool:
    return isinstance(value, dict) and all(
        not isinstance(v, (dict, list)) and not (isinstance(v, str) and "\n" in v)
        for v in value.values()
    )


def flow(value: dict) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in value.items()) + "}"


def block_text(text: str, indent: str) -> list[str] | None:
    """A long text as the lines of a block scalar (``|``), or None where it cannot be one."""
    if text[:1].isspace() or any(ord(ch) < 32 and ch not in "\n" for ch in text):
        return None
    if not text.endswith("\n"):
        chomp, body = "|-", text
    elif text.endswith("\n\n"):
        chomp, body = "|+", text[:-1]  # keep every trailing line break
    else:
        chomp, body = "|", text[:-1]
    return [chomp] + [f"{indent}{line}".rstrip() for line in body.split("\n")]


@dataclass
class Line:
    path: str  # the figure path of the value the line holds ("" for none)
    indent: str
    text: str


def emit(value: Any, path: str, indent: str, out: list[Line]) -> None:
    """Block YAML of a mapping's entries or a list's items, appended to ``out``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                continue
            emit_entry(f"{indent}{key}:", f"{path}.{key}" if path else str(key), item, indent, out)
    else:
        for i, item in enumerate(value):
            emit_entry(f"{indent}-", f"{path}[{i}]", item, indent, out)


def emit_entry(lead: str, path: str, item: Any, indent: str, out: list[Line]) -> None:
    deeper = indent + INDENT
    if isinstance(item, dict) and (not item or (is_row(item) and len(flow(item)) <= FLOW_WIDTH)):
        out.append(Line(path, indent, f"{lead} {flow(item)}"))
    elif isinstance(item, dict) and lead.endswith("-"):
        first = len(out)
        emit(item, path, deeper, out)
        if len(out) > first:  # the first key goes on the dash's line
            out[first].text = f"{lead} {out[first].text.lstrip()}"
            out[first].indent = indent
    elif isinstance(item, dict):
        out.append(Line(path, indent, lead))
        emit(item, path, deeper, out)
    elif isinstance(item, list):
        out.append(Line(path, indent, f"{lead} []" if not item else lead))
        emit(item, path, deeper, out)
    elif isinstance(item, str) and ("\n" in item or len(item) > BLOCK_TEXT):
        lines = block_text(item, deeper)
        if lines is None:
            out.append(Line(path, indent, f"{lead} {scalar(item, flow=False)}"))
        else:
            out.append(Line(path, indent, f"{lead} {lines[0]}"))
            out += [Line("", deeper, text) for text in lines[1:]]
    else:
        out.append(Line(path, indent, f"{lead} {scalar(item, flow=False)}"))


def holder(path: str, paths: list[str]) -> int | None:
    """Index of the deepest written line whose value holds figure ``path``."""
    best, depth = None, -1
    for i, p in enumerate(paths):
        if p and (path == p or path.startswith(p + ".") or path.startswith(p + "[")):
            if len(p) > depth:
                best, depth = i, len(p)
    return best


def to_yaml(draft: Draft, heading: list[str]) -> tuple[str, list[tuple[Doubt, int]]]:
    """The year file's text, and each doubt with the (1-based) line of the value it is about."""
    lines: list[Line] = []
    emit(draft.data, "", "", lines)
    paths = [line.path for line in lines]
    notes: dict[int, list[Doubt]] = {}
    for doubt in draft.doubts:
        at = holder(doubt.path, paths)
        notes.setdefault(at if at is not None else 0, []).append(doubt)
    text = [f"# {h}" for h in heading]
    placed: list[tuple[Doubt, int]] = []
    for i, line in enumerate(lines):
        for doubt in notes.get(i, []):
            page = f"（原文第 {doubt.page} 页）" if doubt.page else ""
            text.append(f"{line.indent}# 待核对：{doubt.why}{page}")
        for doubt in notes.get(i, []):
            placed.append((doubt, len(text) + 1))
        text.append(line.text)
    return "\n".join(text) + "\n", placed


# ------------------------------------------------------------------ writing


def write_draft(draft: Draft, out: Path, *, force: bool = False) -> list[tuple[Doubt, int]]:
    """Write ``draft`` to ``out`` (refusing an existing file unless ``force``); returns each
    doubt with its line. The file is replaced whole (written beside it, then renamed)."""
    if out.exists() and not force:
        raise PublisherError(f"{out} 已存在，未写入（要覆盖它，加 --force）")
    heading = [
        f"由 publisher import 从 {draft.source.name} 读取，尚待审阅（status: draft，不发布）。",
        "每处“# 待核对”都要对照原文确认；审阅完毕、publisher check 通过后，"
        "删去 status: draft 即发布。",
    ]
    text, placed = to_yaml(draft, heading)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return placed


# ------------------------------------------------------------------ review


@dataclass
class Extracted:
    tables: int = 0
    rows: int = 0
    figures: int = 0
    sections: int = 0
    terms: int = 0

    def line(self) -> str:
        return (
            f"读取结果：{self.tables} 张表，{self.rows} 行，{self.figures} 个数字；"
            f"情况说明等 {self.sections} 节；名词解释 {self.terms} 条"
        )


def extracted(data: dict) -> Extracted:
    """What a draft holds: tables, their rows and figures, text sections, glossary terms."""
    found = Extracted()
    fa = data.get("final_accounts") or {}
    for table in (fa.get("tables") or {}).values():
        found.tables += 1
        for value in table.values():
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    found.rows += 1
                    found.figures += count_figures(item)
                elif isinstance(item, Decimal):
                    found.figures += 1
    found.sections = count_sections(data.get("overview") or []) + count_sections(
        fa.get("explanations") or []
    )
    found.terms = len(data.get("glossary") or [])
    return found


def count_figures(value: Any) -> int:
    if isinstance(value, Decimal):
        return 1
    if isinstance(value, dict):
        return sum(count_figures(v) for v in value.values())
    return 0


def count_sections(sections: list) -> int:
    return sum(1 + count_sections(s.get("sections") or []) for s in sections)
