"""CPU milliseconds per disclosure workbook (grids → .xlsx bytes) over a content folder.

    python benchmarks/workbook_bench.py [CONTENT] [--limit N]

Loads every unit-year with tables under CONTENT (by default the 1,000-unit benchmark sample,
benchmarks/out/n1000/content), builds its table grids once, then times only
``publisher.workbook.workbook_bytes`` with ``time.process_time`` (CPU, so the load of other
work on the machine counts less): the best of three passes over all of them. Nothing is
written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.layout import load_library  # noqa: E402
from publisher.load import load_content  # noqa: E402
from publisher.workbook import table_grids, workbook_bytes  # noqa: E402

SAMPLE = ROOT / "benchmarks" / "out" / "n1000" / "content"
PASSES = 3


def all_grids(content: Path, limit: int | None) -> list:
    layouts = load_library(content.parent)
    out = []
    for unit in load_content(content).all_units():
        for d in unit.years.values():
            if d.final_accounts is not None:
                out.append(table_grids(d, layouts.choose(d, unit, None)))
            if limit and len(out) >= limit:
                return out
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("content", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    grids = all_grids(args.content, args.limit)
    passes = []
    for _ in range(PASSES):
        start = time.process_time()
        size = sum(len(workbook_bytes(g)) for g in grids)
        passes.append(time.process_time() - start)
    best = min(passes)
    print(
        f"{len(grids)} workbooks: {best / len(grids) * 1000:.2f} ms CPU each "
        f"(best of {PASSES}), {size / len(grids) / 1024:.1f} KiB each"
    )


if __name__ == "__main__":
    main()
