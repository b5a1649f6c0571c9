"""Shared fixtures: the seed documents (a copy in tests/fixtures), and small builders.

Tests never read the live ``content/`` or ``site_config.yml``: editors change those, and
the suite must not care (tests/test_own_data.py). ``tests/fixtures`` holds the five seed
documents as transcribed; tests copy them to a temporary folder before changing anything.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = (
    Path(__file__).resolve().parent / "fixtures"
)  # a project folder: content/, site_config.yml
CONTENT = FIXTURES / "content"
REAL = FIXTURES / "real"  # a content tree: the two Shanghai 2024 documents of shared/real/
# Headless Chromium for the browser tests: offline, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def seed_site():
    """The fixture content, loaded (all five seed documents)."""
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


@functools.cache
def mkdocs_theme():
    """The site theme as the plugin wraps pages in it (mkdocs.yml of the repository)."""
    from mkdocs.config import load_config

    from publisher.render import Theme

    config = load_config(str(ROOT / "mkdocs.yml"))
    config.extra.update(publisher_footer="", publisher_authority="")
    return Theme(config.theme.get_env(), config)


def this_checkout() -> dict[str, str]:
    """The environment for a subprocess that imports this checkout's publisher, whatever is installed."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def run_cli(
    *args: str, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run ``publisher`` as a user would, capturing its output (by default in tests/fixtures,
    which it must not change: pass ``cwd`` for anything that writes)."""
    return subprocess.run(
        [sys.executable, "-m", "publisher", *args],
        cwd=cwd or FIXTURES,
        capture_output=True,
        text=True,
        input=stdin,
        env=this_checkout(),
    )


SEED_004 = "zhuzhou/shifeng/zhengfu-bangongshi/"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The one site build that most tests only read, made once per session in this process:
    the fixture content, the Shanghai documents and a second year of seed 004 (its 2020 file
    as 2021, so there is a previous year to compare with). Tests that change content or
    configuration build a project of their own."""
    project = copy_project(tmp_path_factory.mktemp("seed-build"))
    shutil.copytree(REAL / "shanghai", project / "content" / "shanghai")
    seed_004_next_year(project / "content" / SEED_004)
    out = project / "site"
    build_in_process(project, out)
    return out


def build_in_process(project: Path, out: Path) -> None:
    """``mkdocs build`` of ``project`` into ``out`` in this process (MkDocs' own API)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with contextlib.chdir(project):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(out))
        config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()  # the publisher swaps the new site in here


def build_site(project: Path, out: Path, *, quiet: bool = True) -> subprocess.CompletedProcess:
    """``mkdocs build`` of ``project`` into ``out`` (``quiet``: errors only, no warnings)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            *(["-q"] if quiet else []),
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=this_checkout(),
    )


def copy_project(dest: Path, content: Path | None = None) -> Path:
    """A project in ``dest``: the repository's site sources (mkdocs.yml, theme, docs) with the
    fixtures' site_config.yml and ``content`` (default: the fixture content)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(FIXTURES / "site_config.yml", dest / "site_config.yml")
    for name in ("theme", "docs"):
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    shutil.copytree(content or CONTENT, dest / "content", dirs_exist_ok=True)
    return dest


def plugin_options(project: Path, **options) -> None:
    """Give the project's publisher plugin these options in its mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - publisher\n" in text
    lines = "".join(f"      {name}: {value}\n" for name, value in options.items())
    config.write_text(text.replace("  - publisher\n", "  - publisher:\n" + lines), encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serving(directory: Path):
    """``directory`` over HTTP on a free loopback port; yields the base URL without a slash."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def partial_layout(project: Path) -> str:
    """Write ``layouts/partial.yml`` in ``project``: the default layout with no table or
    section required, for tests whose documents hold only the tables they are about.
    Returns the line a year file names it with."""
    text = (ROOT / "publisher" / "layouts" / "hunan-2020.yml").read_text(encoding="utf-8")
    text = (
        text.replace("id: hunan-2020", "id: partial")
        .replace("\n  - table: ", "\n  - required: false\n    table: ")
        .replace("\n  - title: ", "\n  - required: false\n    title: ")
    )
    (project / "layouts").mkdir(parents=True, exist_ok=True)
    (project / "layouts" / "partial.yml").write_text(text, encoding="utf-8")
    return "layout: partial\n"


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, one for the session (Playwright's sync API allows one
    driver per thread, so browser tests in several modules share this one)."""
    from test_browser import CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Seed 004's 情况说明 compare 2020 with 2019. Copied as its own next year (the same figures),
# those changes no longer hold against the "previous year", and the checker says so: the
# copy acknowledges them, as a web team would.
NEXT_YEAR_ACKNOWLEDGEMENTS = [
    ("final_accounts.explanations[title=一、收入支出决算总体情况说明].body", "35.33"),
    ("final_accounts.explanations[title=四、财政拨款收入支出决算总体情况说明].body", "49.87"),
    ("final_accounts.explanations[title=十、关于机关运行经费支出说明].body", "2.95"),
    (
        "final_accounts.explanations[title=五、一般公共预算财政拨款支出决算情况说明]"
        ".sections[title=（一）财政拨款支出决算总体情况].body",
        "49.87",
    ),
    (
        "final_accounts.explanations[title=七、一般公共预算财政拨款三公经费支出决算情况说明]"
        ".sections[title=（一）“三公”经费财政拨款支出决算总体情况说明].body",
        "1.70",
    ),
]


def seed_004_next_year(unit: Path) -> None:
    """Write seed 004's 2020.yml as 2021.yml in ``unit``, so a page has a previous year."""
    text = (unit / "2020.yml").read_text(encoding="utf-8")
    text = (
        re.sub(r"^year: 2020", "year: 2021", text, flags=re.M).rstrip("\n")
        + "\n"
        + "".join(
            f'  - rule: S-CHANGE\n    figure: "{figure}"\n    difference: {difference}\n'
            f"    reason: 测试用的复制年度，所述增减是相对原上年的。\n"
            for figure, difference in NEXT_YEAR_ACKNOWLEDGEMENTS
        )
    )
    (unit / "2021.yml").write_text(text, encoding="utf-8")
