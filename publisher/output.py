"""The site's files at their URLs, put together from the build's index.

Disclosure pages and their downloads were written by the units' workers into the units'
folders (publisher.build, publisher.index); index pages are rendered here from the index,
and the data package is assembled from the rows the workers left. ``mkdocs build`` puts
every file into the staging folder, hard-linked where it can (a page is stored once however
many builds publish it): each unit's pages as soon as the unit is done (:func:`write_unit`),
then the rest (:meth:`SiteFiles.write`); ``mkdocs serve`` puts there only what a browser
asks for (:meth:`SiteFiles.provide`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

from . import downloads
from .cache import Cache
from .files import write_whole
from .index import PACKAGE_ROWS, SEARCH_COPY, SiteIndex, UnitEntry, YearEntry, stored_name
from .models import Region, Unit
from .publish import SiteTree, link
from .render import PageSpec, Renderer, site_pages


def write_unit(tree: SiteTree, unit: Unit, entry: UnitEntry, folder: Path) -> int:
    """Put the published pages of one unit into the site; returns how many files were
    linked (none when the site already has them from the same folder)."""
    files = [
        (f"{unit.year_url(year.year)}{relative}", stored_name(year.year, relative))
        for year in entry.published().values()
        for relative in year.files
    ]
    return tree.put(unit.url, folder, files)


class SiteFiles:
    """Every generated file of one build, by site path (``zhuzhou/d01/x/2023/index.html``)."""

    def __init__(
        self,
        index: SiteIndex,
        renderer: Renderer,
        cache: Cache,
        work: Path,
        title: str,
        version: str = "",
    ):
        self.index = index
        self.renderer = renderer
        self.cache = cache
        self.work = work  # this build's own files (the data package)
        self.title = title
        self.version = version  # the build's code, settings, layouts and theme (build.Job)
        # Index pages are kept by the hash of what they show (:meth:`page_key`), so that a
        # rebuild renders only those above an edited unit. The preview keeps its own (it
        # shows drafts), so that a build pruning its pages never takes one it serves.
        self.kept = (cache.folder or work) / ("preview" if index.drafts else "site") / "index-pages"
        self.pages: dict[str, PageSpec] = {spec.url: spec for spec in site_pages(index)}
        self.years: dict[str, tuple[Unit, YearEntry]] = {
            unit.year_url(year): (unit, entry)
            for unit in index.site.all_units()
            for year, entry in index.published(unit).items()
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
            (url, self.folder(unit) / SEARCH_COPY.format(year=year.year))
            for url, (unit, year) in self.years.items()
        ]

    def rows(self, unit: Unit) -> dict[str, dict]:
        path = self.folder(unit) / PACKAGE_ROWS
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def package(self) -> dict[str, Path]:
        """The data package's files by site path, assembled once (from the units' rows)."""
        with self._lock:
            if self._package is None:
                key = self.package_key()
                folder = self.kept.with_name("package") / key
                if not (folder / "complete").exists():
                    shutil.rmtree(folder.parent, ignore_errors=True)  # one package is kept
                    downloads.write_package(self.index, self.title, folder, self.rows)
                    (folder / "complete").touch()
                self._package = {
                    downloads.FOLDER + name: folder / name
                    for name in sorted(downloads.PACKAGE_FILES)
                }
            return self._package

    def package_key(self) -> str:
        """The hash of what the data package holds: every published unit-year's rows (named
        by its entry's key), titles and headlines, and the names of units and regions."""
        digest = hashlib.sha256(repr((self.version, self.index.drafts, self.title)).encode())
        for unit in self.index.site.all_units():
            digest.update(
                repr((unit.url, unit.info, unit.region.info, self.index.entry(unit).key)).encode()
            )
            # The years; the entry's key names their titles, headlines and rows.
            digest.update(repr(tuple(self.index.published(unit))).encode())
        return digest.hexdigest()

    def page(self, spec: PageSpec) -> Path:
        """The file of an index page, rendered on first use."""
        path = self.kept / f"{self.page_key(spec)}.html"
        if not path.exists():
            html = self.renderer.page(spec, self.index)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_whole(path, html)
        return path

    def page_key(self, spec: PageSpec) -> str:
        """The hash of everything an index page shows: the build's version, the page, and
        the regions and units below it (the home and search pages: the whole site) with the
        keys of their entries, which name their outcome."""
        digest = hashlib.sha256(
            repr((self.version, self.index.drafts, spec.kind, spec.url, spec.title)).encode()
        )
        digest.update(repr((spec.year, spec.crumbs, spec.search)).encode())
        if spec.unit is not None:
            regions, units = [], [spec.unit]
        elif spec.region is not None:
            regions, units = _regions_below(spec.region), spec.region.all_units()
        else:
            regions, units = self.index.site.all_regions(), self.index.site.all_units()
        for region in regions:
            digest.update(repr((region.url, region.info)).encode())
        for unit in units:
            entry = self.index.entry(unit)
            published = tuple(self.index.published(unit))
            broken = tuple(self.index.broken(unit))
            digest.update(repr((unit.url, unit.info, entry.key, published, broken)).encode())
        return digest.hexdigest()

    def _year_of(self, site_path: str) -> tuple[Unit, YearEntry, str] | None:
        """The disclosure page a file belongs to, and its path relative to the page."""
        folder = site_path.rpartition("/")[0] + "/"
        for base in (folder, folder.removesuffix(downloads.FOLDER)):
            if base in self.years:
                unit, year = self.years[base]
                relative = site_path[len(base) :]
                if relative in year.files:
                    return unit, year, relative
        return None

    def owns(self, site_path: str) -> bool:
        """Whether the build makes a file at ``site_path`` (nothing is made to find out)."""
        folder, _, name = site_path.rpartition("/")
        url = folder + "/" if folder else ""
        if name == "index.html" and url in self.pages:
            return True
        if url == downloads.FOLDER and name in downloads.PACKAGE_FILES:
            return True
        return self._year_of(site_path) is not None

    def source(self, site_path: str) -> Path | None:
        """The file to publish at ``site_path``, or None when the build made none there."""
        folder, _, name = site_path.rpartition("/")
        url = folder + "/" if folder else ""
        if name == "index.html" and url in self.pages:
            return self.page(self.pages[url])
        if url == downloads.FOLDER and name in downloads.PACKAGE_FILES:
            return self.package().get(site_path)
        found = self._year_of(site_path)
        if found is None:
            return None
        unit, year, relative = found
        return self.folder(unit) / stored_name(year.year, relative)

    # ------------------------------------------------------------ writing

    def write(self, tree: SiteTree) -> int:
        """Put the index pages and the data package into the site (the units' pages are
        there already: :func:`write_unit`); returns how many files."""
        pages = [(f"{spec.url}index.html", self.page(spec)) for spec in self.pages.values()]
        used = {path.name for _, path in pages}
        for kept in self.kept.iterdir() if self.kept.is_dir() else ():  # no longer in the site
            if kept.name not in used:
                kept.unlink(missing_ok=True)
        package = list(self.package().items())
        for group, files in (("(index pages)", pages), ("(data package)", package)):
            tree.put(group, "", [(site, str(source)) for site, source in files])
        return len(pages) + len(package)

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


def _regions_below(region: Region) -> list[Region]:
    regions = [region]
    for child in region.regions:
        regions += _regions_below(child)
    return regions
