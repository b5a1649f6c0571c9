"""Seconds per workbook for ``publisher export`` and ``publisher import`` (and per PDF page).

    python benchmarks/import_bench.py [FILE.pdf[:LAYOUT] …]

For every year file with tables under tests/fixtures (the Hunan seeds and the two Shanghai
documents): the export (grids → .xlsx bytes) and the import (read the workbook, every
table through table_from_rows, the draft written as YAML, loaded and checked), each the
best of several runs in a scratch copy of the fixture project, so nothing in the
repository is written. Then PDFs are read with ``publisher.importer.pdf.read`` (seconds
per page): those given on the command line, else the Shanghai documents in shared/real
beside the repository.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.importer.commands import import_file  # noqa: E402
from publisher.importer.xlsx import read  # noqa: E402
from publisher.layout import load_library  # noqa: E402
from publisher.load import load_content  # noqa: E402
from publisher.scaffold import write_unit_file  # noqa: E402
from publisher.workbook import table_grids, workbook_bytes  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared" / "real"
SHANGHAI = [
    ("putuo-caizhengju-2024.pdf", "shanghai-2024-fenlie"),
    ("putuo-guihua-ziranziyuan-2024.pdf", "shanghai-2024"),
    ("shanghai-2024-template.pdf", "shanghai-2024"),
]
RUNS = 5


def best(action, number: int = 1) -> float:
    return min(timeit.repeat(action, number=number, repeat=RUNS)) / number


def workbooks(project: Path) -> None:
    layouts = load_library(project)
    config = project / "site_config.yml"
    print("| year file | tables | export (ms) | read workbook (ms) | import with checks (s) |")
    print("|---|---|---|---|---|")
    for unit in load_content(project / "content").all_units():
        for year, d in unit.years.items():
            if d.final_accounts is None:
                continue
            layout = layouts.choose(d, unit, None)
            grids = table_grids(d, layout)
            book = project / f"{unit.slug}-{year}.xlsx"
            book.write_bytes(workbook_bytes(grids))
            export = best(lambda g=grids: workbook_bytes(g), number=10)
            reading = best(lambda b=book, lay=layout: read(b, lay), number=3)
            out = unit.directory.parent / f"bench-{unit.slug}" / f"{year}.yml"

            def whole(b=book, o=out, lay=layout) -> None:
                import_file(
                    b, o, config, lay.id, force=True, name="基准测试单位", new_unit=write_unit_file
                )

            total = best(whole)
            print(
                f"| {unit.url}{year} | {len(grids)} | {export * 1000:.1f} | "
                f"{reading * 1000:.1f} | {total:.2f} |"
            )


def pdfs(files: list[str]) -> None:
    """Seconds to read each PDF (``FILE.pdf`` or ``FILE.pdf:LAYOUT``; by default the
    Shanghai documents in shared/real beside the repository): best of a few runs, on one
    core (the reader uses one)."""
    from publisher.importer import pdf

    if not files:
        files = [
            f"{SHARED / name}:{layout}" for name, layout in SHANGHAI if (SHARED / name).is_file()
        ]
    if not files:
        print(f"PDF: no PDF given and none in {SHARED}; nothing measured")
        return
    layouts = load_library(FIXTURES)
    print("| PDF | layout | pages | read (s) | seconds per page | 30 pages at that rate (s) |")
    print("|---|---|---|---|---|---|")
    for spec in files:
        name, _, layout_id = spec.partition(":")
        path = Path(name)
        layout = layouts.get(layout_id or "shanghai-2024")
        seconds = min(
            timeit.repeat(
                lambda p=path, lay=layout: pdf.read(p, lay, partial=True), number=1, repeat=3
            )
        )
        pages = page_count(path)
        rate = seconds / max(pages, 1)
        print(
            f"| {path.name} | {layout.id} | {pages} | {seconds:.2f} | {rate:.3f} | {30 * rate:.1f} |"
        )


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as document:
        return len(document.pages)


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        shutil.copytree(FIXTURES / "content", project / "content")
        shutil.copytree(FIXTURES / "real", project / "content", dirs_exist_ok=True)
        shutil.copy(FIXTURES / "site_config.yml", project / "site_config.yml")
        workbooks(project)
    pdfs(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
