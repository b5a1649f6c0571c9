"""Findings for people and tools: text lines, JSON, and one HTML page for reviewers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jinja2

from ..errors import Problem
from ..models.paths import keyed
from . import ERROR, ROUNDING, WARNING, Located, Outcome
from .figures import Figure

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


SEVERITY = {ERROR: "错误", WARNING: "提示", ROUNDING: "尾差"}


@dataclass
class Summary:
    """The counts of one ``publisher check`` run; ``headline`` is its first line of output."""

    disclosures: int  # year files read and checked
    problems: list[Problem]  # files that could not be read, and other content problems
    outcome: Outcome

    @property
    def files(self) -> int:
        """Files with a problem."""
        return len({p.mark.path for p in self.problems + self.outcome.lapsed})

    @property
    def ok(self) -> bool:
        return not self.problems and self.outcome.ok

    def count(self, kind: str) -> int:
        f = self.outcome.findings
        return {
            "failing": sum(x.failing for x in f),
            "acknowledged": sum(x.finding.acknowledgement is not None for x in f),
            "draft": sum(x.draft and x.finding.acknowledgement is None for x in f),
            "warning": sum(
                x.finding.severity == WARNING and x.finding.acknowledgement is None and not x.draft
                for x in f
            ),
            "rounding": sum(
                x.finding.severity == ROUNDING and x.finding.acknowledgement is None for x in f
            ),
        }[kind]

    @property
    def headline(self) -> str:
        if self.ok:
            return f"通过：检查了 {self.disclosures} 份年度公开文件，没有须处理的问题。"
        parts = []
        if self.files:
            parts.append(
                f"{self.files} 个文件有 {len(self.problems) + len(self.outcome.lapsed)} 个问题"
            )
        if self.count("failing"):
            parts.append(f"{self.count('failing')} 项发现须处理")
        return f"未通过：{'，'.join(parts)}（共检查了 {self.disclosures} 份年度公开文件）。"

    @property
    def counts(self) -> str:
        """The last line: every count, for a reader who scrolled past the first."""
        line = (
            f"{self.disclosures} 份年度公开文件，"
            f"{len(self.problems) + len(self.outcome.lapsed)} 个问题"
            f"（{self.files} 个文件），{len(self.outcome.findings)} 项发现："
            f"{self.count('failing')} 项未说明，"
            f"{self.count('acknowledged')} 项已说明，{self.count('warning')} 项提示，"
            f"{self.count('rounding')} 项尾差（容差内）"
        )
        drafts = self.count("draft")
        return line + (f"，{drafts} 项属于草稿" if drafts else "")


def number(value: Decimal | str | None) -> str:
    """A figure as reported: amounts in plain notation; text (a grade such as 优) as given."""
    if value is None:
        return "空"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def signed(value: Decimal | None) -> str:
    return f"{value:+.2f}" if isinstance(value, Decimal) else "无"


def where(figure: Figure) -> str:
    return str(figure.mark) if figure.mark else "（计算值）"


def status(located: Located) -> str:
    f = located.finding
    if f.acknowledgement:
        return "已说明"
    return ("草稿" if located.draft else "") + SEVERITY.get(f.severity, f.severity)


def text_lines(located: Located) -> list[str]:
    """``path:line:col: 错误 [rule] description — figure：应为 …，实为 …`` and its related lines."""
    f = located.finding
    line = f"{where(f.figure)}: {status(located)} [{f.rule.id}] {f.rule.description}"
    line += f" — {f.figure.label}"
    if f.expected is not None:
        line += (
            f"（应为 {number(f.expected)}，实为 {number(f.found)}，差额 {signed(f.difference)}）"
        )
    elif f.found is not None:
        line += f"（实为 {number(f.found)}）"
    if f.detail:
        line += f"：{f.detail}"
    lines = [line, f"    数据项：{figure_path(located)}"]
    lines += [f"    相关：{where(r)} {r.label} = {number(r.value)}" for r in f.related]
    if f.acknowledgement:
        lines.append(f"    已说明：{f.acknowledgement.reason.strip()}")
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
        return {
            "path": x.path,
            "label": x.label,
            "value": None if x.value is None else str(x.value),
            "file": mark.path if mark else None,
            "line": mark.line if mark else None,
            "col": mark.col if mark else None,
        }

    mark = f.figure.mark
    return {
        "kind": "finding",
        "message": text_lines(located)[0].split(": ", 1)[1],
        "file": mark.path if mark else None,
        "line": mark.line if mark else None,
        "col": mark.col if mark else None,
        "unit": located.unit.name,
        "unit_url": located.unit.url,
        "year": located.year,
        "draft": located.draft,
        "rule": f.rule.id,
        "severity": f.severity,
        "description": f.rule.description,
        "figure": {**fig(f.figure), "key": figure_path(located)},
        "found": None if f.found is None else str(f.found),
        "expected": None if f.expected is None else str(f.expected),
        "difference": None if f.difference is None else str(f.difference),
        "detail": f.detail or None,
        "related": [fig(r) for r in f.related],
        "acknowledged": f.acknowledgement.reason.strip() if f.acknowledgement else None,
        "failing": located.failing,
    }


def problem_dict(problem: Problem) -> dict:
    """A problem with the keys a finding has (``kind``, ``file``, ``line``, ``col``, ``message``,
    ``severity``, ``failing``; the figure keys are null), so tools read both the same way."""
    mark = problem.mark
    return {
        "kind": "problem",
        "message": problem.message,
        "file": mark.path,
        "line": mark.line,
        "col": mark.col,
        "unit": None,
        "unit_url": None,
        "year": None,
        "draft": False,
        "rule": None,
        "severity": ERROR,
        "description": None,
        "figure": None,
        "found": None,
        "expected": None,
        "difference": None,
        "detail": None,
        "related": [],
        "acknowledged": None,
        "failing": True,
    }


def to_json(summary: Summary, *, quiet: bool = False) -> str:
    outcome = summary.outcome
    return json.dumps(
        {
            "ok": summary.ok,
            "summary": {
                "headline": summary.headline,
                "disclosures": summary.disclosures,
                "files_with_problems": summary.files,
                **{
                    k: summary.count(k)
                    for k in ("failing", "acknowledged", "warning", "rounding", "draft")
                },
            },
            "problems": [problem_dict(p) for p in summary.problems + outcome.lapsed],
            "findings": [as_dict(f) for f in outcome.findings if not (quiet and f.settled)],
        },
        ensure_ascii=False,
        indent=2,
    )


def to_html(summary: Summary, title: str) -> str:
    """One page for reviewers: every problem and finding, grouped by region and unit."""
    outcome, problems = summary.outcome, summary.problems
    groups: dict[str, dict[str, list]] = {}
    for located in outcome.findings:
        region = " / ".join(r.name for r in located.unit.region.ancestors())
        unit = f"{located.unit.name} {located.year}年度"
        groups.setdefault(region, {}).setdefault(unit, []).append(as_dict(located))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("check_report.html").render(
        title=title,
        headline=summary.headline,
        groups=groups,
        problems=[str(p) for p in problems + outcome.lapsed],
        failing=len(outcome.failing),
        total=len(outcome.findings),
        acknowledged=sum(1 for f in outcome.findings if f.finding.acknowledgement),
    )
