"""The bound on what a PDF's streams unpack to, checked before pdfplumber reads any of them whole (a "PDF bomb").

pdfminer unpacks a stream through its whole chain of filters, each layer at once and in memory, and it does so
while it opens a damaged file (the object streams its fallback finds) and while it parses an object whose
length is stored elsewhere. :func:`check_pdf_streams` therefore counts twice, each count against
``limit`` bytes, never holding more than the limit:

1. **in the bytes**, before pdfminer opens the file: the data after every ``stream`` keyword is inflated as
   Flate, again while what comes out is itself Flate (a stream packed twice), whatever the file's structure;
2. **object by object**: every stream object of every cross-reference section is unpacked through its filters
   as pdfminer unpacks it (Flate, LZW, ASCII85, ASCIIHex, RunLength, after decryption), every layer counted;
   a CCITT fax image counts the most it could unpack to, and image codecs pdfminer leaves packed count nothing.

A damaged Flate stream counts what unpacks before the damage, as much as pdfminer reads of it.
"""

from __future__ import annotations

import io
import math
import re
import time
import zlib
from pathlib import Path

from kyodo_analysis.source.parsing import StatusTableError

__all__ = ["check_pdf_streams"]

#: Where a stream's data starts: after the keyword ``stream`` (not ``endstream``) and its line end.
_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\r|\n)")
#: How many bytes are fed to zlib at a time, so that what unpacked before a damaged part is counted.
_CHUNK = 1 << 16
#: The width of a CCITT fax row where the stream does not say (pdfminer's default, a fax's).
_CCITT_COLUMNS = 1728
#: Flate packed inside Flate deeper than this is not unpacked further in the bytes (the objects' count reads the
#: filters themselves).
_NESTED_FLATE = 8


class _Budget:
    """What may still unpack, and the deadline; refuses the file once either is passed."""

    def __init__(self, limit: int, seconds: float, path: Path):
        self.left, self.limit, self.seconds, self.path = limit, limit, seconds, path
        self.deadline = time.monotonic() + seconds

    def room(self) -> int:
        """The bytes that may still unpack (at least 0)."""
        return max(self.left, 0)

    def spend(self, n_bytes: int) -> None:
        self.left -= n_bytes
        if self.left < 0:
            raise StatusTableError(f"PDFの圧縮されたデータが展開すると {self.limit:,} バイトを超えます"
                                   "（表のPDFとしては大きすぎます）。読みません", path=self.path)
        if time.monotonic() > self.deadline:
            raise StatusTableError(f"PDFの圧縮されたデータの展開が時間の上限（{self.seconds} 秒）を超えました"
                                   "（表のPDFとしては重すぎます）。読みません", path=self.path)


def _inflate(data: bytes | memoryview, budget: _Budget) -> bytes:
    """``data`` inflated as Flate, counted as it unpacks; up to the damage, if damaged (as pdfminer reads it)."""
    unpacking, parts = zlib.decompressobj(), []
    for start in range(0, len(data), _CHUNK):
        try:
            part = unpacking.decompress(data[start:start + _CHUNK], budget.room() + 1)
        except zlib.error:
            break
        budget.spend(len(part))
        parts.append(part)
        while unpacking.unconsumed_tail:  # more output is waiting for this chunk's input
            part = unpacking.decompress(unpacking.unconsumed_tail, budget.room() + 1)
            budget.spend(len(part))
            parts.append(part)
        if unpacking.eof:
            break
    return b"".join(parts)


def _is_flate(data: bytes | memoryview) -> bool:
    """Whether ``data`` starts with a zlib header (RFC 1950: deflate, and a check that divides by 31)."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _count_in_bytes(data: bytes, budget: _Budget) -> None:
    """Step 1: inflate the data after every ``stream`` keyword, and what comes out while it is Flate again."""
    view = memoryview(data)  # the rest of the file after each keyword, not copied
    for match in _STREAM_START.finditer(data):
        budget.spend(0)  # the deadline, for a file of many keywords
        unpacked = view[match.end():]
        for _ in range(_NESTED_FLATE):
            if not _is_flate(unpacked):
                break
            unpacked = _inflate(unpacked, budget)


def _unpack_stream(stream, budget: _Budget) -> None:
    """Step 2: unpack one stream object through its filters, as pdfminer's ``PDFStream.decode`` does."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.lzw import LZWDecoder
    from pdfminer.pdftypes import (
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_CCITTFAX_DECODE,
        LITERALS_FLATE_DECODE,
        LITERALS_LZW_DECODE,
        LITERALS_RUNLENGTH_DECODE,
        resolve1,
    )
    from pdfminer.psparser import LIT
    from pdfminer.runlength import rldecode

    data = stream.get_rawdata() or b""
    if stream.decipher and stream.objid is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, parameters in stream.get_filters():
        if name in LITERALS_FLATE_DECODE:
            data = _inflate(data, budget)
        elif name in LITERALS_LZW_DECODE:
            parts = []
            for part in LZWDecoder(io.BytesIO(data)).run():
                budget.spend(len(part))
                parts.append(part)
            data = b"".join(parts)
        elif name in LITERALS_ASCII85_DECODE:  # at most 4 bytes a character ("z")
            budget.spend(4 * data.count(b"z") + len(data))
            data = ascii85decode(data)
        elif name in LITERALS_ASCIIHEX_DECODE:  # half as long
            data = asciihexdecode(data)
        elif name in LITERALS_RUNLENGTH_DECODE:  # at most 128 bytes for every 2
            budget.spend(64 * len(data) + 128)
            data = rldecode(data)
        elif name in LITERALS_CCITTFAX_DECODE:  # an image pdfminer leaves packed; else at most a row for each bit
            if resolve1(stream.attrs.get("Subtype")) is not LIT("Image"):
                columns = resolve1(parameters.get("Columns")) if isinstance(parameters, dict) else None
                columns = columns if isinstance(columns, int) and columns > 0 else _CCITT_COLUMNS
                budget.spend(8 * len(data) * math.ceil(columns / 8))
            return
        else:  # images pdfminer leaves packed (DCT, JPX, JBIG2), or a filter it refuses
            return


def check_pdf_streams(data: bytes, path: Path, *, limit: int, seconds: float) -> None:
    """Refuse (:class:`StatusTableError`) a PDF whose streams unpack to more than ``limit`` bytes, or whose
    unpacking takes more than ``seconds``, counted as described above.

    Examples
    --------
    >>> packed = zlib.compress(b"0" * 10_000)
    >>> pdf = b"%%PDF-1.4\\n1 0 obj << /Length %d /Filter /FlateDecode >> stream\\n" % len(packed) + packed
    >>> check_pdf_streams(pdf, Path("plan.pdf"), limit=10_000, seconds=10)
    >>> check_pdf_streams(pdf, Path("plan.pdf"), limit=9_999, seconds=10)
    Traceback (most recent call last):
    kyodo_analysis.source.parsing.StatusTableError: plan.pdf: PDFの圧縮されたデータが展開すると 9,999 バイトを超えます（表のPDFとしては大きすぎます）。読みません
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream

    _count_in_bytes(data, _Budget(limit, seconds, path))
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except Exception:  # damaged or encrypted: pdfplumber says so, in one line, when it opens the file
        return
    budget = _Budget(limit, seconds, path)
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                packed_in, position, generation = xref.get_pos(objid)
                if packed_in is not None:  # an object inside an object stream is never a stream
                    continue
                # parsed where this section puts it (every version pdfminer may read), never through another
                # section or an object stream (which pdfminer would unpack at once)
                stream = document._getobj_parse(position, objid)
            except StatusTableError:
                raise
            except Exception:  # an object the producer left broken: pdfminer skips it too
                continue
            if isinstance(stream, PDFStream):
                stream.set_objid(objid, generation)
                try:
                    _unpack_stream(stream, budget)
                except StatusTableError:
                    raise
                except Exception:  # a damaged stream: pdfminer reads what it can of it, as counted so far
                    continue
