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
BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "是": True, "否": False}
NUMBER = re.compile(r"-?([0-9]+)(?:\.([0-9]*))?")
PERCENT = re.compile(r"\s*(-?[0-9]{1,12}(?:\.[0-9]{0,6})?)\s*[%％]\s*")
WHOLE = re.compile(r"[0-9]{1,9}")
# 12 integer digits hold any 决算 in 万元 (10¹² 万元 is a hundred times China's GDP); the
# bound keeps sums and shares far inside Decimal's 28 significant digits.
MAX_DIGITS = 12
# Models nest sections in sections; deeper than this is a mistake (or an attack on the
# recursion limit), not a disclosure.
MAX_MODEL_DEPTH = 16
# The longest text in the seeds is 1,439 characters. Python-Markdown scans from each "[" to
# the end of its paragraph for a link: 2,000 "[" in 100 KB took 41 s, so both are bounded.
MAX_TEXT = 50_000
MAX_BRACKETS = 100


def mark_of(node: yaml.Node, path: str) -> Mark:
    return Mark(path, node.start_mark.line + 1, node.start_mark.column + 1)


class Converter:
    """Converts the nodes of one file; problems accumulate in ``self.problems``."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.depth = 0

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(mark_of(node, self.path), message))

    def model(self, node: yaml.Node, cls: type) -> Node | None:
        """Convert a mapping node into an instance of the dataclass ``cls``."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"expected a mapping of {type_name(cls)}, found {found(node)}")
            return None
        if self.depth == MAX_MODEL_DEPTH:
            self.problem(
                node,
                f"nested too deeply (expected at most {MAX_MODEL_DEPTH} levels of "
                f"{type_name(cls)} inside each other)",
            )
            return None
        self.depth += 1
        try:
            return self.fields(node, cls)
        finally:
            self.depth -= 1

    def fields(self, node: yaml.MappingNode, cls: type) -> Node | None:
        hints, fields, required, shapes = schema_of(cls)
        values: dict[str, object] = {}
        marks: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in fields:
                self.problem(key_node, unknown_key(key, cls))
                continue
            if key in marks:
                self.problem(
                    key_node, f"duplicate key '{key}' (first given at line {marks[key].line})"
                )
                continue
            marks[key] = mark_of(value_node, self.path)
            values[key] = self.read(value_node, shapes[key], fields[key])
        for name in required:
            if name not in values:
                self.problem(
                    node,
                    f"missing required key '{name}' ({fields[name].metadata['label']}; "
                    f"expected {type_name(hints[name])})",
                )
        if any(values.get(n) is None for n in required):
            return None
        return cls(**values, mark=mark_of(node, self.path), marks=marks)

    def value(self, node: yaml.Node, hint: object, f: dataclasses.Field | None = None):
        """Convert ``node`` to the type ``hint``; ``None`` (with a problem) when it cannot."""
        return self.read(node, shape(hint), f)

    def read(self, node: yaml.Node, shaped: tuple[str, object, bool], f: dataclasses.Field | None):
        """:meth:`value`, the hint's :func:`shape` worked out beforehand (once per field)."""
        kind, inner, optional = shaped
        if node.tag == NULL_TAG and isinstance(node, yaml.ScalarNode):
            if optional:
                return None
            if kind is LIST:
                return []
            self.problem(node, f"missing value{for_field(f)}: expected {type_name(inner)}")
            return None
        if kind is LIST:
            return self.list(node, inner)
        if kind is MODEL:
            return self.model(node, typing.cast(type, inner))
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"expected {type_name(inner)}{for_field(f)}, found {found(node)}")
            return None
        return self.scalar(node, inner, f)

    def list(self, node: yaml.Node, item: object) -> list:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                f"expected a list of {type_name(item)} (one '- ' entry each), found {found(node)}",
            )
            return []
        shaped = shape(item)
        items = [self.read(child, shaped, None) for child in node.value]
        return [i for i in items if i is not None]

    def scalar(self, node: yaml.ScalarNode, kind: object, f: dataclasses.Field | None):
        text = node.value
        if kind is str or kind is Markdown:
            return self.text(node, kind, f)
        if kind in (Amount, SignedAmount, Score):
            return self.number(node, kind, f)
        if typing.get_origin(kind) is typing.Literal:
            if text in typing.get_args(kind):
                return text
            self.problem(node, f"expected {type_name(kind)}{for_field(f)}, found {shorten(text)}")
            return None
        if kind is bool:
            if text.lower() in BOOLEANS:
                return BOOLEANS[text.lower()]
            self.problem(node, f"expected true or false{for_field(f)}, found {shorten(text)}")
            return None
        if kind is int:
            if WHOLE.fullmatch(text):
                return int(text)
            self.problem(
                node,
                f"expected a whole number of at most 9 digits{for_field(f)}, found {shorten(text)}",
            )
            return None
        if kind is Percent:
            match = PERCENT.fullmatch(text)
            if match:
                return Percent(text, Decimal(match.group(1)))
            self.problem(
                node, f"expected a percentage like 98.5%{for_field(f)}, found {shorten(text)}"
            )
            return None
        raise TypeError(f"no conversion for {kind!r}")  # a schema bug, not a user mistake

    def text(self, node: yaml.ScalarNode, kind: object, f: dataclasses.Field | None) -> str | None:
        text = node.value
        if len(text) > MAX_TEXT:
            self.problem(
                node,
                f"text too long{for_field(f)} (expected at most {MAX_TEXT:,} characters, "
                f"found {len(text):,})",
            )
            return None
        if kind is Markdown and text.count("[") > MAX_BRACKETS:
            self.problem(
                node,
                f"too many '['{for_field(f)} (expected at most {MAX_BRACKETS}, found "
                f"{text.count('[')}; in Markdown '[' starts a link, write 【】 for brackets)",
            )
            return None
        return text

    def number(self, node: yaml.ScalarNode, kind: type, f: dataclasses.Field | None):
        text = node.value.strip()
        match = NUMBER.fullmatch(text)
        if not match:
            self.problem(
                node, f"expected {type_name(kind)}{for_field(f)}, found {shorten(node.value)}"
            )
            return None
        if len(match.group(2) or "") > 2:
            self.problem(
                node,
                f"expected at most two decimals{for_field(f)}, found {shorten(text)} "
                f"(amounts are published in 万元 to the cent)",
            )
            return None
        if len(match.group(1).lstrip("0")) > MAX_DIGITS:
            self.problem(
                node,
                f"expected at most {MAX_DIGITS} digits before the decimal point{for_field(f)}, "
                f"found {len(match.group(1).lstrip('0'))} in {shorten(text)}",
            )
            return None
        if (
            text.startswith("-") and kind is Score
        ):  # an amount is recorded as printed, sign included
            self.problem(
                node, f"expected a non-negative number{for_field(f)}, found {shorten(text)}"
            )
            return None
        return kind(text)


# ----------------------------------------------------------------------- type helpers


def type_hints(cls: type) -> dict[str, object]:
    return _type_hints(cls)  # a plain ``type`` here: mypy takes type[Node] as unhashable


@functools.cache
def _type_hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


@functools.cache
def schema_of(
    cls: type,
) -> tuple[
    dict[str, object],
    dict[str, dataclasses.Field],
    tuple[str, ...],
    dict[str, tuple[str, object, bool]],
]:
    """A model's type hints, schema fields by name, required field names and the shape of
    each field (computed once per model, not once per value)."""
    fields = {f.name: f for f in schema_fields(cls)}
    hints = type_hints(cls)
    required = tuple(n for n, f in fields.items() if is_required(f))
    return hints, fields, required, {name: shape(hints[name]) for name in fields}


LIST, MODEL, SCALAR = "list", "model", "scalar"


@functools.cache
def shape(hint: object) -> tuple[str, object, bool]:
    """How a value of type ``hint`` is read: (LIST and its item type | MODEL and its class |
    SCALAR and its kind, whether it may be null)."""
    inner, optional = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        return LIST, typing.get_args(inner)[0], optional
    if isinstance(inner, type) and issubclass(inner, Node):
        return MODEL, inner, optional
    return SCALAR, inner, optional


@functools.cache
def unwrap_optional(hint: object) -> tuple[object, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def type_name(hint: object) -> str:
    """How a type is named in messages and in the format reference."""
    inner, _ = unwrap_optional(hint)
    if typing.get_origin(inner) is list:
        return f"a list of {type_name(typing.get_args(inner)[0])}"
    if typing.get_origin(inner) is typing.Literal:
        return "one of: " + ", ".join(typing.get_args(inner))
    names = {
        str: "text",
        Markdown: "text (Markdown)",
        int: "a whole number",
        bool: "true or false",
        Amount: "an amount in 万元 (e.g. 511.38)",
        SignedAmount: "an amount in 万元, may be negative (e.g. -21.36)",
        Score: "a score (e.g. 9.5)",
        Percent: "a percentage (e.g. 100%)",
    }
    if inner in names:
        return names[inner]
    name = getattr(inner, "__name__", str(inner))
    doc = (inner.__doc__ or name).strip().splitlines()[0].rstrip(".")
    return f"{name} ({doc})"


def found(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return shorten(node.value)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut after ``limit`` characters (a value may be huge)."""
    return (
        repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"
    )


def for_field(f: dataclasses.Field | None) -> str:
    return f" for '{f.name}' ({f.metadata['label']})" if f is not None else ""


def unknown_key(key: str | None, cls: type) -> str:
    fields = schema_fields(cls)
    names = [f.name for f in fields]
    by_label = {f.metadata["label"]: f.name for f in fields}
    hint = ""
    if key is not None:
        close = difflib.get_close_matches(key, names, n=1) or [
            by_label[m] for m in difflib.get_close_matches(key, list(by_label), n=1, cutoff=0.5)
        ]
        if close:
            hint = f"; did you mean '{close[0]}'?"
    shown = shorten(key) if key is not None else None
    return f"unknown key {shown} in {cls.__name__}{hint} (expected one of: {', '.join(names)})"
