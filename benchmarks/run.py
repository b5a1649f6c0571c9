"""Benchmark: build the site at several sizes and compare with plain MkDocs, in one run.

    python benchmarks/run.py                 # N = 100, 1000, 10000
    python benchmarks/run.py --sizes 100 1000 10000 100000
    python benchmarks/run.py --sizes 100 1000 --baseline-max 1000 --serve-size 1000

For each N it generates a consistent sample with `publisher sample`, then measures with
/usr/bin/time (wall time, peak memory of the build and its children):
- a cold `mkdocs build` (no cache), search index included, with the time of its stages
  as the build logs them;
- the same build with a warm cache (the second such rebuild: from then on each build patches
  the site swapped out before), and after editing one unit (incremental), and the
  search index alone (Pagefind over the built site), for N up to --full-max (above it only
  the cold build is measured: at 100,000 the others add an hour);
- plain MkDocs (built-in theme and search) building the same pages as static Markdown,
  for N up to --baseline-max (its navigation makes it quadratic);
- `mkdocs serve` at --serve-size: seconds from saving one unit's YAML to the new figure
  being served, over --serve-edits edits;
- the bytes a browser fetches for a first search query (benchmarks/search_bytes.py).
Results go to benchmarks/out/results.md (and stdout), with the ratio to plain MkDocs at
--baseline-max (the issue's target: ours at --target, 10,000, against plain MkDocs at 1,000).
The machine's speed drifts by up to 2x within a day, and the two builds of that ratio run
minutes apart; so after the table, --pairs more pairs of the two are run back to back
(ours cold at --target, then plain MkDocs), and every pair's ratio and their median are
reported. Each build of that ratio first waits until nothing has been deleted for
--quiet seconds (365; see set_aside: 0 on a file system with a journal).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import search_bytes  # beside this file

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
FIXED = "changsha/d01/zhengfu-bangongshi/2023/index.html"


def timed(command: list[str], cwd: Path) -> dict:
    """Run under /usr/bin/time -v; wall seconds and peak RSS (MiB) of the command and children."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], cwd=cwd, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = (float(g or 0) for g in wall.groups())
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    user, kernel = (
        float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", result.stderr).group(1))
        for kind in ("User", "System")
    )
    return {
        "wall": hours * 3600 + minutes * 60 + seconds,
        "cpu": user + kernel,
        "kernel": kernel,
        "rss_mib": rss / 1024,
        "log": result.stderr,
    }


def project(n: int) -> Path:
    """A project folder with the repository's site sources and a sample of n unit-years."""
    folder = OUT / f"n{n}"
    if not (folder / "content").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "publisher",
                "sample",
                "--units",
                str(n),
                "--out",
                str(folder / "content"),
            ],
            check=True,
            capture_output=True,
        )
    for name in ("mkdocs.yml", "site_config.yml"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("theme", "docs"):
        shutil.rmtree(folder / name, ignore_errors=True)
        shutil.copytree(ROOT / name, folder / name)
    return folder


TRASH = OUT / "trash"


def set_aside(*paths: Path) -> None:
    """Move earlier outputs out of the way, to be deleted after the last measurement.

    Deleting files right before a build makes the build pay for the deletion: on an ext4
    file system without a journal (as on this machine), allocating an inode skips the inodes
    freed in the last minutes, reading each one's inode table block to see when it was freed,
    and every allocation starts that scan again. Measured with `perf` on a cold build at
    N = 1,000: 3.7 s of kernel CPU with nothing deleted in the six minutes before, 11–16 s
    (a fifth of all its CPU, in `find_inode_bit`/`recently_deleted`) right after deleting the
    previous build's files, and still so after `sync` and 65 s. So outputs are renamed, not
    deleted, and every build of the ratio to plain MkDocs first waits until nothing has been
    deleted for QUIET seconds (:func:`settle`)."""
    TRASH.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.exists():
            path.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{path.name}")


# The kernel skips an inode freed less than 60 s ago, or less than 360 s ago while its inode
# table block is not yet written back; a build allocating inodes beside it keeps that block
# unwritten, which is why `sync` and 65 s were not enough.
QUIET = 365
_last_deletion = 0.0  # time.monotonic() of the last step that deleted files


def deleted() -> None:
    """Note that a step has just deleted files (a build removes its scratch folder, an
    incremental build the pages it replaces, the index alone the index before it)."""
    global _last_deletion
    _last_deletion = time.monotonic()


def settle(quiet: float) -> None:
    """Wait until nothing has been deleted for ``quiet`` seconds (see :func:`set_aside`)."""
    wait = _last_deletion + quiet - time.monotonic()
    if wait > 0:
        print(f"waiting {wait:.0f} s for the inodes freed before to settle", flush=True)
        os.sync()
        time.sleep(wait)


def empty_trash() -> None:
    """Delete what an earlier run set aside (the builds of the ratio then wait: settle)."""
    if TRASH.exists():
        print("deleting the outputs of the previous run", flush=True)
        shutil.rmtree(TRASH, ignore_errors=True)
        deleted()


def size_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


STAGES = re.compile(r"publisher: stages: (.*)")


def ours(folder: Path, full: bool, quiet: float | None = None) -> dict:
    """Our build of ``folder``: cold (after settling for ``quiet`` seconds, if given), then
    with ``full`` the rebuilds, the edit and the index alone."""
    set_aside(folder / ".cache", folder / "site", *folder.glob(".site.publisher*"))
    if quiet is not None:
        settle(quiet)
    cold = timed([sys.executable, "-m", "mkdocs", "build"], folder)
    deleted()  # its scratch folder
    stages = STAGES.search(cold["log"])
    fixed = {
        "pages": sum(1 for _ in (folder / "site").rglob("index.html")),
        "site_mib": size_mib(folder / "site"),
        "fixed_kib": (folder / "site" / FIXED).stat().st_size / 1024,
        "index_mib": sum(size_mib(p) for p in (folder / "site").glob("pagefind*")),
        "stages": stages.group(1) if stages else "",
    }
    if not full:
        return {"cold": cold, **fixed}
    # The first rebuild lays the site out anew (there is no previous site to patch yet);
    # from the second on, the site swapped out before is patched: that is the steady state.
    timed([sys.executable, "-m", "mkdocs", "build", "-q"], folder)
    warm = timed([sys.executable, "-m", "mkdocs", "build", "-q"], folder)
    edit_one_unit(folder)
    incremental = timed([sys.executable, "-m", "mkdocs", "build"], folder)
    rendered = re.search(r"(\d+) unit\(s\) rendered", incremental["log"]).group(1)
    index = timed(
        [
            sys.executable,
            "-c",
            "from pathlib import Path; from publisher.search import build_index; "
            "build_index(Path('site'))",
        ],
        folder,
    )
    deleted()
    query = search_bytes.measure(folder / "site", search_bytes.QUERY)
    return {
        "cold": cold,
        "warm": warm,
        "incremental": incremental,
        "rendered": int(rendered),
        "index": index,
        "query_kb": sum(gzipped for _, _, gzipped in query) / 1000,
        **fixed,
    }


def edit_one_unit(folder: Path) -> Path:
    year_file = folder / "content" / FIXED.replace("/index.html", ".yml")
    text = year_file.read_text(encoding="utf-8")
    year_file.write_text(
        text.replace("主要职责是", "主要职责是（已修改）", 1)
        if "已修改" not in text
        else text.replace("（已修改）", "", 1),
        encoding="utf-8",
    )
    return year_file


def baseline(folder: Path, quiet: float | None = None) -> dict:
    """Plain MkDocs: the same pages' content as static Markdown, built-in theme and search
    (``quiet`` as for :func:`ours`)."""
    plain = folder / "plain"
    set_aside(plain)
    docs = plain / "docs"
    for page in (folder / "site").rglob("index.html"):
        relative = page.parent.relative_to(folder / "site")
        if relative.parts[:1] in (("search",), ("pagefind",), ("format",)):
            continue
        html = page.read_text(encoding="utf-8")
        main = html[html.index("<main") : html.index("</main>")]
        main = main[main.index(">") + 1 :]
        target = docs / relative / "index.md" if relative.parts else docs / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(main, encoding="utf-8")
    (plain / "mkdocs.yml").write_text(
        "site_name: 决算公开\ntheme: mkdocs\nplugins: [search]\n", encoding="utf-8"
    )
    if quiet is not None:
        settle(quiet)
    run = timed([sys.executable, "-m", "mkdocs", "build", "-q"], plain)
    run["site_mib"] = size_mib(plain / "site")
    run["fixed_kib"] = (plain / "site" / FIXED).stat().st_size / 1024
    run["index_mib"] = size_mib(plain / "site" / "search")
    return run


def serve_reload(folder: Path, edits: int) -> list[float]:
    """Seconds from saving a unit's YAML to `mkdocs serve` serving the changed page, for
    each of ``edits`` edits."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{FIXED.replace('index.html', '')}"
    try:
        wait(url, lambda body: "主要职责" in body, 1800)
        times = []
        for _ in range(edits):
            time.sleep(2)
            year_file = edit_one_unit(folder)
            marker = "（已修改）" in year_file.read_text(encoding="utf-8")
            start = time.monotonic()
            wait(url, lambda body, marker=marker: ("（已修改）" in body) == marker, 120)
            times.append(time.monotonic() - start)
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait(url: str, predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if predicate(response.read().decode("utf-8")):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {url}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--baseline-max", type=int, default=1000)
    parser.add_argument("--full-max", type=int, default=10000)
    parser.add_argument("--serve-size", type=int, default=10000)
    parser.add_argument("--serve-edits", type=int, default=3)
    parser.add_argument("--target", type=int, default=10000)
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--quiet", type=int, default=QUIET)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    empty_trash()
    rows = [
        "| N unit-years | pages | cold build (s) | pages/s | peak MiB | site MiB | fixed page KiB | "
        "index build (s) | index MiB | first query KB (gzip) | warm rebuild (s) | "
        "one unit edited (s, units rendered) | plain MkDocs (s, peak MiB, site MiB, page KiB) |",
        "|" + "---|" * 13,
    ]
    stages, serve, plain, pairs = [], None, None, []
    target_cold = plain_run = None
    for n in args.sizes:
        folder = project(n)
        r = ours(folder, full=n <= args.full_max, quiet=args.quiet if n == args.target else None)
        line = (
            f"| {n:,} | {r['pages']:,} | {r['cold']['wall']:.1f} | "
            f"{r['pages'] / r['cold']['wall']:.0f} | {r['cold']['rss_mib']:.0f} | "
            f"{r['site_mib']:.0f} | {r['fixed_kib']:.1f} | "
        )
        if "warm" in r:
            line += (
                f"{r['index']['wall']:.1f} | {r['index_mib']:.1f} | {r['query_kb']:.0f} | "
                f"{r['warm']['wall']:.1f} | {r['incremental']['wall']:.1f} ({r['rendered']}) |"
            )
        else:
            line += f"– | {r['index_mib']:.1f} | – | – | – |"
        if n == args.target:
            target_cold = r["cold"]
        if n <= args.baseline_max:
            b = baseline(folder, quiet=args.quiet if n == args.baseline_max else None)
            line += (
                f" {b['wall']:.1f}, {b['rss_mib']:.0f}, {b['site_mib']:.0f}, {b['fixed_kib']:.1f} |"
            )
            if n == args.baseline_max:
                plain = b["wall"]
                plain_run = b
        else:
            line += " not run (quadratic) |"
        rows.append(line)
        stages.append(f"- N = {n:,}: {r['stages']}")
        print(line, flush=True)
        if n == args.serve_size:
            serve = serve_reload(folder, args.serve_edits)
            deleted()
    if plain_run is not None and target_cold is not None:
        pairs.append((target_cold, plain_run))
        for _ in range(args.pairs):
            cold = ours(project(args.target), full=False, quiet=args.quiet)["cold"]
            pairs.append((cold, baseline(project(args.baseline_max), quiet=args.quiet)))
            print(f"pair: {cold['wall']:.1f} s against {pairs[-1][1]['wall']:.1f} s", flush=True)
    report = "\n".join(rows) + "\n"
    if plain is not None:
        report += (
            f"\nCold build against plain MkDocs at N = {args.baseline_max:,} ({plain:.1f} s):\n"
        )
        for row in rows[2:]:
            n, cold = row.split(" | ")[0].strip("| "), float(row.split(" | ")[2])
            report += f"- N = {n}: {cold / plain:.2f} × plain MkDocs\n"
    if pairs:
        ratios = sorted(cold["wall"] / mkdocs["wall"] for cold, mkdocs in pairs)
        report += (
            f"\nOurs cold at N = {args.target:,} against plain MkDocs at N = "
            f"{args.baseline_max:,}, pair by pair (the first from the table above, the others "
            "run back to back after it):\n"
        )
        for cold, mkdocs in pairs:
            report += (
                f"- {cold['wall']:.1f} s ({cold['cpu']:.0f} CPU s, {cold['kernel']:.1f} of them "
                f"kernel) against {mkdocs['wall']:.1f} s ({mkdocs['cpu']:.0f} CPU s, "
                f"{mkdocs['kernel']:.1f} kernel): "
                f"{cold['wall'] / mkdocs['wall']:.2f} ×\n"
            )
        report += f"- median {ratios[len(ratios) // 2]:.2f} ×\n"
    report += (
        "\nWhere the cold build's time goes (as the build logs it):\n" + "\n".join(stages) + "\n"
    )
    if serve is not None:
        shown = ", ".join(f"{t:.1f}" for t in serve)
        report += (
            f"\n`mkdocs serve` at N = {args.serve_size:,}: edit saved → new page served in "
            f"{shown} s\n"
        )
    (OUT / "results.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
