"""What a build knows about each unit once its files are checked (and its pages rendered).

The site build (``publisher.build``) returns a :class:`SiteIndex`: per unit, the years that
loaded and were checked, the broken ones with their problems, and everything reported. The
content tree it was built from is left as loaded; index pages, the data package and the
MkDocs plugin read the build's outcome from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks.report import Reported
from .compute import Headline
from .errors import Problem
from .models import Region, Site, Unit

# A unit's folder of pages (under the cache's ``pages/``, named by the unit's key) is flat:
# ``<year>.<page file>`` for each file of a year's page (``2020.index.html``,
# ``2020.data.gongkai-01.csv``), ``<year>.search.html`` for its copy for the search index and
# ``package.json`` for the unit's rows of the site's data package.
SEARCH_COPY = "{year}.search.html"
PACKAGE_ROWS = "package.json"


def stored_name(year: int, relative: str) -> str:
    """The name in its unit's folder of a file of a year's page: ``data/x.csv`` of 2020 is
    ``2020.data.x.csv``."""
    return f"{year}.{relative.replace('/', '.')}"


@dataclass
class YearEntry:
    """One checked unit-year: what index pages and the data package need, and its files."""

    year: int
    title: str
    headlines: list[Headline]
    draft: bool = False  # status: draft: previewed, never published
    # The files of its page, relative to its URL (``index.html``, ``data/gongkai-01.csv``…),
    # as written to the unit's folder (see stored_name).
    files: tuple[str, ...] = ()


@dataclass
class UnitEntry:
    """The outcome of one unit's files: loaded, checked, and with a theme, rendered."""

    key: str = ""  # its cache key, which names the folder of its pages
    years: dict[int, YearEntry] = field(default_factory=dict)  # checked (and rendered)
    broken: dict[int, list[Problem]] = field(default_factory=dict)  # year → problems
    problems: list[Problem] = field(default_factory=list)  # files unread, layouts unknown
    lapsed: list[tuple[Problem, bool]] = field(default_factory=list)  # (problem, in a draft)
    findings: list[Reported] = field(default_factory=list)
    loaded: tuple[int, ...] = ()  # the years whose files loaded
    # publisher check --coverage: (year file, numbers tied, numbers in all, lines to print)
    coverage: list[tuple[str, int, int, list[str]]] = field(default_factory=list)

    @property
    def failing_problems(self) -> list[Problem]:
        """What stops a build: the problems, and acknowledgements outside drafts that lapsed."""
        return self.problems + [p for p, draft in self.lapsed if not draft]

    @property
    def sound(self) -> bool:
        return (
            not self.failing_problems
            and not self.broken
            and not any(f.failing for f in self.findings)
        )

    def published(self, drafts: bool = False) -> dict[int, YearEntry]:
        """The years that get pages, by year (drafts only in the preview)."""
        return {y: e for y, e in sorted(self.years.items()) if drafts or not e.draft}

    def report(self) -> list[str]:
        """Its problems and failing findings as text, each once."""
        lines = [str(p) for p in self.failing_problems]
        lines += ["\n".join(f.lines) for f in self.findings if f.failing]
        return list(dict.fromkeys(lines))


@dataclass
class SiteIndex:
    """The build's outcome for every unit of ``site``; ``drafts``: whether drafts are shown."""

    site: Site
    units: dict[Unit, UnitEntry]
    drafts: bool = False

    def entry(self, unit: Unit) -> UnitEntry:
        return self.units.get(unit) or UnitEntry()

    def published(self, unit: Unit) -> dict[int, YearEntry]:
        """The unit's years that get pages, by year (drafts only in the preview)."""
        return self.entry(unit).published(self.drafts)

    def broken(self, unit: Unit) -> dict[int, list[Problem]]:
        return self.entry(unit).broken

    def years_of(self, region: Region | None = None) -> list[int]:
        """Every published year of the site (or of ``region`` and the regions below it),
        newest first."""
        units = region.all_units() if region is not None else self.site.all_units()
        return sorted({y for u in units for y in self.published(u)}, reverse=True)
