"""Indexes and regions: find the file's own index, check it belongs to the file, build one in
the user cache folder when it is missing, and turn gene regions into the file's contig names.

cyvcf2 cannot build indexes, but the htslib it bundles exports ``bcf_index_build3``; we call
it through ``ctypes`` and write the index into :func:`pmviewer.core.paths.cache_dir` (the
user's folder may be read-only and is never modified). When that is not possible the
loader scans the file with a fast region filter instead.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from pmviewer.core.genome import canonical_chrom, file_chrom
from pmviewer.core.paths import cache_dir

Region = tuple[str, int, int]


def sidecar_index(path: Path, compression: str) -> Path | None:
    """The index next to the file (``.tbi`` or ``.csi``), if any."""
    if compression not in ("bgzip", "bcf"):
        return None
    for suffix in (".csi", ".tbi") if compression == "bcf" else (".tbi", ".csi"):
        cand = Path(str(path) + suffix)
        if cand.is_file() and cand.stat().st_size > 0:
            return cand
    return None


def _cache_key(path: Path) -> str:
    st = path.stat()
    ident = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    return hashlib.sha1(ident.encode()).hexdigest()[:20]


def cached_index_path(path: Path) -> Path:
    folder = cache_dir() / "indexes"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{_cache_key(path)}.csi"


def _htslib() -> ctypes.CDLL | None:
    from pmviewer.core.vcf.reader import cyvcf2_available

    return _htslib_lib() if cyvcf2_available() else None


@functools.cache
def _htslib_lib() -> ctypes.CDLL | None:
    spec = importlib.util.find_spec("cyvcf2.cyvcf2")
    if spec is None or spec.origin is None:
        return None
    try:
        lib = ctypes.CDLL(spec.origin)
        lib.bcf_index_build3.argtypes = [
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_int,
        ]
        lib.bcf_index_build3.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return lib


def quiet_htslib() -> None:
    """Keep htslib's warnings (undeclared tags ...) off the terminal; errors still print."""
    lib = _htslib()
    if lib is not None:
        try:
            lib.hts_set_log_level(1)  # HTS_LOG_ERROR
        except AttributeError:
            pass


def build_cached_index(path: Path) -> tuple[Path | None, str]:
    """Build a CSI index for a bgzipped VCF or BCF into the cache folder.

    Returns ``(index path or None, reason)``; the reason explains a failure (htslib refuses
    unsorted files and plain-gzip files).
    """
    target = cached_index_path(path)
    if target.is_file() and target.stat().st_size > 0:
        return target, "cached"
    lib = _htslib()
    if lib is None:
        return None, "the bundled htslib cannot build indexes"
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    # min_shift 14 = CSI with 16 kb bins: works for contigs longer than 512 Mb too.
    rc = lib.bcf_index_build3(os.fsencode(path), os.fsencode(tmp), 14, 1)
    if rc != 0:
        tmp.unlink(missing_ok=True)
        reason = "the file is not sorted by position" if rc == -1 else f"htslib error {rc}"
        return None, reason
    os.replace(tmp, target)
    return target, "built"


def index_is_stale(data: Path, index: Path) -> bool:
    """An index older than its data file may belong to an earlier version of it (tabix's rule)."""
    return index.stat().st_mtime + 1 < data.stat().st_mtime


def index_contigs(index: Path) -> set[str] | None:
    """Contig names stored in a tabix (.tbi) or tabix-style CSI index; None when unknown.

    Regions on contigs the index does not list hold no records; skipping them avoids
    pointless queries (and cyvcf2's "no intervals found" message for each).
    Layout: SAM/BAM specification, sections 5.2 (CSI) and the tabix format description.
    """
    import gzip
    import struct

    try:
        with gzip.open(index, "rb") as fh:
            head = fh.read(16 * 1024 * 1024)
    except (OSError, EOFError):
        return None
    if head[:4] == b"TBI\x01":
        meta = head[4:]
    elif head[:4] == b"CSI\x01" and len(head) >= 16:
        l_aux = struct.unpack_from("<i", head, 12)[0]
        if l_aux < 28:
            return None  # BCF: names live in the header
        # the aux block is the TBI header without n_ref: pad so both share offsets
        meta = b"\x00\x00\x00\x00" + head[16 : 16 + l_aux]
    else:
        return None
    try:
        # n_ref, format, col_seq, col_beg, col_end, meta, skip, l_nm, then the names
        l_nm = struct.unpack_from("<i", meta, 28)[0]
        names = meta[32 : 32 + l_nm]
    except struct.error:
        return None
    return {n.decode("utf-8", "replace") for n in names.split(b"\x00") if n}


# -- regions ---------------------------------------------------------------------------------
def contig_map(names: Iterable[str]) -> dict[str, str]:
    """canonical name -> the file's own contig name."""
    out: dict[str, str] = {}
    for n in names:
        out.setdefault(canonical_chrom(n), n)
    return out


def to_file_regions(
    regions: Iterable[Region], names: Iterable[str], chr_prefix: bool
) -> list[Region]:
    """Map (chrom, start, end) in either naming to the file's names; sort and merge overlaps.

    Contigs the header does not declare get the name the file's chr-prefix style implies
    (records on undeclared contigs are common, and the index still finds them).
    """
    known = contig_map(names)
    mapped: list[Region] = []
    for chrom, start, end in regions:
        if int(start) < 1 or int(end) < int(start):
            raise ValueError(f"invalid region {chrom}:{start}-{end}")
        canon = canonical_chrom(str(chrom))
        name = known.get(canon) or file_chrom(canon, chr_prefix)
        mapped.append((name, int(start), int(end)))
    order = {n: i for i, n in enumerate(known.values())}
    mapped.sort(key=lambda r: (order.get(r[0], len(order)), r[0], r[1], r[2]))
    merged: list[Region] = []
    for chrom, start, end in mapped:
        if merged and merged[-1][0] == chrom and start <= merged[-1][2] + 1:
            if end > merged[-1][2]:
                merged[-1] = (chrom, merged[-1][1], end)
        else:
            merged.append((chrom, start, end))
    return merged


def region_string(region: Region) -> str:
    return f"{region[0]}:{region[1]}-{region[2]}"


def make_filter(regions: list[Region]) -> Callable[[str, int, int], bool]:
    """``keep(chrom, pos, end)``: True when the record overlaps one of the merged regions."""
    table: dict[str, tuple[list[int], list[int]]] = {}
    for chrom, start, end in regions:
        starts, ends = table.setdefault(chrom, ([], []))
        starts.append(start)
        ends.append(end)
    for starts, ends in table.values():
        pairs = sorted(zip(starts, ends, strict=True))
        starts[:] = [p[0] for p in pairs]
        ends[:] = [p[1] for p in pairs]

    def keep(chrom: str, pos: int, end: int) -> bool:
        entry = table.get(chrom)
        if entry is None:
            return False
        starts, ends = entry
        i = bisect.bisect_right(starts, end) - 1
        return i >= 0 and ends[i] >= pos

    return keep


def clip_intervals(covered: pd.DataFrame, regions: list[Region]) -> pd.DataFrame:
    """The parts of ``covered`` intervals (chrom, start, end) that lie inside ``regions``.

    A region load reads every record overlapping a region, including reference blocks that
    start before it or end after it, and (unlike a full load) never sees the neighbouring
    blocks outside it. Clipping to the regions, then merging pieces that touch, gives a region
    load exactly the full load's covered intervals intersected with the regions, whichever
    path (index query or scan) read the records. ``regions`` are in the file's naming and may
    overlap; the chrom column keeps its categories.
    """
    table: dict[str, tuple[list[int], list[int]]] = {}
    for chrom, start, end in sorted(regions):
        starts, ends = table.setdefault(chrom, ([], []))
        if starts and start <= ends[-1] + 1:  # merge so ends stay sorted for bisect
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    chroms = covered["chrom"].cat
    names = list(chroms.categories)
    pieces: list[tuple[int, int, int]] = []
    for code, lo, hi in zip(
        chroms.codes.tolist(), covered["start"].tolist(), covered["end"].tolist(), strict=True
    ):
        entry = table.get(names[code]) if code >= 0 else None
        if entry is None:
            continue
        starts, ends = entry
        i = bisect.bisect_left(ends, lo)  # first region ending at or after the interval start
        while i < len(starts) and starts[i] <= hi:
            pieces.append((code, max(lo, starts[i]), min(hi, ends[i])))
            i += 1
    pieces.sort()
    merged: list[list[int]] = []
    for code, lo, hi in pieces:
        last = merged[-1] if merged else None
        if last is not None and last[0] == code and lo <= last[2] + 1:
            last[2] = max(last[2], hi)
        else:
            merged.append([code, lo, hi])
    codes = np.array([m[0] for m in merged], dtype=np.int16)
    return pd.DataFrame(
        {
            "chrom": pd.Categorical.from_codes(codes, categories=chroms.categories),
            "start": np.array([m[1] for m in merged], dtype=np.int64),
            "end": np.array([m[2] for m in merged], dtype=np.int64),
        }
    )
