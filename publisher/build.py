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
import re
import shutil
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from . import compute, downloads
from .checks import Located, acknowledge, check_disclosure
from .checks.report import text_lines
from .errors import Problem, PublisherError
from .layout import Library, load_library
from .load import load_years, scan_content
from .models import Site, SiteConfig, Unit
from .render import PageSpec, Renderer, Theme, disclosure_spec, site_pages
from .search import index_copy
from .source import SourceError, read_source
from .terms import DEFAULT_TOLERANCE

log = logging.getLogger("mkdocs.plugins.publisher")
PACKAGE = Path(__file__).parent
# Shown at the top of a draft's page, which only the editors' preview (mkdocs serve) has.
DRAFT_MARK = (
    '<p class="draft-mark" role="note"><strong>草稿</strong> 本页是草稿（status: draft），'
    "只在本地预览中显示，mkdocs build 不会发布它。</p>\n"
)


@dataclass
class YearSummary:
    """What index pages and the search need about one unit-year, and its rendered page."""

    year: int
    title: str
    headlines: list[compute.Headline]
    html: str | None  # the page content, when not written to ``page_file``
    page_file: Path | None = None  # the whole page, written by the worker (see Renderer.wrap)
    index_file: Path | None = None  # its copy for the search index (publisher.search.index_copy)
    draft: bool = False  # status: draft: previewed, never published
    downloads: dict[str, Path] = field(
        default_factory=dict
    )  # page-relative URL → file (publisher.downloads)
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
    kept: list[str] = field(default_factory=list)  # broken units published as last built (warnings)
    files: dict[str, Path] = field(default_factory=dict)  # site-wide downloads: site URL → file

    @property
    def failing(self) -> list[FindingLine]:
        return [f for f in self.findings if f.failing]


def build_site(
    content: Path,
    settings: SiteConfig,
    *,
    theme=None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    drafts: bool = False,
    keep_last_good: bool = False,
    layouts: Library | None = None,
) -> Build:
    """Everything the site needs, gathered before MkDocs writes a byte.

    With ``theme`` (the MkDocs theme's Jinja environment and page chrome), disclosure pages
    are written whole to files under ``cache_dir`` and MkDocs only copies them. Layouts
    come from the package and ``layouts/`` beside ``content/``. Drafts
    (``status: draft``) get pages only with ``drafts`` (the preview); their findings never
    fail the build. With ``keep_last_good``, a unit whose files have problems keeps the
    pages of its last sound build (``Build.kept`` says which) instead of stopping the build.
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
        if cached is None or any(
            f and not f.exists()
            for y in cached.years.values()
            for f in (y.page_file, y.index_file, y.records_file, *y.downloads.values())
        ):
            todo.append(i)
        else:
            results[i] = cached
    jobs = [(i, pages_dir / keys[i] if pages_dir else None) for i in todo]
    for i, result in run_units(renderer, units, jobs, workers):
        results[i] = result
        write_cache(cache_dir, keys[i], result)
    lost = [units[i].url for i in todo if i not in results]
    if lost:  # a worker died without a Python exception (killed, out of memory)
        raise PublisherError(
            f"a worker process ended before building {len(lost)} unit(s), "
            f"first {lost[0]}; the previous site is untouched"
        )
    problems = list(site.problems)
    findings: list[FindingLine] = []
    kept: list[str] = []
    for i, unit in enumerate(units):
        result = results[i]
        if sound(result):
            remember_good(cache_dir, unit, keys[i])
        elif keep_last_good:
            result, note = last_good(cache_dir, unit, result)
            kept.append(note)
        unit.summaries = {y: s for y, s in result.years.items() if drafts or not s.draft}
        unit.broken = result.broken
        problems += result.problems
        findings += result.findings
    prune_cache(cache_dir, set(keys) | good_keys(cache_dir, units))
    files = (
        downloads.write_package(site, settings.title, cache_dir / "package") if pages_dir else {}
    )
    return Build(
        site, site_pages(site), problems, findings, rendered=len(todo), kept=kept, files=files
    )


def run_units(
    renderer: Renderer, units: list[Unit], jobs: list[tuple[int, Path | None]], workers: int | None
):
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
        process = context.Process(
            target=worker, args=(renderer, units, jobs[w::workers], send), daemon=True
        )
        process.start()
        send.close()
        pending[receive] = process
    while pending:  # read whichever worker has a result, so none blocks on a full pipe
        for receive in wait(list(pending)):
            try:
                i, result = pickle.loads(receive.recv_bytes())
            except EOFError:
                pending.pop(receive).join()
                continue
            if isinstance(result, (str, OSError)):
                for process in pending.values():
                    process.kill()
                if isinstance(result, OSError):  # the file system refused (disk full, permissions)
                    raise result
                raise RuntimeError(f"internal error while building {units[i].url}:\n{result}")
            yield i, result


def worker(
    renderer: Renderer, units: list[Unit], share: list[tuple[int, Path | None]], send
) -> None:
    for i, pages in share:
        try:
            message = (i, process_unit(renderer, units[i], pages))
        except OSError as error:
            message = (i, OSError(error.errno, error.strerror, error.filename))
        except Exception:  # sent back, so the build fails with its cause (not a KeyError later)
            message = (i, traceback.format_exc())
        send.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))
        if not isinstance(message[1], UnitResult):
            break
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
        draft = d.status == "draft"
        layout = renderer.layouts.choose(d, unit, config)
        findings = check_disclosure(d, layout, tolerance, unit.years.get(year - 1))
        lapsed = acknowledge(d, findings)
        result.problems += [] if draft else lapsed
        located = [Located(unit, year, f, draft) for f in findings]
        result.findings += [
            FindingLine(
                f.finding.rule.id, f.failing, f.finding.acknowledgement is not None, text_lines(f)
            )
            for f in located
        ]
        spec = disclosure_spec(unit, year, d)
        html = renderer.render_disclosure(
            spec, d, layout, findings, unit.years.get(year - 1), unit.years
        )
        if draft:
            spec.title = f"【草稿】{spec.title}"
            html = DRAFT_MARK + html
        summary = YearSummary(year, spec.title, compute.headlines(d), html, draft=draft)
        if pages is not None:
            pages.mkdir(parents=True, exist_ok=True)
            summary.page_file = pages / f"{year}.html"
            whole = renderer.wrap(spec, html)
            summary.page_file.write_text(whole, encoding="utf-8")
            summary.index_file = pages / f"{year}.index.html"
            summary.index_file.write_text(index_copy(whole), encoding="utf-8")
            summary.downloads = downloads.write_unit_year(
                d, unit, layout, pages / f"{year}.data", renderer.grids
            )
            summary.records_file = pages / f"{year}.data" / "records.json"
            summary.html = None
        result.years[year] = summary
    unit.years = {}  # the models are not needed past this point; keep memory flat
    return result


# ------------------------------------------------------------------ cache


def sound(result: UnitResult) -> bool:
    return not result.problems and not result.broken and not any(f.failing for f in result.findings)


def good_pointer(cache_dir: Path, unit: Unit) -> Path:
    return cache_dir / "good" / hashlib.sha256(unit.url.encode()).hexdigest()[:32]


def remember_good(cache_dir: Path | None, unit: Unit, key: str) -> None:
    """Record ``key`` as the unit's last sound result (site_config: on_broken_unit)."""
    if cache_dir is None:
        return
    pointer = good_pointer(cache_dir, unit)
    if not pointer.exists() or pointer.read_text(encoding="utf-8") != key:
        pointer.parent.mkdir(parents=True, exist_ok=True)
        pointer.write_text(key, encoding="utf-8")


def last_good(cache_dir: Path | None, unit: Unit, broken: UnitResult) -> tuple[UnitResult, str]:
    """The unit's last sound result (or nothing to publish), and the warning that says so."""
    cached = None
    if cache_dir is not None and good_pointer(cache_dir, unit).exists():
        cached = read_cache(cache_dir, good_pointer(cache_dir, unit).read_text(encoding="utf-8"))
    if cached is not None and any(
        f and not f.exists() for y in cached.years.values() for f in (y.page_file, y.index_file)
    ):
        cached = None
    report = [str(p) for p in broken.problems] + [
        "\n".join(f.lines) for f in broken.findings if f.failing
    ]
    kept = "保留上次构建成功的页面" if cached is not None else "从未成功构建过，暂不发布"
    note = f"{unit.name}（{unit.url}）有错误，{kept}：\n" + "\n".join(dict.fromkeys(report))
    return cached or UnitResult(), note


def good_keys(cache_dir: Path | None, units: list[Unit]) -> set[str]:
    """The keys the units' last-good pointers name; pointers of units no longer in content/ go."""
    folder = cache_dir / "good" if cache_dir else None
    if folder is None or not folder.is_dir():
        return set()
    current = {good_pointer(cache_dir, unit).name for unit in units}
    keys = set()
    for pointer in folder.iterdir():
        if pointer.name in current:
            keys.add(pointer.read_text(encoding="utf-8"))
        else:
            pointer.unlink(missing_ok=True)
    return keys


def code_version(
    settings: SiteConfig, theme: Theme | None = None, layouts: Library | None = None
) -> str:
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
        try:
            digest.update(read_source(path))
        except SourceError as error:  # loading the unit reports it
            digest.update(str(error).encode())
    return digest.hexdigest()


def read_cache(cache_dir: Path | None, key: str) -> UnitResult | None:
    """The cached result for ``key``; a corrupt or unreadable entry is removed, with a warning,
    and the unit is built again."""
    if cache_dir is None:
        return None
    path = cache_dir / key[:2] / f"{key}.pickle"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning(
            f"publisher: cache entry {path} cannot be read ({error.strerror}); building the unit again"
        )
        return None
    try:
        digest, data = data[:32], data[32:]
        if hashlib.sha256(data).digest() != digest:  # a changed byte could still unpickle
            raise ValueError("checksum mismatch")
        result = pickle.loads(data)
        if not isinstance(result, UnitResult):
            raise TypeError(f"found {type(result).__name__}")
        return result
    except Exception as error:  # any damage to the bytes: unpickling can raise almost anything
        log.warning(
            f"publisher: cache entry {path} is corrupt ({type(error).__name__}); "
            f"removed, building the unit again"
        )
        path.unlink(missing_ok=True)
        return None


def write_cache(cache_dir: Path | None, key: str, result: UnitResult) -> None:
    if cache_dir is None:
        return
    path = cache_dir / key[:2] / f"{key}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")  # never the name of a complete entry
    data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
    temporary.write_bytes(hashlib.sha256(data).digest() + data)
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
    for partial in cache_dir.glob("??/*.tmp"):  # left by a killed build
        if left_by_ended_process(partial):
            partial.unlink(missing_ok=True)
    for staging in cache_dir.glob("publisher-search-*"):
        if left_by_ended_process(staging):
            shutil.rmtree(staging, ignore_errors=True)


def left_by_ended_process(path: Path) -> bool:
    """Whether a temporary named with its process id (``<key>.<pid>.tmp``,
    ``publisher-search-<pid>-…``) was left by a process that has ended: a ``mkdocs serve``
    may share the cache with a build and be writing its own."""
    match = re.search(r"[-.]([0-9]+)[-.]", path.name)
    if match is None:
        return True
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's live process
        return False
    return False
