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
import functools
import gzip
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
from collections.abc import Iterator
from pathlib import Path

from .errors import PublisherError
from .files import write_whole
from .publish import SiteTree
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


# Pagefind reads only the elements marked data-pagefind-body, leaves out those marked
# data-pagefind-ignore (but still takes the filters and metadata inside them), and uses no
# attribute but ids and its own. The index copy keeps just that: a third of a page's bytes,
# which Pagefind indexes in 40% less time into the same bundle, byte for byte
# (tests/test_search.py indexes both).
_BODY = re.compile(rf"<([a-z][a-z0-9]*)\b[^>]*\s{_INDEXED}[\s>=]")
_IGNORED = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore[\s>=]")
_READ_INSIDE = re.compile(r"\sdata-pagefind-(?!ignore)")  # filters, metadata, sort keys
# Autoescaped attribute values and text hold no '"', so this matches attributes only.
_UNUSED_ATTRIBUTE = re.compile(r'\s(?!id=|alt=|data-pagefind-)[a-z][a-z-]*="[^"]*"')
_EMPTY_CELL = re.compile(r"<(t[dh])>\s*</\1>")
# Amount cells and the 栏次/行次 numbers (classes "n" and "i", see render.CELL_CLASSES) hold
# numbers nobody searches for: left out, they cut Pagefind's time and memory by about a
# third, and excerpts no longer read "公务用车运行费 123456789101112".
_NUMBER_CELL = re.compile(r'<(t[dh])[^>]* class="[ni]">[^<]*</\1>')
_COPY = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{}\n</body></html>\n'


def index_copy(html: str) -> str:
    """The page as Pagefind indexes it: only what Pagefind reads of it (see above), amounts
    and line numbers left out, Han characters split into words, no language declared (see
    the module's docstring)."""
    bodies = [html[start:end] for start, end in _elements(html, _BODY)]
    if not bodies:  # Pagefind leaves such a page out, or indexes all of it: kept whole
        return split_han(_LANGUAGE.sub(r"\1", _NUMBER_CELL.sub("", html), count=1))
    read = _without_ignored(_NUMBER_CELL.sub("", "\n".join(bodies)))
    return _COPY.format(split_han(_EMPTY_CELL.sub("", _UNUSED_ATTRIBUTE.sub("", read))))


def split_han(html: str) -> str:
    """``html`` with a space on each side of every Han character of its text (none doubled)."""
    return _TEXT_NODE.sub(lambda m: ">" + _AT_HAN.sub(" ", m.group(1)) + "<", html)


def _without_ignored(html: str) -> str:
    """``html`` without the elements marked data-pagefind-ignore that hold nothing else
    Pagefind reads."""
    kept = []
    at = 0
    for start, end in _elements(html, _IGNORED):
        if not _READ_INSIDE.search(html, start, end):
            kept.append(html[at:start])
            at = end
    kept.append(html[at:])
    return "".join(kept)


def _elements(html: str, opening: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Where each outermost element whose opening tag matches ``opening`` begins and ends
    (the same tag nested inside it is counted)."""
    at = 0
    while found := opening.search(html, at):
        depth = 0
        for tag in _tag_pattern(found.group(1)).finditer(html, found.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                at = html.index(">", tag.end()) + 1
                break
        else:
            at = len(html)
        yield found.start(), at


@functools.cache
def _tag_pattern(name: str) -> re.Pattern[str]:
    return re.compile(f"<(/?){name}(?=[\\s>])")


# Pagefind holds about half a megabyte per page while it indexes: a province of 10,000
# pages would need over 5 GB at once. Larger sites are indexed in shards of this many
# pages, one Pagefind run at a time; the search page merges them (Pagefind's mergeIndex).
# An edit re-indexes the shard that holds it; each shard adds about 6 KB to a first query
# (at 10,000 pages: 260 KB with shards of 2,500, 360 KB with 500).
SHARD_PAGES = 1000


# After a full indexing, the shards are kept as the search's base. A later build whose
# pages differ from the base in at most this many leaves the base as it is and indexes only
# those pages, into one more bundle (the overlay); the base's old versions of them are
# listed as stale in pagefind/shards.json and left out by theme/js/search.js. An edit is
# then indexed in about a second instead of re-indexing its shard. Once more pages than
# this differ, the changed shards are indexed again and become the new base.
OVERLAY_PAGES = 100
OVERLAY = 0  # the overlay's shard number in its cache key


class Indexer:
    """The search index of a site, in shards of ``shard_pages`` pages, each indexed by
    Pagefind as soon as its pages are known (one run at a time, in a thread, while the
    build goes on), then put into the site by :meth:`publish`.

    Pages are added in site order as (URL path, file made by :func:`index_copy`). With
    ``cache_dir``, each shard's bundle is kept there under a key of its pages' URLs and
    files; the build names those files by the hash of their unit's sources, so after an edit
    only the edited pages are indexed again: into an overlay on the base (see
    ``OVERLAY_PAGES``), or with their shards. Fresh bundles are made in ``staging_root``
    (beside the pages, so that they can be hard-linked).
    """

    def __init__(
        self,
        shard_pages: int = SHARD_PAGES,
        *,
        cache_dir: Path | None = None,
        staging_root: Path | None = None,
        split: bool = True,
        overlay_pages: int = OVERLAY_PAGES,
    ):
        self.shard_pages = shard_pages
        self.cache_dir = cache_dir
        self.staging_root = staging_root
        self.split = split  # the pages are index copies already (else: built pages)
        self.overlay_pages = overlay_pages
        self.pages: list[tuple[str, Path]] = []  # every page added, in site order
        self.fresh: list[tuple[str, Path]] = []  # while on the base: pages it lacks
        self.pending: list[tuple[str, Path]] = []
        self.bundles: list[concurrent.futures.Future] = []
        self.indexed = 0
        self.seconds = 0.0  # spent indexing
        self.scratch: Path | None = None  # made with the first shard
        self.runner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pagefind")
        self.base = Base.read(cache_dir, shard_pages) if cache_dir else None
        if self.base is not None:  # its files are checked while the build goes on
            self.base_intact = self.runner.submit(self.base.intact)

    def add(self, url: str, source: Path) -> None:
        self.pages.append((url, source))
        if self.base is None:
            self._feed(url, source)
        elif not self.base.holds(url, source):
            self.fresh.append((url, source))
            if len(self.fresh) > self.overlay_pages:
                self._leave_base()

    def _feed(self, url: str, source: Path) -> None:
        self.pending.append((url, source))
        if len(self.pending) == self.shard_pages:
            self._shard()

    def _leave_base(self) -> None:
        """Index in shards after all: every page so far goes to them."""
        self.base, self.fresh, self.bundles = None, [], []
        for url, source in self.pages:
            self._feed(url, source)

    def _shard(self) -> None:
        number, pages = len(self.bundles) + 1, self.pending
        self.pending = []
        self.bundles.append(self.runner.submit(self._bundle, number, pages))

    def _bundle(self, number: int, pages: list[tuple[str, Path]]) -> Path:
        """The bundle of one shard (or of the overlay): from the cache, or indexed now."""
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
        _keep(bundle, cached, pages)
        return cached

    def finish(self) -> tuple[list[Path], list[tuple[str, dict]]]:
        """Wait for every bundle (the last shard is the pages added since the last full
        one); returns them with the stale pages of the base, as (Pagefind page id, its
        filters). The cache keeps only these bundles, and a full indexing becomes the base."""
        stale: list[tuple[str, dict]] = []
        if self.base is not None and (not self.pages or not self.base_intact.result()):
            self._leave_base()
        if self.base is not None:
            stale = self.base.stale()
            if self.fresh:
                self.bundles.append(self.runner.submit(self._bundle, OVERLAY, self.fresh))
            overlay = [future.result() for future in self.bundles]
            bundles = self.base.bundles + overlay
            if not self.base.separate(stale, overlay):
                self._leave_base()  # an old page shares its id with a live one: rare
                stale = []
            elif self.cache_dir is not None and self.base.moved:
                self.base.write(self.cache_dir, self.shard_pages)  # with the pages' new names
        if self.base is None:
            if self.pending:
                self._shard()
            bundles = [future.result() for future in self.bundles]
            if self.cache_dir is not None and all(b.parent == self.cache_dir for b in bundles):
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                Base(bundles, {}).write(self.cache_dir, self.shard_pages)
            elif self.cache_dir is not None:  # a bundle is not kept: no base
                (self.cache_dir / Base.FILE).unlink(missing_ok=True)
        if self.cache_dir is not None and self.cache_dir.is_dir():
            keep = {b.name for b in bundles} | {Base.FILE}
            for old in self.cache_dir.iterdir():  # bundles no longer part of the site
                if old.name not in keep:
                    shutil.rmtree(old, ignore_errors=True)
        return bundles, stale

    def publish(self, tree: SiteTree) -> tuple[int, int]:
        """Put the bundles into the site's ``pagefind/`` (and ``pagefind-2/`` … for more
        shards); returns (bundles indexed, bundles reused from the cache).
        ``pagefind/shards.json`` lists the other bundles and the stale pages for
        theme/js/search.js. A site without disclosures gets no index (Pagefind refuses an
        empty one); its search page then says that search is unavailable."""
        bundles, stale = self.finish()
        merge = []
        for number, source in enumerate(bundles, start=1):
            name = "pagefind" if number == 1 else f"pagefind-{number}"
            files = _listed(source)
            tree.put(name + "/", source, [(f"{name}/{f}", f) for f in files])
            if number > 1:
                merge.append(f"{name}/")
        if bundles:
            shards = {"merge": merge, "stale": [[page, filters] for page, filters in stale]}
            tree.write("pagefind/shards.json", json.dumps(shards, ensure_ascii=False))
        return self.indexed, len(bundles) - self.indexed

    def close(self) -> None:
        """Stop indexing (shards not begun are dropped) and remove the scratch folder."""
        for future in self.bundles:
            future.cancel()
        self.runner.shutdown(wait=True)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


class Base:
    """The bundles of the last full indexing, and what each page of them was indexed from:
    URL → (source file, its digest, Pagefind page id, filters). ``sources``: the pages
    since found under another file of the same text (see :meth:`holds`), URL → file,
    kept in ``base.json`` with the bundles' names."""

    FILE = "base.json"

    def __init__(
        self,
        bundles: list[Path],
        pages: dict[str, tuple[str, str, str, dict]],
        sources: dict[str, str] | None = None,
    ):
        self.bundles = bundles
        self.pages = pages
        self.sources = dict(sources or {})
        for url, source in self.sources.items():
            if url in pages:
                pages[url] = (source, *pages[url][1:])
        self.held: set[str] = set()  # URLs of this build's pages that the base holds as they are
        self.moved = False  # whether holds() found a page under a new file name

    @classmethod
    def read(cls, cache_dir: Path, shard_pages: int) -> Base | None:
        """The base kept in ``cache_dir``, if it is whole and of these settings."""
        try:
            kept = json.loads((cache_dir / cls.FILE).read_text(encoding="utf-8"))
            if kept["format"] != _base_format(shard_pages):
                return None
            bundles = [cache_dir / name for name in kept["bundles"]]
            pages: dict[str, tuple[str, str, str, dict]] = {}
            for bundle in bundles:
                manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
                if manifest["pages"] is None:
                    return None
                for url, (source, digest, page, filters) in manifest["pages"].items():
                    pages[url] = (source, digest, page, filters)
            return cls(bundles, pages, kept.get("sources"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def intact(self) -> bool:
        return all(_intact(bundle) for bundle in self.bundles)

    def write(self, cache_dir: Path, shard_pages: int) -> None:
        kept = {
            "format": _base_format(shard_pages),
            "bundles": [b.name for b in self.bundles],
            "sources": {url: s for url, s in self.sources.items() if url in self.held},
        }
        write_whole(cache_dir / self.FILE, json.dumps(kept))

    def holds(self, url: str, source: Path) -> bool:
        """Whether the base has the page at ``url`` as ``source`` has it: the same file, or
        one of the same text (another year of an edited unit, or every page after a code
        update, is rendered again, the same), which :meth:`remember` notes."""
        kept = self.pages.get(url)
        if kept is None:
            return False
        if kept[0] != str(source):
            if kept[1] != _digest(source):
                return False
            self.pages[url] = (str(source), *kept[1:])
            self.sources[url] = str(source)  # kept by write(): not read again next time
            self.moved = True
        self.held.add(url)
        return True

    def stale(self) -> list[tuple[str, dict]]:
        """The base's pages that are not held (see holds): gone from the site, or changed."""
        return [(p[2], p[3]) for url, p in self.pages.items() if url not in self.held]

    def separate(self, stale: list[tuple[str, dict]], overlay: list[Path]) -> bool:
        """Whether no stale page has the id of a page that is still searched: Pagefind's
        ids are short hashes of the page, so an edit that changes nothing Pagefind indexes
        keeps the id, and ids of different bundles may coincide."""
        gone = {page for page, _ in stale}
        if not gone:
            return True
        live = {p[2] for p in self.pages.values() if p[2] not in gone}
        for bundle in overlay:
            live |= {f.name.removesuffix(".pf_fragment") for f in (bundle / "fragment").iterdir()}
        return not (gone & live) and len(gone) == len(stale)


def _base_format(shard_pages: int) -> str:
    return f"{importlib.metadata.version('pagefind')}:{_EMPTY_TERM_FIX}:{shard_pages}"


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
        for old in site_dir.glob("pagefind*"):  # a previous index of this folder
            shutil.rmtree(old, ignore_errors=True)
        return indexer.publish(SiteTree(site_dir))
    finally:
        indexer.close()


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
        f"{importlib.metadata.version('pagefind')}:{_EMPTY_TERM_FIX}:v2:{number}".encode()
    )
    for url, source in pages:
        digest.update(f"{url}\0{source}\0".encode())
    return digest.hexdigest()


MANIFEST = "publisher-manifest.json"  # in a cached bundle: its files' hashes


def _keep(bundle: Path, cached: Path, pages: list[tuple[str, Path]]) -> None:
    """Move a fresh bundle into the cache, with the hashes of its files and what each of
    its pages was indexed from (see Base); a half-made bundle never carries the key's name."""
    files = {name: _digest(bundle / name) for name in _files(bundle)}
    found = _page_ids(bundle)
    indexed = {
        url: [str(source), _digest(source), *found[f"/{url}"]]
        for url, source in pages
        if f"/{url}" in found
    }
    manifest = {"files": files, "pages": indexed if len(indexed) == len(pages) else None}
    (bundle / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    shutil.rmtree(cached, ignore_errors=True)
    cached.parent.mkdir(parents=True, exist_ok=True)
    bundle.rename(cached)


def _page_ids(bundle: Path) -> dict[str, tuple[str, dict]]:
    """Each page of a bundle as Pagefind's fragments give it: URL → (page id, filters)."""
    pages = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{") :])  # after Pagefind's signature
        pages[page["url"]] = (fragment.name.removesuffix(".pf_fragment"), page.get("filters", {}))
    return pages


def _intact(cached: Path) -> bool:
    """Whether a cached bundle still has exactly the files it was kept with; a damaged one
    is removed, with a warning, and the shard indexed again."""
    try:
        manifest = json.loads((cached / MANIFEST).read_text(encoding="utf-8"))["files"]
        intact = _files(cached) == set(manifest) and all(
            _digest(cached / n) == h for n, h in manifest.items()
        )
    except (OSError, ValueError, KeyError, TypeError):
        intact = False
    if not intact:
        log.warning(
            f"publisher: cached search index {cached} is damaged; removed, indexing the shard again"
        )
        shutil.rmtree(cached, ignore_errors=True)
    return intact


def _listed(bundle: Path) -> list[str]:
    """A bundle's files, sorted: as its manifest lists them (a cached bundle, checked by
    :func:`_intact` when it was taken), else as found."""
    try:
        return sorted(json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError):
        return sorted(_files(bundle))


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
