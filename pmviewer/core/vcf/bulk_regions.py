"""Region loads through the file's own index without htslib: only the bgzip blocks that hold
the regions' records are read and inflated, then parsed by the bulk reader.

A tabix (.tbi) or CSI index lists, per contig and per genomic bin, the chunks of the file
holding that bin's records as pairs of virtual offsets (compressed block offset << 16 | offset
inside the inflated block). A region's candidate chunks are those of the bins overlapping it
that end after the smallest offset its first 16 kb window can hold (the linear index of a
.tbi, the bin's ``loffset`` in a CSI). Layout and query algorithm: the SAM/BAM
specification, sections 5.1.1-5.2, and the tabix format description. The chunks' records are
in file order, each read once; the bulk reader's region mask keeps those overlapping a region.
"""

from __future__ import annotations

import functools
import logging
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from pmviewer.core import progress as prog
from pmviewer.core.model import VariantTable, VcfInfo
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.bulk_load import Throttle, finished_table
from pmviewer.core.vcf.bulk_text import BLOCK_TEXT, BulkTextError, _bgzf_spans, _inflate_blocks
from pmviewer.core.vcf.csq import AnnotationParser
from pmviewer.core.vcf.header import HeaderText
from pmviewer.core.vcf.index import Region, index_is_stale

log = logging.getLogger("pmviewer.core.vcf.loader")  # one logger for the reader choice
_TBI_SHIFT, _TBI_DEPTH = 14, 5
_MAX_BLOCK = 65536  # a BGZF block is at most 64 kB compressed


class IndexUnreadable(Exception):
    """The index is not a tabix or CSI index this module can read (htslib reads instead)."""


@dataclass
class _Contig:
    bins: dict[int, int] = field(default_factory=dict)  # bin -> offset of its entry
    linear: tuple[int, int] = (0, 0)  # TBI: (offset, count) of the 16 kb window offsets
    n_records: int | None = None  # from the pseudo-bin; absent in some indexes


_BIN_TBI = struct.Struct("<Ii")  # bin, n_chunk
_BIN_CSI = struct.Struct("<IQi")  # bin, loffset, n_chunk


@dataclass
class TabixIndex:
    """The parsed index; chunk lists are decoded only for the bins a query touches."""

    min_shift: int
    depth: int
    contigs: dict[str, _Contig]
    is_csi: bool
    data: bytes

    def chunks(self, regions: list[Region]) -> list[tuple[int, int]]:
        """Merged (begin, end) virtual offsets holding every record of ``regions`` (one
        contig's, 1-based inclusive), in file order."""
        found: list[tuple[int, int]] = []
        for chrom, start, end in regions:
            contig = self.contigs.get(chrom)
            if contig is None:
                continue
            beg = max(start - 1, 0)
            min_off = self._min_offset(contig, beg)
            for b in _reg2bins(beg, end, self.min_shift, self.depth):
                at = contig.bins.get(b)
                if at is None:
                    continue
                for u, v in self._bin_chunks(at):
                    if v > min_off:
                        found.append((max(u, min_off), v))
        found.sort()
        merged: list[tuple[int, int]] = []
        for u, v in found:
            # chunks in the same compressed block are read together (records between two
            # chunks of one contig are whole lines; the region mask drops them)
            if merged and u >> 16 <= merged[-1][1] >> 16:
                merged[-1] = (merged[-1][0], max(merged[-1][1], v))
            else:
                merged.append((u, v))
        return merged

    def _bin_chunks(self, at: int) -> list[tuple[int, int]]:
        head = _BIN_CSI if self.is_csi else _BIN_TBI
        n_chunk = head.unpack_from(self.data, at)[-1]
        flat = struct.unpack_from(f"<{2 * n_chunk}Q", self.data, at + head.size)
        return list(zip(flat[::2], flat[1::2], strict=True))

    def _min_offset(self, contig: _Contig, beg: int) -> int:
        if not self.is_csi:
            at, n_intv = contig.linear
            if not n_intv:
                return 0
            i = min(beg >> self.min_shift, n_intv - 1)
            return int(struct.unpack_from("<Q", self.data, at + 8 * i)[0])
        # CSI: the loffset of the finest existing bin at ``beg`` or to its left (htslib)
        b = _bin_first(self.depth) + (beg >> self.min_shift)
        while b:
            if b in contig.bins:
                break
            first = (((b - 1) >> 3) << 3) + 1
            b = b - 1 if b > first else (b - 1) >> 3
        entry = contig.bins.get(b)
        return 0 if entry is None else int(_BIN_CSI.unpack_from(self.data, entry)[1])

    @property
    def n_records(self) -> int | None:
        """Records the index counts (as htslib's ``hts_idx_get_stat``); None when a contig
        carries no count."""
        counts = [c.n_records for c in self.contigs.values()]
        return None if None in counts else sum(counts)  # type: ignore[arg-type]


def _bin_first(level: int) -> int:
    return ((1 << (level * 3)) - 1) // 7


def _reg2bins(beg: int, end: int, min_shift: int, depth: int) -> Iterator[int]:
    """Bins overlapping the 0-based half-open interval [beg, end) (SAM spec 5.3)."""
    end -= 1
    s = min_shift + depth * 3
    t = 0
    for level in range(depth + 1):
        yield from range(t + (beg >> s), t + (end >> s) + 1)
        s -= 3
        t += 1 << (level * 3)


def read_index(path: Path) -> TabixIndex:
    """Parse a .tbi or tabix-style .csi index (a BCF's CSI has no names: unreadable here).

    Parsed once per index file and version: a region load and the sex windows share it.
    """
    try:
        st = path.stat()
        return _read_index(str(path), st.st_size, st.st_mtime_ns)
    except OSError as e:
        raise IndexUnreadable(f"the index cannot be read ({e.strerror or e})") from e


@functools.lru_cache(maxsize=4)
def _read_index(path: str, size: int, mtime_ns: int) -> TabixIndex:
    try:
        data = _inflate_all(Path(path).read_bytes())
    except zlib.error as e:
        raise IndexUnreadable(f"the index cannot be inflated ({e})") from e
    try:
        return _parse(data)
    except (struct.error, IndexError, ValueError) as e:
        raise IndexUnreadable("the index is damaged") from e


def _inflate_all(raw: bytes) -> bytes:
    try:  # indexes are BGZF files: inflated block by block as the data is (ISA-L if present)
        spans, used = _bgzf_spans(raw)
        if used == len(raw):
            return _inflate_blocks(raw, spans)
    except Exception:  # noqa: BLE001 - zlib below reads it or says why not
        pass
    out = []
    while raw:  # a BGZF file is many gzip members
        d = zlib.decompressobj(31)
        out.append(d.decompress(raw))
        if not d.eof:
            raise zlib.error("the index ends early")
        raw = d.unused_data
    return b"".join(out)


def _parse(data: bytes) -> TabixIndex:
    unpack = struct.unpack_from
    if data[:4] == b"TBI\x01":
        n_ref = unpack("<i", data, 4)[0]
        l_nm = unpack("<i", data, 32)[0]
        names_raw = data[36 : 36 + l_nm]
        off = 36 + l_nm
        min_shift, depth, is_csi = _TBI_SHIFT, _TBI_DEPTH, False
    elif data[:4] == b"CSI\x01":
        min_shift, depth, l_aux = unpack("<iii", data, 4)
        if l_aux < 28:
            raise ValueError("no contig names")
        l_nm = unpack("<i", data, 16 + 24)[0]
        names_raw = data[16 + 28 : 16 + 28 + l_nm]
        off = 16 + l_aux
        n_ref = unpack("<i", data, off)[0]
        off += 4
        is_csi = True
    else:
        raise ValueError("not a tabix or CSI index")
    names = [n.decode("utf-8", "replace") for n in names_raw.split(b"\x00") if n]
    if len(names) != n_ref:
        raise ValueError("the contig names do not match the contig count")
    pseudo = _bin_first(depth + 1) + 1  # 37450 in a .tbi: the contig's record counts
    head = _BIN_CSI if is_csi else _BIN_TBI
    head_unpack, head_size = head.unpack_from, head.size
    contigs: dict[str, _Contig] = {}
    for name in names:
        contig = _Contig()
        bins = contig.bins
        n_bin = unpack("<i", data, off)[0]
        off += 4
        off = _walk_bins(data, off, n_bin, is_csi, bins)
        at = bins.pop(pseudo, None)
        if at is not None and head_unpack(data, at)[-1] >= 2:
            contig.n_records = unpack("<Q", data, at + head_size + 16)[0]
        if not is_csi:
            n_intv = unpack("<i", data, off)[0]
            contig.linear = (off + 4, n_intv)
            off += 4 + 8 * n_intv
        if off > len(data):
            raise ValueError("the index ends early")
        contigs[name] = contig
    return TabixIndex(min_shift, depth, contigs, is_csi, data)


# a bin entry holding one chunk, laid out as in the file (a genome's index has ~200k)
_ONE_CHUNK = {
    False: np.dtype([("bin", "<u4"), ("n", "<i4"), ("u", "<u8"), ("v", "<u8")]),
    True: np.dtype([("bin", "<u4"), ("loff", "<u8"), ("n", "<i4"), ("u", "<u8"), ("v", "<u8")]),
}
_SLOW_RUN = 64  # bins walked one by one after a short run of one-chunk bins


def _walk_bins(data: bytes, off: int, n_bin: int, is_csi: bool, bins: dict[int, int]) -> int:
    """Record each bin's entry offset in ``bins``; returns the offset after the last bin.

    Most bins hold one chunk, so runs of them are read as a numpy record array (a walk of
    one unpack per bin took 0.12 s on a genome's index); other bins one by one.
    """
    head = _BIN_CSI if is_csi else _BIN_TBI
    run = _ONE_CHUNK[is_csi]
    left = n_bin
    while left:
        count = min(left, (len(data) - off) // run.itemsize, 8192)  # bounded work per step
        entries = np.frombuffer(data, run, count=count, offset=off)
        several = np.flatnonzero(entries["n"] != 1)
        k = int(several[0]) if len(several) else count
        if k:
            starts = off + run.itemsize * np.arange(k, dtype=np.int64)
            bins.update(zip(entries["bin"][:k].tolist(), starts.tolist(), strict=True))
            off += run.itemsize * k
            left -= k
        for _ in range(min(left, _SLOW_RUN if k < _SLOW_RUN else 1)):
            entry = head.unpack_from(data, off)
            bins[entry[0]] = off
            off += head.size + 16 * entry[-1]
            left -= 1
    return off


def _chunk_text(fh: BinaryIO, chunk: tuple[int, int]) -> bytes:
    """The inflated bytes from virtual offset ``chunk[0]`` up to ``chunk[1]``."""
    u, v = chunk
    first, last, end_in = u >> 16, v >> 16, v & 0xFFFF
    fh.seek(first)
    buf = fh.read(last - first + _MAX_BLOCK)
    spans, _ = _bgzf_spans(buf)
    text = _inflate_blocks(buf, [(s, e) for s, e in spans if first + s < last])
    if end_in:  # the chunk ends inside the block that starts at ``last``
        at_last = [(s, e) for s, e in spans if first + s == last]
        if not at_last:
            raise BulkTextError("the index points between the file's blocks")
        text += _inflate_blocks(buf, at_last)[:end_in]
    return text[u & 0xFFFF :]


def region_blocks(
    path: Path,
    index: TabixIndex,
    regions: list[Region],
    on_read: Callable[[int, int], None] | None = None,
) -> Iterator[bytes]:
    """Text blocks (whole data lines, about :data:`BLOCK_TEXT` each) holding every record
    that overlaps ``regions`` (merged, in the file's contig names), in region order."""
    by_contig: dict[str, list[Region]] = {}
    for region in regions:
        by_contig.setdefault(region[0], []).append(region)
    plan = [c for chrom in by_contig for c in index.chunks(by_contig[chrom])]
    pending: list[bytes] = []
    size = 0
    with open(path, "rb") as fh:
        for i, chunk in enumerate(plan):
            text = _chunk_text(fh, chunk)
            if text and not text.endswith(b"\n"):
                raise BulkTextError("an index chunk does not end at a line end")
            pending.append(text)
            size += len(text)
            if on_read is not None:
                on_read(i + 1, len(plan))
            if size >= BLOCK_TEXT:
                yield b"".join(pending)
                pending, size = [], 0
    if size:
        yield b"".join(pending)


def first_record(path: Path) -> tuple[str, int, str] | None:
    """(chrom, pos, ref) of the file's first data line, reading only the first blocks."""
    with open(path, "rb") as fh:
        buf = fh.read(1024 * 1024)
    spans, _ = _bgzf_spans(buf)
    text = b""
    for span in spans:
        text += _inflate_blocks(buf, [span])
        start = 0
        while start < len(text):
            nl = text.find(b"\n", start)
            if nl < 0:
                break
            if text[start : start + 1] != b"#":
                fields = text[start:nl].split(b"\t", 4)
                if len(fields) < 4 or not fields[1].isdigit():
                    return None
                return fields[0].decode("utf-8", "replace"), int(fields[1]), fields[3].decode()
            start = nl + 1
        text = text[start:]
    return None


def index_matches(path: Path, index: TabixIndex) -> bool:
    """Does the index find the file's first record? (An index of another file gives no
    records at all, silently.)"""
    rec = first_record(path)
    if rec is None:
        return True
    chrom, pos, ref = rec
    want = f"{chrom}\t{pos}\t".encode()
    try:
        for text in region_blocks(path, index, [(chrom, pos, pos)]):
            for line in text.split(b"\n"):
                if line.startswith(want) and line.split(b"\t", 4)[3:4] == [ref.encode()]:
                    return True
    except BulkTextError:  # offsets of another file land mid-line or between blocks
        return False
    return False


def checked_index(path: Path, index_path: Path) -> tuple[TabixIndex | None, str]:
    """The parsed index when it belongs to the bgzipped ``path``, else None and why."""
    try:
        if index_is_stale(path, index_path):
            return None, f"the index {index_path.name} is older than the file"
        index = read_index(index_path)
        if not index_matches(path, index):
            return None, f"the index {index_path.name} does not match the file"
    except (IndexUnreadable, BulkTextError, OSError) as e:
        return None, str(e)
    return index, ""


def index_facts(path: Path, index_path: Path) -> tuple[bool, int | None, str] | None:
    """For inspect: (belongs to the file, records it counts, why not), or None when the index
    cannot be read here (htslib checks it then)."""
    try:
        read_index(index_path)
    except IndexUnreadable:
        return None
    index, why = checked_index(path, index_path)
    return (True, index.n_records, "") if index is not None else (False, None, why)


def load_with_index(
    p: Path,
    index_path: Path,
    file_regions: list[Region],
    info: VcfInfo,
    ht: HeaderText,
    chosen: str | None,
    ann: tuple[str, str] | None,
    parser: AnnotationParser | None,
    throttle: Throttle,
    cancel: CancelToken | None,
    coverage_depth: int | None,
    checksum: Callable[[], str | None],
) -> VariantTable | None:
    """The regions' table read through ``index_path`` by the bulk reader, as htslib's index
    queries give it; None when the index or the file needs htslib (the reason is logged).
    ``checksum()`` gives the file's SHA-256 (the whole file is not read here)."""
    from pmviewer.core.vcf.bulk import BulkUnsupported, load_bulk

    index, why = checked_index(p, index_path)
    if index is None:
        log.info("%s: the regions are read with htslib: %s", p.name, why)
        return None

    def on_chunk(done: int, total: int) -> None:
        prog.check(cancel)
        throttle(done, total)

    def step(done: int, total: int) -> None:
        prog.check(cancel)

    blocks = region_blocks(p, index, file_regions, on_chunk)
    try:
        result = load_bulk(p, info.compression, ht, chosen, parser, ann[0] if ann else None,
                           file_regions, step, coverage_depth, blocks=blocks)  # fmt: skip
    except BulkUnsupported as why:
        log.info("%s is read with htslib: %s", p.name, why)
        return None
    # as htslib's index queries, which number no records
    result.frame["record_index"] = np.full(len(result.frame), -1, np.int64)
    info.sha256 = checksum()
    info.indexed = True
    info.index_path = str(index_path)
    return finished_table(result.frame, result.covered, result.no_calls,
                          result.covered_at_depth, info, chosen, result.stats,
                          result.has_genotypes, [], file_regions, throttle)  # fmt: skip
