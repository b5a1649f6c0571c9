"""Kinds of rule: each is a small declared object; ``rules.py`` lists the instances.

Every kind yields :class:`Finding` objects for one disclosure. A sum rule compares a
published total with the sum of published parts (a blank cell counts as 0): a difference
beyond the configured tolerance is an error; a smaller one is listed as 尾差 (a rounding
difference), which does not fail the build but is never dropped.

A rule reads figures by their semantic paths; it applies to a disclosure only when the
disclosure's layout prints every figure it reads (:meth:`Context.prints`), so one rule set
serves every province's layout.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .. import terms
from ..models import Acknowledgement, Disclosure
from ..models.base import Node
from ..models.layout import Layout, leaves
from ..models.paths import expand, node_at, unwrap, value_at
from ..models.tables import FinalAccountTables
from ..terms import CODE_LEVELS, ZERO
from .figures import Figure, figure

ERROR = "error"
WARNING = "warning"
ROUNDING = "rounding"  # 尾差
TABLES = "final_accounts.tables."


@dataclass
class Finding:
    """A published figure that breaks a rule, with the figures it was compared against."""

    rule: Rule
    figure: Figure
    expected: Decimal | None
    related: list[Figure] = field(default_factory=list)
    detail: str = ""
    acknowledgement: Acknowledgement | None = None  # the Acknowledgement that accepts it, if any
    span: tuple[int, int] | None = None  # for prose findings: where the figure is in the text
    rounding: bool = False  # a 尾差 within the tolerance: listed, never failing

    @property
    def severity(self) -> str:
        return ROUNDING if self.rounding else self.rule.severity

    @property
    def found(self) -> Decimal | None:
        return self.figure.value

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None:
            return None
        return self.figure.amount - self.expected


@dataclass
class Context:
    disclosure: Disclosure
    tolerance: Decimal
    layout: Layout
    previous: Disclosure | None = None  # the unit's previous year, when published
    figures: dict[str, Figure] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)  # figures' amounts, blank as 0
    nodes: dict[str, Node] = field(default_factory=dict)  # by path, as figures are looked up
    printed: dict[str, frozenset[str]] = field(default_factory=dict)
    memo: dict[str, typing.Any] = field(default_factory=dict)  # what several rules derive

    def figure(self, path: str) -> Figure:
        """The figure at ``path`` of this disclosure (rules ask for the same ones often)."""
        found = self.figures.get(path)
        if found is None:
            holder, dot, name = path.rpartition(".")
            if dot and "[" not in name and "]" not in name:  # a field of a node: find it once
                node = self.node(holder)
                found = Figure(path, None, getattr(node, name), node.where(name), self.disclosure)
            else:
                found = figure(self.disclosure, path)
            self.figures[path] = found
        return found

    def amount(self, path: str) -> Decimal:
        """The figure at ``path`` for arithmetic (:attr:`Figure.amount`), without making the
        :class:`Figure`: most sums hold, and only a finding needs one."""
        found = self.amounts.get(path)
        if found is None:
            holder, dot, name = path.rpartition(".")
            if dot and "[" not in name and "]" not in name:
                value = getattr(self.node(holder), name)
                found = value if value is not None else ZERO
            else:
                found = self.figure(path).amount
            self.amounts[path] = found
        return found

    def node(self, path: str, known: Node | None = None) -> Node:
        """The node at the concrete ``path`` (``known``: it, as the caller found it)."""
        node = self.nodes.get(path)
        if node is None:
            node = self.nodes[path] = known if known is not None else node_at(self.disclosure, path)
        return node

    def prints(self, path: str) -> bool:
        """Whether the layout prints the figure a path (or pattern) names; figures outside
        the nine tables always count as printed."""
        if not path.startswith(TABLES):
            return True
        table, _, rest = path[len(TABLES) :].partition(".")
        printed = self.printed.get(table)
        if printed is None:
            self.printed = printed_figures(self.layout)
            printed = self.printed.get(table, frozenset())
        return (
            not rest
            or rest in ("note", "statement", "department")
            or ANY_INDEX.sub("[*]", rest) in printed
        )


@dataclass(frozen=True, kw_only=True)
class Rule:
    """Base of all rules: an id, a severity and a one-line Chinese description."""

    id: str
    description: str
    severity: str = ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def paths(self) -> list[str]:
        """The figure paths (patterns) the rule reads."""
        return []


def sums(
    rule: Rule, ctx: Context, total: Figure, parts: list[Figure], minus: Sequence[Figure] = ()
) -> Iterator[Finding]:
    """A finding when ``total`` differs from Σ ``parts`` − Σ ``minus``: an error beyond the
    tolerance, a 尾差 within it."""
    expected = sum((p.amount for p in parts), ZERO) - sum((m.amount for m in minus), ZERO)
    difference = abs(total.amount - expected)
    if difference:
        yield Finding(rule, total, expected, [*parts, *minus], rounding=difference <= ctx.tolerance)


def sum_paths(
    rule: Rule, ctx: Context, total: str, parts: list[str], minus: Sequence[str] = ()
) -> Iterator[Finding]:
    """:func:`sums` of the figures at these paths (their :class:`Figure` made only for a
    finding)."""
    amount = ctx.amount
    if amount(total) != sum(map(amount, parts), ZERO) - sum(map(amount, minus), ZERO):
        figure = ctx.figure
        yield from sums(rule, ctx, figure(total), [*map(figure, parts)], [*map(figure, minus)])


@dataclass(frozen=True, kw_only=True)
class Sum(Rule):
    """``total`` = Σ ``parts`` − Σ ``minus``; paths may use ``[*]``. Skipped when a table it
    relates is absent or its layout does not print a figure it reads."""

    total: str
    parts: list[str]
    minus: list[str] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [self.total, *self.parts, *self.minus]

    def check(self, ctx):
        d = ctx.disclosure
        tables = {".".join(p.split(".")[:3]) for p in self.paths() if p.startswith(TABLES)}
        if any(value_at(d, t) is None for t in tables) or not all(map(ctx.prints, self.paths())):
            return
        parts = [p for pattern in self.parts for p in expand(d, pattern)]
        minus = [p for pattern in self.minus for p in expand(d, pattern)]
        for total_path in expand(d, self.total):
            yield from sum_paths(self, ctx, total_path, parts, minus)


@dataclass(frozen=True, kw_only=True)
class RowSum(Rule):
    """In every row matched by ``rows``: field ``total`` = Σ fields ``parts``."""

    rows: list[str]
    total: str
    parts: list[str]
    minus: list[str] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [
            f"{row}.{name}" for row in self.rows for name in [self.total, *self.parts, *self.minus]
        ]

    def check(self, ctx):
        d = ctx.disclosure
        if not all(map(ctx.prints, self.paths())):
            return
        for pattern in self.rows:
            for row in expand(d, pattern):
                node = value_at(d, row)
                if not isinstance(node, Node):
                    continue
                ctx.node(row, node)
                yield from sum_paths(
                    self,
                    ctx,
                    f"{row}.{self.total}",
                    [f"{row}.{p}" for p in self.parts],
                    [f"{row}.{m}" for m in self.minus],
                )


@dataclass(frozen=True, kw_only=True)
class CodeTree(Rule):
    """功能分类 rows: 合计 = Σ 类 (3 digits), 类 = Σ 款 (5), 款 = Σ 项 (7), for each column."""

    table: str
    columns: list[str]
    levels: tuple[int, ...] = CODE_LEVELS

    def paths(self) -> list[str]:
        return [f"{self.table}.rows[*].{c}" for c in self.columns]

    def check(self, ctx):
        d = ctx.disclosure
        if value_at(d, self.table) is None:
            return
        rows = [(p, ctx.node(p, value_at(d, p))) for p in expand(d, f"{self.table}.rows[*]")]
        tree = self.children(rows)
        for column in [c for c in self.columns if ctx.prints(f"{self.table}.rows[*].{c}")]:
            tops = [f"{p}.{column}" for p, r in rows if r.code and len(r.code) == self.levels[0]]
            if tops:
                yield from sum_paths(self, ctx, f"{self.table}.total.{column}", tops)
            for parent_path, parent in rows:
                children = tree.get(parent.code or "", [])
                if children:
                    yield from sum_paths(
                        self, ctx, f"{parent_path}.{column}", [f"{p}.{column}" for p in children]
                    )

    def children(self, rows) -> dict[str, list[str]]:
        """The paths of each code's child rows, in row order: those one level deeper whose code
        begins with it (found in one pass, not once per parent and column)."""
        parent_size = dict(zip(self.levels[1:], self.levels[:-1], strict=True))
        tree: dict[str, list[str]] = {}
        for path, row in rows:
            size = parent_size.get(len(row.code or ""))
            if size is not None:
                tree.setdefault(row.code[:size], []).append(path)
        return tree


NUMBERING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")


@dataclass(frozen=True, kw_only=True)
class ClassLines(Rule):
    """A total table's expenditure lines by 功能分类 类 (十九、住房保障支出) = the 类 rows of a
    科目 table, matched by name; a 类 row that no line names is reported too."""

    lines: str  # pattern of the lines: final_accounts.tables.t01.expenditure[*]
    column: str  # their figure: amount
    table: str  # the 科目 table: final_accounts.tables.t03
    row_column: str  # its figure: total

    def paths(self) -> list[str]:
        return [f"{self.lines}.{self.column}", f"{self.table}.rows[*].{self.row_column}"]

    def check(self, ctx):
        d = ctx.disclosure
        lines_table = ".".join(self.lines.split(".")[:3])
        if (
            value_at(d, self.table) is None
            or value_at(d, lines_table) is None
            or not all(map(ctx.prints, self.paths()))
        ):
            return
        classes = {}
        for path in expand(d, f"{self.table}.rows[*]"):
            row = value_at(d, path)
            if row.code and len(row.code) == CODE_LEVELS[0] and row.name:
                classes.setdefault(row.name.strip(), path)
        named = set()
        for path in expand(d, self.lines):
            name = NUMBERING.sub("", value_at(d, path).name or "").strip()
            if not name:
                continue
            named.add(name)
            row = classes.get(name)
            yield from sums(
                self,
                ctx,
                ctx.figure(f"{path}.{self.column}"),
                [ctx.figure(f"{row}.{self.row_column}")] if row else [],
            )
        for name, path in classes.items():
            if name not in named and ctx.figure(f"{path}.{self.row_column}").amount:
                yield Finding(
                    self,
                    ctx.figure(f"{path}.{self.row_column}"),
                    None,
                    detail=f"“{name}”在{terms.table_label(lines_table.rsplit('.', 1)[1])}"
                    "中没有同名的类",
                )


@dataclass(frozen=True, kw_only=True)
class Custom(Rule):
    """A rule whose logic does not fit a declared shape; ``run`` yields its findings."""

    run: Callable[[Rule, Context], Iterator[Finding]]
    reads: list[str] = field(default_factory=list)  # paths it reads, for the path meta-test

    def paths(self) -> list[str]:
        return list(self.reads)

    def check(self, ctx):
        yield from self.run(self, ctx)


def printed_figures(layout: Layout) -> dict[str, frozenset[str]]:
    """Per table, the figure paths (below the table, lists as ``[*]``) its layout prints."""
    out: dict[str, frozenset[str]] = {}
    for tl in layout.tables:
        shape = terms.SHAPES[tl.table]
        if shape == "two_sided":
            sides = [leaves(tl.columns[:1]), leaves(tl.columns[1:])]
            lists = list_fields(tl.table)
            names = {
                f"{row}{'[*]' if row in lists else ''}.{leaf.figure}"
                for pair in tl.rows
                for side, row in enumerate(pair)
                for leaf in sides[side]
            }
        elif shape == "single_row":
            names = {leaf.figure for leaf in leaves(tl.columns) if leaf.figure}
        else:
            columns = [leaf.figure for leaf in leaves(tl.columns) if leaf.figure]
            names = {f"{row}.{c}" for row in ("total", "rows[*]") for c in columns}
            if shape == "economic":
                names |= {"personnel_total", "public_total"}
        out[tl.table] = frozenset(names)
    return out


@functools.cache
def list_fields(table_key: str) -> frozenset[str]:
    """The fields of a table that hold a list of rows."""
    table_cls = unwrap(typing.get_type_hints(FinalAccountTables)[table_key])
    hints = typing.get_type_hints(table_cls)
    return frozenset(name for name, hint in hints.items() if typing.get_origin(hint) is list)


ANY_INDEX = re.compile(r"\[[^\]]*\]")
