"""PizhuCodec: Whoosh's W3 codec with a compact, array-based posting block for position fields.

Part of the index format (segments pickle their codec): keep the module path and class names.

A W3 block is a pickled tuple of Python tuples (ids, weights, one bytes object per posting), which
is slow to write and read and large on disk. For fields whose format is
:class:`index.schema.PositionList` (weight == frequency == number of positions) this codec writes::

    b"R" | tfcode poscode flags (3 bytes) | count, ids+tfs section length (uint32 LE)
         | [zlib] ids (count, uint32) + tfs (count, array tfcode) | [zlib] positions (poscode)

(the block info's compression flag is 0; ``R`` blocks compress ids+tfs and positions separately, see
:func:`encode_block`; the earlier layouts ``b"P"`` and ``b"Q"`` are still read)

(optionally zlib-compressed as a whole, flagged in the block info exactly as in W3). Reading a block
is a handful of C calls (``array.frombytes``, ``itertools.accumulate``). Other fields, and any block
that does not start with ``b"P"``, use the W3 layout, so everything else in Whoosh (block info,
skipping, block-max quality, merging) works unchanged.
"""

from __future__ import annotations

import random
import struct
import sys
import zlib
from array import array
from itertools import accumulate
from pickle import dumps, loads
from typing import TYPE_CHECKING, Any

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.system import pack_ushort
from whoosh.util import IDCHARS
from whoosh.util.numeric import length_to_byte

_BIG = sys.byteorder == "big"
_HEAD = struct.Struct("<cBBBI")
_MAGIC = b"P"  # id deltas (first id in the header); still read
_MAGIC_ABS = b"Q"  # whole ids, one zlib stream; still read
_MAGIC_R = b"R"  # whole ids; ids+tfs and positions compressed separately; what is written now
_HEAD_R = struct.Struct("<cBBBII")
#: zlib level for position blocks (0 = off). Level 1 is cheap and the arrays compress well.
COMPRESSION = 1
COMPRESS_MIN = 96
#: Postings per block in bulk-written lists. Whoosh's 128 makes reading a long list cost a
#: block header, a zlib call and a few array calls every 128 postings; the fast path reads
#: whole lists, so bigger blocks are cheaper (skipping is coarser, which nothing here needs).
BULK_BLOCK = 1024


def _code_for(maxval: int) -> str:
    if maxval < 256:
        return "B"
    if maxval < 65536:
        return "H"
    return "I"


def _raw(a: array[int]) -> bytes:
    if _BIG and a.itemsize > 1:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _arr(code: str, b: bytes | memoryview) -> array[int]:
    a = array(code)
    a.frombytes(b)
    if _BIG and a.itemsize > 1:
        a.byteswap()
    return a


def _is_position_format(fmt: Any) -> bool:
    from index.schema import PositionList

    return isinstance(fmt, PositionList)


def encode_block(ids: Any, tfs: Any, positions: Any) -> bytes:
    """The ``R`` block data for parallel sequences ids, tfs and the concatenated positions.

    Ids are stored whole (uint32), not as deltas, so decoding makes no Python integer per
    posting; ids+frequencies and positions are compressed separately, so a search that needs no
    positions never inflates them."""
    tfcode = _code_for(max(tfs))
    poscode = "H" if (not positions or max(positions) < 65536) else "I"
    idsec = _raw(array("I", ids)) + _raw(array(tfcode, tfs))
    possec = _raw(array(poscode, positions))
    flags = 0
    if COMPRESSION and len(idsec) >= COMPRESS_MIN:
        idsec = zlib.compress(idsec, COMPRESSION)
        flags |= 1
    if COMPRESSION and len(possec) >= COMPRESS_MIN:
        possec = zlib.compress(possec, COMPRESSION)
        flags |= 2
    return b"".join(
        (
            _HEAD_R.pack(_MAGIC_R, ord(tfcode), ord(poscode), flags, len(ids), len(idsec)),
            idsec,
            possec,
        )
    )


def _maybe_compress(data: bytes) -> tuple[bytes, int]:
    if COMPRESSION and len(data) >= COMPRESS_MIN:
        return zlib.compress(data, COMPRESSION), COMPRESSION
    return data, 0


_SYSRANDOM = random.SystemRandom()


def unique_name(size: int = 16) -> str:
    """Like whoosh.util.random_name, but from the OS's randomness: Whoosh draws segment names
    from the global ``random`` module, so a program (or a test framework) that seeds it gets
    the same name twice and a commit overwrites an earlier segment's files."""
    return "".join(_SYSRANDOM.choice(IDCHARS) for _ in range(size))


class PizhuCodec(W3Codec):
    if TYPE_CHECKING:  # whoosh leaves these unannotated

        def __init__(
            self, blocklimit: int = ..., compression: int = ..., inlinelimit: int = ...
        ) -> None: ...

        def per_document_writer(self, storage: Any, segment: Any) -> Any: ...

    def new_segment(self, storage: Any, indexname: str) -> Any:
        return W3Segment(self, indexname, segid=unique_name())

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return super().postings_writer(dbfile, byteids=byteids)
        return PzPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=False,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        # W3LeafMatcher never defines Matcher.copy (whoosh has no ABCMeta: nothing checks it)
        return PzLeafMatcher(  # type: ignore[abstract]
            dbfile, offset, length, format_, term=term, scorer=scorer
        )

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return PzFieldWriter(self, storage, segment)


class PzPostingsWriter(W3PostingsWriter):
    """Writes ``P`` blocks for position fields, W3 blocks for everything else."""

    if TYPE_CHECKING:  # set by whoosh's unannotated W3PostingsWriter
        _terminfo: Any

    def add_posting(
        self, id_: int, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        if not _is_position_format(self._format) or len(self._values) != len(self._ids):
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        tfs = []
        positions: list[int] = []
        for v in self._values:
            p = _arr(chr(v[0]), v[1:])
            tfs.append(len(p))
            positions.extend(p)
        data, comp = encode_block(self._ids, tfs, positions), 0
        ids = self._ids
        infobytes = dumps(
            (
                len(ids),
                ids[-1],
                max(tfs),
                comp,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        blocklength = len(infobytes) + len(data)
        if last:
            blocklength *= -1
        self._postfile.write_int(blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class PzFieldWriter(W3FieldWriter):
    """Adds :meth:`add_term_arrays`: a whole posting list at once, without per-posting calls."""

    def add_term_arrays(
        self, btext: bytes, ids: array[int], tfs: array[int], positions: array[int], lengths: Any
    ) -> None:
        postfile = self._postfile
        startoffset = postfile.tell()
        postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        ti = W3TermInfo()
        n = len(ids)
        limit = BULK_BLOCK
        cum = list(accumulate(tfs, initial=0)) if n > limit else None
        total_w = 0
        minlen: int | None = None
        maxlen = 0
        maxw = 0
        i = 0
        while i < n:
            j = min(n, i + limit)
            if cum is None:
                bids, btfs, bpos = ids, tfs, positions
            else:
                bids, btfs = ids[i:j], tfs[i:j]
                bpos = positions[cum[i] : cum[j]]
            lens = [lengths[d] for d in bids]
            bmin = min(lens)
            bmax = max(lens)
            bmaxw = max(btfs)
            data, comp = encode_block(bids, btfs, bpos), 0
            info = dumps(
                (j - i, bids[-1], bmaxw, comp, length_to_byte(bmin), length_to_byte(bmax)), 2
            )
            blocklength = len(info) + len(data)
            postfile.write_int(-blocklength if j == n else blocklength)
            postfile.write(info)
            postfile.write(data)
            total_w += sum(btfs)
            if minlen is None or bmin < minlen:
                minlen = bmin
            if bmax > maxlen:
                maxlen = bmax
            if bmaxw > maxw:
                maxw = bmaxw
            i = j
        ti._weight = float(total_w)
        ti._df = n
        ti._minlength = minlen
        ti._maxlength = maxlen
        ti._maxweight = float(maxw)
        ti._minid = ids[0]
        ti._maxid = ids[-1]
        ti.set_extent(startoffset, postfile.tell() - startoffset)
        self._tindex.add(pack_ushort(self._fieldid) + btext, ti.to_bytes())


class PzLeafMatcher(W3LeafMatcher):
    """Reads ``P`` blocks (and W3 blocks) lazily: ids, tfs and positions only when asked."""

    _pz = False
    _cum: list[int] | None = None
    _possec: bytes = b""
    _poscomp = False
    _posraw: bytes | None = None
    _poscode = "H"
    _tfs: array[int] | None = None
    if TYPE_CHECKING:  # set by whoosh's unannotated W3LeafMatcher
        _data: Any
        _ids: Any
        _weights: Any
        _values: Any
        _i: int
        _dataoffset: int
        _nextoffset: int
        _blocklength: int

    def _goto(self, position: int) -> None:
        self._cum = None
        self._tfs = None
        super()._goto(position)

    def _read_data(self) -> None:
        datalen = self._nextoffset - self._dataoffset
        b = self._postfile.get(self._dataoffset, datalen)
        if self._compression:
            b = zlib.decompress(b)
        magic = b[:1]
        if magic == _MAGIC_R:
            self._pz = True
            _m, tfc, posc, flags, count, idlen = _HEAD_R.unpack_from(b, 0)
            o = _HEAD_R.size
            idsec = b[o : o + idlen]
            if flags & 1:
                idsec = zlib.decompress(idsec)
            self._data = (None, "I", idsec[: 4 * count])
            self._tfs = _arr(chr(tfc), idsec[4 * count :])
            self._poscode = chr(posc)
            self._possec = b[o + idlen :]
            self._poscomp = bool(flags & 2)
            self._posraw = None
            return
        if magic != _MAGIC and magic != _MAGIC_ABS:
            self._pz = False
            self._data = loads(b)
            return
        self._pz = True
        _m, idc, tfc, posc, first = _HEAD.unpack_from(b, 0)
        count = self._blocklength
        idcode, tfcode = chr(idc), chr(tfc)
        o = _HEAD.size
        isz = array(idcode).itemsize
        tsz = array(tfcode).itemsize
        nids = count if magic == _MAGIC_ABS else count - 1
        ids_end = o + isz * nids
        tfs_end = ids_end + tsz * count
        self._data = (None if magic == _MAGIC_ABS else first, idcode, b[o:ids_end])
        self._tfs = _arr(tfcode, b[ids_end:tfs_end])
        self._poscode = chr(posc)
        self._possec = b[tfs_end:]
        self._poscomp = False
        self._posraw = None

    @property
    def _posbytes(self) -> bytes:
        """The block's positions (inflated on first use)."""
        if self._posraw is None:
            sec = self._possec
            self._posraw = zlib.decompress(sec) if self._poscomp else sec
        return self._posraw

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        if not self._pz:
            super()._read_ids()
            return
        first, idcode, raw = self._data
        if first is None:
            self._ids = _arr(idcode, raw)
        else:
            self._ids = list(accumulate(_arr(idcode, raw), initial=first))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        if not self._pz:
            super()._read_weights()
            return
        self._weights = self._tfs

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if not self._pz:
            super()._read_values()
            return
        cum = self._positions_index()
        code = self._poscode.encode()
        sz = 2 if self._poscode == "H" else 4
        pb = self._posbytes
        self._values = tuple(code + pb[cum[k] * sz : cum[k + 1] * sz] for k in range(len(cum) - 1))

    def _positions_index(self) -> list[int]:
        if self._cum is None:
            self._cum = list(accumulate(self._tfs, initial=0))  # type: ignore[arg-type]
        return self._cum

    def value(self) -> Any:
        if self._values is not None:
            return self._values[self._i]
        if self._data is None:
            self._read_data()
        if not self._pz:
            self._read_values()
            values: Any = self._values  # set by the call (mypy still sees the None above)
            return values[self._i]
        cum = self._positions_index()
        i = self._i
        sz = 2 if self._poscode == "H" else 4
        return self._poscode.encode() + self._posbytes[cum[i] * sz : cum[i + 1] * sz]

    def positions_array(self) -> array[int]:
        """The current posting's positions as an array (no bytes round trip)."""
        if self._data is None:
            self._read_data()
        if not self._pz:
            v = self.value()
            return _arr(chr(v[0]), v[1:])
        cum = self._positions_index()
        i = self._i
        sz = 2 if self._poscode == "H" else 4
        return _arr(self._poscode, self._posbytes[cum[i] * sz : cum[i + 1] * sz])
