"""The package holds every file it reads: .ci/wheel-check installs the built wheel in a fresh
venv and runs it; this test keeps the declared package data covering the data files."""

from __future__ import annotations

import tomllib

from conftest import ROOT

PACKAGE = ROOT / "publisher"


def test_package_data_covers_every_data_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["publisher"]
    declared = {p for pattern in patterns for p in PACKAGE.glob(pattern)}
    data = {
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }
    assert data - declared == set()
    assert PACKAGE / "templates" / "new_year.yml" in declared


def test_readme_states_the_python_version_after_the_two_set_up_commands():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version = config["project"]["requires-python"].removeprefix(">=")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {version}+" in readme
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    ")][:2]
    assert commands == ["python -m pip install -e '.[test]' && mkdocs build", "python -m pytest"]
