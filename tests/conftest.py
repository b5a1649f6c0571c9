"""Shared fixtures: the repository's content, and small builders for content trees."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import threading
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def seed_site():
    """The repository's content/, loaded (all five seed documents)."""
    from publisher.load import load_content

    return load_content(CONTENT)


def unit_of(site, path: str):
    """The unit at 'region/.../unit' in a loaded site."""
    return next(u for u in site.all_units() if u.url == path.strip("/") + "/")


def make_tree(root: Path, year_text: str, *, year: int = 2020) -> Path:
    """A minimal content tree with one region, one unit and one year file; returns the year file."""
    (root / "r" / "u").mkdir(parents=True, exist_ok=True)
    (root / "r" / "region.yml").write_text("name: 测试区\n", encoding="utf-8")
    (root / "r" / "u" / "unit.yml").write_text("name: 测试单位\n", encoding="utf-8")
    path = root / "r" / "u" / f"{year}.yml"
    path.write_text(year_text, encoding="utf-8")
    return path


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``publisher`` as a user would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "publisher", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True)


def build_site(project: Path, out: Path) -> subprocess.CompletedProcess:
    """``mkdocs build`` of ``project`` into ``out``."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                           "-d", str(out)], cwd=project, capture_output=True, text=True)


def copy_project(dest: Path, content: Path | None = None) -> Path:
    """A copy of the project's site sources (mkdocs.yml, theme, docs, site_config) with ``content``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "site_config.yml"):
        shutil.copy(ROOT / name, dest / name)
    for name in ("theme", "docs"):
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    shutil.copytree(content or CONTENT, dest / "content", dirs_exist_ok=True)
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serving(directory: Path):
    """``directory`` over HTTP on a free loopback port; yields the base URL without a slash."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
