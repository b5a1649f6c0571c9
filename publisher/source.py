"""Reading content files safely: whatever the bytes, a located problem and never a crash.

Everything under ``content/`` is read through here. A file is read only if it is a
regular file inside the content folder and not too large; its text must be UTF-8 without
control or bidirectional-override characters; its YAML may not use aliases (which can
expand exponentially) or nest deeper than any disclosure needs. Each refusal is a
:class:`Problem` at the ``file:line:col`` where it was found.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from .errors import Problem
from .models.base import Mark

NULLS = frozenset(("", "~", "null", "Null", "NULL"))

# A year file is 10–80 KB; the largest synthetic one is under 100 KB.
MAX_FILE_BYTES = 1_000_000
# Deepest nesting a disclosure needs is about 12 (sections inside sections of a report);
# libyaml's composer recurses in C and crashes the process at about 100,000 levels.
MAX_DEPTH = 40
# Each level of nesting needs one of these indicators, so a file with fewer of them
# cannot nest deeper than MAX_DEPTH… and is not worth the extra parse that measures it.
_NESTING = "[{-?:"
_DEEP_CANDIDATE = 10_000  # the largest seed file has 3,214

# What libyaml accepts as printable (YAML 1.1 §5.1) is refused with a clearer message,
# and so are the bidirectional controls that make text display in another order than
# it is stored (U+202A–U+202E, U+2066–U+2069), and NEL (U+0085), which YAML reads as a
# line break that editors cannot see.
_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)
_CHAR_NAMES = {
    "\x00": "NUL",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed, common in text copied from PDF",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    "\ufeff": "byte order mark inside the text",
    "\ufffe": "not a character",
    "\uffff": "not a character",
}
_MAX_CHAR_PROBLEMS = 10


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser with a minimal resolver: a plain scalar is null or text.

    The converter reads every value from its source text according to the model, so
    YAML's implicit typing (ints, floats, booleans, dates) is not needed, and skipping
    it saves a regex pass per scalar.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return (
                "tag:yaml.org,2002:null"
                if implicit[0] and value in NULLS
                else "tag:yaml.org,2002:str"
            )
        return super().resolve(kind, value, implicit)


class SourceError(Exception):
    """A content file that cannot be read; the message says why, without the path."""


def read_source(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file of reasonable size.

    Opened without blocking, so a FIFO named like a year file is refused instead of
    waiting forever for a writer.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise SourceError(f"cannot read the file: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(
                "not a regular file (expected a YAML text file, found a "
                f"{'folder' if stat.S_ISDIR(info.st_mode) else 'FIFO, socket or device'})"
            )
        if info.st_size > MAX_FILE_BYTES:
            raise SourceError(
                f"file is too large (expected at most {MAX_FILE_BYTES:,} bytes, "
                f"found {info.st_size:,})"
            )
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SourceError(f"cannot read the file: {error.strerror}") from None
    finally:
        os.close(fd)


def compose(path: Path, shown: str, problems: list[Problem]) -> yaml.Node | None:
    """The YAML node tree of one content file, or ``None`` with its problems added."""
    try:
        data = read_source(path)
    except SourceError as error:
        problems.append(Problem(Mark(shown, 1, 1), str(error)))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                Mark(shown, line, col),
                f"file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8",
            )
        )
        return None
    text = text.removeprefix("\ufeff")
    found = refused_characters(text, shown) or structure_problems(text, shown)
    if found:
        problems.extend(found)
        return None
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        problems.append(yaml_problem(error, shown, text))
        return None
    except yaml.YAMLError as error:  # unmarked: libyaml's reader
        problems.append(Problem(Mark(shown, 1, 1), f"invalid YAML: {error}"))
        return None
    if node is None:
        problems.append(Problem(Mark(shown, 1, 1), "file is empty (expected a mapping of keys)"))
    return node


def refused_characters(text: str, shown: str) -> list[Problem]:
    """A problem at each control or bidirectional-override character (the first few)."""
    problems: list[Problem] = []
    for match in _REFUSED.finditer(text):
        if len(problems) == _MAX_CHAR_PROBLEMS:
            problems.append(
                Problem(
                    problems[-1].mark,
                    "more such characters follow; remove every control character from the file",
                )
            )
            break
        char = match.group()
        name = _CHAR_NAMES.get(char)
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            what = (
                f"bidirectional control character U+{ord(char):04X} is not allowed: it makes "
                f"text display in another order than it is written"
            )
        else:
            what = (
                f"control character U+{ord(char):04X}{f' ({name})' if name else ''} is not allowed"
            )
        problems.append(Problem(mark_at(text, match.start(), shown), f"{what}; delete it"))
    return problems


def structure_problems(text: str, shown: str) -> list[Problem]:
    """Aliases and excessive nesting, found from the parser's events before composing.

    Aliases (``*name``) are refused: editors do not need them, and a chain of them
    expands exponentially (a 1 KB file became a 1.5 MB page). Only files that could hold
    either are parsed twice: an alias needs an anchor (``&``), deep nesting many indicators.
    """
    if "&" not in text and sum(text.count(c) for c in _NESTING) < _DEEP_CANDIDATE:
        return []
    problems, depth = [], 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        mark_of_event(event, shown),
                        f"YAML alias '*{event.anchor}' is not allowed in content "
                        f"(expected the value written out, found a reference to "
                        f"'&{event.anchor}')",
                    )
                )
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(
                            mark_of_event(event, shown),
                            f"nested too deeply (expected at most {MAX_DEPTH} levels)",
                        )
                    )
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # composing reports it, with its mark
    return problems


def display_path(path: Path) -> str:
    """The path as an editor typed it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def listing(directory: Path, root: Path, problems: list[Problem]) -> tuple[list[Path], list[Path]]:
    """The folders and the files of ``directory``, sorted by name; hidden ones are skipped.

    A symbolic link is followed only to a file inside ``root``: a link to a folder could
    loop or publish a folder twice (a loop once gave 179 pages for 18), and a link out of
    ``content/`` would show another file's text in messages and on the preview.
    """
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        problems.append(
            Problem(
                Mark(display_path(directory), 1, 1), f"cannot read the folder: {error.strerror}"
            )
        )
        return [], []
    folders: list[Path] = []
    files: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if not entry.name.isprintable() or _undecodable(entry.name):
            problems.append(
                Problem(
                    Mark(escaped(display_path(path)), 1, 1),
                    "name is not printable UTF-8 text (expected a name such as "
                    "2020.yml or shifeng); rename it",
                )
            )
            continue
        refused = entry.is_symlink() and link_problem(path, root)
        if refused:
            problems.append(Problem(Mark(display_path(path), 1, 1), refused))
            continue
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        (folders if is_folder else files).append(path)
    return folders, files


def escaped(path: str) -> str:
    """``path`` with undecodable bytes and unprintable characters written as escapes."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _undecodable(name: str) -> bool:
    """Whether a file name had bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    return any("\udc80" <= c <= "\udcff" for c in name)


def link_problem(path: Path, root: Path) -> str | None:
    """Why the symbolic link ``path`` is not followed; ``None`` for a link to a file in ``root``."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return (
            f"broken symbolic link (expected a file, found a link to missing '{os.readlink(path)}')"
        )
    if target.is_dir():
        return "symbolic link to a folder is not followed (expected a real folder)"
    if not target.is_relative_to(root.resolve()):
        return (
            "symbolic link points outside the content folder "
            "(expected a file inside it; copy the file instead)"
        )
    return None


def mark_of_event(event: yaml.Event, shown: str) -> Mark:
    return Mark(shown, event.start_mark.line + 1, event.start_mark.column + 1)


def mark_at(text: str, offset: int, shown: str) -> Mark:
    line_start = text.rfind("\n", 0, offset) + 1
    return Mark(shown, text.count("\n", 0, offset) + 1, offset - line_start + 1)


def yaml_problem(error: yaml.MarkedYAMLError, shown: str, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = error.problem or "invalid YAML"
    lines = text.splitlines()
    at = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
    if at == "\t" or "'\\t'" in message:
        message = "tab character: YAML must be indented with spaces, not tabs"
    else:
        context = f" {error.context}" if error.context else ""
        message = f"invalid YAML: {message}{context}"
    return Problem(Mark(shown, mark.line + 1, mark.column + 1), message)
