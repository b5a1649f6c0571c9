"""Publishing ``site/`` whole or not at all, changing only what changed.

A build assembles the next site in a staging folder beside ``site/``, search index
included, and only a complete build is swapped in, in one ``rename``: a failed or killed
build leaves the previous ``site/`` exactly as it was. On Linux the swap is an atomic
exchange of the two folders (``renameat2(RENAME_EXCHANGE)``); elsewhere the old site is
moved aside first, and a build killed between the two renames is undone by the next one.
A lock file beside ``site/`` makes a second build wait for the first; what a killed build
left behind is removed when the next one starts.

The site swapped out is not deleted: it is kept beside ``site/`` as the spare
(``.site.publisher.spare``), with a manifest of where each of its files came from, and the
next build patches the spare into the new site (:class:`SiteTree`): a file whose source is
unchanged stays, so an edit touches the files of the edited unit, not the hundred thousand
of a province. MkDocs itself writes into a fresh folder of its own, whose few files are
moved in at the end. A spare whose manifest is missing (a build was killed while patching
it) is removed and the next site is laid out from scratch.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import errno
import fcntl
import functools
import json
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .files import write_whole

log = logging.getLogger("mkdocs.plugins.publisher")


class SiteTree:
    """A site folder assembled from source files, patched from its previous state.

    Files come in groups (a unit's pages, the index pages, a search shard …): ``put``
    records each group's files (site path → source file) and links those whose source
    differs from the folder's ``previous`` manifest; :meth:`finish` removes what the new
    site no longer has. Sources never change under one name (the build names them by the
    hash of what made them), so an equal source means an equal file."""

    WRITTEN = "(written)"  # files written into the folder itself, not linked from a source

    def __init__(self, folder: Path, previous: dict | None = None):
        self.folder = folder
        # group → [source folder, its files as "site path<TAB>source" lines]: one string per
        # group, so that a province's manifest stays small (a unit-year has 13 files)
        self.previous: dict[str, list[str]] = previous or {}
        self.groups: dict[str, list[str]] = {}
        self.written: list[str] = []
        self.linked = self.removed = 0  # files linked (or moved in) and removed: for the log
        self._made: set[str] = set()  # folders known to exist
        self._count = threading.Lock()

    def manifest(self) -> dict[str, list[str]]:
        """What the folder holds once :meth:`finish` ran, for the build that patches it."""
        return {**self.groups, self.WRITTEN: ["", "\n".join(self.written)]}

    def put(self, group: str, source_dir: Path | str, files: list[tuple[str, str]]) -> int:
        """Make the group's files (site path, source path relative to ``source_dir``, or
        absolute with ``source_dir`` "") part of the site; returns how many were linked now.
        Thread-safe for distinct groups."""
        folder = str(source_dir)
        entry = [folder, "\n".join(f"{site}\t{source}" for site, source in files)]
        self.groups[group] = entry
        old = self.previous.get(group)
        if old == entry:
            return 0
        root = str(self.folder)
        had: dict[str, str] = {}
        if old is not None:
            had = {site: _joined(old[0], source) for site, source in _pairs(old[1])}
            for site in had.keys() - {site for site, _ in files}:
                self._remove(site)
        linked = 0
        for site, source in files:
            path = _joined(folder, source)
            if had.get(site) != path:
                target = f"{root}/{site}"
                self._folder_of(target)
                link(path, target)
                linked += 1
        with self._count:
            self.linked += linked
        return linked

    def write(self, site: str, data: str) -> None:
        """A small file written into the site itself (made anew by every build)."""
        target = f"{self.folder}/{site}"
        self._folder_of(target)
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(temporary, target)  # never through a link into a source
        self.written.append(site)

    def adopt(self, folder: Path) -> int:
        """Move in every file of ``folder`` (what MkDocs wrote); returns how many."""
        moved = 0
        for directory, _, names in os.walk(folder):
            relative = os.path.relpath(directory, folder)
            for name in names:
                site = name if relative == "." else f"{relative}/{name}"
                target = f"{self.folder}/{site}"
                self._folder_of(target)
                os.replace(os.path.join(directory, name), target)
                self.written.append(site)
                moved += 1
        self.linked += moved
        return moved

    def finish(self) -> int:
        """Remove the files of the previous site that the new one does not have; returns how
        many."""
        stale: list[str] = []
        for group, (_, files) in self.previous.items():
            if group == self.WRITTEN:
                keep = set(self.written)
                stale += [site for site in files.split("\n") if site and site not in keep]
            elif group not in self.groups:
                stale += [site for site, _ in _pairs(files)]
        if stale:  # a path may have moved to another group: it stays
            current = set(self.written)
            for _, files in self.groups.values():
                current.update(site for site, _ in _pairs(files))
            stale = [site for site in stale if site not in current]
        removed = sum(self._remove(site) for site in stale)
        self.removed += removed
        return removed

    def _folder_of(self, target: str) -> None:
        folder = target.rpartition("/")[0]
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)

    def _remove(self, site: str) -> int:
        """Remove one file, and the folders it leaves empty."""
        try:
            os.unlink(f"{self.folder}/{site}")
        except FileNotFoundError:
            return 0
        parts = site.split("/")[:-1]
        while parts:
            folder = f"{self.folder}/{'/'.join(parts)}"
            try:
                os.rmdir(folder)
            except OSError:  # not empty
                break
            self._made.discard(folder)
            parts.pop()
        return 1


def _pairs(files: str) -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in files.split("\n") if line]  # type: ignore[misc]


def _joined(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


class Publication:
    """One build's way to ``site_dir``: :meth:`begin` (the folder MkDocs writes into),
    put the site's files into :attr:`tree`, then :meth:`commit` (or :meth:`abandon`), and
    always :meth:`release`."""

    def __init__(self, site_dir: Path):
        self.site_dir = Path(os.path.abspath(site_dir))
        self.parent = self.site_dir.parent
        self.prefix = f".{self.site_dir.name}.publisher-"
        self.lock_path = self.parent / f".{self.site_dir.name}.publisher.lock"
        self.spare = self.parent / f".{self.site_dir.name}.publisher.spare"
        self.staging: Path | None = None  # the next site (the spare, being patched)
        self.mkdocs_dir: Path | None = None  # what MkDocs writes, moved in at the end
        self.tree: SiteTree | None = None
        self.patched = False  # whether the staging folder began as the spare
        self._lock: int | None = None

    def begin(self) -> Path:
        """Take the lock (waiting for another build), clear what killed builds left, prepare
        the staging folder (:attr:`tree`) and return a new, empty folder for MkDocs."""
        self.parent.mkdir(parents=True, exist_ok=True)
        self.lock()
        self.recover()
        previous = self._take_spare()
        if previous is not None:
            self.staging, self.patched = self.spare, True
        else:
            self.staging = Path(tempfile.mkdtemp(prefix=self.prefix + "new-", dir=self.parent))
        self.tree = SiteTree(self.staging, previous)
        self.mkdocs_dir = Path(tempfile.mkdtemp(prefix=self.prefix + "mkdocs-", dir=self.parent))
        return self.mkdocs_dir

    def _take_spare(self) -> dict | None:
        """The spare's manifest, which is removed (the spare is about to change): None when
        there is no spare, or when it cannot be trusted (then it is removed)."""
        manifest = self._manifest_path(self.spare)
        if manifest is None:
            return None
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        for stale in self.parent.glob(f".{self.site_dir.name}.publisher.manifest-*"):
            if stale != self._manifest_path(self.site_dir):
                stale.unlink(missing_ok=True)
        if not isinstance(previous, dict) or not all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
            for v in previous.values()
        ):  # unreadable, or written by another version
            remove_tree(self.spare)
            return None
        return previous

    def _manifest_path(self, folder: Path) -> Path | None:
        """Where the manifest of ``folder`` is kept: named by the folder's inode, which a
        rename keeps, so a manifest always describes the folder it names."""
        try:
            stat = os.stat(folder)
        except FileNotFoundError:
            return None
        return self.parent / f".{self.site_dir.name}.publisher.manifest-{stat.st_dev}-{stat.st_ino}"

    def scratch(self) -> Path:
        """A folder for this build's intermediate files (a later build removes it if this dies)."""
        return Path(tempfile.mkdtemp(prefix=self.prefix + "scratch-", dir=self.parent))

    def lock(self) -> None:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            log.warning(
                f"publisher: another build of {self.site_dir} is running (process {holder}); "
                f"waiting for it to finish"
            )
            fcntl.flock(fd, fcntl.LOCK_EX)  # the kernel releases it if that build is killed
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock = fd

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # the lock file stays: removing it would race with a waiting build
            self._lock = None

    def recover(self) -> None:
        """Put back a previous site moved aside by a build killed mid-swap; remove staging
        and scratch folders of killed builds, and a spare without its manifest."""
        moved = sorted(self.parent.glob(self.prefix + "old-*"))
        if moved and not self.site_dir.exists():
            moved.pop().rename(self.site_dir)
            log.warning(f"publisher: restored {self.site_dir} left aside by an interrupted build")
        for leftover in self.parent.glob(self.prefix + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
        if self.spare.exists():
            manifest = self._manifest_path(self.spare)
            if manifest is None or not manifest.exists():
                remove_tree(self.spare)

    def commit(self) -> None:
        """Complete the staging folder and swap it in as ``site_dir``; the previous site
        becomes the spare. On an error the previous site is where it was."""
        staging, tree = self.staging, self.tree
        assert staging is not None and tree is not None, "begin() first"
        if self.mkdocs_dir is not None:
            tree.adopt(self.mkdocs_dir)
            shutil.rmtree(self.mkdocs_dir, ignore_errors=True)
            self.mkdocs_dir = None
        tree.finish()
        manifest = self._manifest_path(staging)
        assert manifest is not None
        old = None
        if not self.site_dir.exists():
            staging.rename(self.site_dir)
        else:
            keep_hidden(self.site_dir, staging)
            if exchange(staging, self.site_dir):
                old = staging
            else:
                old = Path(tempfile.mkdtemp(prefix=self.prefix + "old-", dir=self.parent))
                self.site_dir.replace(old)
                try:
                    staging.rename(self.site_dir)
                except OSError:
                    old.rename(self.site_dir)
                    raise
        self.staging = None
        write_whole(manifest, json.dumps(tree.manifest(), ensure_ascii=False))
        if old is not None:
            if old != self.spare:
                remove_tree(self.spare)
                old.rename(self.spare)

    def abandon(self) -> None:
        for folder in (self.staging, self.mkdocs_dir):
            if folder is not None:
                remove_tree(folder)
        self.staging = self.mkdocs_dir = None


def remove_tree(folder: Path, threads: int = 4) -> None:
    """``shutil.rmtree``, its top-level entries in parallel: removing a province's site is
    over a hundred thousand system calls, which wait on the disk, not on Python."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pool.submit(shutil.rmtree, entry.path, True)
            else:
                pool.submit(os.unlink, entry.path)
    shutil.rmtree(folder, ignore_errors=True)


def link(source: Path | str, target: Path | str) -> None:
    """Make ``target`` the file ``source`` (a hard link: no bytes are copied, and the page is
    stored once however many builds publish it); a copy where the file system cannot link."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        os.unlink(target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)
        return
    link(source, target)


def keep_hidden(site_dir: Path, staging: Path) -> None:
    """Copy hidden entries (``.git`` of a gh-pages checkout): MkDocs never deletes them."""
    for entry in staging.iterdir():  # the spare's copies of them are older
        if entry.name.startswith("."):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for entry in site_dir.iterdir():
        if entry.name.startswith("."):
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, staging / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, staging / entry.name, follow_symlinks=False)


@functools.cache
def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc ≥ 2.28
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; ``False`` where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without exchange
        return False
    raise OSError(error, os.strerror(error), str(b))
