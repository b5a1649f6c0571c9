"""From a file a web team receives (text PDF, Excel workbook) to a checked YAML draft.

Every reader produces a :class:`Draft`: the disclosure as plain data in the content format
(the same keys a hand-written ``<year>.yml`` has), and the places it was unsure of. One writer
turns a draft into YAML with a comment at each doubt; the normal checks then run on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Doubt:
    """A value the reader was unsure of: its path in the draft and why (in Chinese, for editors)."""

    path: str  # a figure path, e.g. final_accounts.tables.t02.rows[3].name
    why: str  # e.g. 科目名称跨两行印制，已合并
    page: int | None = None  # 1-based page of the source, when the source has pages


@dataclass
class Draft:
    """A disclosure read from a source file, in the content format, not yet checked."""

    source: Path
    data: dict[str, Any]  # year, title, layout, overview, final_accounts, glossary …
    doubts: list[Doubt] = field(default_factory=list)
    unit: str | None = None  # the unit's full name, when the source prints it (a PDF's title)
