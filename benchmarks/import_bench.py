"""Seconds per workbook for ``publisher export`` and ``publisher import`` (and per PDF page).

    python benchmarks/import_bench.py [FILE.pdf …]

For every year file with tables under tests/fixtures (the Hunan seeds and the two Shanghai
documents): the export (grids → .xlsx bytes) and the import (read the workbook, every
table through table_from_rows, the draft written as YAML, loaded and checked), each the
best of several runs in a scratch copy of the fixture project, so nothing in the
repository is written. PDF files given on the command line are read with
``publisher.importer.pdf.read`` when that module exists (seconds per page); without it
they are listed as not measured.
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


def pdfs(files: list[Path]) -> None:
    if not files:
        return
    try:
        from publisher.importer import pdf  # type: ignore[attr-defined]
    except ImportError:
        print(f"PDF: publisher.importer.pdf not available; {len(files)} file(s) not measured")
        return
    layouts = load_library(FIXTURES)
    print("| PDF | pages | seconds | seconds per page |")
    print("|---|---|---|---|")
    layout = layouts.get("shanghai-2024")  # the PDF reader's own choice is its business
    for path in files:
        seconds = best(lambda p=path: pdf.read(p, layout))
        pages = page_count(path)
        print(f"| {path.name} | {pages} | {seconds:.2f} | {seconds / max(pages, 1):.3f} |")


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
    pdfs([Path(a) for a in argv])


if __name__ == "__main__":
    main(sys.argv[1:])
