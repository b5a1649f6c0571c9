"""The content format reference for editors, generated from the model declarations.

Because it is generated, it cannot drift from what the loader accepts; a test keeps the
committed ``docs/format.md`` equal to this output.
"""

from __future__ import annotations

import typing
from pathlib import Path

from .convert import is_required, type_hints, unwrap_optional
from .models import Disclosure, Node, RegionInfo, SiteConfig, UnitInfo
from .models.base import Amount, Markdown, Percent, Score, SignedAmount, schema_fields
from .models.layout import Layout

EXAMPLE = Path(__file__).parent / "templates" / "example.yml"

INTRO = """\
# 内容格式说明

本页由 `publisher reference` 根据数据模型生成，与 `publisher check` 接受的格式始终一致。

每个预算单位的数据放在 `content/<地区>/<单位>/` 下。文件夹名是英文小写字母、数字和 `-`
组成的短名（它们就是网址）；中文名称写在 YAML 文件里。

| 文件 | 内容 |
|---|---|
| `content/<地区>/region.yml` | 地区（可以嵌套：市 → 区） |
| `content/<地区>/<单位>/unit.yml` | 单位各年度不变的信息 |
| `content/<地区>/<单位>/<年度>.yml` | 该年度的公开内容 |

处处适用的规则：

- 金额以万元为单位，按公开文本填写，最多两位小数（写 `511.38`，不写 `511.38万`）；公开表印为
  负数的照写负号（如 `-21.36`）。空白单元格不写或写 `~`；印有 `0` 的写 `0`。
- 合计、总计按公开数填写。`publisher check` 逐项核对，但从不重算或改动公开数。
- 科目编码（功能分类、经济分类）加引号写成文字：`"2010301"`。
- 长段文字是 Markdown，写成块（`body: |`）；缩进只用空格，不用 Tab。HTML、链接和脚本不会显示在
  页面上，`publisher check` 会提示。
- 顶层地区的文件夹名不能是网站自用的路径：search、format、css、js、pagefind、404、assets。
- `status: draft` 的年度文件是草稿：照常检查，`mkdocs serve` 预览时标明“草稿”，
  `mkdocs build` 不发布。

`publisher new <地区>/<单位> <年度>` 生成一个带注释的年度文件；其中每一处“（填写…）”都要换成
公开文本的内容，否则 `publisher check` 不通过。`publisher check` 以 `文件:行:列: 说明` 的形式
报告每一个问题。

"""

# How each kind of value is named in the table's 取值 column.
KINDS = {
    str: "文字",
    Markdown: "文字（Markdown）",
    int: "整数",
    bool: "true 或 false",
    Amount: "金额，万元（如 511.38；印为负数的照写，如 -21.36）",
    SignedAmount: "金额，万元，可为负数（如 -21.36）",
    Score: "分数（如 9.5）",
    Percent: "百分比（如 100%）",
}


LAYOUT_INTRO = """\
表样（layout）说明一个省份、一个年度的模板怎样印制九张决算表和情况说明：每张表的标题和表号、
表头树（叶子列写明其下的数据项，用语义编号，如 `fiscal`、`basic`、`budget.total`）、
是否印栏次/行次、合计行的位置、部门行和单位行，以及情况说明各节。
随软件提供的表样在 `publisher/layouts/`
（`hunan-2020`、`shanghai-2024`、`shanghai-2024-fenlie`）；
站点可在 `site_config.yml` 旁的 `layouts/` 文件夹中增加自己的表样，无需改代码。
年度文件的 `layout` 优先，其次是最近一级 `region.yml` 的 `layout`，
再次是 `site_config.yml` 的 `layout`，默认 `hunan-2020`。
核对规则按数据项的含义适用：表样印出某规则所需的全部数据项时，该规则才适用。

"""


def reference_markdown() -> str:
    """The whole reference as Markdown."""
    parts = [INTRO]
    for title, root in (
        ("region.yml", RegionInfo),
        ("unit.yml", UnitInfo),
        ("<年度>.yml", Disclosure),
        ("site_config.yml", SiteConfig),
        ("layouts/<编号>.yml", Layout),
    ):
        parts.append(f"## `{title}`\n\n" + (LAYOUT_INTRO if root is Layout else ""))
        for cls in models_under(root):
            parts.append(model_section(cls))
    parts.append(
        "## 年度文件的最小示例\n\n```yaml\n" + EXAMPLE.read_text(encoding="utf-8") + "```\n"
    )
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
    rows = ["| 键 | 中文名 | 取值 | 必填 | 说明 |", "|---|---|---|---|---|"]
    hints = type_hints(cls)
    for f in schema_fields(cls):
        kind = kind_name(hints[f.name]).replace("|", "\\|")
        required = "是" if is_required(f) else ""
        rows.append(
            f"| `{f.name}` | {f.metadata['label']} | {kind} | {required} | {f.metadata['doc']} |"
        )
    return f"### {cls.__name__}\n\n{doc}\n\n" + "\n".join(rows) + "\n\n"


def kind_name(hint: object) -> str:
    """How a field's type reads in the 取值 column."""
    inner, _ = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        return f"{kind_name(typing.get_args(inner)[0])} 的列表"
    if typing.get_origin(inner) is typing.Literal:
        return "其一：" + "、".join(f"`{v}`" for v in typing.get_args(inner))
    if inner in KINDS:
        return KINDS[inner]
    return f"{getattr(inner, '__name__', inner)}（见下）"
