"""Search index: Pagefind over the built site (it segments Chinese and loads index chunks lazily)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import PublisherError


def build_index(site_dir: Path) -> None:
    """Index ``site_dir`` into ``site_dir/pagefind`` with the bundled Pagefind binary."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublisherError(f"search index failed: {result.stderr.strip() or result.stdout.strip()}")
