"""Files the build keeps (cache entries, records, manifests) written whole."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def write_whole(path: Path, data: str | bytes) -> None:
    """Write ``path`` so that a reader finds the old file or the new one, never part of one
    (a build killed mid-write leaves only a ``*.tmp`` beside it): the data goes to a
    temporary named by process and thread, as several may write at once, then replaces it."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    if isinstance(data, str):
        temporary.write_text(data, encoding="utf-8")
    else:
        temporary.write_bytes(data)
    temporary.replace(path)
