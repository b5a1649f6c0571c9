"""Reading the built site's HTML in tests."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup


def page(site: Path, url: str) -> BeautifulSoup:
    path = site / url.strip("/") / "index.html" if url.strip("/") else site / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def table_rows(soup: BeautifulSoup, anchor: str) -> list[list[str]]:
    """The body rows of the table in section ``#anchor`` as lists of cell texts."""
    section = soup.find(id=anchor)
    assert section is not None, f"no #{anchor}"
    return [
        [text(td) for td in tr.find_all(["td", "th"])]
        for tr in section.find("tbody").find_all("tr")
    ]


def row_starting(rows: list[list[str]], *prefix: str) -> list[str]:
    """The first row whose leading cells are ``prefix``."""
    for row in rows:
        if row[: len(prefix)] == list(prefix):
            return row
    raise AssertionError(f"no row starting {prefix} in {rows[:5]}…")


def column(soup: BeautifulSoup, anchor: str, label: str) -> int:
    """Index of the column headed ``label`` in the last header row it appears in (no spans)."""
    section = soup.find(id=anchor)
    for tr in reversed(section.find("thead").find_all("tr")):
        cells = [text(th) for th in tr.find_all("th")]
        if label in cells:
            return cells.index(label)
    raise AssertionError(f"no column {label} in #{anchor}")
