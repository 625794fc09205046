"""The change-log files in a sync target (format in docs/SYNC.md).

A target holds ``logs/<device>-<seq>.jsonl.gz`` (the changes one device made, in the order it
wrote them; one writer per file, never rewritten with other content) and
``snapshots/<device>-<seq>.snap.jsonl.gz`` (one device's whole state, so a new device does not
replay years of logs). Each file is gzip-compressed JSON lines: a header object, the operations
``[kind, id, field, hlc, value]``, and an ``{"end": n}`` trailer. A file that does not decode
whole (still arriving, cut off) is left for a later sync, never half-applied.

Folder-sync engines leave other names beside ours: their temporary files are skipped, their
conflict copies (``name.sync-conflict-….gz``, ``name (conflicted copy …).gz``) are read like
any other file (they can only hold operations, and applying one twice changes nothing).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any

FORMAT = 1
LOGS = "logs"
SNAPSHOTS = "snapshots"
MARKER = "pizhu-sync.json"  # the target's format marker (written once)

Op = list[Any]  # [kind, id, field, hlc, value]

_NAME = re.compile(r"(?P<device>[0-9a-f]{12})-(?P<seq>\d{8})")
_TEMP = re.compile(r"^(\.|~)|\.(tmp|part|partial|crdownload|!sync)$|^\.syncthing\.", re.I)


class BadFile(Exception):
    """A file that does not decode whole: still arriving, cut off, or not ours."""


@dataclass(frozen=True)
class FileName:
    name: str  # as found in the target
    device: str
    seq: int
    snapshot: bool
    copy: bool  # a folder engine's conflict copy (or another odd name holding our pattern)


def log_name(device: str, seq: int) -> str:
    return f"{device}-{seq:08d}.jsonl.gz"


def snapshot_name(device: str, seq: int) -> str:
    return f"{device}-{seq:08d}.snap.jsonl.gz"


def parse_name(name: str, *, snapshot: bool) -> FileName | None:
    """What a name found in ``logs/`` or ``snapshots/`` holds, None for temporary files and
    strangers. Conflict copies keep our name inside theirs and count (``copy=True``)."""
    if _TEMP.search(name) or ".jsonl" not in name:
        return None
    m = _NAME.search(name)
    if m is None:
        return None
    device, seq = m.group("device"), int(m.group("seq"))
    plain = snapshot_name(device, seq) if snapshot else log_name(device, seq)
    return FileName(name, device, seq, snapshot, copy=name != plain)


def encode(header: dict[str, Any], ops: list[Op]) -> bytes:
    """A whole file: deterministic bytes (gzip without a time stamp), so writing it again after
    a crash gives the same file."""
    lines = [json.dumps({"pizhu-sync": FORMAT, **header}, ensure_ascii=False,
                        separators=(",", ":"), sort_keys=True)]
    lines += [json.dumps(op, ensure_ascii=False, separators=(",", ":")) for op in ops]
    lines.append(json.dumps({"end": len(ops)}))
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=6, mtime=0)


#: A log file unpacks to at most this much (a real one packs text 3–10 times; a file that
#: unpacks beyond it — a "gzip bomb" dropped in a shared folder — is refused, not read).
MAX_UNPACKED = 1 << 30


def _gunzip(data: bytes, limit: int = MAX_UNPACKED) -> bytes:
    """gzip.decompress that stops at ``limit`` bytes (BadFile) instead of filling the memory."""
    out = bytearray()
    d = zlib.decompressobj(wbits=31)  # gzip header and trailer
    chunk = d.decompress(data, limit + 1)
    out += chunk
    if len(out) > limit or d.unconsumed_tail:
        raise BadFile(f"unpacks to more than {limit >> 20} MB")
    if not d.eof:
        raise EOFError("compressed file ended before the end-of-stream marker was reached")
    return bytes(out)


def decode(data: bytes) -> tuple[dict[str, Any], list[Op]]:
    """(header, operations) of a whole file; BadFile if it is cut off, damaged or not ours."""
    try:
        text = _gunzip(data).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
        raise BadFile(f"not a whole gzip file ({e})") from None
    lines = text.splitlines()
    if len(lines) < 2:
        raise BadFile("too short")
    try:
        header = json.loads(lines[0])
        trailer = json.loads(lines[-1])
        ops = [json.loads(line) for line in lines[1:-1]]
    except ValueError as e:
        raise BadFile(f"a line is not JSON ({e})") from None
    if not isinstance(header, dict) or header.get("pizhu-sync") is None:
        raise BadFile("no Pizhu sync header")
    if header["pizhu-sync"] > FORMAT:
        raise BadFile(f"written by a newer Pizhu (format {header['pizhu-sync']}); update Pizhu")
    if not isinstance(trailer, dict) or trailer.get("end") != len(ops):
        raise BadFile("cut off (its end marker is missing)")
    for op in ops:
        if not (isinstance(op, list) and len(op) == 5 and all(isinstance(x, str) for x in op[:4])):
            raise BadFile("an operation is malformed")
    return header, ops
