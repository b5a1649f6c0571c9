"""No module imports from a layer above its own (README: 架构). Every module of the package
is placed in a layer here, so a new module has to be placed too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "publisher"

# Low to high. A module may import from its own layer and the layers below it.
LAYERS = [
    # the models and how files become models (marks for file:line:col)
    {"models", "errors", "source", "convert", "load"},
    # domain terms: the nine tables, codes, labels, tolerance, anchors, filters
    {"terms"},
    # what is checked and derived from the figures
    {"checks", "compute", "statements", "explain"},
    # what a build knows of each unit (the pipeline's index, read by index pages)
    {"index"},
    # layouts as data, and the grids and views built from them
    {"layout"},
    {"grid", "forms", "charts", "compare", "summary", "downloads", "workbook", "ooxml"},
    {"render"},
    # the pipeline with its cache, the search index, publication; import and export
    {"build", "cache", "output", "search", "publish", "reproducible", "importer", "files"},
    # the entry points: the MkDocs plugin and the command line with its helpers
    {"plugin", "cli", "__main__", "reference", "scaffold", "sample"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def top(module: str) -> str:
    """The layer name of a ``publisher`` submodule: its first component."""
    return module.split(".")[0]


def imports(path: Path) -> set[str]:
    """The publisher modules ``path`` imports, relative to the package (``models.base`` …)."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = list(here[:-1])  # the package the module is in (for an __init__, itself)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join(base + [node.module]))
            else:
                found |= {".".join(base + [a.name]) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("publisher."):
            found.add(node.module.removeprefix("publisher."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("publisher.")
                for a in node.names
                if a.name.startswith("publisher.")
            }
    return {m for m in found if m}


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts == ("__init__",):
            continue
        out.append((".".join(p for p in parts if p != "__init__"), path))
    return out


def test_every_module_has_a_layer():
    unplaced = sorted({top(m) for m, _ in modules()} - set(LAYER))
    assert not unplaced, f"place these modules in tests/test_architecture.py LAYERS: {unplaced}"


def test_no_module_imports_from_a_layer_above_it():
    upward = [
        f"{module} (layer {LAYER[top(module)]}) imports {target} (layer {LAYER[top(target)]})"
        for module, path in modules()
        for target in imports(path)
        if top(target) in LAYER and LAYER[top(target)] > LAYER[top(module)]
    ]
    assert not upward, "\n".join(upward)


def test_the_check_can_see_an_upward_import(tmp_path):
    """The import reader finds relative imports of every form (a test of the test)."""
    fake = PACKAGE / "checks" / "rules.py"
    found = imports(fake)
    assert "checks.kinds" in found and "terms" in found
