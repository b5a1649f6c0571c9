"""The content format reference for editors, generated from the model declarations.

Because it is generated, it cannot drift from what the loader accepts; a test keeps the
committed ``docs/format.md`` equal to this output.
"""

from __future__ import annotations

import typing
from pathlib import Path

from .convert import describe, is_required, type_hints, unwrap_optional
from .models import Disclosure, Node, RegionInfo, UnitInfo
from .models.layout import Layout
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


LAYOUT_INTRO = """\
表样（layout）说明一个省份、一个年度的模板怎样印制九张决算表和情况说明：每张表的标题和表号、
表头树（叶子列写明其下的数据项，用语义编号，如 `fiscal`、`basic`、`budget.total`）、是否印栏次/行次、
合计行的位置、部门行和单位行，以及情况说明各节。随软件提供的表样在 `publisher/layouts/`
（`hunan-2020`、`shanghai-2024`、`shanghai-2024-fenlie`）；站点可在 `site_config.yml` 旁的
`layouts/` 文件夹中增加自己的表样，无需改代码。年度文件的 `layout` 优先，其次是最近一级
`region.yml` 的 `layout`，再次是 `site_config.yml` 的 `layout`，默认 `hunan-2020`。
核对规则按数据项的含义适用：表样印出某规则所需的全部数据项时，该规则才适用。

"""


def reference_markdown() -> str:
    """The whole reference as Markdown."""
    parts = [INTRO]
    for title, root in (("region.yml", RegionInfo), ("unit.yml", UnitInfo), ("<year>.yml", Disclosure),
                        ("layouts/<id>.yml", Layout)):
        parts.append(f"## `{title}`\n\n" + (LAYOUT_INTRO if root is Layout else ""))
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
