"""The site's files at their URLs, put together from the build's index.

Disclosure pages and their downloads were written by the units' workers into the units'
folders (publisher.build); index pages are rendered here from the index, and the data
package is assembled from the rows the workers left. :class:`SiteFiles` knows the source of
every URL: ``mkdocs build`` writes them all into the staging folder (hard links where it can,
so a page is stored once however many builds publish it), ``mkdocs serve`` only the one a
browser asks for (:meth:`SiteFiles.provide`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

from . import downloads
from .build import INDEX_COPY, PACKAGE_ROWS
from .cache import Cache
from .index import SiteIndex
from .models import Unit
from .publish import link
from .render import PageSpec, Renderer, plan


class SiteFiles:
    """Every generated file of one build, by site path (``zhuzhou/d01/x/2023/index.html``)."""

    def __init__(self, index: SiteIndex, renderer: Renderer, cache: Cache, work: Path, title: str):
        self.index = index
        self.renderer = renderer
        self.cache = cache
        self.work = work  # this build's own files (index pages, the data package)
        self.title = title
        self.pages: dict[str, PageSpec] = {spec.url: spec for spec in plan(index)}
        self.years: dict[str, tuple[Unit, int]] = {
            unit.year_url(year): (unit, year)
            for unit in index.site.all_units()
            for year in index.published(unit)
        }
        self._package: dict[str, Path] | None = None
        self._lock = threading.Lock()  # the preview serves requests in threads

    # ------------------------------------------------------------ sources

    def folder(self, unit: Unit) -> Path:
        """The folder the unit's pages were written to (its entry's key names it)."""
        folder = self.cache.pages(self.index.entry(unit).key)
        assert folder is not None, "a site build has a folder for its pages"
        return folder

    def search_sources(self) -> list[tuple[str, Path]]:
        """(URL, search copy) of every published disclosure, in site order."""
        return [
            (url, self.folder(unit) / INDEX_COPY.format(year=year))
            for url, (unit, year) in self.years.items()
        ]

    def rows(self, unit: Unit, year: int) -> Path | None:
        path = self.folder(unit) / PACKAGE_ROWS.format(year=year)
        return path if path.exists() else None

    def package(self) -> dict[str, Path]:
        """The data package's files by site path, assembled once (from the units' rows)."""
        with self._lock:
            if self._package is None:
                self._package = downloads.write_package(
                    self.index, self.title, self.work / "package", self.rows
                )
            return self._package

    def page(self, spec: PageSpec) -> Path:
        """The file of an index page, rendered on first use."""
        path = self.work / "index" / spec.url / "index.html"
        if not path.exists():
            html = self.renderer.page(spec, self.index)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_text(html, encoding="utf-8")
            temporary.replace(path)
        return path

    def owns(self, site_path: str) -> bool:
        """Whether the build makes a file at ``site_path`` (nothing is made to find out)."""
        folder, _, name = site_path.rpartition("/")
        url = folder + "/" if folder else ""
        if name == "index.html" and url in self.pages:
            return True
        if url == downloads.FOLDER:
            return name in downloads.PACKAGE_FILES
        return any(
            site_path[len(base) :] in self.index.published(unit)[year].files
            for base, (unit, year) in self._year_of(url)
        )

    def source(self, site_path: str) -> Path | None:
        """The file to publish at ``site_path``, or None when the build made none there."""
        folder, _, name = site_path.rpartition("/")
        url = folder + "/" if folder else ""
        if name == "index.html" and url in self.pages:
            return self.page(self.pages[url])
        if url == downloads.FOLDER:
            return self.package().get(site_path)
        for base, (unit, year) in self._year_of(url):
            relative = site_path[len(base) :]
            if relative in self.index.published(unit)[year].files:
                return self.folder(unit) / str(year) / relative
        return None

    def _year_of(self, url: str) -> Iterator[tuple[str, tuple[Unit, int]]]:
        """The disclosure page a URL folder belongs to: its own, or the page above ``data/``."""
        for base in (url, url.removesuffix(downloads.FOLDER)):
            if base in self.years:
                yield base, self.years[base]

    # ------------------------------------------------------------ writing

    def paths(self) -> Iterator[tuple[str, Path]]:
        """(site path, source) of every generated file."""
        for spec in self.pages.values():
            yield f"{spec.url}index.html", self.page(spec)
        for url, (unit, year) in self.years.items():
            folder = self.folder(unit) / str(year)
            for relative in self.index.published(unit)[year].files:
                yield url + relative, folder / relative
        yield from self.package().items()

    def write(self, site_dir: Path) -> int:
        """Put every generated file into ``site_dir``; returns how many."""
        made: set[str] = set()
        count = 0
        for site_path, source in self.paths():
            target = site_dir / site_path
            parent = os.path.dirname(site_path)
            if parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(parent)
            link(source, target)
            count += 1
        return count

    def provide(self, site_dir: Path, site_path: str) -> bool:
        """For the preview: put the file at ``site_path`` into ``site_dir`` if the build made
        one there (and it is not there yet); whether it did."""
        target = site_dir / site_path
        if target.exists():
            return True
        source = self.source(site_path)
        if source is None:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        link(source, target)
        return True
