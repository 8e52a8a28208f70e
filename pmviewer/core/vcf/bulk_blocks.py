"""One block of data lines into rows, on any thread; the blocks rejoined in file order.

:func:`parse_block` does all the work of a block (CSV parse, record columns, row rules)
with nothing shared between blocks: chromosome and FILTER names are coded in the block's own
order of first appearance, records are numbered from 0 and the counts are the block's. The
work is pyarrow and numpy passes that release the GIL, so blocks are parsed by a thread per
core. :class:`BlockJoiner` then takes the blocks in file order and gives them the load's
codes, record numbers and counts, so the table is the one a sequential read gives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import fields as dc_fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pmviewer.core.model import LoadStats
from pmviewer.core.vcf.bulk_records import (
    BulkUnsupported,
    Fields,
    RecordBlock,
    parse_records,
    read_block,
)
from pmviewer.core.vcf.bulk_rows import BlockRows, classify
from pmviewer.core.vcf.csq import AnnotationParser
from pmviewer.core.vcf.index import Region

_MAX_PROBLEMS = 200
_CR = ord("\r")
_COUNTS = [f.name for f in dc_fields(LoadStats) if f.type in ("int", int)]


@dataclass
class BlockOptions:
    """What every block of one load is parsed with."""

    fields: Fields
    has_genotypes: bool
    parser: AnnotationParser | None
    ann_key: str | None
    regions: list[Region] | None
    coverage_depth: int | None


@dataclass
class ParsedBlock:
    rows: BlockRows  # chrom and filter codes index chrom_names / filter_names
    records: int  # records kept (all of them without regions)
    skipped: int  # records outside the regions
    chrom_names: list[str]
    filter_names: list[str]
    stats: LoadStats


def local_codes(values: pa.Array) -> tuple[np.ndarray, list[str]]:
    """int16 codes of ``values`` and the names they stand for, in order of first appearance."""
    if not len(values):
        return np.zeros(0, np.int16), []
    enc = pc.dictionary_encode(values)
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int16)
    return codes, enc.dictionary.to_pylist()


def parse_block(text: bytes | memoryview, opts: BlockOptions) -> ParsedBlock:
    """The rows of one block of whole data lines. Raises :class:`BulkUnsupported` with
    ``record_no`` counted from the block's first line."""
    if (np.frombuffer(text, np.uint8) == _CR).any():
        raise BulkUnsupported("the file has Windows line ends")
    fields = opts.fields
    table = read_block(text, fields)
    block = parse_records(table, fields)  # INFO is searched for END only when it has one
    del table
    skipped = 0
    if opts.regions is not None:
        keep = region_mask(block.chrom, block.pos, block.end, opts.regions)
        skipped = int((~keep).sum())
        block = subset(block, keep)
    codes, chrom_names = local_codes(block.chrom)
    stats = LoadStats()
    rows = classify(block, codes, opts.has_genotypes, 0, opts.parser, opts.ann_key,
                    fields.i_svtype, stats, opts.coverage_depth)  # fmt: skip
    assert rows.filter_text is not None
    rows.filter_codes, filter_names = local_codes(rows.filter_text)
    rows.filter_text = None  # int16 instead of text
    return ParsedBlock(rows, block.n, skipped, chrom_names, filter_names, stats)


class LoadCodes:
    """Category codes of a whole load, in order of first appearance (as RowBuilder's)."""

    def __init__(self) -> None:
        self.table: dict[str, int] = {}

    def remap(self, names: list[str]) -> np.ndarray:
        """Load codes for a block's local codes 0..len(names)-1."""
        return np.array([self.table.setdefault(v, len(self.table)) for v in names], np.int16)


class BlockJoiner:
    """Takes parsed blocks in file order and numbers and codes them for the whole load."""

    def __init__(self, stats: LoadStats) -> None:
        self.stats = stats
        self.chroms = LoadCodes()
        self.filters = LoadCodes()
        self.first_index = 0  # records kept before the next block
        self.skipped = 0  # records outside the regions before the next block
        self.parts: list[BlockRows] = []

    def failed(self, error: BulkUnsupported) -> BulkUnsupported:
        """``error`` of the next block with its line counted from the start of the file."""
        if error.record_no is not None:
            error.record_no += self.first_index + self.skipped
        return error

    def add(self, block: ParsedBlock) -> None:
        rows = block.rows
        chrom = self.chroms.remap(block.chrom_names)
        rows.chrom = chrom[rows.chrom]
        c, s, e = rows.covered
        rows.covered = (chrom[c], s, e)
        c, p = rows.no_calls
        rows.no_calls = (chrom[c], p)
        if rows.at_depth is not None:
            c, s, e = rows.at_depth
            rows.at_depth = (chrom[c], s, e)
        assert rows.filter_codes is not None
        rows.filter_codes = self.filters.remap(block.filter_names)[rows.filter_codes]
        rows.ints["record_index"] += self.first_index
        for name in _COUNTS:
            setattr(self.stats, name, getattr(self.stats, name) + getattr(block.stats, name))
        room = _MAX_PROBLEMS - len(self.stats.problems)
        self.stats.problems.extend(
            (i + self.first_index, why) for i, why in rows.problems[: max(room, 0)]
        )
        self.first_index += block.records
        self.skipped += block.skipped
        self.parts.append(rows)


def region_mask(b_chrom: pa.Array, pos: np.ndarray, end: np.ndarray,
                regions: list[Region]) -> np.ndarray:  # fmt: skip
    """Records overlapping one of ``regions`` (as :func:`index.make_filter`)."""
    keep = np.zeros(len(pos), np.bool_)
    by_chrom: dict[str, list[tuple[int, int]]] = {}
    for chrom, start, stop in regions:
        by_chrom.setdefault(chrom, []).append((start, stop))
    for chrom, spans in by_chrom.items():
        spans.sort()
        starts = np.array([s for s, _ in spans], np.int64)
        ends = np.array([e for _, e in spans], np.int64)
        on = np.asarray(pc.equal(b_chrom, chrom).to_numpy(zero_copy_only=False), np.bool_)
        idx = np.flatnonzero(on)
        i = np.searchsorted(starts, end[idx], side="right") - 1
        hit = (i >= 0) & (ends[np.maximum(i, 0)] >= pos[idx])
        keep[idx[hit]] = True
    return keep


def subset(block: RecordBlock, keep: np.ndarray) -> RecordBlock:
    """The records of ``block`` where ``keep`` (a region scan)."""
    mask = pa.array(keep)
    changes: dict[str, object] = {"n": int(keep.sum())}
    for f in dc_fields(block):
        v = getattr(block, f.name)
        if isinstance(v, np.ndarray):
            changes[f.name] = v[keep]
        elif isinstance(v, pa.Array):
            changes[f.name] = v.filter(mask)
    return replace(block, **changes)  # type: ignore[arg-type]
