"""Comparisons across units and years for index pages: a region's units side by side for
each year, with totals rolled up from the units, and the site's key figures by year.

Figures are the units' headlines (:func:`compute.headlines`, as published); totals are
sums of those published figures, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .grid import money, score
from .models import Region, Unit

# (headline label, column heading): the columns of a region's comparison table.
COLUMNS = [
    ("本年支出合计", "支出合计"),
    ("基本支出", "基本支出"),
    ("项目支出", "项目支出"),
    ("“三公”经费决算", "三公经费"),
    ("整体绩效自评得分", "自评总分"),
]
SCORE = "整体绩效自评得分"
SPENDING = "本年支出合计"


@dataclass
class Row:
    name: str
    url: str
    region: str | None
    cells: list[tuple[str, str]]  # (as printed, raw value for sorting)


@dataclass
class YearTable:
    year: int
    headers: list[str]
    rows: list[Row]
    totals: Row | None = None


def figures(unit: Unit, year: int) -> dict[str, Decimal | None]:
    summary = unit.summaries.get(year)
    return {h.label: h.value for h in summary.headlines} if summary else {}


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return ((current - previous) * 100 / previous).quantize(Decimal("0.1"), ROUND_HALF_UP)


def signed(rate: Decimal | None) -> str:
    return "" if rate is None else f"{'+' if rate > 0 else ''}{rate}%"


def shown(label: str, value: Decimal | None) -> tuple[str, str]:
    if value is None:
        return "", ""
    return (score(value) if label == SCORE else money(value)), str(value)


def region_tables(region: Region, url) -> list[YearTable]:
    """One table per year (newest first) of every unit in ``region`` and the regions below it."""
    units = region.all_units()
    years = sorted({y for u in units for y in u.summaries}, reverse=True)
    nested = bool(region.regions)
    headers = (
        ["单位"]
        + [f"{h}（{'分' if label == SCORE else '万元'}）" for label, h in COLUMNS]
        + ["支出比上年增减"]
    )
    tables = []
    for year in years:
        rows, sums = [], {label: Decimal(0) for label, _ in COLUMNS if label != SCORE}
        previous_sum = Decimal(0)
        for unit in units:
            if year not in unit.summaries:
                continue
            now, before = figures(unit, year), figures(unit, year - 1)
            rate = growth(now.get(SPENDING), before.get(SPENDING))
            cells = [shown(label, now.get(label)) for label, _ in COLUMNS]
            cells.append((signed(rate), "" if rate is None else str(rate)))
            rows.append(
                Row(
                    unit.name, url(unit.year_url(year)), unit.region.name if nested else None, cells
                )
            )
            for label in sums:
                sums[label] += now.get(label) or 0
            earlier = before.get(SPENDING)
            if earlier is not None and now.get(SPENDING) is not None:
                previous_sum += earlier
        totals = [shown(label, sums[label]) if label in sums else ("", "") for label, _ in COLUMNS]
        total_rate = growth(sums[SPENDING], previous_sum) if previous_sum else None
        totals.append((signed(total_rate), ""))
        tables.append(
            YearTable(year, headers, rows, Row(f"合计（{len(rows)} 个单位）", "", None, totals))
        )
    return tables


@dataclass
class YearFigures:
    year: int
    units: int
    cells: list[str] = field(default_factory=list)


SITE_COLUMNS = ["本年收入合计", "本年支出合计", "“三公”经费决算"]


def site_years(units: list[Unit]) -> tuple[list[str], list[YearFigures]]:
    """The site's key figures by year: how many units published, and their sums."""
    by_year: dict[int, YearFigures] = {}
    sums: dict[int, dict[str, Decimal]] = {}
    for unit in units:
        for year, summary in unit.summaries.items():
            entry = by_year.setdefault(year, YearFigures(year, 0))
            entry.units += 1
            total = sums.setdefault(year, {label: Decimal(0) for label in SITE_COLUMNS})
            for h in summary.headlines:
                if h.label in total and h.value is not None:
                    total[h.label] += h.value
    for year, entry in by_year.items():
        entry.cells = [money(sums[year][label]) for label in SITE_COLUMNS]
    headers = ["年度", "公开单位数"] + [f"{label}（万元）" for label in SITE_COLUMNS]
    return headers, [by_year[y] for y in sorted(by_year, reverse=True)]
