"""Property-based fuzzing of real content files: whatever an editor's typo does to a file
(bytes, YAML structure, numbers, unicode), publisher check and mkdocs build answer with
file:line:col messages and exit 0 or 1, never a traceback, and a failed build leaves the
previous site/ as it was."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from conftest import CONTENT, build_site, copy_project
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from publisher.cli import main

UNIT = Path("zhuzhou") / "shifeng" / "zhengfu-bangongshi"  # seed 004: all nine tables, 情况说明, 自评
FILES = [UNIT / "2020.yml", UNIT / "unit.yml", Path("zhuzhou") / "shifeng" / "region.yml"]
NUMBER = re.compile(rb"\d+(?:\.\d+)?")
ODD_NUMBERS = [b"-1", b"-0", b"0", b"1e5", b"1.234", b".5", b"NaN", b"\xef\xbc\x91\xef\xbc\x92",  # １２
               b"99999999999999999999999999.99", b"-21.36", b"1_000", b"0x10", b"++1"]


@st.composite
def mutation(draw, data: bytes) -> bytes:
    """One editor's slip applied to ``data``."""
    kind = draw(st.sampled_from(["bytes", "delete", "line", "number", "unicode", "indent"]))
    at = draw(st.integers(0, len(data)))
    if kind == "bytes":
        return data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 40)):]
    if kind == "unicode":
        return data[:at] + draw(st.text(min_size=1, max_size=3)).encode("utf-8") + data[at:]
    lines = data.splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "line":
        j = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap"]))
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = b"  " + lines[i] if draw(st.booleans()) else lines[i][2:]
    else:
        numbers = list(NUMBER.finditer(data))
        if numbers:
            m = numbers[draw(st.integers(0, len(numbers) - 1))]
            return data[:m.start()] + draw(st.sampled_from(ODD_NUMBERS)) + data[m.end():]
    return b"".join(lines)


# Characters YAML refuses to read (control characters, U+FFFE …): libyaml raises a ReaderError
# that publisher.load does not turn into a file:line:col problem yet; that, with the other
# input-safety cases, is issue 15's. Until then the fuzzing leaves them out.
UNREADABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@st.composite
def slip(draw) -> tuple[Path, bytes]:
    name = draw(st.sampled_from(FILES))
    data = draw(mutation((CONTENT / name).read_bytes()))
    assume(not UNREADABLE.search(data.decode("utf-8", "ignore")))
    return name, data


def check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(root)])
    return code, err.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slip())
def test_check_answers_every_slip_without_a_traceback(change):
    name, data = change
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        shutil.copytree(CONTENT / "zhuzhou", root / "zhuzhou")
        (root / name).write_bytes(data)
        code, errors = check(root)
    assert code in (0, 1), errors
    assert "Traceback" not in errors and "内部错误" not in errors, errors
    if code == 1:
        assert re.search(r"^\S+:\d+:\d+: ", errors, re.M), errors


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slip())
def test_failed_build_leaves_the_previous_site(change):
    name, data = change
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder) / "p")
        out = project / "site"
        assert build_site(project, out).returncode == 0
        before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        (project / "content" / name).write_bytes(data)
        result = build_site(project, out)
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == 1:
            assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
