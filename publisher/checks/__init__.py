"""Cross-checks of every figure (表间勾稽) and the acknowledgements that let findings stand.

``check_disclosure`` runs every rule on one disclosure and ``acknowledge`` matches each
finding against the disclosure's acknowledgements: an acknowledged finding no longer fails
the build but is still reported (and shown on the page as 数据说明); an acknowledgement that
matches no finding is itself a problem, so it cannot outlive the figures it was written for.
The site build (``publisher.build``) runs both for every disclosure, in its workers.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Problem
from ..models import Disclosure, Unit
from ..models.layout import Layout
from ..models.paths import same_figure
from ..terms import DEFAULT_TOLERANCE
from .completeness import COMPLETENESS_RULES
from .evaluations import EVALUATION_RULES
from .kinds import ERROR, ROUNDING, WARNING, Context, Finding, Rule, Sum
from .prose import PROSE_RULES
from .rules import ECONOMIC_RULES, EMPTY_RULES, TABLE_RULES

RULES: list[Rule] = (
    TABLE_RULES + ECONOMIC_RULES + EMPTY_RULES + EVALUATION_RULES + PROSE_RULES + COMPLETENESS_RULES
)

__all__ = [
    "ERROR",
    "WARNING",
    "ROUNDING",
    "RULES",
    "Finding",
    "Located",
    "acknowledge",
    "check_disclosure",
    "layout_rules",
]


@dataclass
class Located:
    """A finding with the unit, year and disclosure it belongs to."""

    unit: Unit
    year: int
    finding: Finding
    draft: bool = False  # of a year file marked status: draft: reported, never failing
    disclosure: Disclosure | None = None  # names its figure by key (report.figure_path)

    @property
    def settled(self) -> bool:
        """Acknowledged, or a 尾差 within the tolerance (``publisher check --quiet`` omits it)."""
        return self.finding.acknowledgement is not None or self.finding.severity == ROUNDING

    @property
    def failing(self) -> bool:
        return (
            self.finding.severity == ERROR
            and self.finding.acknowledgement is None
            and not self.draft
        )


def layout_rules(layout: Layout) -> list[Rule]:
    """The identities a layout declares of its own, as sum rules."""
    return [
        Sum(id=i.id, description=i.description, total=i.total, parts=i.parts, minus=i.minus)
        for i in layout.identities
    ]


def check_disclosure(
    d: Disclosure,
    layout: Layout,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    previous: Disclosure | None = None,
) -> list[Finding]:
    """Every finding of every rule on one disclosure (acknowledgements not applied)."""
    ctx = Context(d, tolerance, layout, previous)
    return [finding for rule in RULES + layout_rules(layout) for finding in rule.check(ctx)]


def acknowledge(d: Disclosure, findings: list[Finding]) -> list[Problem]:
    """Attach each acknowledgement to the finding it names; report those that name none."""
    lapsed = []
    for ack in d.acknowledgements:
        named = [
            f
            for f in findings
            if f.rule.id == ack.rule and same_figure(d, ack.figure, f.figure.path)
        ]
        match = next(
            (f for f in named if f.acknowledgement is None and same(f.difference, ack.difference)),
            None,
        )
        if match is None:
            now = (
                f"；该项发现的差额现为 {signed(named[0].difference)}"
                if named
                else (
                    misspelled(ack.rule)
                    or "；现在没有这项发现（数字已一致，或规则编号、数据项路径有误）"
                )
            )
            lapsed.append(
                Problem(
                    ack.at(),
                    f"数据说明没有对应的发现（规则 {ack.rule}，数据项 {ack.figure}，"
                    f"差额 {signed(ack.difference)}）{now}",
                )
            )
        else:
            match.acknowledgement = ack
    return lapsed


def misspelled(rule_id: str) -> str:
    """A did-you-mean for a rule id that no rule has, else ''."""
    ids = sorted({rule.id for rule in RULES})
    if rule_id in ids:
        return ""
    close = difflib.get_close_matches(rule_id.upper(), ids, n=1, cutoff=0.6)
    hint = f"，是不是 {close[0]}？" if close else "（publisher check 的输出里有每项发现的规则编号）"
    return f"；没有编号为 {rule_id} 的规则{hint}"


def same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b


def signed(value: Decimal | None) -> str:
    return "无" if value is None else f"{value:+.2f}"
