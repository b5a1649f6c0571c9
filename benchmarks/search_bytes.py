"""Bytes a browser fetches for the first search query on a built site.

    python benchmarks/search_bytes.py benchmarks/out/n10000/site 公务接待费

Serves the site on 127.0.0.1, opens /search/?q=QUERY in headless Chromium (Debian's
/usr/bin/chromium through Playwright), waits for the results and lists every response
after the search page itself: its raw size, and its size gzip-compressed as a web server
with compression would send it (Pagefind's index files are already compressed).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

QUERY = "公务接待费"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def measure(site: Path, query: str) -> list[tuple[str, int, int]]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.on("response", lambda r: fetched.append(r.url))
            page.goto(f"{base}search/?q={quote(query)}")
            page.wait_for_function(
                "document.querySelector('#search-status') && "
                "/找到|没有/.test(document.querySelector('#search-status').textContent)",
                timeout=60_000,
            )
            page.wait_for_timeout(500)
            browser.close()
    finally:
        server.shutdown()
    rows = []
    for url in fetched:
        path = site / url[len(base) :].split("?")[0]
        if path.is_dir():
            path = path / "index.html"
        if "/search/" in url and path.name == "index.html":
            continue  # the page itself, not the search
        data = path.read_bytes()
        compressed = len(data) if path.suffix.startswith(".pf_") else len(gzip.compress(data))
        rows.append((url[len(base) :], len(data), compressed))
    return rows


def main() -> None:
    site, query = Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else QUERY
    rows = measure(site, query)
    for url, raw, compressed in rows:
        print(f"{raw:>9,} {compressed:>9,}  {url}")
    print(
        f"{sum(r for _, r, _ in rows):>9,} {sum(c for _, _, c in rows):>9,}  total (raw, gzip) for “{query}”"
    )


if __name__ == "__main__":
    main()
