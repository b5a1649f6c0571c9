"""The search page's core (theme/js/search.js: parts, phrases, find, rank, counts) under node,
on a fake Pagefind, without a site build or a browser (tests/js/search_core.mjs)."""

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "js" / "search_core.mjs"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_search_core_under_node():
    result = subprocess.run(["node", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "all assertions passed" in result.stdout
