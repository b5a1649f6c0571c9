"""Findings for people and tools: text lines, JSON, and one HTML page for reviewers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jinja2

from . import Located, Outcome
from ..models.paths import keyed
from .figures import Figure

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def number(value: Decimal | str | None) -> str:
    """A figure as reported: amounts in plain notation; text figures (a grade such as 优) as given."""
    if value is None:
        return "blank"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def signed(value: Decimal | None) -> str:
    return f"{value:+.2f}" if isinstance(value, Decimal) else "none"


def where(figure: Figure) -> str:
    return str(figure.mark) if figure.mark else "(computed)"


def text_lines(located: Located) -> list[str]:
    """``path:line:col: severity [rule] description — figure: found …, expected …`` + related lines."""
    f = located.finding
    status = "acknowledged" if f.acknowledgement else f.severity
    line = f"{where(f.figure)}: {status} [{f.rule.id}] {f.rule.description} — {f.figure.label}: "
    if f.expected is not None:
        line += f"found {number(f.found)}, expected {number(f.expected)}, difference {signed(f.difference)}"
    else:
        line += f"found {number(f.found)}"
    if f.detail:
        line += f" ({f.detail})"
    lines = [line, f"    figure: {figure_path(located)}"]
    lines += [f"    relates: {where(r)} {r.label} = {number(r.value)}" for r in f.related]
    if f.acknowledgement:
        lines.append(f"    acknowledged: {f.acknowledgement.reason.strip()}")
    return lines


def figure_path(located: Located) -> str:
    """The finding's figure path as an acknowledgement should name it: by key where rows and
    sections have one (``rows[code=30101]``), so inserting a row does not lapse it."""
    d = located.unit.years.get(located.year)
    return keyed(d, located.finding.figure.path) if d is not None else located.finding.figure.path


def as_dict(located: Located) -> dict:
    f = located.finding

    def fig(x: Figure) -> dict:
        mark = x.mark
        return {"path": x.path, "label": x.label, "value": None if x.value is None else str(x.value),
                "file": mark.path if mark else None, "line": mark.line if mark else None,
                "col": mark.col if mark else None}

    return {
        "unit": located.unit.name, "unit_url": located.unit.url, "year": located.year,
        "rule": f.rule.id, "severity": f.severity, "description": f.rule.description,
        "figure": {**fig(f.figure), "key": figure_path(located)},
        "found": None if f.found is None else str(f.found),
        "expected": None if f.expected is None else str(f.expected),
        "difference": None if f.difference is None else str(f.difference),
        "detail": f.detail or None,
        "related": [fig(r) for r in f.related],
        "acknowledged": f.acknowledgement.reason.strip() if f.acknowledgement else None,
        "failing": located.failing,
    }


def to_json(outcome: Outcome, problems: list) -> str:
    return json.dumps({
        "ok": outcome.ok and not problems,
        "problems": [str(p) for p in problems] + [str(p) for p in outcome.lapsed],
        "findings": [as_dict(f) for f in outcome.findings],
    }, ensure_ascii=False, indent=2)


def to_html(outcome: Outcome, problems: list, title: str) -> str:
    """One page for reviewers: every finding, grouped by region and unit."""
    groups: dict[str, dict[str, list]] = {}
    for located in outcome.findings:
        region = " / ".join(r.name for r in located.unit.region.ancestors())
        unit = f"{located.unit.name} {located.year}年度"
        groups.setdefault(region, {}).setdefault(unit, []).append(as_dict(located))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("check_report.html").render(
        title=title, groups=groups, problems=[str(p) for p in problems + outcome.lapsed],
        failing=len(outcome.failing), total=len(outcome.findings),
        acknowledged=sum(1 for f in outcome.findings if f.finding.acknowledgement))
