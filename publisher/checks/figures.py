"""Addressing published figures by model path: ``final_accounts.tables.t02.rows[3].fiscal``.

Rules name the figures they relate by such paths (``[*]`` expands over a list); findings
carry the figure's path, a readable label and its file:line:col.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..grid import PUBLIC_TABLES
from ..models.base import Mark, Node, label

STEP = re.compile(r"(\w+)(?:\[(\d+|\*)\])?")


@functools.lru_cache(maxsize=65536)
def steps(path: str) -> tuple[tuple[str, str | None], ...]:
    """A path's steps as (name, index): index is digits, "*" or None. Rules ask for the same
    paths in every disclosure, so each is parsed once."""
    return tuple(STEP.fullmatch(step).groups() for step in path.split("."))


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
        node, name, context = walk(self.root, self.path)
        return " ".join(context + [label(type(node), name)])

    @property
    def amount(self) -> Decimal:
        """The figure for arithmetic: a blank cell counts as 0."""
        return self.value if self.value is not None else Decimal(0)


def expand(root: Node, pattern: str) -> list[str]:
    """Concrete paths matching ``pattern`` (``[*]`` over lists); missing parts match nothing."""
    paths: list[tuple[str, object]] = [("", root)]
    parsed = steps(pattern)
    for position, (name, index) in enumerate(parsed):
        last = position == len(parsed) - 1
        next_paths = []
        for prefix, node in paths:
            if not isinstance(node, Node):
                continue
            value = getattr(node, name)
            here = f"{prefix}.{name}" if prefix else name
            if index is None:
                if value is not None or last:
                    next_paths.append((here, value))
            elif isinstance(value, list):
                indices = range(len(value)) if index == "*" else [int(index)]
                next_paths += [(f"{here}[{i}]", value[i]) for i in indices if i < len(value)]
        paths = next_paths
    return [p for p, _ in paths]


def figure(root: Node, path: str) -> Figure:
    """The figure at ``path`` (which must exist up to its last step)."""
    node, name, _ = walk(root, path, labelled=False)
    return Figure(path, None, getattr(node, name), node.where(name), root)


def walk(root: Node, path: str, labelled: bool = True) -> tuple[Node, str, list[str]]:
    """The node holding the last step, that step's name, and labels of the rows passed."""
    node: object = root
    context: list[str] = []
    parsed = steps(path)
    for name, index in parsed[:-1]:
        node = getattr(node, name)
        if index is not None:
            node = node[int(index)]
        if labelled:
            context += describe(name, node)
    return node, parsed[-1][0], context


def describe(step: str, node: object) -> list[str]:
    """How a step of a path reads to a person: 公开02表, 2010301 行政运行, 合计 …"""
    if step in PUBLIC_TABLES:
        return [f"公开{step[1:]}表"]
    if step in ("final_accounts", "tables"):
        return []
    project = getattr(node, "project", None)
    if step == "self_evaluations":
        return [f"{getattr(node, 'scope', '')}自评（{project.name}）" if project else f"{node.scope}自评"]
    parts = []
    for key in ("code", "org", "name", "title"):
        value = getattr(node, key, None)
        if value:
            parts.append(str(value))
            if key != "code":
                break
    if not parts and step in {"budget", "actual", "funds", "total"}:
        parts.append({"budget": "预算数", "actual": "决算数", "funds": "资金情况", "total": "合计"}[step])
    return [" ".join(parts)] if parts else []
