"""The content tree: regions contain regions and units, units have one disclosure a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .content import Disclosure, RegionInfo, UnitInfo


@dataclass(eq=False)
class Region:
    slugs: tuple[str, ...]  # folder names from the content root: ("yueyang", "yunxi")
    directory: Path
    info: RegionInfo
    parent: Region | None = None
    regions: list[Region] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    @property
    def url(self) -> str:
        return "/".join(self.slugs) + "/"

    @property
    def name(self) -> str:
        return self.info.name

    def ancestors(self) -> list[Region]:
        """From the top-level region down to this one."""
        chain = [self]
        while chain[0].parent is not None:
            chain.insert(0, chain[0].parent)
        return chain

    def all_units(self) -> list[Unit]:
        units = list(self.units)
        for region in self.regions:
            units.extend(region.all_units())
        return units


@dataclass(eq=False)
class Unit:
    slug: str
    directory: Path
    region: Region
    info: UnitInfo
    files: dict[int, Path] = field(default_factory=dict)  # year → its file, sorted by year
    # The year files read, sorted by year: filled by load.load_content for tools and tests.
    # The site build reads them per unit in its workers (load.read_years) and keeps its
    # outcome in its own index (publisher.index), leaving the tree as scanned.
    years: dict[int, Disclosure] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.region.url + self.slug + "/"

    @property
    def name(self) -> str:
        return self.info.name

    def year_url(self, year: int) -> str:
        return f"{self.url}{year}/"


@dataclass(eq=False)
class Site:
    root: Path
    regions: list[Region] = field(default_factory=list)  # top level only
    problems: list = field(default_factory=list)  # left only by a lenient load

    def all_regions(self) -> list[Region]:
        out: list[Region] = []
        stack = list(reversed(self.regions))
        while stack:
            region = stack.pop()
            out.append(region)
            stack.extend(reversed(region.regions))
        return out

    def all_units(self) -> list[Unit]:
        return [u for r in self.regions for u in r.all_units()]

    def disclosures(self) -> list[tuple[Unit, Disclosure]]:
        return [(u, d) for u in self.all_units() for d in u.years.values()]
