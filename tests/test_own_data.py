"""Tests own their data: editors change content/ and site_config.yml, and the suite must
not care. Tests read the seed documents from tests/fixtures (copied to a temporary folder
before anything changes them), never the live content/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT

TESTS = Path(__file__).resolve().parent
# Modules that build or check the seed documents; the browser and search tests build the same way.
SAMPLE = [
    "test_seeds_load.py",
    "test_reference.py",
    "test_site.py",
    "test_checks.py",
    "test_editors.py",
]


def test_no_test_reads_the_live_content():
    live = re.compile(r"ROOT\s*/\s*[\"'](content|site_config\.yml)[\"']|cwd=ROOT\b")
    offenders = [
        p.name
        for p in TESTS.glob("*.py")
        if p.name != Path(__file__).name and live.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert (FIXTURES / "content").is_dir() and (FIXTURES / "site_config.yml").is_file()


def test_adding_units_under_content_leaves_the_suite_green(tmp_path):
    """A copy of the repository whose content/ has an editor's new units (one just scaffolded,
    one broken) and whose site title changed: the tests that build and check still pass."""
    copy = tmp_path / "repo"
    for name in ("publisher", "tests", "theme", "docs", "content"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "site_config.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    env = {**os.environ, "PYTHONPATH": str(copy)}
    content = copy / "content"
    new = subprocess.run(
        [
            sys.executable,
            "-m",
            "publisher",
            "new",
            "changde/tongjiju",
            "2024",
            "--name",
            "常德市统计局",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert new.returncode == 0, new.stderr
    broken = content / "changde" / "caizhengju"
    broken.mkdir()
    (broken / "unit.yml").write_text("name: 常德市财政局\n", encoding="utf-8")
    (broken / "2023.yml").write_text("year: [2023\n", encoding="utf-8")
    config = copy / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("title: ", "title: 新的"), encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "-k",
            "not mutating",
            *[f"tests/{m}" for m in SAMPLE],
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\d+ passed", result.stdout)
