"""Cross-checks of every figure (表间勾稽) and the acknowledgements that let findings stand.

``check_site`` runs every rule on every disclosure and matches each finding against the
disclosure's acknowledgements: an acknowledged finding no longer fails the build but is
still reported (and shown on the page as 数据说明); an acknowledgement that matches no
finding is itself a problem, so it cannot outlive the figures it was written for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import Problem
from ..models import Disclosure, Site, Unit
from ..models.layout import Layout
from ..models.paths import same_figure
from ..terms import DEFAULT_TOLERANCE
from .kinds import ERROR, ROUNDING, WARNING, Context, Finding, Rule, Sum
from .performance import PERFORMANCE_RULES
from .prose import PROSE_RULES
from .rules import ECONOMIC_RULES, EMPTY_RULES, TABLE_RULES

RULES: list[Rule] = TABLE_RULES + ECONOMIC_RULES + EMPTY_RULES + PERFORMANCE_RULES + PROSE_RULES

__all__ = ["ERROR", "WARNING", "ROUNDING", "RULES", "Finding", "Outcome", "Located", "check_site",
           "check_disclosure", "layout_rules"]


@dataclass
class Located:
    """A finding with the unit and year it belongs to."""

    unit: Unit
    year: int
    finding: Finding

    @property
    def failing(self) -> bool:
        return self.finding.severity == ERROR and self.finding.acknowledgement is None


@dataclass
class Outcome:
    findings: list[Located] = field(default_factory=list)
    lapsed: list[Problem] = field(default_factory=list)  # acknowledgements matching nothing

    @property
    def failing(self) -> list[Located]:
        return [f for f in self.findings if f.failing]

    @property
    def ok(self) -> bool:
        return not self.failing and not self.lapsed



def layout_rules(layout: Layout) -> list[Rule]:
    """The identities a layout declares of its own, as sum rules."""
    return [Sum(id=i.id, description=i.description, total=i.total, parts=i.parts, minus=i.minus)
            for i in layout.identities]


def check_disclosure(d: Disclosure, layout: Layout, tolerance: Decimal = DEFAULT_TOLERANCE,
                     previous: Disclosure | None = None) -> list[Finding]:
    """Every finding of every rule on one disclosure (acknowledgements not applied)."""
    ctx = Context(d, tolerance, layout, previous)
    return [finding for rule in RULES + layout_rules(layout) for finding in rule.check(ctx)]


def check_site(site: Site, layouts, config=None, tolerance: Decimal | None = None) -> Outcome:
    """Check every disclosure of ``site`` and apply its acknowledgements."""
    outcome = Outcome()
    for unit in site.all_units():
        for year, d in unit.years.items():
            findings = check_disclosure(d, layouts.choose(d, unit, config),
                                        DEFAULT_TOLERANCE if tolerance is None else tolerance,
                                        unit.years.get(year - 1))
            outcome.lapsed += acknowledge(d, findings)
            outcome.findings += [Located(unit, year, f) for f in findings]
    return outcome


def acknowledge(d: Disclosure, findings: list[Finding]) -> list[Problem]:
    """Attach each acknowledgement to the finding it names; report those that name none."""
    lapsed = []
    for ack in d.acknowledgements:
        named = [f for f in findings if f.rule.id == ack.rule and same_figure(d, ack.figure, f.figure.path)]
        match = next((f for f in named if f.acknowledgement is None and same(f.difference, ack.difference)),
                     None)
        if match is None:
            current = named
            now = f"; the finding's difference is now {signed(current[0].difference)}" if current else \
                "; no such finding now (the figures agree, or the rule id or figure path is wrong)"
            lapsed.append(Problem(ack.mark, f"acknowledgement matches no finding (rule {ack.rule}, "
                                            f"figure {ack.figure}, difference {signed(ack.difference)}){now}"))
        else:
            match.acknowledgement = ack
    return lapsed


def same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b


def signed(value: Decimal | None) -> str:
    return "none" if value is None else f"{value:+.2f}"
