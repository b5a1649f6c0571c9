"""Open data: each table as CSV, each disclosure as JSON, the whole site as a data package.

- ``<page>/data/gongkai-01.csv`` … one per published table, in its printed layout
  (header rows as printed, then the body), UTF-8 with a BOM so that Excel reads Chinese;
- ``<page>/data/disclosure.json``: the whole disclosure, every figure a Decimal string;
- ``<page>/data/disclosure.xlsx``: the nine tables as one workbook in their printed form
  (``publisher export``, publisher/workbook.py), one sheet per table: each table's "Excel"
  link names its sheet (a workbook per table would multiply the files by nine);
- ``/data/datapackage.json`` with ``disclosures.csv`` (one row per unit-year, key figures)
  and one CSV per table kind (``t01.csv`` … ``t09.csv``, every figure of every unit-year),
  described by Frictionless table schemas.

Figures are written exactly as recorded (``str(Decimal)``): never through a float. The
per-unit files are written by the unit's worker (publisher/build.py), and so are the unit's
rows of the bulk files, which are then only put together (:func:`write_package`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import typing
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from . import compute, grid, terms, workbook
from .index import SiteIndex
from .models import Disclosure, Unit
from .models import tables as t
from .models.base import Node, Percent, schema_fields
from .models.layout import Layout

BOM = "\ufeff"
FOLDER = "data/"  # beside each disclosure page, and at the site root for the package
JSON_NAME = "disclosure.json"
WORKBOOK_NAME = "disclosure.xlsx"
LABEL_COLUMNS = ("line", "code", "name")
# The site's data package, in FOLDER at the site root.
PACKAGE_FILES = frozenset(
    ["datapackage.json", "disclosures.csv", *(f"{key}.csv" for key in terms.TABLES)]
)


# ------------------------------------------------------------------ one unit-year


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def grid_rows(g: grid.Grid) -> list[list[str]]:
    """A grid as CSV rows: spanned header cells repeated over their span, so every column
    keeps its printed heading; amounts without thousands separators (Decimal strings)."""
    width = max((sum(c.colspan for c in row) for row in g.head + g.body), default=0)
    taken: dict[tuple[int, int], str] = {}
    rows = []
    for r, row in enumerate(g.head + g.body):
        out, col = [], 0
        for c in row:
            while (r, col) in taken:
                out.append(taken[(r, col)])
                col += 1
            text = c.text.replace(",", "") if c.kind == "num" else c.text
            for dc in range(c.colspan):
                for dr in range(1, c.rowspan):
                    taken[(r + dr, col + dc)] = text if r < len(g.head) else ""
                out.append(text if dc == 0 or r < len(g.head) else "")
            col += c.colspan
        while (r, col) in taken or col < width:
            out.append(taken.get((r, col), ""))
            col += 1
        rows.append(out)
    return rows


def table_files(
    d: Disclosure, layout: Layout, grids: list[grid.Grid] | None = None
) -> dict[str, str]:
    """CSV text of each published table (``grids``: the page's, if at hand), by file name."""
    fa = d.final_accounts
    if fa is None:
        return {}
    if grids is None:
        grids = grid.public_table_grids(fa.tables, layout, fa.department)
    return {f"{g.anchor}.csv": BOM + csv_text(grid_rows(g)) for g in grids}


def to_data(value):
    """A model as JSON data: Decimal → string, Percent → its text and value, marks dropped."""
    if type(value) is str:  # most values: names, codes, prose
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Percent):
        return {"text": value.text, "value": str(value.value)}
    if isinstance(value, Node):
        data = {}
        for f in schema_fields(type(value)):
            item = getattr(value, f.name)
            if item is not None and item != []:
                data[f.name] = to_data(item)
        return data
    if isinstance(value, list):
        return [to_data(v) for v in value]
    return value


def disclosure_json(d: Disclosure, unit: Unit) -> str:
    data = {
        "单位": unit.name,
        "地区": unit.region.name,
        "年度": d.year,
        "单位金额": "万元",
        "说明": "金额为公开原文数字（万元），以字符串表示以免精度损失。",
        "disclosure": to_data(d),
    }
    return json.dumps(data, ensure_ascii=False) + "\n"  # compact: no indent keeps the C encoder


def unit_year_files(
    d: Disclosure, unit: Unit, layout: Layout, grids: list[grid.Grid] | None = None
) -> dict[str, str | bytes]:
    """One unit-year's downloads, by file name: the tables' CSV, the whole disclosure, and
    the tables' workbook."""
    if grids is None and d.final_accounts is not None:
        grids = workbook.table_grids(d, layout)
    files: dict[str, str | bytes] = dict(table_files(d, layout, grids))
    files[JSON_NAME] = disclosure_json(d, unit)
    if grids:
        files[WORKBOOK_NAME] = workbook.workbook_bytes(grids)
    return files


def rows(d: Disclosure, unit: Unit) -> dict[str, str]:
    """The unit-year's rows of the bulk table files: CSV text, by table."""
    return {
        key: csv_text([[unit.url, str(d.year), *row] for row in items])
        for key, items in records(d).items()
    }


def links(d: Disclosure, layout: Layout) -> dict[str, str]:
    """Table anchor → its CSV's page-relative URL (for the links under each table)."""
    if d.final_accounts is None:
        return {}
    return {
        tl_anchor: f"{FOLDER}{tl_anchor}.csv"
        for tl_anchor in (
            terms.table_anchor(tl.table)
            for tl in layout.tables
            if getattr(d.final_accounts.tables, tl.table) is not None
        )
    }


def sheet_links(grids: list[grid.Grid]) -> dict[str, tuple[str, str]]:
    """Table anchor → (the disclosure workbook's page-relative URL, the sheet holding it)."""
    return {
        g.anchor: (FOLDER + WORKBOOK_NAME, name)
        for g, name in zip(grids, workbook.sheet_names(grids), strict=True)
    }


# ------------------------------------------------------------------ the bulk package


def node_classes(hint) -> list[type]:
    """Model classes inside a type hint (``list[Line]``, ``FundLine | None``)."""
    if isinstance(hint, type) and issubclass(hint, Node):
        return [hint]
    return [c for arg in typing.get_args(hint) for c in node_classes(arg)]


def is_amount(hint) -> bool:
    return hint is t.Amount or t.Amount in typing.get_args(hint)


@functools.cache
def table_columns(key: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Columns of table ``key``'s bulk CSV: label columns and amount columns, (id, 中文名)."""
    cls = typing.get_type_hints(t.FinalAccountTables)[key]
    cls = node_classes(cls)[0]
    hints = typing.get_type_hints(cls)
    amounts: dict[str, str] = {}
    labels_: dict[str, str] = {}
    for f in schema_fields(cls):
        for row in node_classes(hints[f.name]):
            row_hints = typing.get_type_hints(row)
            for rf in schema_fields(row):
                if rf.name in LABEL_COLUMNS:
                    labels_.setdefault(rf.name, rf.metadata["label"])
                elif is_amount(row_hints[rf.name]):
                    amounts.setdefault(rf.name, rf.metadata["label"])
        if is_amount(hints[f.name]):
            amounts.setdefault("amount", "决算数")
            labels_.setdefault("name", "项目")
    ordered = [(n, labels_[n]) for n in LABEL_COLUMNS if n in labels_]
    return ordered, list(amounts.items())


def records(d: Disclosure) -> dict[str, list[list[str]]]:
    """Every figure of the nine tables as bulk CSV rows (without unit and year), by table."""
    fa = d.final_accounts
    out: dict[str, list[list[str]]] = {}
    if fa is None:
        return out
    for key in terms.TABLES:
        table = getattr(fa.tables, key)
        if table is None:
            continue
        label_cols, amount_cols = table_columns(key)
        rows = []
        for f in schema_fields(type(table)):
            value = getattr(table, f.name)
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if isinstance(item, Node):
                    rows.append(
                        [f.metadata["label"], str(i + 1)]
                        + [text(getattr(item, n, None)) for n, _ in label_cols]
                        + [text(getattr(item, n, None)) for n, _ in amount_cols]
                    )
                elif isinstance(item, Decimal):
                    rows.append(
                        [f.metadata["label"], "1"]
                        + [f.metadata["label"] if n == "name" else "" for n, _ in label_cols]
                        + [text(item) if n == "amount" else "" for n, _ in amount_cols]
                    )
        out[key] = rows
    return out


def text(value) -> str:
    return "" if value is None else str(value)


HEADLINE_IDS = [
    "income_total",
    "expenditure_total",
    "fiscal_expenditure",
    "basic",
    "project",
    "sangong",
    "self_evaluation_score",
]


def package_descriptor(title: str) -> dict:
    """``datapackage.json``: the resources and their Frictionless table schemas."""
    key_fields = [
        {"name": "unit", "title": "单位路径", "type": "string"},
        {"name": "year", "title": "年度", "type": "integer"},
    ]
    headline_labels = [h.label for h in compute.headlines(Disclosure(year=0))]
    disclosures = {
        "name": "disclosures",
        "path": "disclosures.csv",
        "title": "各单位各年度主要数据",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "schema": {
            "fields": key_fields
            + [
                {"name": "region", "title": "地区", "type": "string"},
                {"name": "unit_name", "title": "单位名称", "type": "string"},
                {"name": "title", "title": "标题", "type": "string"},
                {"name": "page", "title": "页面", "type": "string"},
            ]
            + [
                {
                    "name": n,
                    "title": f"{lbl}（{'分' if n == 'self_evaluation_score' else '万元'}）",
                    "type": "number",
                }
                for n, lbl in zip(HEADLINE_IDS, headline_labels, strict=True)
            ],
            "primaryKey": ["unit", "year"],
        },
    }
    resources = [disclosures]
    for key, name in terms.TABLES.items():
        label_cols, amount_cols = table_columns(key)
        fields = key_fields + [
            {"name": "part", "title": "部分", "type": "string"},
            {"name": "position", "title": "序号", "type": "integer"},
        ]
        fields += [
            {"name": n, "title": lbl, "type": "integer" if n == "line" else "string"}
            for n, lbl in label_cols
        ]
        fields += [
            {"name": n, "title": f"{lbl}（万元）", "type": "number"} for n, lbl in amount_cols
        ]
        resources.append(
            {
                "name": key,
                "path": f"{key}.csv",
                "title": f"{terms.table_label(key)} {name}",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": fields,
                    "foreignKeys": [
                        {
                            "fields": ["unit", "year"],
                            "reference": {"resource": "disclosures", "fields": ["unit", "year"]},
                        }
                    ],
                },
            }
        )
    return {
        "name": "juesuan-gongkai",
        "title": title,
        "profile": "tabular-data-package",
        "description": "各单位部门决算公开表的全部数字（万元，按公开原文）与各年度主要数据。",
        "licenses": [{"name": "other-open", "title": "政府信息公开"}],
        "resources": resources,
    }


def write_package(
    index: SiteIndex, title: str, folder: Path, rows_of: Callable[[Unit], dict[str, dict]]
) -> dict[str, Path]:
    """Assemble the site's data package into ``folder``; returns site URL → file.

    The rows of each unit come from its worker (``rows_of(unit)``: CSV text by year, then by
    table; see :func:`rows`), so the main process holds one unit's figures at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {FOLDER + "datapackage.json": folder / "datapackage.json"}
    handles = {
        key: (folder / f"{key}.csv").open("w", encoding="utf-8-sig", newline="")
        for key in terms.TABLES
    }
    for key, handle in handles.items():
        label_cols, amount_cols = table_columns(key)
        handle.write(
            csv_text(
                [["unit", "year", "part", "position"] + [n for n, _ in label_cols + amount_cols]]
            )
        )
    with (folder / "disclosures.csv").open("w", encoding="utf-8-sig", newline="") as summary:
        lines = csv.writer(summary, lineterminator="\r\n")
        lines.writerow(["unit", "year", "region", "unit_name", "title", "page"] + HEADLINE_IDS)
        for unit in index.site.all_units():
            published = index.published(unit)
            if not published:
                continue
            figures = rows_of(unit)
            for year, s in published.items():
                lines.writerow(
                    [unit.url, year, unit.region.name, unit.name, s.title, unit.year_url(year)]
                    + [text(h.value) for h in s.headlines]
                )
                for key, part in figures.get(str(year), {}).items():
                    handles[key].write(part)
    for h in handles.values():
        h.close()
    for key in ["disclosures", *terms.TABLES]:
        out[f"{FOLDER}{key}.csv"] = folder / f"{key}.csv"
    (folder / "datapackage.json").write_text(
        json.dumps(package_descriptor(title), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return out
