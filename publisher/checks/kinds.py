"""Kinds of rule: each is a small declared object; ``rules.py`` lists the instances.

Every kind yields :class:`Finding` objects for one disclosure. A sum rule compares a
published total with the sum of published parts (a blank cell counts as 0) and allows
the configured rounding tolerance per summed row, never more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Disclosure
from ..models.base import Node
from .figures import Figure, expand, figure, steps

ERROR = "error"
WARNING = "warning"


@dataclass
class Finding:
    """A published figure that breaks a rule, with the figures it was compared against."""

    rule: Rule
    figure: Figure
    expected: Decimal | None
    related: list[Figure] = field(default_factory=list)
    detail: str = ""
    acknowledgement: object = None  # the Acknowledgement that accepts it, if any
    span: tuple[int, int] | None = None  # for prose findings: where the figure is in the text

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
    previous: Disclosure | None = None  # the unit's previous year, when published
    figures: dict[str, Figure] = field(default_factory=dict)

    def figure(self, path: str) -> Figure:
        """The figure at ``path`` of this disclosure (rules ask for the same ones often)."""
        found = self.figures.get(path)
        if found is None:
            found = self.figures[path] = figure(self.disclosure, path)
        return found


@dataclass(frozen=True, kw_only=True)
class Rule:
    """Base of all rules: an id, a severity and a one-line Chinese description."""

    id: str
    description: str
    severity: str = ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


def sums(rule: Rule, ctx: Context, total: Figure, parts: list[Figure]) -> Iterator[Finding]:
    """A finding when ``total`` differs from Σ ``parts`` by more than the tolerance."""
    expected = sum((p.amount for p in parts), Decimal(0))
    if abs(total.amount - expected) > ctx.tolerance:
        yield Finding(rule, total, expected, parts)


def sum_paths(rule: Rule, ctx: Context, total: str, parts: list[str]) -> Iterator[Finding]:
    """:func:`sums` of the figures at these paths."""
    yield from sums(rule, ctx, ctx.figure(total), [ctx.figure(p) for p in parts])


@dataclass(frozen=True, kw_only=True)
class Sum(Rule):
    """``total`` = Σ ``parts``; paths may use ``[*]``. Skipped when the table is absent."""

    total: str
    parts: list[str]

    def check(self, ctx):
        d = ctx.disclosure
        tables = {".".join(p.split(".")[:3]) for p in [self.total, *self.parts] if p.startswith("final_accounts.")}
        if any(value_at(d, t) is None for t in tables):
            return  # a table it relates is not published
        expanded = [expand(d, pattern) for pattern in self.parts]
        for total_path in expand(d, self.total):
            yield from sum_paths(self, ctx, total_path, [p for paths in expanded for p in paths])


@dataclass(frozen=True, kw_only=True)
class RowSum(Rule):
    """In every row matched by ``rows``: field ``total`` = Σ fields ``parts``."""

    rows: list[str]
    total: str
    parts: list[str]

    def check(self, ctx):
        d = ctx.disclosure
        for pattern in self.rows:
            for row in expand(d, pattern):
                if not isinstance(value_at(d, row), Node):
                    continue
                yield from sum_paths(self, ctx, f"{row}.{self.total}", [f"{row}.{p}" for p in self.parts])


@dataclass(frozen=True, kw_only=True)
class CodeTree(Rule):
    """功能分类 rows: 合计 = Σ 类 (3 digits), 类 = Σ 款 (5), 款 = Σ 项 (7), for each column."""

    table: str
    columns: list[str]
    levels: tuple[int, ...] = (3, 5, 7)

    def check(self, ctx):
        d = ctx.disclosure
        if value_at(d, self.table) is None:
            return
        rows = [(p, value_at(d, p)) for p in expand(d, f"{self.table}.rows[*]")]
        for column in self.columns:
            tops = [f"{p}.{column}" for p, r in rows if r.code and len(r.code) == self.levels[0]]
            if tops:
                yield from sum_paths(self, ctx, f"{self.table}.total.{column}", tops)
            for parent_path, parent in rows:
                children = self.children(parent, rows)
                if children:
                    yield from sum_paths(self, ctx, f"{parent_path}.{column}", [f"{p}.{column}" for p in children])

    def children(self, parent, rows) -> list[str]:
        code = parent.code or ""
        if len(code) not in self.levels[:-1]:
            return []
        size = self.levels[self.levels.index(len(code)) + 1]
        return [p for p, r in rows if r.code and len(r.code) == size and r.code.startswith(code)]



@dataclass(frozen=True, kw_only=True)
class Custom(Rule):
    """A rule whose logic does not fit a declared shape; ``run`` yields its findings."""

    run: Callable[[Rule, Context], Iterator[Finding]]

    def check(self, ctx):
        yield from self.run(self, ctx)


def value_at(root: Node, path: str):
    """The value at a concrete path (no wildcards), or None when any step is missing."""
    node: object = root
    for name, index in steps(path):
        node = getattr(node, name, None)
        if node is None:
            return None
        if index is not None:
            node = node[int(index)] if int(index) < len(node) else None
    return node
