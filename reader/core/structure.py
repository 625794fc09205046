"""An article's structure, kept beside its plain text (no Qt here).

The stored, normalised body stays the one base for offsets, search and anchoring. Structure is
extra: block kinds (``heading``, ``quote``, ``list_item``, ``caption``) and inline emphasis
(``strong``, ``em``) as ranges of code points over that body, and images as objects at body
offsets (always at the start of a line, or at the very end). Losing structure never loses text:
a reader that ignores it shows the same article, only plainer.

Images are stored once per library, by content: ``<library>/images/ab/abcdef….png`` (SHA-256 of
the bytes). Only bytes that really are PNG, JPEG, GIF, WebP or BMP (checked from the bytes, not
from a declared type or a file name) are written; anything else — and every image that was only
a remote URL — is kept as a record with its alt text and URL and no file, which the reader shows
as a placeholder and never loads.

The structure of an article is tied to the exact body it was made for (``article_structure.
body_sha``): when the body later changes by a path that does not bring new structure (a merge, a
split), :func:`load` returns no structure rather than ranges that now point at other text.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.store import Connection, OperationalError

log = logging.getLogger(__name__)

BLOCK_KINDS = frozenset({"heading", "quote", "list_item", "caption"})
INLINE_KINDS = frozenset({"strong", "em"})
IMAGES_DIR = "images"
MAX_IMAGE_BYTES = 32 * 1024 * 1024  # one picture larger than this is kept as a record only
MAX_IMAGES = 2000  # per article; more are dropped (a page of tracking pixels is no article)

_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
        "image/bmp": "bmp"}


@dataclass(slots=True)
class Block:
    """A range of the body: a block kind (whole lines) or inline emphasis. ``level``: a
    heading's level (1–6) or a list item's nesting depth (1 = top level)."""

    kind: str
    start: int
    end: int
    level: int = 0


@dataclass(slots=True)
class Image:
    """A picture at body offset ``offset``. ``data`` holds the bytes while importing (None for a
    remote-only picture); after :func:`load`, ``file`` is its path relative to the library folder
    ('' when there is no file) and ``data`` is None."""

    offset: int
    alt: str = ""
    url: str = ""
    data: bytes | None = None
    mime: str = ""
    file: str = ""
    width: int = 0
    height: int = 0


@dataclass(slots=True)
class Structure:
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.blocks or self.images)


# ---------------------------------------------------------------------- image bytes
def sniff_image(data: bytes) -> tuple[str, int, int] | None:
    """``(mime, width, height)`` of PNG, JPEG, GIF, WebP or BMP bytes, read from the header;
    None when the bytes are none of these (HTML, SVG, truncated junk)."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return "image/png", w, h
        if data[:6] in (b"GIF87a", b"GIF89a"):
            w, h = struct.unpack("<HH", data[6:10])
            return "image/gif", w, h
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data[:2] == b"BM" and len(data) >= 26:
            w, h = struct.unpack("<ii", data[18:26])
            return "image/bmp", abs(w), abs(h)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[str, int, int] | None:
    i, n = 2, len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return "image/jpeg", w, h
        i += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[str, int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return "image/webp", w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        b = data[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0x0F) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return "image/webp", w, h
    if chunk == b"VP8X" and len(data) >= 30:
        w = 1 + int.from_bytes(data[24:27], "little")
        h = 1 + int.from_bytes(data[27:30], "little")
        return "image/webp", w, h
    return None


def _store_image(root: Path, data: bytes) -> tuple[str, str, int, int] | None:
    """Write the bytes once (content-addressed, atomically); ``(relative path, mime, w, h)``."""
    if len(data) > MAX_IMAGE_BYTES:
        return None
    sniffed = sniff_image(data)
    if sniffed is None:
        return None
    mime, w, h = sniffed
    if not (0 < w <= 100_000 and 0 < h <= 100_000):
        return None
    digest = hashlib.sha256(data).hexdigest()
    rel = f"{IMAGES_DIR}/{digest[:2]}/{digest}.{_EXT[mime]}"
    target = root / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            with _suppress():
                os.unlink(tmp)
            raise
    return rel, mime, w, h


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


def body_sha(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------- checking
def valid_blocks(blocks: Iterable[object], body: str) -> list[Block]:
    """The blocks that fit the body, sorted: known kinds, 0 <= start < end <= len(body)."""
    n = len(body)
    out = [
        Block(b.kind, int(b.start), int(b.end), max(0, min(int(b.level), 9)))
        for b in blocks
        if isinstance(b, Block) and b.kind in BLOCK_KINDS | INLINE_KINDS
        and 0 <= b.start < b.end <= n
    ]
    out.sort(key=lambda b: (b.start, -b.end, b.kind))
    return out


def snap_offset(body: str, offset: int) -> int:
    """An image offset at a line start (or the end of the body): inside a line it moves to the
    start of the next line, so that a picture never splits a paragraph."""
    offset = max(0, min(offset, len(body)))
    if offset == 0 or offset == len(body) or body[offset - 1] == "\n":
        return offset
    nl = body.find("\n", offset)
    return len(body) if nl < 0 else nl + 1


# ---------------------------------------------------------------------- storing and loading
def save(conn: Connection, root: Path, article_id: int, draft: object) -> None:
    """Replace the stored structure of an article with the draft's (none: the article has no
    structure any more). Runs inside the caller's write transaction; image files are written
    before the rows that name them (a rolled-back import leaves at most an unreferenced file).

    The structure is only kept when the draft's body is exactly the stored body (an importer
    that fills blocks/images hands over normalised text); otherwise it is dropped, logged,
    rather than stored with offsets into some other text."""
    conn.execute("DELETE FROM article_blocks WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM article_structure WHERE article_id = ?", (article_id,))
    blocks = list(getattr(draft, "blocks", None) or [])
    images = list(getattr(draft, "images", None) or [])
    if not blocks and not images:
        return
    row = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return
    body = row[0]
    if getattr(draft, "body", None) != body:
        log.warning("structure of article %s dropped: its body was changed on the way in",
                    article_id)
        return
    good = valid_blocks(blocks, body)
    conn.executemany(
        "INSERT INTO article_blocks(article_id, kind, start, end, level) VALUES (?,?,?,?,?)",
        [(article_id, b.kind, b.start, b.end, b.level) for b in good],
    )
    rows = []
    for seq, img in enumerate(i for i in images[:MAX_IMAGES] if isinstance(i, Image)):
        file, mime, w, h = "", "", 0, 0
        if img.data:
            stored = _store_image(root, img.data)
            if stored is not None:
                file, mime, w, h = stored
        rows.append((article_id, seq, snap_offset(body, img.offset), _short(img.alt, 500),
                     _short(img.url, 4000), file, mime, w, h))
    conn.executemany(
        "INSERT INTO article_images(article_id, seq, pos, alt, url, file, mime, width, height)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.execute(
        "INSERT INTO article_structure(article_id, body_sha) VALUES (?, ?)",
        (article_id, body_sha(body)),
    )


def _short(s: str, limit: int) -> str:
    s = (s or "").replace("\x00", "")
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "replace").decode("utf-8")
    return s[:limit]


def load(conn: Connection, article_id: int) -> Structure:
    """The article's structure, or an empty one (no structure, or one made for another text,
    or a library opened read-only whose older schema has no structure tables)."""
    try:
        row = conn.execute(
            "SELECT s.body_sha, a.body FROM article_structure s JOIN articles a"
            " ON a.id = s.article_id WHERE s.article_id = ?",
            (article_id,),
        ).fetchone()
    except OperationalError:  # no such table
        return Structure()
    if row is None or row[0] != body_sha(row[1]):
        return Structure()
    body = row[1]
    body_len = len(body)
    blocks = [
        Block(r[0], r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT kind, start, end, level FROM article_blocks WHERE article_id = ?"
            " ORDER BY start, end DESC",
            (article_id,),
        )
        if 0 <= r[1] < r[2] <= body_len
    ]
    images = [
        Image(offset=snap_offset(body, r[0]), alt=r[1], url=r[2], file=r[3], mime=r[4], width=r[5],
              height=r[6])
        for r in conn.execute(
            "SELECT pos, alt, url, file, mime, width, height FROM article_images"
            " WHERE article_id = ? ORDER BY seq",
            (article_id,),
        )
    ]
    return Structure(blocks, images)


def image_files(conn: Connection) -> set[str]:
    """Every image file (relative to the library folder) some article refers to."""
    return {r[0] for r in conn.execute("SELECT DISTINCT file FROM article_images WHERE file != ''")}


# ---------------------------------------------------------------------- backup and restore
_IMAGE_ENTRY = re.compile(r"^images/([0-9a-f]{2})/(\1[0-9a-f]{62})\.(png|jpg|gif|webp|bmp)$")


def backup_images(conn: Connection, root: Path, z: zipfile.ZipFile) -> int:
    """Add every picture the database ``conn`` refers to (files under ``root``) to the backup
    archive, stored uncompressed (pictures are compressed already). Returns how many."""
    n = 0
    for rel in sorted(image_files(conn)):
        if not _IMAGE_ENTRY.match(rel):
            continue
        path = root / rel
        if path.is_file():
            z.write(path, rel, compress_type=zipfile.ZIP_STORED)
            n += 1
    return n


def restore_images(z: zipfile.ZipFile, target: Path) -> int:
    """Unpack the pictures of a backup archive into the library folder ``target``. The archive
    is untrusted: only entries named like Pizhu's own (``images/ab/<sha256>.<ext>``), no larger
    than :data:`MAX_IMAGE_BYTES`, whose bytes hash to their name and are a picture, are
    written; anything else is left out. Returns how many were restored."""
    n = 0
    for info in z.infolist():
        m = _IMAGE_ENTRY.match(info.filename)
        if not m or info.file_size > MAX_IMAGE_BYTES or info.flag_bits & 0x1:
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            continue
        with z.open(info) as src:
            data = src.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES or hashlib.sha256(data).hexdigest() != m.group(2):
            continue
        if sniff_image(data) is None:
            continue
        stored = _store_image(target, data)
        if stored is not None and stored[0] == info.filename:
            n += 1
    return n


# ---------------------------------------------------------------------- merge and split
def _current(conn: Connection, article_id: int, body: str) -> bool:
    row = conn.execute("SELECT body_sha FROM article_structure WHERE article_id = ?",
                       (article_id,)).fetchone()
    return row is not None and row[0] == body_sha(body)


def _stamp(conn: Connection, article_id: int) -> None:
    """Tie the article's structure rows to its current body (or remove the tie if none)."""
    has = conn.execute(
        "SELECT EXISTS(SELECT 1 FROM article_blocks WHERE article_id = ?)"
        " OR EXISTS(SELECT 1 FROM article_images WHERE article_id = ?)",
        (article_id, article_id),
    ).fetchone()[0]
    conn.execute("DELETE FROM article_structure WHERE article_id = ?", (article_id,))
    if has:
        body = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        conn.execute("INSERT INTO article_structure(article_id, body_sha) VALUES (?, ?)",
                     (article_id, body_sha(body)))


def merged(conn: Connection, target_id: int, target_old_body: str, source_id: int,
           source_old_body: str, shift: int) -> None:
    """Carry structure through a merge: the target's body became ``target_old_body`` + joint +
    the source's body from offset ``shift`` on. Call inside the merge's transaction, after the
    target's new body is stored and before the source article is deleted. Structure that did
    not belong to the old bodies is dropped, never misplaced."""
    if not _current(conn, target_id, target_old_body):
        conn.execute("DELETE FROM article_blocks WHERE article_id = ?", (target_id,))
        conn.execute("DELETE FROM article_images WHERE article_id = ?", (target_id,))
    else:  # pictures after the old last line now stand before the joined part
        conn.execute("UPDATE article_images SET pos = ? WHERE article_id = ? AND pos >= ?",
                     (len(target_old_body) + 2, target_id, len(target_old_body)))
    if _current(conn, source_id, source_old_body):
        conn.execute(
            "UPDATE article_blocks SET article_id = ?, start = start + ?, end = end + ?"
            " WHERE article_id = ?", (target_id, shift, shift, source_id))
        base = conn.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM article_images"
                            " WHERE article_id = ?", (target_id,)).fetchone()[0]
        conn.execute(
            "UPDATE article_images SET article_id = ?, pos = pos + ?, seq = seq + ?"
            " WHERE article_id = ?", (target_id, shift, base, source_id))
    _stamp(conn, target_id)
    _stamp(conn, source_id)


def split(conn: Connection, article_id: int, old_body: str, new_id: int,
          head_len: int, rest_start: int) -> None:
    """Carry structure through a split: the article keeps ``old_body[:head_len]``, the new one
    gets ``old_body[rest_start:]`` (the line between became its title). Call inside the split's
    transaction, after both bodies are stored. Ranges across the cut are cut to each side."""
    if not _current(conn, article_id, old_body):
        conn.execute("DELETE FROM article_blocks WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
        _stamp(conn, article_id)
        return
    conn.execute(
        "INSERT INTO article_blocks(article_id, kind, start, end, level)"
        " SELECT ?, kind, MAX(start, ?) - ?, end - ?, level FROM article_blocks"
        " WHERE article_id = ? AND end > ?",
        (new_id, rest_start, rest_start, rest_start, article_id, rest_start))
    conn.execute("DELETE FROM article_blocks WHERE article_id = ? AND start >= ?",
                 (article_id, head_len))
    conn.execute("UPDATE article_blocks SET end = MIN(end, ?) WHERE article_id = ?",
                 (head_len, article_id))
    conn.execute("DELETE FROM article_blocks WHERE article_id IN (?, ?) AND start >= end",
                 (article_id, new_id))
    # pictures after the head (also one right above the new title line) go with the new part
    conn.execute(
        "UPDATE article_images SET article_id = ?, pos = MAX(pos, ?) - ? WHERE article_id = ?"
        " AND pos > ?", (new_id, rest_start, rest_start, article_id, head_len))
    _stamp(conn, article_id)
    _stamp(conn, new_id)


def prune_images(conn: Connection, root: Path, *, min_age: float = 3600.0) -> int:
    """Delete picture files no article refers to any more (after articles were deleted or their
    text replaced). Files younger than ``min_age`` seconds are kept: an import in another
    transaction may have written one and not yet committed the row naming it. Returns how many
    files were deleted."""
    import time

    folder = root / IMAGES_DIR
    if not folder.is_dir():
        return 0
    used = image_files(conn)
    now = time.time()
    n = 0
    for path in folder.glob("??/*"):
        rel = f"{IMAGES_DIR}/{path.parent.name}/{path.name}"
        if rel in used or not _IMAGE_ENTRY.match(rel):
            continue
        try:
            if now - path.stat().st_mtime < min_age:
                continue
            path.unlink()
            n += 1
        except OSError:
            continue
    return n
