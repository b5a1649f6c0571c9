"""Pagefind's bundle made byte-for-byte reproducible.

Pagefind 1.5.2 writes its filter files and the ``filters`` list of its metadata file in
the iteration order of a Rust ``HashMap``, which is seeded at random on every run: two
builds of the same pages differ in ``filter/*.pf_filter``, ``pagefind.*.pf_meta`` and the
hash in ``pagefind-entry.json`` (the index chunks, fragments and scripts are already
stable). :func:`stabilise` sorts those lists, writes the files again (gzip with no
timestamp) and renames them by the hash of their new content, as Pagefind names them.

The files are gzip-compressed CBOR behind Pagefind's ``pagefind_dcd`` signature; the
small codec below reads and writes the subset Pagefind uses (integers, strings, arrays,
maps), in CBOR's shortest form, which is how Pagefind writes it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def stabilise(bundle: Path) -> None:
    """Rewrite ``bundle``'s filter and metadata files in a fixed order (see module docstring)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = read(meta_path)
        prefix = language["hash"].rsplit("_", 1)[0]
        filters = []
        for name, old_hash in meta[3]:
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            group, values = read(old)
            data = encode([group, sorted(values, key=lambda v: v[0])])
            new_hash = f"{prefix}_{hashlib.sha256(data).hexdigest()[:7]}"
            old.unlink()
            write(bundle / "filter" / f"{new_hash}.pf_filter", data)
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        data = encode(meta)
        language["hash"] = f"{prefix}_{hashlib.sha256(data).hexdigest()[:13]}"
        meta_path.unlink()
        write(bundle / f"pagefind.{language['hash']}.pf_meta", data)
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind file")
    value, end = decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path}: trailing bytes")
    return value


def write(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + data, mtime=0))


def decode(data: bytes, i: int):
    """One CBOR item at ``data[i]``: (value, offset after it)."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise ValueError(f"unsupported CBOR item (major type {major}, additional info {info})")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major == 2:
        return bytes(data[i : i + arg]), i + arg
    if major == 3:
        return data[i : i + arg].decode("utf-8"), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(arg):
            key, i = decode(data, i)
            mapping[key], i = decode(data, i)
        return mapping, i
    if major == 7 and arg in (20, 21, 22):
        return {20: False, 21: True, 22: None}[arg], i
    raise ValueError(f"unsupported CBOR item (major type {major})")


def encode(value) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else 0xF5 if value else 0xF4])
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return head(3, len(data)) + data
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__}")


def head(major: int, arg: int) -> bytes:
    """A CBOR item's head in its shortest form."""
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise ValueError("integer too large for CBOR")
