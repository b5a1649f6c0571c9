"""Property-based fuzzing of real content files (issue 15).

Four mutators work on a seed year file: raw bytes, YAML structure, numbers, and unicode
(control and bidi characters included). Whatever comes out, loading, checking, rendering
and reporting either succeed or report problems: no exception, within bounded time. A few
examples go through the real commands (exit 0 or 1, no traceback, previous site intact).

The default run is short; ``python benchmarks/fuzz.py`` runs the same properties longer
(``PUBLISHER_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from conftest import CONTENT, FIXTURES, copy_project, make_tree, mkdocs_theme, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEED = (CONTENT / "yueyang/yunxi/jiguan-shiwu/2023.yml").read_text(encoding="utf-8")
EXAMPLES = int(os.environ.get("PUBLISHER_FUZZ_EXAMPLES", "30"))
SECONDS = 10  # per example, load → check → render → reports

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def publish_in_process(data: bytes) -> None:
    """Load, check, render and report one year file with these bytes; only problems may come out."""
    from publisher.build import build_site, check_content
    from publisher.cache import Cache
    from publisher.checks.report import to_html, to_json
    from publisher.layout import load_library
    from publisher.load import load_site_config
    from publisher.output import SiteFiles
    from publisher.publish import SiteTree
    from publisher.render import Renderer

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        make_tree(root, "").write_bytes(data)
        start = time.monotonic()
        config = load_site_config(FIXTURES / "site_config.yml")
        cache, theme = Path(folder) / "cache", mkdocs_theme()
        build = build_site(root, config, theme=theme, cache_dir=cache, workers=1, drafts=True)
        for problem in build.problems:
            assert re.match(r".+:\d+:\d+: ", str(problem)), problem
        files = SiteFiles(build.index, Renderer(config, theme), Cache(cache), cache, config.title)
        files.write(SiteTree(Path(folder) / "site"))
        summary = check_content(root, load_library(), config)
        for problem in summary.problems + summary.lapsed:
            assert re.match(r".+:\d+:\d+: ", str(problem)), problem
        to_json(summary)
        to_html(summary, "fuzz")
        assert time.monotonic() - start < SECONDS


# ---------------------------------------------------------------------- mutators


@st.composite
def byte_mutations(draw) -> bytes:
    data = bytearray(SEED.encode("utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["replace", "insert", "delete", "repeat"]))
        if kind == "replace":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 32))] * draw(st.integers(2, 50))
    return bytes(data)


SCALAR, SEQ, MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def slots(root: yaml.Node) -> list[tuple[list, int, bool]]:
    """Every place holding a node: (parent's list, position, whether it is a (key, value) pair)."""
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.SequenceNode):
            found += [(current.value, i, False) for i in range(len(current.value))]
            stack += current.value
        elif isinstance(current, yaml.MappingNode):
            found += [(current.value, i, True) for i in range(len(current.value))]
            stack += [v for _, v in current.value]
    return found


def replacement(draw, old: yaml.Node) -> yaml.Node | None:
    kind = draw(st.sampled_from(["list", "mapping", "scalar", "wrap", "nest"]))
    if kind == "list":
        return yaml.SequenceNode(SEQ, [old] * draw(st.integers(0, 3)))
    if kind == "mapping":
        return yaml.MappingNode(
            MAP, [(yaml.ScalarNode(SCALAR, draw(st.sampled_from(["title", "k", "rows"]))), old)]
        )
    if kind == "scalar":
        return yaml.ScalarNode(
            SCALAR, draw(st.sampled_from(["", "~", "x", "0", "-1", "优", "null", "[", "a: b"]))
        )
    if kind == "wrap" and isinstance(old, yaml.MappingNode):
        return yaml.MappingNode(
            MAP,
            [(yaml.ScalarNode(SCALAR, "sections"), yaml.SequenceNode(SEQ, [old]))]
            + list(old.value),
        )
    nested = old
    for _ in range(draw(st.integers(1, 60))):
        nested = yaml.SequenceNode(SEQ, [nested])
    return nested


@st.composite
def structure_mutations(draw) -> bytes:
    root = yaml.compose(SEED)
    for _ in range(draw(st.integers(1, 4))):
        every = slots(root)
        parent, at, pair = every[draw(st.integers(0, len(every) - 1))]
        action = draw(st.sampled_from(["replace", "drop", "duplicate"]))
        if action == "drop":
            del parent[at]
        elif action == "duplicate":
            parent.insert(at, parent[at])  # a repeated key, or a repeated list item
        elif pair:
            key, value = parent[at]
            parent[at] = (key, replacement(draw, value))
        else:
            parent[at] = replacement(draw, parent[at])
    return yaml.serialize(root, allow_unicode=True).encode("utf-8")


NUMBER = re.compile(r"(?<=[:,{\[] )-?\d+(?:\.\d+)?(?=[,}\]\s])")
NUMBERS = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.integers(0, 6)
    .flatmap(lambda p: st.decimals(allow_nan=False, allow_infinity=False, places=p))
    .map(str),
    st.sampled_from(
        [
            "1e5",
            "1E+30",
            "0x1F",
            "1,234.5",
            "１２３",
            "٣",
            "0.",
            ".5",
            "-0",
            "+1",
            "1_000",
            "9" * 13,
            "9" * 5000,
            "NaN",
            "inf",
            "97,9%",
            "１００％",
            "12.345.6",
        ]
    ),
)


@st.composite
def number_mutations(draw) -> bytes:
    text = SEED
    spans = [m.span() for m in NUMBER.finditer(text)]
    for _ in range(draw(st.integers(1, 6))):
        start, end = spans[draw(st.integers(0, len(spans) - 1))]
        replacement = draw(NUMBERS)
        text = text[:start] + replacement + text[end:]
        spans = [m.span() for m in NUMBER.finditer(text)]
    return text.encode("utf-8")


UNICODE = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(
        [
            "\x00",
            "\x07",
            "\x0b",
            "\x0c",
            "\x1f",
            "\x7f",
            "\x85",
            "\u202e",
            "\u2066",
            "\u200b",
            "\ufeff",
            "\ufffe",
            "\u2028",
            "\r",
            "\t",
            "\U0010ffff",
            "\ud7ff",
            "＼",
            "％",
            "：",
            "<script>",
            "{{ 7*7 }}",
            "&lt;",
            "[x](javascript:alert(1))",
        ]
    ),
)


@st.composite
def unicode_mutations(draw) -> bytes:
    text = SEED
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(UNICODE) * draw(st.integers(1, 3)) + text[at:]
    return text.encode("utf-8", errors="surrogatepass")


# -------------------------------------------------------------------- properties


@fuzz
@given(byte_mutations())
def test_byte_mutations(data):
    publish_in_process(data)


@fuzz
@given(structure_mutations())
def test_structure_mutations(data):
    publish_in_process(data)


@fuzz
@given(number_mutations())
def test_number_mutations(data):
    publish_in_process(data)


@fuzz
@given(unicode_mutations())
def test_unicode_mutations(data):
    publish_in_process(data)


@settings(
    max_examples=max(3, EXAMPLES // 10),
    deadline=None,
    derandomize=EXAMPLES <= 30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(byte_mutations(), structure_mutations(), number_mutations(), unicode_mutations()))
def test_commands_on_mutations(tmp_path_factory, data):
    """``publisher check`` and ``mkdocs build``: exit 0 or 1, no traceback, previous site intact."""
    project = copy_project(tmp_path_factory.mktemp("fuzz"))
    assert (
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True
        ).returncode
        == 0
    )
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "content/yueyang/yunxi/jiguan-shiwu/2023.yml").write_bytes(data)
    check = run_cli("check", "content", cwd=project)
    assert check.returncode in (0, 1) and "Traceback" not in check.stderr, check.stderr[-2000:]
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode in (0, 1) and "Traceback" not in built.stderr, built.stderr[-2000:]
    if built.returncode == 1:
        after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
        assert after == before
