"""Issue 15: site/ is replaced whole or not at all, builds take turns, the cache heals
itself and two cold builds are byte-identical (search index included)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, plugin_options

SAMPLE_UNITS = 60


def tree(site: Path) -> dict[str, str]:
    """Every file of ``site`` (relative path → sha256)."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def mkdocs(project: Path, *args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        **kwargs,
    )


def build(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    process = mkdocs(project, *args, env=env)
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.glob(".site.publisher-*"))


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory):
    """A project of 60 sample unit-years (several seconds to build: room to kill it)."""
    base = tmp_path_factory.mktemp("sample")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "publisher",
            "sample",
            "--units",
            str(SAMPLE_UNITS),
            "--out",
            str(base / "content"),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return copy_project(base / "project", base / "content")


def edit_one_unit(project: Path) -> None:
    year_file = sorted((project / "content").rglob("20*.yml"))[0]
    text = year_file.read_text(encoding="utf-8")
    year_file.write_text(text.replace("department: ", "department: 新", 1), encoding="utf-8")


def test_killed_builds_leave_the_previous_or_the_new_site(sample_project, tmp_path):
    project = copy_project(tmp_path / "p", sample_project / "content")
    assert build(project).returncode == 0
    before = tree(project / "site")
    edit_one_unit(project)
    rng = random.Random(15)
    outcomes = []
    for _ in range(5):
        shutil.rmtree(project / ".cache", ignore_errors=True)  # a cold build: every stage runs
        process = mkdocs(project, start_new_session=True)
        time.sleep(rng.uniform(0.3, 5.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        now = tree(project / "site")
        outcomes.append("old" if now == before else "?")
        if now != before:  # the kill came after the swap: the new site, complete
            assert build(project).returncode == 0
            assert tree(project / "site") == now
            before = now
    result = build(project)
    assert result.returncode == 0, result.stderr
    after = tree(project / "site")
    assert after != tree(sample_project / "content") and "pagefind/pagefind-entry.json" in after
    assert leftovers(project) == []
    assert not list((project / ".cache" / "publisher").glob("publisher-search-*"))


def test_two_builds_at_once_take_turns(sample_project, tmp_path):
    project = copy_project(tmp_path / "p", sample_project / "content")
    first, second = mkdocs(project), mkdocs(project)
    results = [p.communicate(timeout=300) + (p.returncode,) for p in (first, second)]
    assert [r[2] for r in results] == [0, 0], results
    assert any("waiting for it to finish" in r[1] for r in results), results
    built = tree(project / "site")
    shutil.rmtree(project / ".cache")
    assert build(project).returncode == 0
    assert tree(project / "site") == built


def test_failure_after_pages_are_written_keeps_the_previous_site(tmp_path):
    """The search index fails after MkDocs has written every page (as 'File name too long' did)."""
    project = copy_project(tmp_path / "p")
    assert build(project).returncode == 0
    before = tree(project / "site")
    shutil.rmtree(project / ".cache")
    failing = tmp_path / "failing"
    failing.mkdir()
    (failing / "sitecustomize.py").write_text(
        "import publisher.search as s\n"
        "def fail(*args):\n    raise OSError(36, 'File name too long')\n"
        "s._run_pagefind = fail\n",
        encoding="utf-8",
    )
    result = build(project, env={"PYTHONPATH": f"{failing}{os.pathsep}{ROOT}"})
    assert result.returncode == 1
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_leftovers_of_killed_builds_are_removed(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / ".site.publisher-new-x1").mkdir()
    (project / ".site.publisher-new-x1" / "index.html").write_text("half", encoding="utf-8")
    cache = project / ".cache/publisher"
    (cache / "publisher-search-999999999-x2").mkdir(parents=True)  # that process has ended
    (cache / "publisher-search-1-x3").mkdir()  # process 1 runs: maybe a `mkdocs serve` indexing
    (cache / "ab").mkdir()
    (cache / "ab" / "ab12.999999999.tmp").write_bytes(b"half an entry")
    assert build(project).returncode == 0
    assert leftovers(project) == []
    assert sorted(p.name for p in cache.glob("publisher-search-*")) == ["publisher-search-1-x3"]
    assert not (cache / "ab" / "ab12.999999999.tmp").exists()


def test_site_moved_aside_by_a_killed_swap_is_restored(tmp_path):
    """Where the folders cannot be exchanged atomically, a build killed between its two
    renames leaves site/ moved aside: the next build puts it back before anything else."""
    from publisher.publish import Publication

    site = tmp_path / "site"
    (tmp_path / ".site.publisher-old-x").mkdir()
    (tmp_path / ".site.publisher-old-x" / "index.html").write_text("previous", encoding="utf-8")
    publication = Publication(site)
    staging = publication.begin()
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    (staging / "index.html").write_text("new", encoding="utf-8")
    (site / ".git").mkdir()
    publication.commit()
    publication.release()
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert (site / ".git").is_dir()  # hidden entries are kept, as MkDocs keeps them
    # the previous site is kept as the spare the next build patches; no leftovers
    assert (tmp_path / ".site.publisher.spare" / "index.html").read_text() == "previous"
    assert {p.name for p in tmp_path.iterdir()} - {".site.publisher.lock", "site"} == {
        ".site.publisher.spare",
        publication._manifest_path(site).name,  # the new site's (the spare had none)
    }


def test_corrupt_cache_entry_is_rebuilt(tmp_path):
    project = copy_project(tmp_path / "p")
    assert build(project).returncode == 0
    before = tree(project / "site")
    for entry in (project / ".cache/publisher").glob("??/*.pickle"):
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "is corrupt" in result.stderr
    assert tree(project / "site") == before
    result = build(project)
    assert result.returncode == 0 and "is corrupt" not in result.stderr


def test_two_cold_builds_are_identical(sample_project, tmp_path):
    """Pagefind writes its filters in random order; the publisher sorts them (several shards here)."""
    sites = []
    for name in ("a", "b"):
        project = copy_project(tmp_path / name, sample_project / "content")
        plugin_options(project, search_shard_pages=30)
        assert build(project).returncode == 0
        sites.append(tree(project / "site"))
    assert sites[0] == sites[1]
    assert "pagefind-2/pagefind-entry.json" in sites[0]
    assert any(p.startswith("pagefind/filter/") for p in sites[0])


def test_damaged_search_cache_is_indexed_again(tmp_path):
    project = copy_project(tmp_path / "p")
    assert build(project).returncode == 0
    before = tree(project / "site")
    (cached,) = [p for p in (project / ".cache/publisher/search").iterdir() if p.is_dir()]
    fragment = sorted((cached / "fragment").iterdir())[0]
    fragment.write_bytes(fragment.read_bytes()[:-5])
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "is damaged" in result.stderr and "1 shard(s) indexed, 0 from cache" in result.stderr
    assert tree(project / "site") == before
    result = build(project)
    assert "0 shard(s) indexed, 1 from cache" in result.stderr and "is damaged" not in result.stderr


def test_unwritable_cache_is_a_clean_error(tmp_path):
    project = copy_project(tmp_path / "p")
    assert build(project).returncode == 0
    before = tree(project / "site")
    shutil.rmtree(project / ".cache")
    (project / ".cache").mkdir()
    (project / ".cache" / "publisher").write_text("not a folder", encoding="utf-8")
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "cannot write" in result.stderr and ".cache/publisher" in result.stderr
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_failed_swap_keeps_the_previous_site(tmp_path):
    """As when site/ cannot be replaced (its folder is not writable): a clean error, site intact."""
    project = copy_project(tmp_path / "p")
    assert build(project).returncode == 0
    before = tree(project / "site")
    failing = tmp_path / "failing"
    failing.mkdir()
    (failing / "sitecustomize.py").write_text(
        "import publisher.publish as p\n"
        "def refuse(a, b):\n    raise PermissionError(13, 'Permission denied', str(b))\n"
        "p.exchange = refuse\n",
        encoding="utf-8",
    )
    result = build(project, env={"PYTHONPATH": f"{failing}{os.pathsep}{ROOT}"})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "could not replace" in result.stdout + result.stderr  # MkDocs prints an Abort on stdout
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_site_folder_that_cannot_be_made_is_a_clean_error(tmp_path):
    project = copy_project(tmp_path / "p")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = build(project, "-d", str(tmp_path / "a-file" / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "cannot prepare" in result.stderr
