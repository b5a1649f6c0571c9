"""Search index: Pagefind over the built site, with every Chinese character indexed as a word.

Pagefind segments Chinese with a dictionary when it indexes, but the browser segments the
query with ``Intl.Segmenter``, and the two disagree on compounds (Pagefind issue #1237):
the index holds 君山/区 and 公务/用车 where the query asks for 君/山区 and 公务/用/车, so
“君山区” found nothing and “公务用车” missed pages. Domain terms are endless (units,
regions, 科目 names), so no dictionary can cover them.

Instead Pagefind is given a copy of each indexed page with a zero-width space between
adjacent Han characters: each character becomes a word, ``theme/js/search.js`` splits
the query the same way and searches it as a phrase, and a phrase of single characters is
an exact substring match, whatever the words. Pagefind removes zero-width spaces from
the excerpts it returns, and the pages in the site are not changed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import PublisherError

# Han ideographs: CJK Unified Ideographs, Extension A, Compatibility, Extensions B–F.
# theme/js/search.js splits queries with the same class (tests/test_search.py checks it).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
ZERO_WIDTH_SPACE = "\u200b"

_BETWEEN_HAN = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
# Our pages come from Jinja2 with autoescape and from nh3, so a text node is exactly a run
# between ">" and "<"; attribute values (filters and metadata) are never touched.
_TEXT_NODE = re.compile(r">([^<]+)<")
_INDEXED = "data-pagefind-body"


def split_han(html: str) -> str:
    """``html`` with a zero-width space between adjacent Han characters of its text."""
    return _TEXT_NODE.sub(lambda m: ">" + _BETWEEN_HAN.sub(ZERO_WIDTH_SPACE, m.group(1)) + "<", html)


def build_index(site_dir: Path) -> None:
    """Index ``site_dir`` into ``site_dir/pagefind`` with the bundled Pagefind binary.

    A site without disclosures gets no index (Pagefind refuses an empty one); its search
    page then says that search is unavailable.
    """
    with tempfile.TemporaryDirectory(prefix="publisher-search-") as staging:
        if _stage(site_dir, Path(staging)):
            _run_pagefind(Path(staging), site_dir / "pagefind")


def _stage(site_dir: Path, staging: Path) -> int:
    """Copy the pages to index (those with ``data-pagefind-body``) into ``staging``, split; count them."""
    count = 0
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if _INDEXED not in html:
            continue
        target = staging / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(split_han(html), encoding="utf-8")
        count += 1
    return count


def _run_pagefind(staging: Path, bundle: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-path", str(bundle),
               "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublisherError(f"search index failed: {result.stderr.strip() or result.stdout.strip()}")
