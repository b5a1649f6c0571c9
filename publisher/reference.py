"""The content format reference for editors, generated from the model declarations.

Because it is generated, it cannot drift from what the loader accepts; a test keeps the
committed ``docs/format.md`` equal to this output.
"""

from __future__ import annotations

import typing
from pathlib import Path

from .convert import describe, is_required, type_hints, unwrap_optional
from .models import Disclosure, Node, RegionInfo, UnitInfo
from .models.base import schema_fields

EXAMPLE = Path(__file__).parent / "templates" / "example.yml"

INTRO = """\
# 内容格式说明 Content format reference

Each budget unit's data lives in `content/<region>/<unit>/`. Folder names are ASCII
slugs (they become URLs); Chinese names live inside the YAML.

| file | holds |
|---|---|
| `content/<region>/region.yml` | the region (regions may nest: 市 → 区) |
| `content/<region>/<unit>/unit.yml` | what stays the same about the unit |
| `content/<region>/<unit>/<year>.yml` | that year's disclosure |

Rules that hold everywhere:

- Amounts are in 万元 as published, at most two decimals (`511.38`, never `511.38万`).
  A blank cell is left out or written `~`; a printed `0` is written `0`.
- Totals are recorded as published. `publisher check` verifies them; nothing is
  recomputed or corrected.
- Codes (功能分类/经济分类科目编码) are written as quoted strings: `"2010301"`.
- Long text is Markdown in a block (`body: |`); indent with spaces, never tabs.

`publisher new <region>/<unit> <year>` writes a commented year file to start from;
`publisher check` reports every problem as `file:line:col: message`.

"""


def reference_markdown() -> str:
    """The whole reference as Markdown."""
    parts = [INTRO]
    for title, root in (("region.yml", RegionInfo), ("unit.yml", UnitInfo), ("<year>.yml", Disclosure)):
        parts.append(f"## `{title}`\n\n")
        for cls in models_under(root):
            parts.append(model_section(cls))
    parts.append("## Minimal example of a year file\n\n```yaml\n" + EXAMPLE.read_text(encoding="utf-8")
                 + "```\n")
    return "".join(parts)


def models_under(root: type) -> list[type]:
    """``root`` and every model reachable from its fields, in first-seen order."""
    seen: list[type] = []
    stack = [root]
    while stack:
        cls = stack.pop(0)
        if cls in seen:
            continue
        seen.append(cls)
        for f in schema_fields(cls):
            model = model_of(type_hints(cls)[f.name])
            if model is not None and model not in seen:
                stack.append(model)
    return seen


def model_of(hint: object) -> type | None:
    inner, _ = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        inner = typing.get_args(inner)[0]
    return inner if isinstance(inner, type) and issubclass(inner, Node) else None


def model_section(cls: type) -> str:
    doc = (cls.__doc__ or "").strip().replace("\n", " ")
    rows = ["| key | 中文 | value | required | notes |", "|---|---|---|---|---|"]
    hints = type_hints(cls)
    for f in schema_fields(cls):
        kind = describe(hints[f.name]).replace("|", "\\|")
        required = "yes" if is_required(f) else ""
        rows.append(f"| `{f.name}` | {f.metadata['label']} | {kind} | {required} | {f.metadata['doc']} |")
    return f"### {cls.__name__}\n\n{doc}\n\n" + "\n".join(rows) + "\n\n"
