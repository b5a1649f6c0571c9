"""publisher/importer/printed.py: printed rows → table data, the inverse of publisher/grid.py.

Every table of every fixture document is printed by grid.py (the page's grid), read back by
table_from_rows and compared with the loaded model, field by field; then small printed tables
show the reading of amounts, codes and two-sided rows."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
import yaml
from conftest import CONTENT, FIXTURES, REAL

from publisher import grid
from publisher.convert import Converter
from publisher.importer.printed import UnreadableCells, table_from_rows
from publisher.layout import load_library
from publisher.load import load_content
from publisher.models import tables as t

LIBRARY = load_library(FIXTURES)


def leaf_rows(g: grid.Grid) -> list[list[str | None]]:
    """A grid's body as a reader finds it: one text per leaf column, a spanned cell's text
    in its first column."""
    rows = []
    for row in g.body:
        cells: list[str | None] = []
        for c in row:
            cells += [c.text or None] + [None] * (c.colspan - 1)
        rows.append(cells)
    return rows


def as_model(key: str, data: dict):
    """Table data as the loader reads it from a year file."""

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(
        Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v))
    )
    converter = Converter("test")
    node = yaml.compose(yaml.dump({key: data}, Dumper=Dumper, allow_unicode=True))
    tables = converter.model(node, t.FinalAccountTables)
    assert converter.problems == []
    return getattr(tables, key)


def disclosures():
    for root in (CONTENT, REAL):
        site = load_content(root)
        for unit in site.all_units():
            for year, d in unit.years.items():
                if d.final_accounts is not None:
                    yield pytest.param(unit, d, id=f"{unit.url}{year}")


def figure_paths(node, prefix=""):
    """(path, value) of every field under a table model, lists item by item."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from figure_paths(item, f"{prefix}[{i}]")
    elif dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            if f.name not in ("mark", "marks", "note", "statement", "department"):
                yield from figure_paths(getattr(node, f.name), f"{prefix}.{f.name}")
    else:
        yield prefix, node


@pytest.mark.parametrize("unit,d", list(disclosures()))
def test_every_printed_table_reads_back_figure_by_figure(unit, d):
    layout = LIBRARY.choose(d, unit, None)
    tables = d.final_accounts.tables
    read = 0
    for tl, g in zip(
        [tl for tl in layout.tables if getattr(tables, tl.table) is not None],
        grid.public_table_grids(tables, layout, None),
    ):
        data, doubts = table_from_rows(tl, leaf_rows(g))
        assert doubts == [], (tl.table, doubts)
        back = as_model(tl.table, data)
        assert list(figure_paths(back)) == list(figure_paths(getattr(tables, tl.table))), tl.table
        read += 1
    assert read >= 1


def test_hunan_figures_read_back_with_codes_split_into_lei_kuan_xiang():
    """The fenlie layout prints the codes in 类/款/项 columns; Hunan's tables read back the same
    (行次 are not printed by that layout, so the tables without them are compared)."""
    site = load_content(CONTENT)
    layout = LIBRARY.get("shanghai-2024-fenlie")
    d = next(d for u in site.all_units() for d in u.years.values() if d.final_accounts)
    tables = d.final_accounts.tables
    for tl, g in zip(layout.tables, grid.public_table_grids(tables, layout, None)):
        if tl.table in ("t02", "t03", "t05", "t06", "t08", "t09") and getattr(tables, tl.table):
            data, _ = table_from_rows(tl, leaf_rows(g))
            back, original = as_model(tl.table, data), getattr(tables, tl.table)
            assert list(figure_paths(back)) == list(figure_paths(original)), tl.table


def table_layout(layout: str, key: str):
    return next(tl for tl in LIBRARY.get(layout).tables if tl.table == key)


def test_amounts_are_kept_exactly_as_printed_and_blank_stays_blank():
    tl = table_layout("shanghai-2024", "t05")
    data, doubts = table_from_rows(
        tl,
        [
            ["201", "一般公共服务支出", "1,234.50", "1,234.50", None],
            ["20101", "人大事务", "0", "0", ""],
            ["2010101", "行政运行", "-3.00", " ", "—"],
            [None, "合计", "1,231.50", "1,234.50", None],
        ],
    )
    assert data["total"] == {
        "name": "合计",
        "total": Decimal("1231.50"),
        "basic": Decimal("1234.50"),
    }
    assert (
        data["rows"][0]["total"] == Decimal("1234.50")
        and str(data["rows"][0]["total"]) == "1234.50"
    )
    assert data["rows"][1] == {"code": "20101", "name": "人大事务", "total": 0, "basic": 0}
    assert str(data["rows"][2]["total"]) == "-3.00" and "basic" not in data["rows"][2]
    assert [d.path for d in doubts] == ["final_accounts.tables.t05.rows[2].project"]  # the dash


def test_text_in_an_amount_cell_is_refused_with_its_row_and_column():
    tl = table_layout("shanghai-2024", "t05")
    with pytest.raises(UnreadableCells) as error:
        table_from_rows(
            tl, [[None, "合计", "12.3.4", "壹佰", "1.234"], ["201", "x", "1", "1", None]]
        )
    assert [(c.row, c.column) for c in error.value.cells] == [(0, 2), (0, 3), (0, 4)]
    assert "05表第 1 行第 4 列" in str(error.value) and "壹佰" in str(error.value)


def test_codes_split_into_columns_take_the_blank_leading_parts_from_the_row_above():
    tl = table_layout("shanghai-2024-fenlie", "t02")
    data, doubts = table_from_rows(
        tl,
        [
            [None, None, None, "合计", "10", "10", None, None, None, None, None],
            ["201", None, None, "一般公共服务支出", "10", "10", None, None, None, None, None],
            [None, "06", None, "财政事务", "10", "10", None, None, None, None, None],
            [None, None, "01", "行政运行", "10", "10", None, None, None, None, None],
        ],
    )
    assert [r["code"] for r in data["rows"]] == ["201", "20106", "2010601"]
    assert doubts == []


def test_a_name_printed_over_two_rows_is_joined_with_a_doubt():
    tl = table_layout("shanghai-2024", "t05")
    data, doubts = table_from_rows(
        tl,
        [
            ["2080505", "机关事业单位基本养老保险", "1", "1", None],
            [None, "缴费支出", None, None, None],
            [None, "合计", "1", "1", None],
        ],
    )
    assert data["rows"] == [
        {"code": "2080505", "name": "机关事业单位基本养老保险缴费支出", "total": 1, "basic": 1}
    ]
    assert [d.path for d in doubts] == ["final_accounts.tables.t05.rows[0].name"]


def test_two_sided_rows_are_assigned_by_their_names_not_by_counting():
    """04表 has two lists (支出各类, 结转和结余分项): where one ends is read from the names."""
    tl = table_layout("shanghai-2024", "t04")
    blank = [None] * 5
    rows = [
        ["一、一般公共预算财政拨款", "5", "一、一般公共服务支出", "5", "5", None, None],
        [None, None, "二、外交支出", None, None, None, None],
        ["本年收入合计", "5", "本年支出合计", "5", "5", None, None],
        ["年初财政拨款结转和结余", "1", "年末财政拨款结转和结余", "1", "1", None, None],
        ["一、一般公共预算财政拨款", "1", *blank],
        ["二、政府性基金预算财政拨款", None, *blank],
        ["总计", "6", "总计", "6", "6", None, None],
    ]
    data, doubts = table_from_rows(tl, rows)
    assert doubts == []
    assert [x.get("name") for x in data["expenditure"]] == ["一、一般公共服务支出", "二、外交支出"]
    assert data["income"][1] == {}
    assert data["opening_balance"] == {"name": "年初财政拨款结转和结余", "amount": 1}
    assert [x.get("name") for x in data["opening_balance_by_fund"]] == [
        "一、一般公共预算财政拨款",
        "二、政府性基金预算财政拨款",
    ]
    assert data["closing_balance_by_fund"] == [{}, {}]
    assert data["expenditure_grand_total"]["total"] == 6


def test_an_optional_row_the_document_does_not_print_is_left_out_with_a_doubt():
    tl = table_layout("shanghai-2024", "t01")
    rows = [
        ["一、一般公共预算财政拨款收入", "5", "一、一般公共服务支出", "5"],
        ["本年收入合计", "5", "本年支出合计", "5"],
        ["年初结转和结余", "1", "年末结转和结余", "1"],
        ["总计", "6", "总计", "6"],
    ]
    data, doubts = table_from_rows(tl, rows)
    assert "nonfiscal_balance_used" not in data and "balance_distribution" not in data
    assert data["income_opening_balance"] == {"name": "年初结转和结余", "amount": 1}
    assert any("nonfiscal_balance_used" in d.path for d in doubts)


def test_economic_column_groups_and_their_totals_row():
    tl = table_layout("hunan-2020", "t06")
    rows = [
        ["301", "工资福利支出", "9", "302", "商品和服务支出", "2", "310", "资本性支出", None],
        ["30101", "基本工资", "9", "30201", "办公费", "2", None, None, None],
        ["人员经费合计", None, "9", "公用经费合计", None, None, None, None, "2"],
    ]
    data, doubts = table_from_rows(tl, rows)
    assert [r["code"] for r in data["rows"]] == ["301", "30101", "302", "30201", "310"]
    assert data["personnel_total"] == 9 and data["public_total"] == 2
    assert doubts == []


def test_sangong_single_row():
    tl = table_layout("hunan-2020", "t07")
    data, _ = table_from_rows(
        tl, [["3", "0", "2", "0", "2", "1", "2.50", None, "1.5", "0", "1.5", "1.00"]]
    )
    assert data["budget"] == {
        "total": 3,
        "abroad": 0,
        "vehicles": 2,
        "vehicle_purchase": 0,
        "vehicle_operation": 2,
        "reception": 1,
    }
    assert str(data["actual"]["total"]) == "2.50" and "abroad" not in data["actual"]
