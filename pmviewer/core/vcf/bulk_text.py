"""The data lines of a VCF as large text blocks, decompressed as fast as the machine allows.

bgzip files are a series of independent deflate blocks of at most 64 kB, each announcing its
compressed size in its header (SAM/BAM specification, section 4.1 "The BGZF compression
format"), so groups of blocks are inflated in parallel threads (zlib and ISA-L release the
GIL). Plain gzip is inflated as one stream; uncompressed files are read as they are. Each
yielded block ends at a line end and holds data lines only (the header is skipped).
"""

from __future__ import annotations

import os
import struct
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Protocol


def _pick_inflater() -> ModuleType:
    """ISA-L inflates 2-3x faster than zlib; optional, with the same raw-deflate API."""
    try:
        from isal import isal_zlib

        return isal_zlib
    except ImportError:  # pragma: no cover - depends on the installation
        return zlib


_inflater = _pick_inflater()

BLOCK_TEXT = 4 * 1024 * 1024  # text per parsed block: ~35k genome records, ~0.05 s of work
_READ = 512 * 1024  # compressed bytes read per step (~2.5 MB of text)
_BGZF_MAGIC = b"\x1f\x8b\x08\x04"


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


class BulkTextError(Exception):
    """The compressed stream cannot be read as bgzip/gzip here (the caller falls back)."""


def _inflate_blocks(buf: bytes, spans: list[tuple[int, int]]) -> bytes:
    """Inflate the BGZF blocks ``buf[start:end]`` (each a complete gzip member)."""
    out = []
    for start, end in spans:
        xlen = struct.unpack_from("<H", buf, start + 10)[0]
        out.append(_inflater.decompress(buf[start + 12 + xlen : end - 8], -15))
    return b"".join(out)


def _bgzf_spans(buf: bytes) -> tuple[list[tuple[int, int]], int]:
    """Complete BGZF blocks at the start of ``buf`` and the offset of the first incomplete."""
    spans = []
    off = 0
    n = len(buf)
    while off + 18 <= n:
        if buf[off : off + 4] != _BGZF_MAGIC:
            raise BulkTextError("a block does not start like a bgzip block")
        xlen = struct.unpack_from("<H", buf, off + 10)[0]
        bsize = None
        x = off + 12
        stop = x + xlen
        while x + 4 <= stop:  # the 'BC' subfield holds the block size
            si1, si2, slen = buf[x], buf[x + 1], struct.unpack_from("<H", buf, x + 2)[0]
            if si1 == 66 and si2 == 67 and slen == 2:
                bsize = struct.unpack_from("<H", buf, x + 4)[0] + 1
                break
            x += 4 + slen
        if bsize is None:
            raise BulkTextError("a bgzip block lacks its size field")
        if off + bsize > n:
            break
        spans.append((off, off + bsize))
        off += bsize
    return spans, off


def worker_threads() -> int:
    """A thread per core this process may use (at most four): the inflate and parse pools."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _bgzip_pieces(path: Path, on_read: Callable[[int], None], digest: Digest) -> Iterator[bytes]:
    workers = worker_threads()
    pending: deque[Future[bytes]] = deque()
    done = 0
    with open(path, "rb") as fh, ThreadPoolExecutor(workers, "pmviewer-inflate") as pool:
        rest = b""
        while True:
            raw = fh.read(_READ)
            digest.update(raw)  # hashlib releases the GIL: the inflate threads keep going
            buf = rest + raw if rest else raw
            if not buf:
                break
            spans, used = _bgzf_spans(buf)
            if not raw and used < len(buf):
                raise BulkTextError("the last bgzip block is incomplete")
            rest = buf[used:]
            done += len(raw)
            if spans:
                pending.append(pool.submit(_inflate_blocks, buf, spans))
            while len(pending) > workers:
                yield pending.popleft().result()
                on_read(done)
            if not raw:
                break
        while pending:
            yield pending.popleft().result()
            on_read(done)


def _gzip_pieces(path: Path, on_read: Callable[[int], None], digest: Digest) -> Iterator[bytes]:
    d = zlib.decompressobj(31)
    done = 0
    fed = False  # the current member has been given data
    with open(path, "rb") as fh:
        while True:
            raw = fh.read(_READ)
            if not raw:
                break
            digest.update(raw)
            done += len(raw)
            while raw:  # concatenated gzip members
                fed = True
                try:
                    yield d.decompress(raw)
                except zlib.error as e:
                    raise BulkTextError(f"the gzip stream is damaged ({e})") from e
                if d.eof:
                    raw = d.unused_data
                    d = zlib.decompressobj(31)
                    fed = False
                else:
                    raw = b""
            on_read(done)
    if fed and not d.eof:
        raise BulkTextError("the gzip stream ends early")


def _plain_pieces(path: Path, on_read: Callable[[int], None], digest: Digest) -> Iterator[bytes]:
    done = 0
    with open(path, "rb") as fh:
        while True:
            raw = fh.read(_READ)
            if not raw:
                return
            digest.update(raw)
            done += len(raw)
            yield raw
            on_read(done)


class _NoDigest:
    def update(self, data: bytes, /) -> None:
        pass


def data_blocks(path: Path, compression: str, on_read: Callable[[int], None] | None = None,
                digest: Digest | None = None, block_text: int = BLOCK_TEXT) -> Iterator[bytes]:  # fmt: skip
    """Blocks of complete data lines (header lines dropped), about ``block_text`` bytes each.

    ``on_read(compressed_bytes_done)`` reports progress through the file. ``digest`` (a
    hashlib object) is given every byte of the file as read, so a whole read also gives the
    file's checksum without a second pass over it.
    """
    for text in data_views(path, compression, on_read, digest, block_text):
        yield bytes(text)  # a bytes block is itself, a view is copied


def data_views(
    path: Path,
    compression: str,
    on_read: Callable[[int], None] | None = None,
    digest: Digest | None = None,
    block_text: int = BLOCK_TEXT,
) -> Iterator[bytes | memoryview]:
    """:func:`data_blocks` as views of the inflated text where a block is cut from a larger
    piece (each copy of a genome's text costs a pass over it and fresh pages)."""
    report = on_read or (lambda n: None)
    sink = digest if digest is not None else _NoDigest()
    if compression == "bgzip":
        pieces = _bgzip_pieces(path, report, sink)
    elif compression == "gzip":
        pieces = _gzip_pieces(path, report, sink)
    elif compression == "none":
        pieces = _plain_pieces(path, report, sink)
    else:
        raise BulkTextError(f"{compression} files are read by the htslib reader")
    in_header = True
    pending: list[bytes] = []
    size = 0
    for piece in pieces:
        if in_header:
            pending.append(piece)
            text = b"".join(pending)
            start = _skip_header(text)
            if start is None:
                pending = [text]
                continue
            in_header = False
            pending = [text[start:]] if start < len(text) else []
            size = len(pending[0]) if pending else 0
        else:
            pending.append(piece)
            size += len(piece)
        if size >= block_text:
            text = b"".join(pending)
            cut_from = memoryview(text)  # no copy of each block
            start = 0
            for cut in _cuts(text, block_text):
                yield cut_from[start:cut]
                start = cut
            rest = text[start:]
            pending, size = ([rest], len(rest)) if rest else ([], 0)
    if in_header:
        return
    text = b"".join(pending)
    if text:
        yield text if text.endswith(b"\n") else text + b"\n"


def _cuts(text: bytes, block_text: int) -> Iterator[int]:
    """Ends of blocks of whole lines of at most ``block_text`` bytes (longer when one line
    is), leaving out the last incomplete line and a remainder shorter than ``block_text``."""
    start = 0
    while len(text) - start >= block_text:
        cut = text.rfind(b"\n", start, start + block_text) + 1
        if cut <= start:  # a line longer than a block
            cut = text.find(b"\n", start + block_text) + 1
            if not cut:
                return
        yield cut
        start = cut


def _skip_header(text: bytes) -> int | None:
    """Offset of the first data line, or None when the header continues past ``text``."""
    off = 0
    n = len(text)
    while off < n:
        if text[off : off + 1] != b"#":
            return off
        nl = text.find(b"\n", off)
        if nl < 0:
            return None
        off = nl + 1
    return None
