"""Scale properties that need no timing: an edit re-renders only its unit; the sample is consistent."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import copy_project, plugin_options, run_cli

from publisher import search


def build(project, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


def logged(result, pattern: str) -> tuple[int, ...]:
    """The numbers a build logged in the line matching ``pattern``."""
    match = re.search(pattern, result.stderr)
    assert match, result.stderr
    return tuple(int(g) for g in match.groups())


def rendered(result) -> tuple[int, ...]:
    """(units rendered, units from cache)."""
    return logged(result, r"publisher: \d+ pages; (\d+) unit\(s\) rendered, (\d+) from cache")


def shards(result) -> tuple[int, ...]:
    """(search index shards indexed, shards from cache)."""
    return logged(result, r"search index: (\d+) shard\(s\) indexed, (\d+) from cache")


def test_rebuild_after_editing_one_unit_renders_only_that_unit(tmp_path):
    project = copy_project(tmp_path / "p")
    first = build(project)
    assert first.returncode == 0, first.stderr
    assert rendered(first) == (5, 0)
    assert rendered(build(project)) == (0, 5)
    year_file = project / "content" / "changde" / "zhengfu-bangongshi" / "2020.yml"
    year_file.write_text(
        year_file.read_text(encoding="utf-8").replace("部门概况", "部门概况（修订）", 1),
        encoding="utf-8",
    )
    third = build(project)
    assert rendered(third) == (1, 4)
    page = (project / "site" / "changde" / "zhengfu-bangongshi" / "2020" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "部门概况（修订）" in page
    cache = project / ".cache" / "publisher"  # the edited unit's old entry is gone
    assert len(list(cache.glob("??/*.pickle"))) == len(list((cache / "pages").iterdir())) == 5


def test_sample_content_passes_every_check(tmp_path):
    made = run_cli("sample", "--units", "60", "--out", str(tmp_path / "content"))
    assert made.returncode == 0, made.stderr
    result = run_cli("check", str(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "60 份年度公开文件，0 个问题（0 个文件），0 项发现" in result.stdout


def test_theme_edit_reaches_cached_pages(tmp_path):
    """Disclosure pages are cached whole, page chrome included: a theme change must renew them."""
    project = copy_project(tmp_path / "p")
    assert build(project).returncode == 0
    main = project / "theme" / "main.html"
    main.write_text(
        main.read_text(encoding="utf-8").replace("</footer>", "<p>主题已修改</p></footer>", 1),
        encoding="utf-8",
    )
    again = build(project)
    assert again.returncode == 0, again.stderr
    assert rendered(again) == (5, 0)
    page = (project / "site" / "changde" / "zhengfu-bangongshi" / "2020" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "主题已修改" in page


def indexed_text(site) -> str:
    """The text of every page fragment in the site's search bundles."""
    import gzip

    fragments = sorted(site.glob("pagefind*/fragment/*.pf_fragment"))
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments)


def fragments(site) -> dict[str, tuple[str, str]]:
    """Every page fragment of the site's search bundles: id → (bundle, its text)."""
    import gzip

    return {
        f.name.removesuffix(".pf_fragment"): (
            f.parent.parent.name,
            gzip.decompress(f.read_bytes()).decode("utf-8", "replace"),
        )
        for f in sorted(site.glob("pagefind*/fragment/*.pf_fragment"))
    }


def search_files(site) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.glob("pagefind*/**/*"))


def test_an_edit_is_indexed_in_an_overlay_and_its_old_version_is_stale(tmp_path):
    project = copy_project(tmp_path / "p")
    plugin_options(project, search_shard_pages=2, search_overlay_pages=1)
    site = project / "site"
    cache = project / ".cache" / "publisher" / "search"
    first = build(project)
    assert shards(first) == (3, 0)
    bundles = search_files(site)
    assert json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8")) == {
        "merge": ["pagefind-2/", "pagefind-3/"],
        "stale": [],
    }
    again = build(project)
    assert shards(again) == (0, 3)
    assert search_files(site) == bundles

    # One page edited: indexed alone, into a fourth bundle; the shards stay as they were.
    year_file = project / "content" / "changde" / "zhengfu-bangongshi" / "2020.yml"
    assert "EDITMARK" not in indexed_text(site)
    year_file.write_text(
        year_file.read_text(encoding="utf-8").replace("部门概况", "部门概况 EDITMARK", 1),
        encoding="utf-8",
    )
    third = build(project)
    assert shards(third) == (1, 3)
    assert set(search_files(site)) > set(bundles)
    shards_json = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert shards_json["merge"] == ["pagefind-2/", "pagefind-3/", "pagefind-4/"]
    found = fragments(site)
    edited = [i for i, (_, text) in found.items() if "EDITMARK" in text]
    assert [found[i][0] for i in edited] == ["pagefind-4"]
    assert "/changde/zhengfu-bangongshi/2020/" in found[edited[0]][1]
    [(stale, filters)] = shards_json["stale"]  # the old version: in a shard, with its filters
    bundle, text = found[stale]
    assert bundle != "pagefind-4" and "EDITMARK" not in text
    assert '"url":"/changde/zhengfu-bangongshi/2020/"' in text
    assert filters["年度"] == ["2020"]
    assert build(project).returncode == 0  # nothing changed: the overlay comes from the cache
    assert len(list(cache.iterdir())) == 5  # three shards, the overlay and base.json

    # A second unit edited: more pages differ than an overlay takes, so their shards are
    # indexed again (the other one comes from the cache) and the overlay is gone.
    other = project / "content" / "yueyang" / "junshan" / "jiguan-shiwu" / "2021.yml"
    other.write_text(
        other.read_text(encoding="utf-8").replace("主要职能", "主要职能 SECONDMARK", 1),
        encoding="utf-8",
    )
    fourth = build(project)
    indexed, reused = shards(fourth)
    assert indexed + reused == 3 and 1 <= indexed <= 2
    assert (
        json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["stale"] == []
    )
    assert not (site / "pagefind-4").exists()
    text = indexed_text(site)
    assert text.count("EDITMARK") == 1 and text.count("SECONDMARK") == 1
    assert len(list(cache.iterdir())) == 4  # three shards and base.json


def test_pages_rendered_again_the_same_are_read_once_then_known_by_name(tmp_path, monkeypatch):
    """After a code update every page is rendered again, into new files of the same text:
    the base holds them by their digest, and from then on by their new names."""
    cache = tmp_path / "cache"

    def generation(number: int) -> list[tuple[str, Path]]:
        folder = tmp_path / f"generation-{number}"
        folder.mkdir()
        pages = []
        for page in range(3):
            source = folder / f"{page}.html"
            source.write_text(
                f"<html><body data-pagefind-body><p>第 {page} 页 公务 接待</p></body></html>",
                encoding="utf-8",
            )
            pages.append((f"unit-{page}/", source))
        return pages

    def index(pages: list[tuple[str, Path]]) -> tuple[list[Path], list]:
        indexer = search.Indexer(2, cache_dir=cache, staging_root=tmp_path / "staging")
        try:
            for url, source in pages:
                indexer.add(url, source)
            return indexer.finish()
        finally:
            indexer.close()

    base, stale = index(generation(1))
    assert len(base) == 2 and stale == []
    digested: list[Path] = []
    digest = search._digest
    monkeypatch.setattr(search, "_digest", lambda path: digested.append(path) or digest(path))
    second = generation(2)
    assert index(second) == (base, [])  # no overlay: the base holds every page
    sources = {source for _, source in second}
    assert sources <= set(digested)
    digested.clear()
    assert index(second) == (base, [])
    assert not sources & set(digested)


def test_build_without_cache_leaves_no_scratch_files(tmp_path):
    project = copy_project(tmp_path / "p")
    plugin_options(project, cache="''")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = build(project, env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 0, result.stderr
    assert rendered(result) == (5, 0)
    assert (project / "site" / "changde" / "zhengfu-bangongshi" / "2020" / "index.html").exists()
    assert (project / "site" / "pagefind" / "pagefind.js").exists()
    assert not (project / ".cache").exists()
    assert list(scratch.iterdir()) == []


def site_tree(site) -> dict[str, bytes]:
    """Every file of a site (relative path → bytes) and every folder (→ None)."""
    return {
        str(p.relative_to(site)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(site.rglob("*"))
    }


def published(result) -> tuple[str, int, int]:
    """How the build put its site in place: (how, files put in, files removed)."""
    match = re.search(
        r"publisher: published .* \((patched the previous site|laid out anew): (\d+) files put "
        r"in, (\d+) removed",
        result.stderr,
    )
    assert match, result.stderr
    return match.group(1), int(match.group(2)), int(match.group(3))


def test_rebuild_patches_the_previous_site_into_exactly_a_fresh_build(tmp_path):
    """From the third build on, the site swapped out two builds ago is patched: only the
    edited unit's files (and those the build writes itself) are put in, files of a removed
    unit go with their emptied folders, and the result equals a build from nothing."""
    import shutil

    project = copy_project(tmp_path / "p")
    assert published(build(project))[0] == "laid out anew"
    assert published(build(project))[0] == "laid out anew"  # the first site is now the spare
    unchanged = build(project)
    how, put, removed = published(unchanged)
    assert how == "patched the previous site" and removed == 0
    written = put  # MkDocs' own files and the few the build writes itself, each time

    year_file = project / "content" / "changde" / "zhengfu-bangongshi" / "2020.yml"
    year_file.write_text(
        year_file.read_text(encoding="utf-8").replace("部门概况", "部门概况（修订）", 1),
        encoding="utf-8",
    )
    edited = build(project)
    how, put, _ = published(edited)
    unit_files = len(list((project / "site" / "changde" / "zhengfu-bangongshi").rglob("*.*")))
    assert how == "patched the previous site"
    # the unit's files, the index pages above it, the data package, its search shard
    assert written < put < written + unit_files + 40, (put, written, unit_files)

    shutil.rmtree(project / "content" / "yueyang" / "junshan")
    removed_unit = build(project)
    assert published(removed_unit)[0] == "patched the previous site"
    assert not (project / "site" / "yueyang" / "junshan").exists()

    fresh = copy_project(tmp_path / "fresh", project / "content")
    assert build(fresh).returncode == 0
    # The same files, but for the search bundles: the patched site's edit is in an overlay
    # on its old shards. What the search page finds is the same.
    assert without_search(site_tree(project / "site")) == without_search(site_tree(fresh / "site"))
    assert searched(project / "site") == searched(fresh / "site")
    assert len(searched(fresh / "site")) == 4  # the seeds' pages, junshan's removed


def without_search(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if not path.startswith("pagefind")}


def searched(site) -> list[str]:
    """The page fragments the search page searches: every bundle's, without stale pages."""
    shards_json = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    stale = {page for page, _ in shards_json["stale"]}
    bundles = ["pagefind/"] + shards_json["merge"]
    assert sorted(str(p.relative_to(site)) + "/" for p in site.glob("pagefind*")) == sorted(bundles)
    return sorted(text for page, (_, text) in fragments(site).items() if page not in stale)


def test_spare_without_its_manifest_is_laid_out_anew(tmp_path):
    """A build killed while patching the spare leaves it without a manifest: the next build
    removes it and lays the site out from nothing, with the same result."""
    project = copy_project(tmp_path / "p")
    for _ in range(2):
        assert build(project).returncode == 0
    before = site_tree(project / "site")
    spare = project / ".site.publisher.spare"
    (spare / "index.html").unlink()  # as patching does: files are replaced, not written into
    (spare / "index.html").write_text("half-patched", encoding="utf-8")
    (manifest,) = [
        p
        for p in project.glob(".site.publisher.manifest-*")
        if p.name.endswith(f"-{spare.stat().st_ino}")
    ]
    manifest.unlink()
    result = build(project)
    assert published(result)[0] == "laid out anew"
    assert site_tree(project / "site") == before
