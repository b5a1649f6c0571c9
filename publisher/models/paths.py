"""Figure paths: the one way to name a figure of a disclosure.

A path is a dotted chain of field names with list steps:
``final_accounts.tables.t02.rows[3].fiscal``.
A list step is a position (``[3]``), every item (``[*]``), or a key (``[code=2010301]``,
``[name=本年收入合计]``, ``[title=一、收入支出决算总体情况说明]``): keys keep naming the same
row when rows are inserted, so acknowledgements written with them do not lapse.

Paths are checked against the model types (:func:`validate`), so a mistyped rule path is a
failing test, not a rule that silently checks nothing.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from typing import Any
from collections.abc import Iterator
from decimal import Decimal

from .base import Node, schema_fields

STEP = re.compile(r"(\w+)(?:\[(\d+|\*|\w+=[^\]]+)\])?")
KEYS = ("code", "name", "title")  # fields that name a list item, in order of preference


class PathError(ValueError):
    """A path that does not fit the models (a bug in a rule, or a mistyped acknowledgement)."""


@functools.lru_cache(maxsize=65536)
def steps(path: str) -> tuple[tuple[str, str | None], ...]:
    """A path's steps as (name, index): index is digits, ``*``, ``key=value`` or None.
    Rules ask for the same paths in every disclosure, so each is parsed once."""
    out = []
    for step in split(path):
        match = STEP.fullmatch(step)
        if match is None:
            raise PathError(f"not a figure path step: {step!r} in {path!r}")
        out.append((match.group(1), match.group(2)))
    return tuple(out)


def split(path: str) -> list[str]:
    """Dotted steps, dots inside a key (``[name=1.5]``) kept."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(path):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "." and depth == 0:
            parts.append(path[start:i])
            start = i + 1
    parts.append(path[start:])
    return parts


def select(items: list, index: str) -> list[tuple[int, object]]:
    """The (position, item) pairs a list step picks."""
    if index == "*":
        return list(enumerate(items))
    if index.isdigit():
        i = int(index)
        return [(i, items[i])] if i < len(items) else []
    key, value = index.split("=", 1)
    return [(i, item) for i, item in enumerate(items) if str(getattr(item, key, None)) == value][:1]


def expand(root: Node, pattern: str) -> list[str]:
    """Concrete positional paths matching ``pattern``; missing parts match nothing."""
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
                next_paths += [(f"{here}[{i}]", item) for i, item in select(value, index)]
        paths = next_paths
    return [p for p, _ in paths]


def value_at(root: Node, path: str):
    """The value at a concrete path, or None when any step is missing."""
    node: object = root
    for name, index in steps(path):
        node = getattr(node, name, None)
        if node is None:
            return None
        if index is not None:
            picked = select(node, index)
            node = picked[0][1] if picked else None
    return node


def walk(root: Node, path: str) -> tuple[Node, str, list[tuple[str, Node]]]:
    """The node holding the last step, that step's name, and the (step, node) pairs passed."""
    node: Any = root
    passed: list[tuple[str, Node]] = []
    parsed = steps(path)
    for name, index in parsed[:-1]:
        node = getattr(node, name)
        if index is not None:
            node = select(node, index)[0][1]
        passed.append((name, node))
    return node, parsed[-1][0], passed


def keyed(root: Node, path: str) -> str:
    """``path`` with each position replaced by the item's key where the key names one item
    only: ``…t06.rows[12].amount`` → ``…t06.rows[code=30101].amount``."""
    node: object = root
    out = []
    for step, (name, index) in zip(split(path), steps(path), strict=True):
        value = getattr(node, name, None)
        if index is None:
            out.append(step)
            node = value
            continue
        picked = select(value, index) if isinstance(value, list) else []
        if not picked or not isinstance(value, list):
            return path
        item = picked[0][1]
        key = item_key(value, item) if index.isdigit() else None
        out.append(f"{name}[{key}]" if key else step)
        node = item
    return ".".join(out)


def item_key(items: list, item: object) -> str | None:
    """``code=30101`` when that key names ``item`` alone among ``items``."""
    for key in KEYS:
        value = getattr(item, key, None)
        if (
            isinstance(value, str)
            and value
            and not set(value) & set("[]\n")
            and sum(1 for other in items if getattr(other, key, None) == value) == 1
        ):
            return f"{key}={value}"
    return None


def same_figure(root: Node, written: str, positional: str) -> bool:
    """Whether a path as an editor wrote it (positions or keys) names the figure ``positional``."""
    if written == positional:
        return True
    try:
        return expand(root, written) == [positional]
    except (PathError, AttributeError, TypeError):
        return False


def figures(node: Node, path: str = "") -> Iterator[tuple[str, Decimal, Node, str]]:
    """Every published amount under ``node`` with its path: ``(path, value, node, field)``."""
    for f in schema_fields(type(node)):
        value = getattr(node, f.name)
        here = f"{path}.{f.name}" if path else f.name
        if isinstance(value, Decimal):
            yield here, value, node, f.name
        elif isinstance(value, Node):
            yield from figures(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Node):
                    yield from figures(item, f"{here}[{i}]")


def is_empty(node: Node) -> bool:
    """True when a table carries no figure at all (it is still published, with its 说明)."""
    return next(figures(node), None) is None


def validate(pattern: str, root: type) -> None:
    """Raise :class:`PathError` unless every step of ``pattern`` is a field of the model it
    applies to, list steps only on lists (the check behind the rule-path meta-test)."""
    cls: object = root
    for name, index in steps(pattern):
        if not (isinstance(cls, type) and issubclass(cls, Node)):
            raise PathError(f"{pattern!r}: {name!r} follows a value that has no fields")
        hints = typing.get_type_hints(cls)
        if name not in {f.name for f in schema_fields(cls)}:
            raise PathError(f"{pattern!r}: {cls.__name__} has no field {name!r}")
        hint = unwrap(hints[name])
        if index is not None:
            if typing.get_origin(hint) is not list:
                raise PathError(f"{pattern!r}: {name!r} is not a list")
            hint = typing.get_args(hint)[0]
        elif typing.get_origin(hint) is list:
            raise PathError(f"{pattern!r}: {name!r} is a list (expected [i], [*] or [key=…])")
        cls = hint


def unwrap(hint: object) -> object:
    """``X | None`` → ``X``."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return hint
