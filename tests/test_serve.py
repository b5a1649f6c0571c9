"""Editors' preview: `mkdocs serve` picks up edits, shows broken files, keeps running."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import copy_project

PAGE = "changde/zhengfu-bangongshi/2020/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, predicate, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and predicate(body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting on {url}; last body: {(body or '')[:300]}")


@pytest.fixture
def server(tmp_path):
    project = copy_project(tmp_path / "p")
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield project, f"http://127.0.0.1:{port}/", log
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_edit_is_served_and_broken_file_is_shown(server):
    project, base, log = server
    url = base + PAGE
    old, new = '<td class="n">115.27</td>', '<td class="n">116.27</td>'
    wait_for(url, lambda body: old in body)
    year_file = project / "content" / "changde" / "zhengfu-bangongshi" / "2020.yml"
    original = year_file.read_text(encoding="utf-8")
    assert "115.27" in original

    year_file.write_text(original.replace("115.27", "116.27"), encoding="utf-8")
    body = wait_for(url, lambda body: new in body and old not in body)
    assert "未说明的数据不一致" in body  # the preview flags the new inconsistency

    year_file.write_text(original.replace("year: 2020", "year: [2020"), encoding="utf-8")
    body = wait_for(url, lambda body: "内容有误" in body)
    assert "content/changde/zhengfu-bangongshi/2020.yml:" in body
    log.seek(0)
    assert "content/changde/zhengfu-bangongshi/2020.yml:" in log.read()
    assert fetch(base) is not None  # the server is still up

    year_file.write_text(original, encoding="utf-8")
    wait_for(url, lambda body: old in body and "内容有误" not in body)
