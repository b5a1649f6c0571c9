"""The pipeline, stage by stage: scan → per unit (load → check → render) → the build's index.

    site = scan_content(content)          # regions, units, their year files (not read)
    for unit, entry in run(units, job):   # per unit, in worker processes, cached by key:
        read_years → check (表间勾稽) → with a theme, each year's page and downloads
    index = SiteIndex(site, entries)      # what index pages, the data package and the
                                          # search index are made from (publisher.output)

``publisher check`` runs it without a theme (:func:`check_part`); the MkDocs plugin with
one (:func:`build_site`). The per-unit work is independent, so it runs in a pool of worker
processes (one per core); each unit's entry is cached on disk by the hash of its files and
of the publisher's own code (publisher.cache), so a rebuild re-renders the edited unit only.
The content tree is left as scanned: the workers read each unit's years for themselves.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import json
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import compute, downloads
from .cache import Cache, code_version
from .checks import Located, acknowledge, check_disclosure
from .checks.kinds import Context
from .checks.prose import context_of, coverage
from .checks.report import Summary, reported
from .errors import Problem, PublisherError
from .index import PACKAGE_ROWS, SEARCH_COPY, SiteIndex, UnitEntry, YearEntry, stored_name
from .layout import Library, load_library
from .load import Memo, Part, read_years, scan_content, scan_part
from .models import Disclosure, SiteConfig, Unit
from .models.layout import Layout
from .render import Renderer, Theme, disclosure_spec
from .search import index_copy
from .source import display_path
from .terms import DEFAULT_TOLERANCE

# Shown at the top of a draft's page, which only the editors' preview (mkdocs serve) has.
DRAFT_MARK = (
    '<p class="draft-mark" role="note"><strong>草稿</strong> 本页是草稿（status: draft），'
    "只在本地预览中显示，mkdocs build 不会发布它。</p>\n"
)


@dataclass(frozen=True)
class Job:
    """What the per-unit stage needs, the same for every unit of one run (workers inherit it)."""

    settings: SiteConfig | None
    layouts: Library
    renderer: Renderer | None = None  # None: check only (publisher check)
    cache: Cache = field(default_factory=lambda: Cache(None))
    coverage: bool = False  # publisher check --coverage
    tolerance: Decimal = DEFAULT_TOLERANCE
    as_published: bool = False  # drafts checked as if published (the review of an import)

    @property
    def version(self) -> str:
        """What every unit's key shares: code, settings, layouts, the theme, what is made."""
        theme = self.renderer.theme if self.renderer else None
        return code_version(
            repr(self.settings),
            repr(self.layouts),
            theme.fingerprint() if theme else "check",
            f"coverage={self.coverage} as_published={self.as_published}",
        )


def job_for(
    settings: SiteConfig | None,
    layouts: Library,
    renderer: Renderer | None = None,
    cache: Path | Cache | None = None,
    coverage: bool = False,
    tolerance: Decimal | None = None,
    as_published: bool = False,
) -> Job:
    """The job of one run (``cache``: a cache, or its folder); the tolerance is the
    settings' unless given."""
    if tolerance is None and settings is not None:
        tolerance = settings.tolerance
    return Job(
        settings,
        layouts,
        renderer,
        cache if isinstance(cache, Cache) else Cache(cache),
        coverage,
        DEFAULT_TOLERANCE if tolerance is None else tolerance,
        as_published,
    )


# ------------------------------------------------------------------ the runs


def run(
    units: list[Unit], job: Job, workers: int | None = None
) -> Iterator[tuple[Unit, UnitEntry, bool]]:
    """Each unit's entry, in the order of ``units``, and whether it was made now (else it
    came from the cache): as soon as a unit and those before it are done, so that later
    stages can start."""
    version = job.version
    keys = [job.cache.unit_key(unit, version) for unit in units]
    job.cache.save_digests()
    rendering = job.renderer is not None
    cached = {i: job.cache.read(key, pages=rendering) for i, key in enumerate(keys)}
    todo = [i for i, entry in cached.items() if entry is None]
    made = _process(units, keys, todo, job, workers)
    for i, unit in enumerate(units):
        entry = cached[i]
        if entry is not None:
            yield unit, entry, False
        else:
            entry = next(made)
            job.cache.write(keys[i], entry)
            yield unit, entry, True


def _process(
    units: list[Unit], keys: list[str], todo: list[int], job: Job, workers: int | None
) -> Iterator[UnitEntry]:
    """The entries of the units ``todo``, in order: inline for one, else in a process pool."""
    workers = min(workers or os.cpu_count() or 1, 8, len(todo))
    if workers <= 1:
        with settled_heap():
            for i in todo:
                yield process_unit(job, units[i], keys[i])
        return
    # Workers are forked, so they inherit the job (its Jinja environment cannot be pickled)
    # and the scanned units; only unit numbers go out and entries come back.
    chunk = max(1, min(8, len(todo) // (workers * 8)))
    batches = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
    context = multiprocessing.get_context("fork")
    try:
        with concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_begin_worker, initargs=(job, units, keys)
        ) as pool:
            futures = [pool.submit(_work, batch) for batch in batches]
            try:
                for future in futures:
                    yield from future.result()
            finally:
                for future in futures:
                    future.cancel()
    except concurrent.futures.process.BrokenProcessPool:  # killed, or out of memory
        raise PublisherError(
            "a worker process ended before building every unit; the previous site is untouched"
        ) from None


_WORKER: tuple[Job, list[Unit], list[str]] | None = None  # this worker process's run


def _begin_worker(job: Job, units: list[Unit], keys: list[str]) -> None:
    global _WORKER
    _WORKER = (job, units, keys)
    gc.freeze()  # what the worker inherited lives as long as it does (see settled_heap)


@contextlib.contextmanager
def settled_heap() -> Iterator[None]:
    """While units are processed, the objects that exist already (the job's theme, templates
    and layouts, the scanned site) are left out of garbage collection: each unit allocates
    tens of thousands of objects, and every full collection walked all of those again (about
    a seventh of the per-unit CPU). Objects made inside are collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _work(batch: list[int]) -> list[UnitEntry]:
    assert _WORKER is not None, "a pool worker begins with _begin_worker"
    job, units, keys = _WORKER
    entries = []
    for i in batch:
        try:
            entries.append(process_unit(job, units[i], keys[i]))
        except OSError:  # the file system refused (disk full, permissions): reported as such
            raise
        except Exception as error:  # with the unit it happened in (the traceback follows)
            raise RuntimeError(
                f"internal error while building {units[i].url}: {error!r}"
            ) from error
    return entries


# ------------------------------------------------------------------ one unit


def process_unit(job: Job, unit: Unit, key: str = "") -> UnitEntry:
    """Load and check one unit's years; with a renderer, write their pages under its key."""
    loaded = read_years(unit)
    entry = UnitEntry(
        key=key,
        broken=dict(loaded.broken),
        problems=loaded.problems,
        loaded=tuple(loaded.disclosures),
    )
    folder = job.cache.pages(key) if job.renderer is not None else None
    if folder is not None:  # never rewrite a file a published site may link to
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    rows: dict[int, dict[str, str]] = {}  # the unit's rows of the data package, by year
    for year, d in loaded.disclosures.items():
        unknown = job.layouts.problems(d, unit, job.settings)
        if unknown:
            entry.problems += unknown
            entry.broken[year] = unknown
            continue
        layout = job.layouts.choose(d, unit, job.settings)
        previous = loaded.disclosures.get(year - 1)
        findings = check_disclosure(d, layout, job.tolerance, previous)
        draft = d.status == "draft" and not job.as_published
        entry.lapsed += [(p, draft) for p in acknowledge(d, findings)]
        entry.findings += [reported(Located(unit, year, f, draft, d)) for f in findings]
        if job.coverage:
            entry.coverage += coverage_lines(unit, d, Context(d, job.tolerance, layout, previous))
        title = ("【草稿】" if draft else "") + compute.title_of(d, unit.name)
        files: tuple[str, ...] = ()
        if job.renderer is not None and folder is not None:
            files = write_pages(job.renderer, unit, d, layout, findings, loaded.disclosures, folder)
            rows[year] = downloads.rows(d, unit)
        entry.years[year] = YearEntry(year, title, compute.headlines(d), draft, files)
    if folder is not None:
        (folder / PACKAGE_ROWS).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return entry


def write_pages(
    renderer: Renderer,
    unit: Unit,
    d: Disclosure,
    layout: Layout,
    findings: list,
    years: dict[int, Disclosure],
    folder: Path,
) -> tuple[str, ...]:
    """Write one unit-year's whole page, its downloads and its search copy into ``folder``;
    returns the page's files, relative to its URL."""
    year = d.year
    spec = disclosure_spec(unit, year, d)
    html, grids = renderer.render_disclosure(spec, d, layout, findings, years.get(year - 1), years)
    if d.status == "draft":
        spec.title = f"【草稿】{spec.title}"
        html = DRAFT_MARK + html
    whole = renderer.wrap(spec, html)
    files: dict[str, str | bytes] = {"index.html": whole}
    files.update(
        (downloads.FOLDER + name, data)
        for name, data in downloads.unit_year_files(d, unit, layout, grids).items()
    )
    for relative, data in files.items():
        path = folder / stored_name(year, relative)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    (folder / SEARCH_COPY.format(year=year)).write_text(index_copy(whole), encoding="utf-8")
    return tuple(files)


def coverage_lines(
    unit: Unit, d: Disclosure, ctx: Context
) -> list[tuple[str, int, int, list[str]]]:
    """``publisher check --coverage`` for one disclosure: (year file, numbers tied, numbers in
    its 情况说明, lines to print)."""
    found = coverage(ctx)
    if not found.total:
        return []
    shown = display_path(unit.files[d.year])
    lines = [
        f"{shown}: 情况说明中的数字 {len(found.tied)}/{found.total} 个已核对"
        f"（{found.share}%），{len(found.untied)} 个未核对"
    ]
    lines += [
        f"{passage.at(n.start)}: 未核对 {n.text}{n.unit} —— “{context_of(passage, n)}”"
        for passage, n in found.untied
    ]
    return [(shown, len(found.tied), found.total, lines)]


# ------------------------------------------------------------------ whole runs


def check_part(
    part: Part,
    settings: SiteConfig | None,
    layouts: Library,
    *,
    cache_dir: Path | None = None,
    coverage: bool = False,
    tolerance: Decimal | None = None,
    workers: int | None = None,
    as_published: bool = False,
) -> tuple[Summary, list[str]]:
    """``publisher check``: the pipeline without rendering, over the units within ``part``;
    what lies within its target, and the --coverage lines."""
    job = job_for(
        settings,
        layouts,
        cache=cache_dir,
        coverage=coverage,
        tolerance=tolerance,
        as_published=as_published,
    )
    summary = Summary(0, list(part.site.problems))
    tied = total = 0
    lines: list[str] = []
    for unit, entry, _ in run(part.units, job, workers):
        summary.problems += [p for p in entry.problems if part.holds(p.mark.path)]
        summary.lapsed += [p for p, _ in entry.lapsed if part.holds(p.mark.path)]
        summary.findings += [f for f in entry.findings if part.holds(f.path)]
        summary.disclosures += sum(1 for y in entry.loaded if part.holds(unit.files[y]))
        for path, n_tied, n_total, more in entry.coverage:
            if part.holds(path):
                tied, total, lines = tied + n_tied, total + n_total, lines + more
    if total:
        lines.append(
            f"情况说明数字核对覆盖率：{tied}/{total}（{Decimal(tied * 100) / total:.1f}%）"
        )
    return summary, lines


def check_content(
    path: Path,
    layouts: Library,
    settings: SiteConfig | None = None,
    *,
    tolerance: Decimal | None = None,
    workers: int | None = None,
) -> Summary:
    """What ``publisher check PATH`` finds, in process and without a cache (for tools and tests)."""
    return check_part(scan_part(path), settings, layouts, tolerance=tolerance, workers=workers)[0]


@dataclass
class Build:
    """What a site build gathered before a page is written."""

    index: SiteIndex
    problems: list[Problem]
    failing: list  # the failing findings (checks.report.Reported)
    rendered: int  # units rendered in this build (the rest came from the cache)
    kept: list[str] = field(default_factory=list)  # broken units published as last built
    version: str = ""  # what every unit's key shares (Job.version): code, settings, theme

    @property
    def site(self):
        return self.index.site


def build_site(
    content: Path,
    settings: SiteConfig,
    *,
    theme: Theme | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    drafts: bool = False,
    keep_last_good: bool = False,
    layouts: Library | None = None,
    each=None,
    cache: Cache | None = None,
    memo: Memo | None = None,
    renderer: Renderer | None = None,
) -> Build:
    """Everything the site needs, gathered before MkDocs writes a byte.

    With ``theme``, each disclosure's whole page is written to its unit's folder under
    ``cache_dir`` (a scratch folder when there is no cache). Layouts come from the package
    and ``layouts/`` beside ``content/``. Drafts (``status: draft``) get pages only with
    ``drafts`` (the preview); their findings never fail the build. With ``keep_last_good``,
    a unit whose files have problems keeps the pages of its last sound build (``Build.kept``
    says which) instead of stopping the build. ``each(unit, entry)`` sees every unit's
    entry as soon as it is known, in site order (the search index starts on it). The
    preview, which builds again on every edit, passes what it keeps between builds: its
    ``cache`` (entries in memory), ``memo`` (the region and unit files read) and
    ``renderer`` (its compiled templates).
    """
    site = scan_content(content, memo)
    units = site.all_units()
    layouts = layouts or load_library(content.resolve().parent)
    if renderer is None and theme is not None:
        renderer = Renderer(settings, theme, layouts)
    job = job_for(settings, layouts, renderer, cache or cache_dir)
    entries: dict[Unit, UnitEntry] = {}
    problems = list(site.problems)
    failing: list = []
    kept: list[str] = []
    rendered = 0
    keys: set[str] = set()
    for unit, entry, fresh in run(units, job, workers):
        keys.add(entry.key)
        rendered += fresh
        if entry.sound:
            job.cache.remember_good(unit, entry.key)
        elif keep_last_good:
            good = job.cache.last_good(unit)
            state = "保留上次构建成功的页面" if good is not None else "从未成功构建过，暂不发布"
            kept.append(f"{unit.name}（{unit.url}）有错误，{state}：\n" + "\n".join(entry.report()))
            entry = good or UnitEntry()
            keys.add(entry.key)
        problems += entry.failing_problems
        failing += [f for f in entry.findings if f.failing]
        entries[unit] = entry
        if each is not None:
            each(unit, entry)
    job.cache.prune(keys | job.cache.good_keys(units))
    index = SiteIndex(site, entries, drafts=drafts)
    return Build(index, problems, failing, rendered=rendered, kept=kept, version=job.version)
