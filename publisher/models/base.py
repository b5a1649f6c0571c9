"""Building blocks of the content schema: scalar kinds, field declarations, source marks.

Every model is a dataclass whose fields are declared with :func:`field`, which records
the Chinese label an editor sees in the published document and a one-line description.
The loader (``publisher.load``) reads these declarations to convert YAML, the format
reference is generated from them, and the renderer takes its column headers from them,
so the schema is written down exactly once.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NewType


@dataclass(slots=True, unsafe_hash=True)
class Mark:
    """Where something is in a source file (1-based line and column); never changed once made.

    Not ``frozen``: a frozen dataclass sets each field through ``object.__setattr__``, three
    times the cost, and reading a year file makes a thousand marks."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


# Scalar kinds. They are plain ``str`` / ``Decimal`` at run time; the loader tells them
# apart by these names to apply the right parsing and error message.
Markdown = NewType("Markdown", str)
"""Text that may use Markdown (paragraphs, lists, emphasis); sanitised when rendered."""


class Amount(Decimal):
    """Money in 万元, as published: at most two decimals, with its sign when printed negative
    (a 年末结转和结余 or an adjustment can be); the checks add signed figures as they are."""


class SignedAmount(Decimal):
    """Money in 万元 that may be negative (a change such as 增减情况)."""


class Score(Decimal):
    """Points of a performance evaluation (分值, 得分): at most two decimals, not negative."""


@dataclass(frozen=True)
class Percent:
    """A percentage as published ("100 %", "98.5%"): its text and its numeric value."""

    text: str
    value: Decimal

    def __str__(self) -> str:
        return self.text


def field(
    label: str, doc: str = "", *, required: bool = False, default: Any = None, example: Any = None
) -> Any:
    """Declare a model field with its published Chinese label and a description.

    Lists default to empty; other optional fields default to ``None``.
    """
    metadata = {"label": label, "doc": doc, "example": example}
    if required:
        return dataclasses.field(metadata=metadata)
    if default == []:
        return dataclasses.field(default_factory=list, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(kw_only=True)
class Node:
    """所有模型的基类：记住它本身及其每个字段在源文件中的位置。"""

    mark: Mark | None = dataclasses.field(
        default=None, repr=False, compare=False, metadata={"internal": True}
    )
    marks: dict[str, Mark] = dataclasses.field(
        default_factory=dict, repr=False, compare=False, metadata={"internal": True}
    )

    def where(self, name: str | None = None) -> Mark | None:
        """Mark of field ``name`` if it was written, else of this object itself."""
        if name is not None and name in self.marks:
            return self.marks[name]
        return self.mark

    def at(self, name: str | None = None) -> Mark:
        """:meth:`where`, for a node read from a file (which always has its mark)."""
        mark = self.where(name)
        if mark is None:
            raise ValueError(f"{type(self).__name__} was not read from a file")
        return mark


def schema_fields(cls: type) -> tuple[dataclasses.Field, ...]:
    """The fields of a model that come from YAML (not the internal marks)."""
    return _schema_fields(cls)  # a plain ``type`` here: mypy takes type[Node] as unhashable


@functools.cache
def _schema_fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if not f.metadata.get("internal"))


@functools.cache
def labels(cls: type) -> dict[str, str]:
    return {f.name: f.metadata.get("label", f.name) for f in dataclasses.fields(cls)}


def label(cls: type, name: str) -> str:
    """The Chinese label declared for field ``name`` of model ``cls``."""
    return labels(cls)[name]
