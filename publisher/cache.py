"""The build's cache on disk (``.cache/publisher/``): each unit's outcome and pages, by key.

A unit's key is the hash of its files, of the publisher's code and templates, the site
settings, the layouts and (when pages are rendered) the theme: a rebuild after editing one
unit renders that unit only. Layout of the folder::

    <key[:2]>/<key>.pickle     the unit's index entry (checksummed)
    pages/<key>/               the pages its worker wrote (publisher.build)
    good/<hash of unit URL>    the key of the unit's last sound build (on_broken_unit)
    files.pickle               content digests by file status, so unchanged files are not re-read
    search/, package/, index/  search bundles, the data package and index pages (publisher.output)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .files import write_whole
from .index import UnitEntry
from .models import Unit
from .source import SourceError, read_source

log = logging.getLogger("mkdocs.plugins.publisher")
PACKAGE = Path(__file__).parent


def code_version(*parts: str) -> str:
    """Hash of the publisher's code and templates and of ``parts`` (settings, layouts, theme)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".html", ".yml"}:
            digest.update(path.read_bytes())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


@dataclass
class Digests:
    """Content digests of files, remembered by their status (like git's index): a file whose
    size, modification and change times and inode are as before is not read again."""

    known: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    changed: bool = False

    def of(self, path: Path) -> str:
        try:
            info = os.stat(path)
            status: tuple[int, ...] = (
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                info.st_ino,
            )
        except OSError:
            status = ()
        name = str(path)
        seen = self.known.get(name)
        if seen is not None and status and seen[0] == status:
            return seen[1]
        try:
            digest = hashlib.sha256(read_source(path)).hexdigest()
        except SourceError as error:  # loading the unit reports it
            digest = "unreadable:" + str(error)
        if status is not None:
            self.known[name] = (status, digest)
            self.changed = True
        return digest


class Cache:
    """Entries and pages under ``folder``; ``folder`` None keeps nothing (every unit is built).
    With ``remember`` (``mkdocs serve``, which builds again on every edit), entries read or
    made once are kept in memory too."""

    def __init__(self, folder: Path | None, *, remember: bool = False):
        self.folder = folder
        self._digests: Digests | None = None
        self.memory: dict[str, UnitEntry] | None = {} if remember else None
        self._good_keys: dict[str, str] | None = None
        self._good_changed = False

    @property
    def digests(self) -> Digests:
        if self._digests is None:
            self._digests = self._read_digests()
        return self._digests

    # ------------------------------------------------------------ keys

    def unit_key(self, unit: Unit, version: str) -> str:
        digest = hashlib.sha256(version.encode())
        digest.update(os.getcwd().encode())  # messages show paths relative to it
        digest.update(
            repr((unit.url, unit.info, [r.info for r in unit.region.ancestors()])).encode()
        )
        for year, path in sorted(unit.files.items()):
            digest.update(f"{year}:{path}:{self.digests.of(path)}".encode())
        return digest.hexdigest()

    def _read_digests(self) -> Digests:
        if self.folder is None:
            return Digests()
        try:
            known = pickle.loads((self.folder / "files.pickle").read_bytes())
            if isinstance(known, dict):
                return Digests(known)
        except Exception:  # missing or damaged: every file is read once more
            pass
        return Digests()

    def save_digests(self) -> None:
        if self.folder is None or self._digests is None or not self._digests.changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        write_whole(
            self.folder / "files.pickle", pickle.dumps(self.digests.known, pickle.HIGHEST_PROTOCOL)
        )
        self.digests.changed = False

    # ------------------------------------------------------------ entries

    def pages(self, key: str) -> Path | None:
        """The folder of the pages of the unit with ``key``."""
        return self.folder / "pages" / key if self.folder is not None else None

    def _entry_path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.pickle"

    def read(self, key: str, *, pages: bool = False) -> UnitEntry | None:
        """The entry for ``key`` (with ``pages``: only if its pages are there too); a corrupt or
        unreadable entry is removed, with a warning, and the unit is built again."""
        if self.folder is None:
            return None
        if self.memory is not None and key in self.memory:
            entry = self.memory[key]
            folder = self.pages(key)
            if pages and entry.years and (folder is None or not folder.is_dir()):
                return None
            return entry
        path = self._entry_path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning(
                f"publisher: cache entry {path} cannot be read ({error.strerror}); "
                f"building the unit again"
            )
            return None
        try:
            digest, data = data[:32], data[32:]
            if hashlib.sha256(data).digest() != digest:  # a changed byte could still unpickle
                raise ValueError("checksum mismatch")
            entry = pickle.loads(data)
            if not isinstance(entry, UnitEntry):
                raise TypeError(f"found {type(entry).__name__}")
        except Exception as error:  # any damage to the bytes: unpickling can raise almost anything
            log.warning(
                f"publisher: cache entry {path} is corrupt ({type(error).__name__}); "
                f"removed, building the unit again"
            )
            path.unlink(missing_ok=True)
            return None
        folder = self.pages(key)
        if pages and entry.years and (folder is None or not folder.is_dir()):
            return None
        if self.memory is not None:
            self.memory[key] = entry
        return entry

    def write(self, key: str, entry: UnitEntry) -> None:
        if self.folder is None:
            return
        if self.memory is not None:
            self.memory[key] = entry
        path = self._entry_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
        write_whole(path, hashlib.sha256(data).digest() + data)

    # ------------------------------------------------------------ last good builds

    def _good(self) -> dict[str, str]:
        """Unit URL → the key of its last sound entry, read once per run from ``good.json``."""
        if self._good_keys is None:
            self._good_keys = {}
            if self.folder is not None:
                try:
                    known = json.loads((self.folder / "good.json").read_text(encoding="utf-8"))
                    if isinstance(known, dict):
                        self._good_keys = {str(u): str(k) for u, k in known.items()}
                except (OSError, ValueError):
                    pass
        return self._good_keys

    def remember_good(self, unit: Unit, key: str) -> None:
        """Record ``key`` as the unit's last sound entry (site_config: on_broken_unit)."""
        good = self._good()
        if good.get(unit.url) != key:
            good[unit.url] = key
            self._good_changed = True

    def last_good(self, unit: Unit) -> UnitEntry | None:
        """The unit's last sound entry, with its pages, if there is one."""
        key = self._good().get(unit.url)
        return self.read(key, pages=True) if key is not None else None

    def good_keys(self, units: list[Unit]) -> set[str]:
        """The keys of the units' last sound entries (units no longer in content/ are
        forgotten), saved for the next run."""
        good = self._good()
        current = {unit.url for unit in units}
        for url in set(good) - current:
            del good[url]
            self._good_changed = True
        if self._good_changed and self.folder is not None and self.folder.is_dir():
            write_whole(self.folder / "good.json", json.dumps(good, ensure_ascii=False))
            self._good_changed = False
            shutil.rmtree(self.folder / "good", ignore_errors=True)  # one file per unit, before
        return set(good.values())

    # ------------------------------------------------------------ pruning

    def prune(self, keys: set[str]) -> None:
        """Remove entries and pages no unit matches any more (each edit, code or theme change
        leaves a generation behind) and what killed builds left."""
        if self.memory is not None:
            for key in set(self.memory) - keys:
                del self.memory[key]
        if self.folder is None or not self.folder.is_dir():
            return
        for old in self.folder.glob("??/*.pickle"):
            if old.stem not in keys:
                old.unlink(missing_ok=True)
        pages = self.folder / "pages"
        if pages.is_dir():
            for old in pages.iterdir():
                if old.name not in keys:
                    shutil.rmtree(old, ignore_errors=True)
        for partial in [*self.folder.glob("??/*.tmp"), *self.folder.glob("*.tmp")]:
            if left_by_ended_process(partial):  # a killed build's
                partial.unlink(missing_ok=True)
        for staging in self.folder.glob("publisher-*-*"):
            if left_by_ended_process(staging):
                shutil.rmtree(staging, ignore_errors=True)


def left_by_ended_process(path: Path) -> bool:
    """Whether a temporary named with its process id (``<name>.<pid>.<thread>.tmp`` of
    :func:`~publisher.files.write_whole`,
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
