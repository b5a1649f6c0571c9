"""The site build, stage by stage: scan → per unit (load → check → render) → index pages.

    site = scan_content(content)                     # regions, units, their year files
    results = process(units)                         # per unit, in parallel, cached:
        load_years → check (表间勾稽) → render each year's page and its downloads
    gather problems and findings; stop here if any   # gather, then write
    assemble the site's data package from the units' records (publisher/downloads.py)
    plan index pages (home, regions, units) from the per-unit summaries

The per-unit work is independent, so it runs in worker processes (one per core) and
its result is cached on disk by the hash of the unit's files and of the publisher's own
code: a rebuild after editing one unit re-renders that unit only.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
import shutil
from multiprocessing.connection import wait
from dataclasses import dataclass, field
from pathlib import Path

from . import compute, downloads
from .checks import Located, acknowledge, check_disclosure
from .checks.report import text_lines
from .errors import Problem
from .layout import Library, load_library
from .load import load_years, scan_content
from .models import Site, SiteConfig, Unit
from .render import PageSpec, Renderer, Theme, disclosure_spec, plan
from .terms import DEFAULT_TOLERANCE
from .search import index_copy

log = logging.getLogger("mkdocs.plugins.publisher")
PACKAGE = Path(__file__).parent


@dataclass
class YearSummary:
    """What index pages and the search need about one unit-year, and its rendered page."""

    year: int
    title: str
    headlines: list[compute.Headline]
    html: str | None  # the page content, when not written to ``page_file``
    page_file: Path | None = None  # the whole page, written by the worker (see Renderer.wrap)
    index_file: Path | None = None  # its copy for the search index (publisher.search.index_copy)
    downloads: dict[str, Path] = field(default_factory=dict)  # page-relative URL → file (publisher.downloads)
    records_file: Path | None = None  # its figures for the site's data package


@dataclass
class FindingLine:
    """A finding as reported: its text lines, and whether it fails the build."""

    rule: str
    failing: bool
    acknowledged: bool
    lines: list[str]


@dataclass
class UnitResult:
    years: dict[int, YearSummary] = field(default_factory=dict)
    broken: dict[int, list[Problem]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    findings: list[FindingLine] = field(default_factory=list)


@dataclass
class Build:
    site: Site
    pages: list[PageSpec]
    problems: list[Problem]
    findings: list[FindingLine]
    rendered: int  # units rendered in this build (the rest came from the cache)
    files: dict[str, Path] = field(default_factory=dict)  # site-wide downloads: site URL → file

    @property
    def failing(self) -> list[FindingLine]:
        return [f for f in self.findings if f.failing]


def build_site(content: Path, settings: SiteConfig, *, theme=None, cache_dir: Path | None = None,
               workers: int | None = None, layouts: Library | None = None) -> Build:
    """Everything the site needs, gathered before MkDocs writes a byte.

    With ``theme`` (the MkDocs theme's Jinja environment and page chrome), disclosure pages
    are written whole to files under ``cache_dir`` and MkDocs only copies them. Layouts
    come from the package and ``layouts/`` beside ``content/``.
    """
    site = scan_content(content)
    units = site.all_units()
    layouts = layouts or load_library(content.resolve().parent)
    renderer = Renderer(site, settings, theme, layouts)
    version = code_version(settings, theme, layouts)
    keys = [unit_key(unit, version) for unit in units]
    pages_dir = cache_dir / "pages" if cache_dir and theme else None
    results: dict[int, UnitResult] = {}
    todo = []
    for i, key in enumerate(keys):
        cached = read_cache(cache_dir, key)
        if cached is None or any(f and not f.exists() for y in cached.years.values()
                                 for f in (y.page_file, y.index_file, y.records_file, *y.downloads.values())):
            todo.append(i)
        else:
            results[i] = cached
    jobs = [(i, pages_dir / keys[i] if pages_dir else None) for i in todo]
    for i, result in run_units(renderer, units, jobs, workers):
        results[i] = result
        write_cache(cache_dir, keys[i], result)
    problems = list(site.problems)
    findings: list[FindingLine] = []
    for i, unit in enumerate(units):
        result = results[i]
        unit.summaries, unit.broken = result.years, result.broken
        problems += result.problems
        findings += result.findings
    prune_cache(cache_dir, set(keys))
    files = downloads.write_package(site, settings.title, cache_dir / "package") if pages_dir else {}
    return Build(site, plan(site), problems, findings, rendered=len(todo), files=files)


def run_units(renderer: Renderer, units: list[Unit], jobs: list[tuple[int, Path | None]],
              workers: int | None):
    """(index, result) for each job (unit index, folder for its pages): inline for a few
    units, else in worker processes."""
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers == 1 or len(jobs) < 40:
        for i, pages in jobs:
            yield i, process_unit(renderer, units[i], pages)
        return
    context = multiprocessing.get_context("fork")  # workers inherit the tree; nothing is pickled in
    pending = {}
    for w in range(workers):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=worker, args=(renderer, units, jobs[w::workers], send), daemon=True)
        process.start()
        send.close()
        pending[receive] = process
    while pending:  # read whichever worker has a result, so none blocks on a full pipe
        for receive in wait(list(pending)):
            try:
                yield pickle.loads(receive.recv_bytes())
            except EOFError:
                pending.pop(receive).join()


def worker(renderer: Renderer, units: list[Unit], share: list[tuple[int, Path | None]], send) -> None:
    for i, pages in share:
        send.send_bytes(pickle.dumps((i, process_unit(renderer, units[i], pages)), pickle.HIGHEST_PROTOCOL))
    send.close()


def process_unit(renderer: Renderer, unit: Unit, pages: Path | None = None) -> UnitResult:
    """Load, check and render one unit's years; with ``pages``, write whole pages there."""
    result = UnitResult(problems=load_years(unit))
    result.broken = unit.broken
    config = renderer.config
    tolerance = config.tolerance if config.tolerance is not None else DEFAULT_TOLERANCE
    for year, d in list(unit.years.items()):
        unknown = renderer.layouts.problems(d, unit, config)
        if unknown:
            result.problems += unknown
            result.broken[year] = unknown
            continue
        layout = renderer.layouts.choose(d, unit, config)
        findings = check_disclosure(d, layout, tolerance, unit.years.get(year - 1))
        result.problems += acknowledge(d, findings)
        located = [Located(unit, year, f) for f in findings]
        result.findings += [FindingLine(f.finding.rule.id, f.failing, f.finding.acknowledgement is not None,
                                        text_lines(f)) for f in located]
        spec = disclosure_spec(unit, year, d)
        html = renderer.render_disclosure(spec, d, layout, findings, unit.years.get(year - 1), unit.years)
        summary = YearSummary(year, spec.title, compute.headlines(d), html)
        if pages is not None:
            pages.mkdir(parents=True, exist_ok=True)
            summary.page_file = pages / f"{year}.html"
            whole = renderer.wrap(spec, html)
            summary.page_file.write_text(whole, encoding="utf-8")
            summary.index_file = pages / f"{year}.index.html"
            summary.index_file.write_text(index_copy(whole), encoding="utf-8")
            summary.downloads = downloads.write_unit_year(d, unit, layout, pages / f"{year}.data", renderer.grids)
            summary.records_file = pages / f"{year}.data" / "records.json"
            summary.html = None
        result.years[year] = summary
    unit.years = {}  # the models are not needed past this point; keep memory flat
    return result


# ------------------------------------------------------------------ cache


def code_version(settings: SiteConfig, theme: Theme | None = None, layouts: Library | None = None) -> str:
    """Hash of the publisher's code and templates, the site settings, layouts and theme."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".html", ".yml"}:
            digest.update(path.read_bytes())
    digest.update(repr(settings).encode())
    digest.update(repr(layouts).encode())
    if theme is not None:
        digest.update(theme.fingerprint().encode())
    return digest.hexdigest()


def unit_key(unit: Unit, version: str) -> str:
    digest = hashlib.sha256(version.encode())
    digest.update(os.getcwd().encode())  # messages show paths relative to it
    digest.update(repr((unit.url, unit.info, [r.info for r in unit.region.ancestors()])).encode())
    for year, path in sorted(unit.files.items()):
        digest.update(f"{year}:{path}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_cache(cache_dir: Path | None, key: str) -> UnitResult | None:
    if cache_dir is None:
        return None
    path = cache_dir / key[:2] / f"{key}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def write_cache(cache_dir: Path | None, key: str, result: UnitResult) -> None:
    if cache_dir is None:
        return
    path = cache_dir / key[:2] / f"{key}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)


def prune_cache(cache_dir: Path | None, keys: set[str]) -> None:
    """Remove cached units (results and whole pages) that no longer match any unit: each
    edit, code or theme change leaves a generation behind, about 90 KB per unit-year."""
    if cache_dir is None or not cache_dir.is_dir():
        return
    for old in cache_dir.glob("??/*.pickle"):
        if old.stem not in keys:
            old.unlink(missing_ok=True)
    pages = cache_dir / "pages"
    if pages.is_dir():
        for old in pages.iterdir():
            if old.name not in keys:
                shutil.rmtree(old, ignore_errors=True)
