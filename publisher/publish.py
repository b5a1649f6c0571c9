"""Publishing ``site/`` whole or not at all.

A build writes into a staging folder beside ``site/`` (``.site.publisher-new-…``), search
index included, and only a complete build is swapped in, in one ``rename``: a failed or
killed build leaves the previous ``site/`` exactly as it was. On Linux the swap is an
atomic exchange of the two folders (``renameat2(RENAME_EXCHANGE)``); elsewhere the old
site is moved aside first, and a build killed between the two renames is undone by the
next one. A lock file beside ``site/`` makes a second build wait for the first; what a
killed build left behind is removed when the next one starts.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.publisher")


class Publication:
    """One build's way to ``site_dir``: :meth:`begin`, build into the staging folder it
    returns, then :meth:`commit` (or :meth:`abandon`), and always :meth:`release`."""

    def __init__(self, site_dir: Path):
        self.site_dir = Path(os.path.abspath(site_dir))
        self.parent = self.site_dir.parent
        self.prefix = f".{self.site_dir.name}.publisher-"
        self.lock_path = self.parent / f".{self.site_dir.name}.publisher.lock"
        self.staging: Path | None = None
        self._lock: int | None = None

    def begin(self) -> Path:
        """Take the lock (waiting for another build), clear what killed builds left, and
        return a new, empty staging folder."""
        self.parent.mkdir(parents=True, exist_ok=True)
        self.lock()
        self.recover()
        self.staging = Path(tempfile.mkdtemp(prefix=self.prefix + "new-", dir=self.parent))
        return self.staging

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
        and scratch folders of killed builds."""
        moved = sorted(self.parent.glob(self.prefix + "old-*"))
        if moved and not self.site_dir.exists():
            moved.pop().rename(self.site_dir)
            log.warning(f"publisher: restored {self.site_dir} left aside by an interrupted build")
        for leftover in self.parent.glob(self.prefix + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)

    def commit(self) -> None:
        """Swap the complete staging folder in as ``site_dir``; the previous site is removed.
        On an error the previous site is where it was and the staging folder still exists."""
        staging = self.staging
        assert staging is not None, "begin() first"
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
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def keep_hidden(site_dir: Path, staging: Path) -> None:
    """Copy hidden entries (``.git`` of a gh-pages checkout): MkDocs never deletes them."""
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
