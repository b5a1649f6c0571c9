"""Charts drawn at build time as inline SVG: no script or chart library in the browser.

A :class:`Chart` is horizontal bars, optionally in groups (三公 items × years). It carries
its SVG, a sentence that says what the chart shows (the text alternative) and its data
table, so a reader who cannot see the bars gets the same figures. Bar lengths are
computed in Decimal like every other figure; values are printed with :func:`grid.money`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from .grid import money

WIDTH = 400  # viewBox units: drawn at about 1:1 on a phone, so its 14-unit text stays readable
LABEL = 140  # room for the bar labels (一般公共服务支出: 8 characters)
VALUE = 72  # room for the figure after the bar
FONT = 14  # text size in viewBox units (a Han character is about this wide)
BAR, GAP, GROUP_GAP = 18, 8, 14
COLOURS = ("#a4161a", "#0b5cad", "#2f7d32", "#8a5a00", "#6a3d9a")  # contrast ≥ 4.5:1 on white


@dataclass
class Bar:
    label: str
    value: Decimal
    group: str | None = None  # bars of one group are drawn together under its name
    colour: int = 0  # index into COLOURS (e.g. one colour per year)


@dataclass
class Chart:
    """One chart: its id (for anchors and accessible names), title, bars and their figures."""

    id: str
    title: str
    bars: list[Bar]
    unit: str = "万元"
    legend: list[str] = field(default_factory=list)  # names of the colours, if more than one
    shares: bool = False  # print each bar's share of the total in the text and table

    @property
    def total(self) -> Decimal:
        return sum((b.value for b in self.bars), Decimal(0))

    def share(self, bar: Bar) -> str:
        return percent(bar.value, self.total)

    @property
    def text(self) -> str:
        """The text alternative: every bar's figure in one sentence."""
        parts = []
        for b in self.bars:
            name = f"{b.group}{b.label}" if b.group else b.label
            item = f"{name} {money(b.value)} {self.unit}"
            if self.shares and self.total:
                item += f"，占 {self.share(b)}"
            parts.append(item)
        return f"{self.title}：" + "；".join(parts) + "。"

    @property
    def svg(self) -> Markup:
        return Markup(draw(self))


def percent(part: Decimal | None, whole: Decimal | None) -> str:
    """``part`` as a share of ``whole``, one decimal: ``84.6%``; blank when either is missing."""
    if not whole or part is None:
        return ""
    return f"{(part * 100 / whole).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def scaled(value: Decimal, largest: Decimal, length: int) -> Decimal:
    if not largest:
        return Decimal(0)
    return (value * length / largest).quantize(Decimal("0.1"), ROUND_HALF_UP)


def draw(chart: Chart) -> str:
    """The SVG of ``chart``. Its accessible name is its <title>; <desc> is the text alternative."""
    largest = max((b.value for b in chart.bars), default=Decimal(0))
    # long 类 names (自然资源海洋气象等支出: 11 characters) widen the label column, never clip
    room = max([LABEL] + [len(b.label) * FONT + 10 for b in chart.bars])
    length = WIDTH - room - VALUE
    rows: list[str] = []
    y, group = 4, object()
    for b in chart.bars:
        if b.group != group and b.group is not None:
            y += GROUP_GAP if rows else 0
            rows.append(f'<text x="0" y="{y + 13}" class="g">{escape(b.group)}</text>')
            y += BAR + 2
        group = b.group
        w = scaled(b.value, largest, length)
        label = escape(b.label)
        rows.append(
            f'<text x="{room - 8}" y="{y + 13}" text-anchor="end">{label}</text>'
            f'<rect x="{room}" y="{y}" width="{w}" height="{BAR}" '
            f'fill="{COLOURS[b.colour % len(COLOURS)]}"/>'
            f'<text x="{room + w + Decimal(6)}" y="{y + 13}">{money(b.value)}</text>'
        )
        y += BAR + GAP
    height = y + 4
    return (
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart.id}-t {chart.id}-d" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart.id}-t">{escape(chart.title)}（单位：{escape(chart.unit)}）</title>'
        f'<desc id="{chart.id}-d">{escape(chart.text)}</desc>' + "".join(rows) + "</svg>"
    )


def table_rows(chart: Chart) -> tuple[list[str], list[list[str]]]:
    """The chart's data table: header and rows, figures formatted as on the page.

    Grouped charts are a matrix (groups × colours, e.g. 三公 items × years)."""
    if chart.legend:
        groups: dict[str, dict[int, Decimal]] = {}
        for b in chart.bars:
            groups.setdefault(b.group or b.label, {})[b.colour] = b.value
        headers = ["项目"] + [f"{name}（{chart.unit}）" for name in chart.legend]
        return headers, [
            [g] + [money(values.get(i)) for i in range(len(chart.legend))]
            for g, values in groups.items()
        ]
    headers = ["项目", f"金额（{chart.unit}）"] + (["占比"] if chart.shares else [])
    return headers, [
        [b.label, money(b.value)] + ([chart.share(b)] if chart.shares else []) for b in chart.bars
    ]
