"""Layouts as data: read the layout files, resolve ``extends``, validate every figure name.

The package ships the layouts in ``publisher/layouts/``; a site may add its own in
``layouts/`` beside ``site_config.yml`` (a province's template is a data file, no code).
Which layout a disclosure follows: its year file's ``layout``, else the nearest region's,
else ``site_config.yml``'s, else :data:`terms.DEFAULT_LAYOUT`.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from pathlib import Path

from . import terms
from .errors import ContentError, Problem
from .load import display_path, read_model
from .models import Disclosure, Mark, Region, SiteConfig, Unit
from .models import tables as t
from .models.base import schema_fields
from .models.layout import Layout, TableLayout, leaves

PACKAGED = Path(__file__).parent / "layouts"


@dataclasses.dataclass(frozen=True)
class Library:
    """Every layout a site can name, by id."""

    layouts: dict[str, Layout]

    def get(self, layout_id: str | None) -> Layout:
        return self.layouts[layout_id or terms.DEFAULT_LAYOUT]

    def choose(self, d: Disclosure, unit: Unit, config: SiteConfig | None) -> Layout:
        """The layout ``d`` follows (see the module docstring)."""
        return self.get(chosen_id(d, unit, config))

    def problems(self, d: Disclosure, unit: Unit, config: SiteConfig | None) -> list[Problem]:
        """A layout named in content that no file declares."""
        named = chosen_id(d, unit, config)
        if named in self.layouts:
            return []
        where = d.where("layout") if d.layout else d.mark
        return [
            Problem(
                where or Mark("?", 1, 1),
                f"没有这个表样（应为其一：{'、'.join(sorted(self.layouts))}，实为 {named!r}）",
            )
        ]


def chosen_id(d: Disclosure, unit: Unit, config: SiteConfig | None) -> str:
    if d.layout:
        return d.layout
    region: Region | None = unit.region
    while region is not None:
        if region.info.layout:
            return region.info.layout
        region = region.parent
    return (config.layout if config and config.layout else None) or terms.DEFAULT_LAYOUT


def load_library(site_dir: Path | None = None) -> Library:
    """The packaged layouts and those in ``<site_dir>/layouts/``; raises ContentError."""
    folders = [PACKAGED] + ([site_dir / "layouts"] if site_dir is not None else [])
    files = tuple(sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.yml")))
    return _load(files, tuple(p.stat().st_mtime_ns for p in files))


@functools.lru_cache(maxsize=8)
def _load(files: tuple[Path, ...], versions: tuple[int, ...]) -> Library:
    """The library of these files (``versions``: their modification times, so an edit reloads)."""
    problems: list[Problem] = []
    raw: dict[str, Layout] = {}
    for path in files:
        layout = read_model(path, Layout, problems)
        if layout is None:
            continue
        if layout.id != path.stem:
            problems.append(
                Problem(
                    layout.at("id"),
                    f"表样编号与文件名不符（应为 id: {path.stem}，实为 {layout.id!r}）",
                )
            )
        elif layout.id in raw:
            problems.append(
                Problem(
                    layout.at("id"),
                    f"表样 {layout.id!r} 重复声明（另见 "
                    f"{display_path(Path(raw[layout.id].at().path))}）",
                )
            )
        else:
            raw[layout.id] = layout
    resolved = {key: inherit(layout, raw, problems) for key, layout in raw.items()}
    for layout in resolved.values():
        problems += validate(layout)
    if problems:
        raise ContentError(problems)
    return Library(resolved)


def inherit(
    layout: Layout, raw: dict[str, Layout], problems: list[Problem], seen: tuple[str, ...] = ()
) -> Layout:
    """The layout with its ``extends`` chain applied: its own tables replace the parent's."""
    if layout.extends is None:
        return layout
    parent = raw.get(layout.extends)
    if parent is None or layout.extends in seen:
        problems.append(
            Problem(
                layout.at("extends"),
                f"表样 {layout.id!r} 继承的 "
                f"{layout.extends!r} "
                + (
                    "又继承了它（循环继承）"
                    if parent
                    else f"不存在（应为其一：{'、'.join(sorted(raw))}）"
                ),
            )
        )
        return layout
    base = inherit(parent, raw, problems, seen + (layout.id,))
    own = {tl.table: tl for tl in layout.tables}
    tables = [own.pop(tl.table, tl) for tl in base.tables] + list(own.values())
    return dataclasses.replace(
        layout,
        extends=None,
        tables=tables,
        sections=layout.sections or base.sections,
        identities=base.identities + layout.identities,
    )


# ------------------------------------------------------------------ validation


def row_class(table_key: str, side: int = 0) -> type:
    """The model of one row of a table (for two-sided tables: of the left or right side)."""
    table_cls = typing.get_type_hints(t.FinalAccountTables)[table_key].__args__[0]
    hints = typing.get_type_hints(table_cls)
    name = {
        "two_sided": ("income_total", "expenditure_total")[side],
        "classified": "total",
        "economic": "rows",
        "single_row": "actual",
    }[terms.SHAPES[table_key]]
    hint = hints[name]
    return typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint


def allowed_figures(tl: TableLayout, side: int = 0) -> set[str]:
    shape = terms.SHAPES[tl.table]
    if shape == "single_row":
        names = [f.name for f in schema_fields(row_class(tl.table))]
        return {f"{half}.{n}" for half in ("budget", "actual") for n in names}
    fields = {f.name for f in schema_fields(row_class(tl.table, side))}
    return fields | (set(terms.CODE_PARTS) if "code" in fields else set())


def validate(layout: Layout) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for tl in layout.tables:
        if tl.table in seen:
            problems.append(Problem(tl.at("table"), f"{tl.table} 在表样中出现了两次"))
        seen.add(tl.table)
        shape = terms.SHAPES[tl.table]
        sides = tl.columns if shape == "two_sided" else [None]
        if shape == "two_sided" and len(tl.columns) != 2:
            problems.append(
                Problem(
                    tl.at("columns"),
                    f"{tl.table} 分收支两侧：应有两个顶层表头（收入、支出），"
                    f"实为 {len(tl.columns)} 个",
                )
            )
            continue
        for side, top in enumerate(sides):
            columns = [top] if top is not None else tl.columns
            allowed = allowed_figures(tl, side)
            for leaf in leaves(columns):
                if leaf.figure not in allowed:
                    problems.append(
                        Problem(
                            leaf.at("figure" if leaf.figure else None),
                            f"{tl.table} 的表头 {leaf.label!r} 下的数据项不是本表的数据项"
                            f"（应为其一：{'、'.join(sorted(allowed))}，"
                            f"实为 {leaf.figure!r}）",
                        )
                    )
        problems += validate_rows(tl)
    return problems


def validate_rows(tl: TableLayout) -> list[Problem]:
    shape = terms.SHAPES[tl.table]
    if shape == "two_sided":
        table_cls = typing.get_type_hints(t.FinalAccountTables)[tl.table].__args__[0]
        names = {f.name for f in schema_fields(table_cls)}
        wrong = [f for pair in tl.rows for f in pair if f not in names] + [
            f"{len(pair)} 个字段的一行" for pair in tl.rows if len(pair) != 2
        ]
        if not tl.rows or wrong:
            return [
                Problem(
                    tl.at("rows"),
                    f"{tl.table} 的 rows 应为本表字段的成对列表（左侧、右侧），"
                    f"实为 {'、'.join(wrong) or '空'}",
                )
            ]
    if shape == "economic" and not tl.rows:
        return [
            Problem(
                tl.at("table"),
                f"{tl.table} 缺少 rows：应列出每个栏组的经济分类类编码，"
                f'如 [["301", "303"], ["302"]]',
            )
        ]
    return []
