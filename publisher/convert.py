"""Turn a YAML node tree into typed models, collecting every problem with its mark.

The conversion is driven by the model declarations alone: a field's type hint says
what the YAML value must be, its metadata gives the label used in messages. Values
are read from the source text of each scalar, so an amount is parsed straight into
``Decimal`` and never passes through ``float``.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import types
import typing
from decimal import Decimal

import yaml

from .errors import Problem
from .models.base import Amount, Mark, Markdown, Node, Percent, Score, SignedAmount, schema_fields

NULL_TAG = "tag:yaml.org,2002:null"
NUMBER = re.compile(r"-?\d+(?:\.(\d*))?")
PERCENT = re.compile(r"\s*(-?\d+(?:\.\d*)?)\s*[%％]\s*")


def mark_of(node: yaml.Node, path: str) -> Mark:
    return Mark(path, node.start_mark.line + 1, node.start_mark.column + 1)


class Converter:
    """Converts the nodes of one file; problems accumulate in ``self.problems``."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(mark_of(node, self.path), message))

    def model(self, node: yaml.Node, cls: type) -> Node | None:
        """Convert a mapping node into an instance of the dataclass ``cls``."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"expected a mapping of {describe(cls)}, found {found(node)}")
            return None
        hints, fields, required = plan(cls)
        values: dict[str, object] = {}
        marks: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in fields:
                self.problem(key_node, unknown_key(key, cls))
                continue
            if key in marks:
                self.problem(key_node, f"duplicate key '{key}' (first given at line {marks[key].line})")
                continue
            marks[key] = mark_of(value_node, self.path)
            values[key] = self.value(value_node, hints[key], fields[key])
        for name in required:
            if name not in values:
                self.problem(node, f"missing required key '{name}' ({fields[name].metadata['label']}; "
                                   f"expected {describe(hints[name])})")
        if any(values.get(n) is None for n in required):
            return None
        return cls(**values, mark=mark_of(node, self.path), marks=marks)

    def value(self, node: yaml.Node, hint: object, f: dataclasses.Field | None = None):
        """Convert ``node`` to the type ``hint``; ``None`` (with a problem) when it cannot."""
        inner, optional = unwrap_optional(hint)
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            if optional:
                return None
            if typing.get_origin(inner) is list:
                return []
            self.problem(node, f"missing value{for_field(f)}: expected {describe(inner)}")
            return None
        if typing.get_origin(inner) is list:
            return self.list(node, typing.get_args(inner)[0])
        if isinstance(inner, type) and issubclass(inner, Node):
            return self.model(node, inner)
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"expected {describe(inner)}{for_field(f)}, found {found(node)}")
            return None
        return self.scalar(node, inner, f)

    def list(self, node: yaml.Node, item: object) -> list:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"expected a list of {describe(item)} (one '- ' entry each), "
                               f"found {found(node)}")
            return []
        items = [self.value(child, item) for child in node.value]
        return [i for i in items if i is not None]

    def scalar(self, node: yaml.ScalarNode, kind: object, f: dataclasses.Field | None):
        text = node.value
        if typing.get_origin(kind) is typing.Literal:
            if text in typing.get_args(kind):
                return text
            self.problem(node, f"expected {describe(kind)}{for_field(f)}, found {text!r}")
            return None
        if kind is str or kind is Markdown:
            return text
        if kind is int:
            if re.fullmatch(r"\d+", text):
                return int(text)
            self.problem(node, f"expected a whole number{for_field(f)}, found {text!r}")
            return None
        if kind is Percent:
            match = PERCENT.fullmatch(text)
            if match:
                return Percent(text, Decimal(match.group(1)))
            self.problem(node, f"expected a percentage like 98.5%{for_field(f)}, found {text!r}")
            return None
        if kind in (Amount, SignedAmount, Score):
            return self.number(node, kind, f)
        raise TypeError(f"no conversion for {kind!r}")  # a schema bug, not a user mistake

    def number(self, node: yaml.ScalarNode, kind: type, f: dataclasses.Field | None):
        text = node.value.strip()
        match = NUMBER.fullmatch(text)
        if not match:
            self.problem(node, f"expected {describe(kind)}{for_field(f)}, found {node.value!r}")
            return None
        if len(match.group(1) or "") > 2:
            self.problem(node, f"expected at most two decimals{for_field(f)}, found {text!r} "
                               f"(amounts are published in 万元 to the cent)")
            return None
        if text.startswith("-") and kind is Score:  # an amount is recorded as printed, sign included
            self.problem(node, f"expected a non-negative number{for_field(f)}, found {text!r}")
            return None
        return kind(text)


# ----------------------------------------------------------------------- type helpers


@functools.cache
def type_hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


@functools.cache
def plan(cls: type) -> tuple[dict[str, object], dict[str, dataclasses.Field], tuple[str, ...]]:
    """A model's type hints, schema fields by name and required field names (computed once)."""
    fields = {f.name: f for f in schema_fields(cls)}
    return type_hints(cls), fields, tuple(n for n, f in fields.items() if is_required(f))


@functools.cache
def unwrap_optional(hint: object) -> tuple[object, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def describe(hint: object) -> str:
    """How a type is named in messages and in the format reference."""
    inner, _ = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        return f"a list of {describe(typing.get_args(inner)[0])}"
    if typing.get_origin(inner) is typing.Literal:
        return "one of: " + ", ".join(typing.get_args(inner))
    names = {
        str: "text",
        Markdown: "text (Markdown)",
        int: "a whole number",
        Amount: "an amount in 万元 (e.g. 511.38)",
        SignedAmount: "an amount in 万元, may be negative (e.g. -21.36)",
        Score: "a score (e.g. 9.5)",
        Percent: "a percentage (e.g. 100%)",
    }
    if inner in names:
        return names[inner]
    doc = (inner.__doc__ or inner.__name__).strip().splitlines()[0].rstrip(".")
    return f"{inner.__name__} ({doc})"


def found(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.value!r}"


def for_field(f: dataclasses.Field | None) -> str:
    return f" for '{f.name}' ({f.metadata['label']})" if f is not None else ""


def unknown_key(key: str | None, cls: type) -> str:
    fields = schema_fields(cls)
    names = [f.name for f in fields]
    by_label = {f.metadata["label"]: f.name for f in fields}
    hint = ""
    if key is not None:
        close = difflib.get_close_matches(key, names, n=1) or [
            by_label[m] for m in difflib.get_close_matches(key, list(by_label), n=1, cutoff=0.5)]
        if close:
            hint = f"; did you mean '{close[0]}'?"
    return f"unknown key {key!r} in {cls.__name__}{hint} (expected one of: {', '.join(names)})"
