"""The bulk reader: a text VCF into the variant table with block-wise vectorised work.

No compiler-built VCF library is needed: blocks of data lines (:mod:`.bulk_text`) are
parsed by pyarrow (:mod:`.bulk_records`), the row rules are applied to whole blocks
(:mod:`.bulk_rows`), and the table is assembled in the same storage types as
:class:`~pmviewer.core.vcf.rows.RowBuilder`'s, so the two readers give identical tables
(a corpus test holds them to it). A file this reader cannot reproduce exactly raises
:class:`BulkUnsupported` with the reason before any result is returned; the loader then
reads it with htslib.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pmviewer.core.model import VARIANT_COLUMNS, LoadStats
from pmviewer.core.vcf.bulk_blocks import (
    BlockJoiner,
    BlockOptions,
    LoadCodes,
    ParsedBlock,
    parse_block,
    region_mask,
)
from pmviewer.core.vcf.bulk_records import BulkUnsupported, Fields, header_types
from pmviewer.core.vcf.bulk_rows import ANN_COLS, BlockRows
from pmviewer.core.vcf.bulk_text import BulkTextError, Digest, data_views, worker_threads
from pmviewer.core.vcf.csq import AnnotationParser
from pmviewer.core.vcf.header import HeaderText, read_header_lines
from pmviewer.core.vcf.index import Region
from pmviewer.core.vcf.rows import ZYGOSITIES, RowBuilder, _trim

__all__ = ["BulkResult", "BulkUnsupported", "load_bulk", "region_mask"]

log = logging.getLogger(__name__)
_POOL = pa.system_memory_pool()
_NA64 = -(2**63)
_PARSE_TEXT = 2 * 1024 * 1024  # text per parsed block: ~18k genome records, one CSV chunk
_TRIM_RECORDS = 1_000_000  # records joined between two trims of the freed heap
_WAIT = 0.1  # seconds between progress calls while a block is parsed
_NUMERIC = {"Integer", "Float"}


@dataclass
class BulkResult:
    frame: pd.DataFrame
    covered: pd.DataFrame
    no_calls: pd.DataFrame
    stats: LoadStats
    has_genotypes: bool
    covered_at_depth: pd.DataFrame | None = None


def _fields(path: Path, compression: str, ht: HeaderText, sample: str | None,
            ann_key: str | None) -> Fields:  # fmt: skip
    lines = read_header_lines(path, compression)
    if not lines or not lines[-1].startswith("#CHROM"):
        raise BulkUnsupported("the header has no #CHROM line")
    names = lines[-1].rstrip("\r\n").split("\t")
    if len(names) < 8:
        raise BulkUnsupported("the #CHROM line has fewer than 8 columns")
    columns = [f"c{i}" for i in range(len(names))]
    fixed = ["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"]
    columns[: min(9, len(names))] = fixed[: min(9, len(names))]
    has_sample = sample is not None and len(ht.samples) > 0
    sample_column = None
    if has_sample:
        if len(names) != 9 + len(ht.samples) or names[9:].count(sample) != 1:  # type: ignore[arg-type]
            raise BulkUnsupported("the sample columns do not match the header's sample names")
        sample_column = columns[9 + names[9:].index(sample)]  # type: ignore[arg-type]
    fmt_types = header_types(lines, "FORMAT") if has_sample else {}
    for key in ("DP", "GQ", "AD", "PS", "MIN_DP"):
        if key in fmt_types and fmt_types[key] not in _NUMERIC:
            raise BulkUnsupported(f"FORMAT {key} is declared as {fmt_types[key] or 'untyped'}")
    fmt = ht.formats if has_sample else {}
    vaf_key = "VAF" if "VAF" in fmt else ("AF" if "AF" in fmt else None)
    return Fields(
        columns=columns, sample_column=sample_column, has_gt=has_sample and "GT" in fmt,
        f_dp="DP" in fmt, f_gq="GQ" in fmt, f_ad="AD" in fmt, f_ps="PS" in fmt,
        f_min_dp="MIN_DP" in fmt,
        f_vaf=vaf_key if vaf_key and fmt_types.get(vaf_key) == "Float" else None,
        i_dp="DP" in ht.info and "DP" not in fmt, i_svtype="SVTYPE" in ht.info, ann_key=ann_key,
        info_end="END" in ht.info,
    )  # fmt: skip


def load_bulk(
    path: Path,
    compression: str,
    ht: HeaderText,
    sample: str | None,
    parser: AnnotationParser | None,
    ann_key: str | None,
    regions: list[Region] | None = None,
    on_step: Callable[[int, int], None] | None = None,
    coverage_depth: int | None = None,
    digest: Digest | None = None,
    blocks: Iterable[bytes | memoryview] | None = None,
) -> BulkResult:
    """Read the whole file (keeping records overlapping ``regions`` when given).

    With ``coverage_depth`` the intervals proven at that depth are measured too
    (:attr:`BulkResult.covered_at_depth`, as RowBuilder's ``covered_at_depth``). ``digest``
    is given every byte of the file (its checksum, from the same read).

    ``on_step(compressed_bytes_done, file_size)`` is called after every block; it may raise
    (cancel). Raises :class:`BulkUnsupported` when the htslib reader must be used.
    ``blocks``: the data lines to parse instead of the whole file's (an index query's
    chunks, :mod:`.bulk_regions`); records they hold outside ``regions`` are not counted.
    """
    fields = _fields(path, compression, ht, sample, ann_key)
    # Arrow's default pool (mimalloc) keeps freed pages; the system allocator and malloc_trim
    # hand each block's temporary memory back, keeping the peak near the table's size (on
    # the 1M-record genome 267 MB instead of 326 MB). Every Arrow buffer remembers the pool
    # it came from, so switching the default for the load is safe for other threads.
    previous = pa.default_memory_pool()
    pa.set_memory_pool(_POOL)
    try:
        return _load(path, compression, ht, parser, ann_key, regions, on_step, fields,
                     coverage_depth, digest, blocks)  # fmt: skip
    finally:
        pa.set_memory_pool(previous)


def _load(
    path: Path,
    compression: str,
    ht: HeaderText,
    parser: AnnotationParser | None,
    ann_key: str | None,
    regions: list[Region] | None,
    on_step: Callable[[int, int], None] | None,
    fields: Fields,
    coverage_depth: int | None = None,
    digest: Digest | None = None,
    blocks: Iterable[bytes | memoryview] | None = None,
) -> BulkResult:
    size = max(path.stat().st_size, 1)
    done = [0]
    report = on_step or (lambda d, t: None)
    stats = LoadStats()
    joiner = BlockJoiner(stats)
    opts = BlockOptions(fields, fields.has_gt, parser, ann_key, regions, coverage_depth)

    def step() -> None:
        # while waiting for a block too: on a busy machine one block takes a second of wall
        # clock, and the caller promises progress every 0.5 s (the loader's throttle drops
        # the extra calls)
        report(min(done[0], size - 1), size)

    def on_read(n: int) -> None:
        done[0] = n
        step()

    step()
    whole_file = blocks is None
    workers = worker_threads()
    pending: deque[Future[ParsedBlock]] = deque()
    trimmed = 0
    with ThreadPoolExecutor(workers, "pmviewer-parse") as pool:
        try:
            if blocks is None:
                blocks = data_views(path, compression, on_read, digest, block_text=_PARSE_TEXT)
            for text in blocks:
                pending.append(pool.submit(parse_block, text, opts))
                del text
                while len(pending) > workers:  # one block waits while the others are parsed
                    _join_next(pending.popleft(), joiner, step)
                    if joiner.first_index - trimmed > _TRIM_RECORDS:
                        trimmed = joiner.first_index
                        _trim()
            while pending:
                _join_next(pending.popleft(), joiner, step)
        except BulkTextError as e:
            raise BulkUnsupported(str(e)) from e
        finally:
            for future in pending:  # an error or a cancel: the blocks queued are not parsed
                future.cancel()
    _trim()
    parts = joiner.parts
    stats.records_read += joiner.skipped if whole_file else 0  # a scan read them all
    at_depth = None
    if coverage_depth is not None:
        merged = _merge_intervals([p.at_depth for p in parts if p.at_depth is not None])
        at_depth = RowBuilder._side([merged] if len(merged[0]) else [],
                                    ("chrom", "start", "end"),
                                    list(joiner.chroms.table))  # fmt: skip
    frame, covered, no_calls = _assemble(
        parts, joiner.chroms, joiner.filters, stats, lambda: report(size - 1, size)
    )
    return BulkResult(frame, covered, no_calls, stats, fields.has_gt, at_depth)


def _join_next(future: Future[ParsedBlock], joiner: BlockJoiner, step: Callable[[], None]) -> None:
    """Wait for the next block in file order (reporting progress meanwhile) and join it."""
    while True:
        try:
            block = future.result(timeout=_WAIT)
            break
        except FutureTimeout:
            step()
        except BulkUnsupported as e:
            raise joiner.failed(e) from None
    joiner.add(block)
    step()


def _assemble(
    parts: list[BlockRows],
    chroms: LoadCodes,
    filters: LoadCodes,
    stats: LoadStats,
    on_step: Callable[[], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = sum(len(p.chrom) for p in parts)
    stats.rows_kept = n
    chrom_names = list(chroms.table)
    filter_codes = [p.filter_codes for p in parts]
    filter_names = list(filters.table)
    all_null = pa.nulls(n, pa.large_string(), memory_pool=_POOL)
    data: dict[str, object] = {}
    for col, (dtype, _) in VARIANT_COLUMNS.items():
        if col == "chrom":
            chunks: list = [p.chrom for p in parts]
        elif col == "filter":
            chunks = filter_codes
        elif col == "zygosity":
            chunks = [p.zygosity for p in parts]
        elif col in parts[0].ints if parts else False:
            chunks = [p.ints.pop(col) for p in parts]
        elif col in ("qual", "vaf"):
            chunks = [p.floats.pop(col) for p in parts]
        elif col in ("ref", "alt", "var_id", "genotype"):
            chunks = [p.strings.pop(col) for p in parts]  # large_string already
        elif col in ("phase_set", "sv_end", "sv_len"):
            ints = [p.sparse_ints.pop(col) for p in parts]
            if not any(c is not None and (c != _NA64).any() for c in ints):
                data[col] = _all_missing(dtype, n, all_null)
                continue
            chunks = [np.full(len(p.chrom), _NA64, np.int64) if c is None else c
                      for p, c in zip(parts, ints, strict=True)]  # fmt: skip
        elif col in ("sv_type", *ANN_COLS):
            got = [p.sparse_strings.pop(col) for p in parts]
            if all(g is None for g in got):
                data[col] = _all_missing(dtype, n, all_null)
                continue
            chunks = [
                pa.nulls(len(p.chrom), pa.large_string()) if g is None
                else pc.cast(g, pa.large_string(), memory_pool=_POOL)
                for p, g in zip(parts, got, strict=True)
            ]  # fmt: skip
        else:
            chunks = []
        if not parts:
            data[col] = _empty(col, dtype, chrom_names, filter_names)
            continue
        data[col] = RowBuilder._column(col, dtype, chunks, chrom_names, filter_names)
        del chunks
        _trim()
        if on_step is not None:
            on_step()
    frame = pd.DataFrame(data, copy=False)
    covered = _merge_intervals([p.covered for p in parts])
    cov_side = RowBuilder._side([covered] if len(covered[0]) else [],
                                ("chrom", "start", "end"), chrom_names)  # fmt: skip
    nc = [p.no_calls for p in parts if len(p.no_calls[0])]
    nc_side = RowBuilder._side(
        [tuple(np.asarray(a, np.int64) for a in t) for t in nc], ("chrom", "pos"), chrom_names
    )
    return frame, cov_side, nc_side


def _all_missing(dtype: str, n: int, all_null: pa.Array) -> object:
    if dtype == "string[pyarrow]":
        return pd.arrays.ArrowStringArray(pa.chunked_array([all_null]))
    values = np.zeros(n, dtype=np.int64 if dtype == "Int64" else np.int32)
    return pd.arrays.IntegerArray(values, np.ones(n, dtype=np.bool_))


def _empty(col: str, dtype: str, chroms: list[str], filters: list[str]) -> object:
    if col in ("chrom", "filter", "zygosity"):
        cats = {"chrom": chroms, "filter": filters, "zygosity": ZYGOSITIES}[col]
        return pd.Categorical.from_codes(np.zeros(0, np.int16), categories=pd.Index(cats))
    if dtype == "string[pyarrow]":
        return pd.arrays.ArrowStringArray(pa.chunked_array([], type=pa.large_string()))
    return RowBuilder._column(col, dtype, [], chroms, filters)


def _merge_intervals(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join (chrom, start, end) records into intervals exactly as RowBuilder does, record by
    record (an interval grows while the next starts inside it or right after it)."""
    if not parts:
        z = np.zeros(0, np.int64)
        return z, z, z
    c = np.concatenate([p[0] for p in parts]).astype(np.int64)
    s = np.concatenate([p[1] for p in parts]).astype(np.int64)
    e = np.concatenate([p[2] for p in parts]).astype(np.int64)
    if not len(c):
        return c, s, e
    run_break = np.r_[True, c[1:] != c[:-1]]
    sorted_in_runs = bool(np.all((s[1:] >= s[:-1]) | run_break[1:]))
    if not sorted_in_runs:
        return _merge_loop(c, s, e)
    run = np.cumsum(run_break) - 1
    shift = run.astype(np.int64) << 40
    reach = np.maximum.accumulate(e + shift)
    prev_reach = np.r_[np.int64(-1), reach[:-1]]
    new = run_break | (s + shift > prev_reach + 1)
    group = np.cumsum(new) - 1
    starts = s[new]
    ends = np.maximum.reduceat(e, np.flatnonzero(new))
    del group
    return c[new], starts, ends


def _merge_loop(
    c: np.ndarray, s: np.ndarray, e: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out_c: list[int] = []
    out_s: list[int] = []
    out_e: list[int] = []
    last: list[int] | None = None
    for ci, si, ei in zip(c.tolist(), s.tolist(), e.tolist(), strict=True):
        if last is not None and last[0] == ci and last[1] <= si <= last[2] + 1:
            if ei > last[2]:
                last[2] = ei
            continue
        if last is not None:
            out_c.append(last[0])
            out_s.append(last[1])
            out_e.append(last[2])
        last = [ci, si, ei]
    if last is not None:
        out_c.append(last[0])
        out_s.append(last[1])
        out_e.append(last[2])
    return np.array(out_c, np.int64), np.array(out_s, np.int64), np.array(out_e, np.int64)
