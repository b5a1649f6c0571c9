"""Search index: Pagefind over the built site, with every Chinese character indexed as a word.

Pagefind segments Chinese with a dictionary when it indexes, but the browser segments the
query with ``Intl.Segmenter``, and the two disagree on compounds (Pagefind issue #1237):
the index holds 君山/区 and 公务/用车 where the query asks for 君/山区 and 公务/用/车, so
“君山区” found nothing and “公务用车” missed pages. Domain terms are endless (units,
regions, 科目 names), so no dictionary can cover them.

Instead Pagefind is given a copy of each indexed page with a space on each side of every
Han character of its text: each character is a word, ``theme/js/search.js`` splits the
query the same way and searches it as a phrase, and a phrase of single characters is an
exact substring match, whatever the words. The copy declares no language, so Pagefind
indexes those words as they are and does not run its dictionary segmenter over text that
is split already (a third of its time); the search page uses the one index there is. The
pages in the site are not changed, and the search page shows excerpts without the spaces.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import PublisherError
from .publish import link
from .reproducible import stabilise

log = logging.getLogger("mkdocs.plugins.publisher")

# Han ideographs: CJK Unified Ideographs, Extension A, Compatibility, Extensions B–F.
# theme/js/search.js splits queries with the same class (tests/test_search.py checks it).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"

# A word break wherever a Han character meets anything but a space: another Han character,
# a digit, letter or punctuation mark (“2020年度” is 2020 年 度, as the search page splits a
# query), or the edge of its text node (Pagefind joins the text of adjacent cells).
_AT_HAN = re.compile(f"(?<=[{HAN}])(?!\\s)|(?<!\\s)(?=[{HAN}])")
# Our pages come from Jinja2 with autoescape and from nh3, so a text node is exactly a run
# between ">" and "<"; attribute values (filters and metadata) are never touched. Only text
# nodes with a Han character need a change.
_TEXT_NODE = re.compile(f">([^<]*[{HAN}][^<]*)<")
_LANGUAGE = re.compile(r'(<html[^>]*?) lang="[^"]*"')
_INDEXED = "data-pagefind-body"


# Amount cells and the 栏次/行次 numbers (classes "n" and "i", see render.CELL_CLASSES) hold
# numbers nobody searches for: left out of the index copy, they cut Pagefind's time and
# memory by about a third, and excerpts no longer read "公务用车运行费 123456789101112".
_NUMBER_CELL = re.compile(r'(<t[dh][^>]* class="[ni]">)[^<]*(</t[dh]>)')


def index_copy(html: str) -> str:
    """The page as Pagefind indexes it: amounts and line numbers left out, Han characters
    split into words, no language declared (see the module's docstring)."""
    return split_han(_LANGUAGE.sub(r"\1", _NUMBER_CELL.sub(r"\1\2", html), count=1))


def split_han(html: str) -> str:
    """``html`` with a space on each side of every Han character of its text (none doubled)."""
    return _TEXT_NODE.sub(lambda m: ">" + _AT_HAN.sub(" ", m.group(1)) + "<", html)


# Pagefind holds about half a megabyte per page while it indexes: a province of 10,000
# pages would need over 5 GB at once. Larger sites are indexed in shards of this many
# pages, one Pagefind run at a time; the search page merges them (Pagefind's mergeIndex).
# An edit re-indexes the shard that holds it; each shard adds about 6 KB to a first query
# (at 10,000 pages: 260 KB with shards of 2,500, 360 KB with 500).
SHARD_PAGES = 1000


class Indexer:
    """The search index of a site, in shards of ``shard_pages`` pages, each indexed by
    Pagefind as soon as its pages are known (one run at a time, in a thread, while the
    build goes on), then put into the site by :meth:`publish`.

    Pages are added in site order as (URL path, file made by :func:`index_copy`). With
    ``cache_dir``, each shard's bundle is kept there under a key of its pages' URLs and
    files; the build names those files by the hash of their unit's sources, so after an edit
    only the shard holding the edited unit is indexed again. Fresh bundles are made in
    ``staging_root`` (beside the pages, so that they can be hard-linked).
    """

    def __init__(
        self,
        shard_pages: int = SHARD_PAGES,
        *,
        cache_dir: Path | None = None,
        staging_root: Path | None = None,
        split: bool = True,
    ):
        self.shard_pages = shard_pages
        self.cache_dir = cache_dir
        self.staging_root = staging_root
        self.split = split  # the pages are index copies already (else: built pages)
        self.pending: list[tuple[str, Path]] = []
        self.bundles: list[concurrent.futures.Future] = []
        self.indexed = 0
        self.seconds = 0.0  # spent indexing
        self.scratch: Path | None = None  # made with the first shard
        self.runner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pagefind")

    def add(self, url: str, source: Path) -> None:
        self.pending.append((url, source))
        if len(self.pending) == self.shard_pages:
            self._shard()

    def _shard(self) -> None:
        number, pages = len(self.bundles) + 1, self.pending
        self.pending = []
        self.bundles.append(self.runner.submit(self._bundle, number, pages))

    def _bundle(self, number: int, pages: list[tuple[str, Path]]) -> Path:
        """The bundle of one shard: from the cache, or indexed now."""
        key = shard_key(number, pages)
        cached = self.cache_dir / key if self.cache_dir else None
        if cached is not None and cached.is_dir() and _intact(cached):
            return cached
        if self.scratch is None:
            if self.staging_root is not None:
                self.staging_root.mkdir(parents=True, exist_ok=True)
            prefix = f"publisher-search-{os.getpid()}-"
            self.scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=self.staging_root))
        staging = self.scratch / f"site-{number}"
        bundle = self.scratch / f"bundle-{number}"
        started = time.monotonic()
        _stage(pages, staging, self.split)
        _run_pagefind(staging, bundle)
        self.seconds += time.monotonic() - started
        shutil.rmtree(staging, ignore_errors=True)
        stabilise(bundle)  # Pagefind's filter files come out in random order
        _patch_scripts(bundle)
        self.indexed += 1
        if cached is None:
            return bundle
        _keep(bundle, cached)
        return cached

    def finish(self) -> list[Path]:
        """Wait for every shard's bundle (the last shard is the pages added since the last
        full one); the cache keeps only these."""
        if self.pending:
            self._shard()
        bundles = [future.result() for future in self.bundles]
        if self.cache_dir is not None and self.cache_dir.is_dir():
            keep = {b.name for b in bundles}
            for old in self.cache_dir.iterdir():  # bundles no longer part of the site
                if old.name not in keep:
                    shutil.rmtree(old, ignore_errors=True)
        return bundles

    def publish(self, site_dir: Path) -> tuple[int, int]:
        """Put the bundles into ``site_dir/pagefind`` (and ``pagefind-2/`` … for more shards);
        returns (shards indexed, shards reused from the cache). ``pagefind/shards.json``
        lists the extra shards for theme/js/search.js. A site without disclosures gets no
        index (Pagefind refuses an empty one); its search page then says that search is
        unavailable."""
        bundles = self.finish()
        extra = []
        for number, source in enumerate(bundles, start=1):
            bundle = site_dir / ("pagefind" if number == 1 else f"pagefind-{number}")
            shutil.rmtree(bundle, ignore_errors=True)  # a `mkdocs build --dirty` keeps the old one
            shutil.copytree(
                source, bundle, ignore=shutil.ignore_patterns(MANIFEST), copy_function=_link
            )
            if number > 1:
                extra.append(f"{bundle.name}/")
        if bundles:
            (site_dir / "pagefind" / "shards.json").write_text(json.dumps(extra), encoding="utf-8")
        return self.indexed, len(bundles) - self.indexed

    def close(self) -> None:
        """Stop indexing (shards not begun are dropped) and remove the scratch folder."""
        for future in self.bundles:
            future.cancel()
        self.runner.shutdown(wait=True)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def build_index(
    site_dir: Path,
    shard_pages: int = SHARD_PAGES,
    sources: list[tuple[str, Path]] | None = None,
    staging_root: Path | None = None,
    cache_dir: Path | None = None,
) -> tuple[int, int]:
    """Index ``site_dir`` into ``site_dir/pagefind`` … at once; returns (shards indexed,
    shards reused). ``sources`` as for :class:`Indexer`; without them, the built site is
    scanned for indexed pages (and nothing is cached: scanned pages have no
    content-addressed names)."""
    split = sources is not None
    if sources is None:
        sources = [
            (str(p.relative_to(site_dir)), p)
            for p in sorted(site_dir.rglob("*.html"))
            if _INDEXED in p.read_text(encoding="utf-8")
        ]
        cache_dir = None
    indexer = Indexer(shard_pages, cache_dir=cache_dir, staging_root=staging_root, split=split)
    try:
        for url, source in sources:
            indexer.add(url, source)
        return indexer.publish(site_dir)
    finally:
        indexer.close()


def _link(source: str, target: str) -> None:
    link(Path(source), Path(target))


# Pagefind 1.5 fetches every index chunk for a search without a term (a filter-only search,
# also its ``preload``): 1.8 MB at 10,000 pages. Upstream stopped that after 1.5.2 (Pagefind
# pull request #1317); until then the bundle's scripts get the same change.
_EMPTY_TERM_LOAD = "let index_resp=this.backend.request_indexes(ptr,term);"
_EMPTY_TERM_FIX = 'let index_resp=term?this.backend.request_indexes(ptr,term):"[]";'


def _patch_scripts(bundle: Path) -> None:
    for name in ("pagefind.js", "pagefind-worker.js"):
        script = bundle / name
        if script.exists():
            text = script.read_text(encoding="utf-8")
            script.write_text(text.replace(_EMPTY_TERM_LOAD, _EMPTY_TERM_FIX), encoding="utf-8")


def shard_key(number: int, pages: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256(
        f"{importlib.metadata.version('pagefind')}:{_EMPTY_TERM_FIX}:stable:{number}".encode()
    )
    for url, source in pages:
        digest.update(f"{url}\0{source}\0".encode())
    return digest.hexdigest()


MANIFEST = "publisher-manifest.json"  # in a cached bundle: its files' hashes


def _keep(bundle: Path, cached: Path) -> None:
    """Move a fresh bundle into the cache, with the hashes of its files; a half-made bundle
    never carries the key's name."""
    manifest = {name: _digest(bundle / name) for name in _files(bundle)}
    (bundle / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    shutil.rmtree(cached, ignore_errors=True)
    cached.parent.mkdir(parents=True, exist_ok=True)
    bundle.rename(cached)


def _intact(cached: Path) -> bool:
    """Whether a cached bundle still has exactly the files it was kept with; a damaged one
    is removed, with a warning, and the shard indexed again."""
    try:
        manifest = json.loads((cached / MANIFEST).read_text(encoding="utf-8"))
        intact = _files(cached) == set(manifest) and all(
            _digest(cached / n) == h for n, h in manifest.items()
        )
    except (OSError, ValueError):
        intact = False
    if not intact:
        log.warning(
            f"publisher: cached search index {cached} is damaged; removed, indexing the shard again"
        )
        shutil.rmtree(cached, ignore_errors=True)
    return intact


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stage(pages: list[tuple[str, Path]], staging: Path, split: bool) -> None:
    """Lay ``pages`` out at their URL paths in ``staging``, as :func:`index_copy` makes them."""
    for url, source in pages:
        target = staging / url if url.endswith(".html") else staging / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        if split:
            try:
                os.link(source, target)  # already split by the build's workers
                continue
            except OSError:
                shutil.copyfile(source, target)
                continue
        target.write_text(index_copy(source.read_text(encoding="utf-8")), encoding="utf-8")


def _run_pagefind(staging: Path, bundle: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(staging),
        "--output-path",
        str(bundle),
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublisherError(
            f"search index failed: {result.stderr.strip() or result.stdout.strip()}"
        )
