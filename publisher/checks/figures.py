"""Published figures as rules see them: value, file:line:col and a readable label.

Rules name the figures they relate by such paths (``[*]`` expands over a list); findings
carry the figure's path, a readable label and its file:line:col.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import terms
from ..models.base import Mark, Node, label
from ..models.paths import walk


@dataclass(frozen=True)
class Figure:
    """One published figure: where it is in the model and in the file, and its value.

    ``label`` (how a person reads it: 公开02表 2010301 行政运行 财政拨款收入) is worked out
    only when a finding is reported; ``root`` is the disclosure it is read from.
    """

    path: str
    given_label: str | None
    value: Decimal | None
    mark: Mark | None
    root: Node | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        if self.given_label is not None:
            return self.given_label
        if self.root is None:
            return self.path
        node, name, passed = walk(self.root, self.path)
        context = [text for step, item in passed for text in step_labels(step, item)]
        return " ".join(context + [label(type(node), name)])

    @property
    def amount(self) -> Decimal:
        """The figure for arithmetic: a blank cell counts as 0."""
        return self.value if self.value is not None else Decimal(0)


def figure(root: Node, path: str) -> Figure:
    """The figure at ``path`` (which must exist up to its last step)."""
    node, name, _ = walk(root, path)
    return Figure(path, None, getattr(node, name), node.where(name), root)


def step_labels(step: str, node: object) -> list[str]:
    """How a step of a path reads to a person: 公开02表, 2010301 行政运行, 合计 …"""
    if step in terms.TABLES:
        return [terms.table_label(step)]
    if step in ("final_accounts", "tables"):
        return []
    project = getattr(node, "project", None)
    if step == "self_evaluations":
        return [
            f"{getattr(node, 'scope', '')}自评（{project.name}）"
            if project
            else f"{getattr(node, 'scope', '')}自评"
        ]
    parts = []
    for key in ("code", "org", "name", "title"):
        value = getattr(node, key, None)
        if value:
            parts.append(str(value))
            if key != "code":
                break
    if not parts and step in {"budget", "actual", "funds", "total"}:
        parts.append(
            {"budget": "预算数", "actual": "决算数", "funds": "资金情况", "total": "合计"}[step]
        )
    return [" ".join(parts)] if parts else []
