"""The loader's bulk-reader path: when it is used, and the table it gives.

:func:`load_with_bulk` reads the file once: the bulk reader's blocks also feed the file's
SHA-256, so a full load costs one pass over the compressed bytes. When the bulk reader
cannot reproduce a file exactly it returns None (htslib reads it) or, without htslib,
raises the counselor's message.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Protocol

import pandas as pd

from pmviewer.core import progress as prog
from pmviewer.core.errors import InputFileError
from pmviewer.core.model import LoadStats, VariantTable, VcfInfo
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.csq import AnnotationParser
from pmviewer.core.vcf.diagnose import explain_read_failure
from pmviewer.core.vcf.header import HeaderText
from pmviewer.core.vcf.index import Region, clip_intervals, region_string
from pmviewer.core.vcf.reader import ReadFailure, cyvcf2_available

log = logging.getLogger("pmviewer.core.vcf.loader")  # one logger for the reader choice


class Throttle(Protocol):
    def __call__(self, done: int, total: int, final: bool = False) -> None: ...


def htslib_asked_for() -> bool:
    """``PMVIEWER_READER=htslib`` with htslib installed: every read goes through htslib."""
    return os.environ.get("PMVIEWER_READER") == "htslib" and cyvcf2_available()


def use_bulk(info: VcfInfo, regional: bool) -> bool:
    """Does the bulk reader scan the file? Text VCFs read whole, yes; a region load that the
    index could not serve (:mod:`.bulk_regions` is tried first) goes to htslib's index
    queries while htslib is installed (a few genes need not scan a genome)."""
    if info.compression == "bcf" or htslib_asked_for():
        return False
    if regional and cyvcf2_available() and os.environ.get("PMVIEWER_READER") != "bulk":
        return False
    return True


def load_with_bulk(
    p: Path,
    info: VcfInfo,
    ht: HeaderText,
    chosen: str | None,
    ann: tuple[str, str] | None,
    parser: AnnotationParser | None,
    file_regions: list[Region] | None,
    index_note: str,
    throttle: Throttle,
    cancel: CancelToken | None,
    coverage_depth: int | None = None,
) -> VariantTable | None:
    """The table read by the bulk reader, or None when htslib must read this file (the
    reason is logged). The file's checksum (``info.sha256``) comes from the same read."""
    from pmviewer.core.vcf.bulk import BulkUnsupported, load_bulk

    def step(done: int, total: int) -> None:
        prog.check(cancel)
        throttle(done, total)

    digest = hashlib.sha256()
    try:
        result = load_bulk(p, info.compression, ht, chosen, parser, ann[0] if ann else None,
                           file_regions, step, coverage_depth, digest)  # fmt: skip
    except BulkUnsupported as why:
        if cyvcf2_available():
            log.info("%s is read with htslib: %s", p.name, why)
            return None
        raise bulk_failure(p, info, ht, why) from why
    info.sha256 = digest.hexdigest()
    notes: list[str] = []
    if file_regions is not None:
        info.indexed = False
        info.index_path = None
        notes.append(
            "The whole file was scanned for the regions."
            if info.compression in ("bgzip", "bcf")
            else "The file is not bgzip-compressed, so it cannot be indexed; the whole file "
            "was scanned for the regions."
        )
    if index_note:
        notes.append(f"The index next to the file was ignored: {index_note}.")
    return finished_table(result.frame, result.covered, result.no_calls,
                          result.covered_at_depth, info, chosen, result.stats,
                          result.has_genotypes, notes, file_regions, throttle)  # fmt: skip


def bulk_failure(p: Path, info: VcfInfo, ht: HeaderText, why: Exception) -> InputFileError:
    """The counselor message when the bulk reader cannot read a file and htslib is absent."""
    from pmviewer.core.vcf.diagnose import stream_error

    damaged = stream_error(p, info.compression)
    if damaged is not None:
        return damaged
    record_no = getattr(why, "record_no", None)
    if record_no is not None:
        return explain_read_failure(p, info.compression, ht, ReadFailure(record_no, why))
    return InputFileError(
        f"The file {p.name} could not be read here: {why}. This installation reads VCF text "
        "without htslib (cyvcf2 is not installed), which needs standard VCF lines. Ask the lab "
        "for a standard .vcf.gz (for example re-written with 'bcftools view -Oz'), or install "
        "pmviewer with cyvcf2."
    )


def finished_table(
    frame: pd.DataFrame,
    covered: pd.DataFrame,
    no_calls: pd.DataFrame,
    at_depth: pd.DataFrame | None,
    info: VcfInfo,
    chosen: str | None,
    stats: LoadStats,
    has_genotypes: bool,
    notes: list[str],
    file_regions: list[Region] | None,
    throttle: Throttle,
) -> VariantTable:
    """The loaded table, whichever reader read it: intervals clipped to the regions, the
    notes added, progress finished."""
    if file_regions is not None:
        covered = clip_intervals(covered, file_regions)
        at_depth = clip_intervals(at_depth, file_regions) if at_depth is not None else None
    if not has_genotypes:
        notes.append(
            "The file has no genotypes for a sample (sites-only or no GT field): variants are "
            "listed with zygosity 'unknown'."
        )
    stats.notes.extend(notes)
    throttle(1, 1, final=True)
    return VariantTable(
        frame=frame, info=info, sample=chosen, stats=stats, covered=covered, no_calls=no_calls,
        covered_at_depth=at_depth,
        regions=[region_string(r) for r in file_regions] if file_regions is not None else None,
    )  # fmt: skip
