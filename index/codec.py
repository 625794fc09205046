"""PizhuCodec: Whoosh's W3 codec with a compact, array-based posting block for position fields.

Part of the index format (segments pickle their codec): keep the module path and class names.

A W3 block is a pickled tuple of Python tuples (ids, weights, one bytes object per posting), which
is slow to write and read and large on disk. For fields whose format is
:class:`index.schema.PositionList` (weight == frequency == number of positions) this codec writes::

    b"P" | idcode tfcode poscode (3 bytes) | first id (uint32 LE)
         | id deltas (count-1, array idcode) | tfs (count, array tfcode) | positions (array poscode)

(optionally zlib-compressed as a whole, flagged in the block info exactly as in W3). Reading a block
is a handful of C calls (``array.frombytes``, ``itertools.accumulate``). Other fields, and any block
that does not start with ``b"P"``, use the W3 layout, so everything else in Whoosh (block info,
skipping, block-max quality, merging) works unchanged.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate
from operator import sub
from pickle import dumps, loads
from typing import Any

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte

_BIG = sys.byteorder == "big"
_HEAD = struct.Struct("<cBBBI")
_MAGIC = b"P"
#: zlib level for position blocks (0 = off). Level 1 is cheap and the arrays compress well.
COMPRESSION = 1
COMPRESS_MIN = 96


def _code_for(maxval: int) -> str:
    if maxval < 256:
        return "B"
    if maxval < 65536:
        return "H"
    return "I"


def _raw(a: array) -> bytes:
    if _BIG and a.itemsize > 1:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _arr(code: str, b: bytes | memoryview) -> array:
    a = array(code)
    a.frombytes(b)
    if _BIG and a.itemsize > 1:
        a.byteswap()
    return a


def _is_position_format(fmt: Any) -> bool:
    from index.schema import PositionList

    return isinstance(fmt, PositionList)


def encode_block(ids: Any, tfs: Any, positions: Any) -> bytes:
    """The ``P`` block data for parallel sequences ids, tfs and the concatenated positions."""
    first = ids[0]
    deltas = list(map(sub, ids[1:], ids[:-1])) if len(ids) > 1 else []
    idcode = _code_for(max(deltas)) if deltas else "B"
    tfcode = _code_for(max(tfs))
    poscode = "H" if (not positions or max(positions) < 65536) else "I"
    return b"".join(
        (
            _HEAD.pack(_MAGIC, ord(idcode), ord(tfcode), ord(poscode), first),
            _raw(array(idcode, deltas)),
            _raw(array(tfcode, tfs)),
            _raw(array(poscode, positions)),
        )
    )


def _maybe_compress(data: bytes) -> tuple[bytes, int]:
    if COMPRESSION and len(data) >= COMPRESS_MIN:
        return zlib.compress(data, COMPRESSION), COMPRESSION
    return data, 0


class PizhuCodec(W3Codec):
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
        return PzLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return PzFieldWriter(self, storage, segment)


class PzPostingsWriter(W3PostingsWriter):
    """Writes ``P`` blocks for position fields, W3 blocks for everything else."""

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
            return super()._write_block(last)
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        tfs = []
        positions: list[int] = []
        for v in self._values:
            p = _arr(chr(v[0]), v[1:])
            tfs.append(len(p))
            positions.extend(p)
        data, comp = _maybe_compress(encode_block(self._ids, tfs, positions))
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
        self, btext: bytes, ids: array, tfs: array, positions: array, lengths: Any
    ) -> None:
        postfile = self._postfile
        startoffset = postfile.tell()
        postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        ti = W3TermInfo()
        n = len(ids)
        limit = 128
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
            data, comp = _maybe_compress(encode_block(bids, btfs, bpos))
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
    _posbytes: bytes = b""
    _poscode = "H"
    _tfs: array | None = None

    def _goto(self, position: int) -> None:
        self._cum = None
        self._tfs = None
        super()._goto(position)

    def _read_data(self) -> None:
        datalen = self._nextoffset - self._dataoffset
        b = self._postfile.get(self._dataoffset, datalen)
        if self._compression:
            b = zlib.decompress(b)
        if b[:1] != _MAGIC:
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
        deltas_end = o + isz * (count - 1)
        tfs_end = deltas_end + tsz * count
        self._data = (first, idcode, b[o:deltas_end])
        self._tfs = _arr(tfcode, b[deltas_end:tfs_end])
        self._poscode = chr(posc)
        self._posbytes = b[tfs_end:]

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        if not self._pz:
            return super()._read_ids()
        first, idcode, raw = self._data
        self._ids = list(accumulate(_arr(idcode, raw), initial=first))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        if not self._pz:
            return super()._read_weights()
        self._weights = self._tfs

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if not self._pz:
            return super()._read_values()
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
            return self._values[self._i]
        cum = self._positions_index()
        i = self._i
        sz = 2 if self._poscode == "H" else 4
        return self._poscode.encode() + self._posbytes[cum[i] * sz : cum[i + 1] * sz]

    def positions_array(self) -> array:
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
