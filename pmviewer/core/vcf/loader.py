"""Open and load a patient VCF: :func:`inspect`, :func:`load`, :func:`sha256_file`.

The public face of the VCF layer. Header facts come from :mod:`vcf_header`, records from a
reader (:mod:`vcf_reader`, cyvcf2 today), rows from :mod:`vcf_rows`, indexes and regions
from :mod:`vcf_index`, file-level errors are explained by :mod:`vcf_diagnose`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

from pmviewer.core import progress as prog
from pmviewer.core.errors import InputFileError, SampleError
from pmviewer.core.model import VariantTable, VcfInfo
from pmviewer.core.progress import CancelToken, ProgressCallback
from pmviewer.core.vcf.bulk_load import finished_table, htslib_asked_for, load_with_bulk, use_bulk
from pmviewer.core.vcf.contigs import check_contig_names, scan_undeclared
from pmviewer.core.vcf.csq import AnnotationParser, pick_annotation_field
from pmviewer.core.vcf.diagnose import explain_read_failure, explain_region_failure, open_reader
from pmviewer.core.vcf.header import (
    HeaderText,
    detect_build,
    has_bgzf_eof,
    is_gvcf_header,
    parse_header_lines,
    read_header_lines,
    sniff_compression,
    truncated_message,
)
from pmviewer.core.vcf.index import (
    Region,
    build_cached_index,
    cached_index_path,
    index_contigs,
    index_is_stale,
    make_filter,
    region_string,
    sidecar_index,
    to_file_regions,
)
from pmviewer.core.vcf.reader import CyvcfReader, ReadFailure, VariantReader, cyvcf2_available
from pmviewer.core.vcf.rows import RowBuilder

log = logging.getLogger(__name__)

__all__ = ["inspect", "load", "sha256_file"]

_CHECK_EVERY = 1024  # records between cancel/progress checks (~10 ms of work)


class _Progress:
    """Throttled progress that can repeat its last value while slow steps run."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self._throttle = prog.Throttle(progress, interval=0.25)
        self._last = (0, 0)

    def __call__(self, done: int, total: int, final: bool = False) -> None:
        self._last = (done, total)
        self._throttle(done, total, final)

    def again(self) -> None:
        self._throttle(*self._last)


# -- inspect -----------------------------------------------------------------------------
_NO_HTSLIB_BCF = (
    "The file {name} is a BCF (binary) file, which this installation cannot read: its htslib "
    "component (cyvcf2) is not installed. Convert it with 'bcftools view -Oz -o "
    "patient.vcf.gz {name}', or open the lab's .vcf.gz instead."
)


def _read_header(path: Path, compression: str) -> HeaderText:
    if compression == "bcf" and not cyvcf2_available():
        raise InputFileError(_NO_HTSLIB_BCF.format(name=path.name))
    if compression == "bcf":
        reader = open_reader(path, None, None)
        try:
            raw = reader.raw_header()
        finally:
            reader.close()
        return parse_header_lines(raw.rstrip("\n").split("\n"))
    return parse_header_lines(read_header_lines(path, compression))


def _check_complete(path: Path, compression: str) -> None:
    if compression in ("bgzip", "bcf") and not has_bgzf_eof(path):
        raise InputFileError(truncated_message(path.name))


def _check_last_line(path: Path, ht: HeaderText) -> None:
    """A plain-text VCF cut short ends inside a line; htslib may still parse that line."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    if not tail or tail.endswith(b"\n"):
        return
    last = tail.rsplit(b"\n", 1)[-1]
    if last.startswith(b"#"):
        return
    expected = 8 if not ht.samples else 9 + len(ht.samples)
    if len(last.split(b"\t")) < expected:
        raise InputFileError(truncated_message(path.name))


def _index_matches(reader: CyvcfReader, path: Path, index: Path) -> tuple[bool, str]:
    """Does ``index`` belong to ``path``? A .tbi from another file silently gives 0 records.

    ``reader`` must have been opened with ``index``; its first record is consumed, so use it
    for region queries afterwards, not for a sequential read.
    """
    if index_is_stale(path, index):
        return False, f"the index {index.name} is older than the file"
    rec = reader.first_record()
    if rec is None:
        return True, ""
    chrom, pos, ref = rec
    if reader.region_has(f"{chrom}:{pos}-{pos}", chrom, pos, ref):
        return True, ""
    return False, f"the index {index.name} does not match the file"


def _estimate_records(path: Path, compression: str, size: int) -> int | None:
    """Rough record count from the first megabytes (used for progress when there is no index)."""
    import zlib

    if compression == "bcf":
        return None
    with open(path, "rb") as fh:
        head = fh.read(1024 * 1024)
    if compression == "none":
        text, used = head, len(head)
    else:
        pieces: list[bytes] = []
        rest = head
        try:
            while rest:  # bgzip files are many concatenated gzip members
                d = zlib.decompressobj(31)
                pieces.append(d.decompress(rest))
                rest = d.unused_data
        except zlib.error:
            pass
        text, used = b"".join(pieces), len(head) - len(rest)
    lines = text.split(b"\n")
    data = [ln for ln in lines[:-1] if ln and not ln.startswith(b"#")]
    if not data:
        return 0 if used >= size else None
    data_bytes = sum(len(ln) + 1 for ln in data)
    ratio = used / max(len(text), 1)
    per_record = data_bytes / len(data) * ratio
    header_bytes = (len(text) - data_bytes - len(lines[-1])) * ratio
    return max(len(data), int((size - header_bytes) / per_record))


def _inspect(
    path: str | os.PathLike[str], check_index: bool = True, cancel: CancelToken | None = None
) -> tuple[VcfInfo, HeaderText, Path | None, str]:
    """(info, header, usable index, note on an ignored index).

    With ``check_index=False`` the index next to the file is returned unchecked (the caller
    checks it on the reader it opens anyway; every open of an indexed file costs ~0.15 s).
    """
    p = Path(path)
    compression = sniff_compression(p)
    _check_complete(p, compression)
    ht = _read_header(p, compression)
    if compression == "none":
        _check_last_line(p, ht)
    build, evidence = detect_build(ht.contigs, ht.references + ht.contig_assemblies, ht.other_meta)
    annotation: list[str] = [k for k in ("CSQ", "ANN", "EFF") if k in ht.info]
    index = sidecar_index(p, compression)  # the bulk reader reads .tbi/.csi without htslib
    note = ""
    estimated = None
    if compression == "bcf" and not cyvcf2_available():
        raise InputFileError(_NO_HTSLIB_BCF.format(name=p.name))
    htslib_check = check_index
    if index is not None and htslib_check and compression == "bgzip":
        from pmviewer.core.vcf.bulk_regions import index_facts

        checked = index_facts(p, index)
        if checked is not None:  # no reader to open: ~0.15 s less on a genome
            htslib_check = False
            ok, estimated, note = checked
            index = index if ok else None
    if index is not None and htslib_check and cyvcf2_available():
        prog.check(cancel)  # each step below holds the GIL for tens of ms on a genome
        extra = _undeclared(p, compression, ht, index, cancel)
        reader = open_reader(p, ht, None, str(index), extra_contigs=extra)
        try:
            prog.check(cancel)
            ok, note = _index_matches(reader, p, index)
            prog.check(cancel)
            estimated = reader.num_records() if ok else None
        finally:
            reader.close()
        if not ok:
            index = None
    names = list(ht.contigs)
    chr_prefix = any(n.lower().startswith("chr") for n in names)
    if estimated is None and check_index:
        estimated = _estimate_records(p, compression, p.stat().st_size)
    info = VcfInfo(
        path=str(p), samples=list(ht.samples), contigs=dict(ht.contigs), build=build,
        build_evidence=evidence, chr_prefix=chr_prefix, annotation_fields=annotation,
        format_fields=list(ht.formats), info_fields=list(ht.info), indexed=index is not None,
        index_path=str(index) if index is not None else None, compression=compression,
        file_format=ht.file_format, estimated_records=estimated, is_gvcf=is_gvcf_header(ht),
    )  # fmt: skip
    return info, ht, index, note


def inspect(path: str | os.PathLike[str]) -> VcfInfo:
    """What the header says: samples, contigs, build, annotation fields, index, size.

    Raises
    ------
    InputFileError
        The file is missing, unreadable, not a VCF, truncated or has non-UTF-8 names.
    """
    return _inspect(path)[0]


def _undeclared(
    p: Path, compression: str, ht: HeaderText, index: Path | None, cancel: CancelToken | None
) -> list[str]:
    """Contigs to declare before htslib parses records (see :mod:`.contigs`): with an index,
    those it lists plus the first line's (a sequential first read checks the index); without
    one, those of every data line."""
    if compression == "bcf":
        return []
    declared = set(ht.contigs)
    if index is not None:
        names = index_contigs(index)
        if names is not None:
            first = scan_undeclared(p, compression, declared, cancel, first_only=True)
            return check_contig_names(sorted((names - declared) | set(first)), p.name)
    return scan_undeclared(p, compression, declared, cancel)


# -- checksum ----------------------------------------------------------------------------
def sha256_file(
    path: str | os.PathLike[str],
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> str:
    """SHA-256 of the file's bytes (recorded in reports so the exact input can be traced).

    ``progress(done_bytes, total_bytes)`` is called after every 4 MB block.
    """
    h = hashlib.sha256()
    try:
        total = os.stat(path).st_size
        done = 0
        with open(path, "rb") as fh:
            while True:
                prog.check(cancel)
                block = fh.read(4 * 1024 * 1024)
                if not block:
                    break
                h.update(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)
    except OSError as e:
        raise InputFileError(
            f"The file {Path(path).name} could not be read ({e.strerror or e}). "
            "Copy it again and reopen it."
        ) from e
    return h.hexdigest()


def _sha256_of_bytes(path: Path, cancel: CancelToken | None, throttle: _Progress) -> str:
    """sha256_file of the bytes as they are now: never remembered per path, size or mtime
    (an edited file of the same size with its mtime kept would keep the old identity)."""
    return sha256_file(path, cancel, lambda d, t: throttle.again())


# -- load ------------------------------------------------------------------------------
def _choose_sample(samples: list[str], sample: str | None, name: str) -> str | None:
    if sample is not None:
        if not samples:
            raise SampleError(
                f"The file {name} has no samples (it lists sites only, without genotypes), so "
                f"there is no sample '{sample}' to choose. Open it without choosing a sample.",
                samples,
            )
        if sample not in samples:
            shown = ", ".join(samples[:10]) + (" …" if len(samples) > 10 else "")
            raise SampleError(
                f"The file {name} has no sample called '{sample}'. Samples in the file: "
                f"{shown}. Choose one of these.",
                samples,
            )
        return sample
    if len(samples) > 1:
        raise SampleError(
            f"The file {name} holds {len(samples)} people ({', '.join(samples[:10])}"
            f"{' …' if len(samples) > 10 else ''}). Choose which sample is the patient.",
            samples,
        )
    return samples[0] if samples else None


def load(
    path: str | os.PathLike[str],
    sample: str | None = None,
    regions: list[Region] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    coverage_depth: int | None = None,
    preferred_transcripts: frozenset[str] = frozenset(),
    checksum: bool = True,
) -> VariantTable:
    """Load the patient's variants into a :class:`VariantTable`.

    Parameters
    ----------
    path
        ``.vcf``, ``.vcf.gz`` (bgzip or plain gzip) or ``.bcf``.
    sample
        Sample to read; required when the file has several.
    regions
        ``[(chrom, start, end), ...]``, 1-based inclusive, ``chr17`` or ``17``; None loads the
        whole file. With an index (the file's own, or one built into the cache folder) only
        those regions are read; otherwise the file is scanned with a region filter. The
        table's ``covered`` intervals are then clipped to the regions: exactly the full load's
        covered intervals intersected with them (a reference block starting before a region
        counts for the part inside it).
    progress, cancel
        Called at least every 0.5 s with ``(done, total)``; cancel is honoured within 0.5 s
        by raising :class:`~pmviewer.core.errors.Cancelled`.
    coverage_depth
        Also keep the intervals proven at this depth or more in ``covered_at_depth``.
    preferred_transcripts
        Versioned transcripts (MANE Select) whose VEP/SnpEff annotation is chosen first.
    checksum
        False: a side read (the sex windows) that needs no SHA-256 of the file; a region read
        then leaves ``info.sha256`` unset instead of reading the whole file for it.

    Raises
    ------
    InputFileError, SampleError, Cancelled
    """
    p = Path(path)
    throttle = _Progress(progress)
    throttle(0, 0)  # started (the opening checks below take a few tenths of a second)
    info, ht, index, index_note = _inspect(p, check_index=regions is None, cancel=cancel)
    throttle.again()
    chosen = _choose_sample(ht.samples, sample, p.name)
    prog.check(cancel)
    ann = pick_annotation_field(ht.info)
    ann_key = ann[0] if ann else None
    parser = AnnotationParser(*ann) if ann else None
    if parser is not None:
        parser.preferred = frozenset(preferred_transcripts)
    notes: list[str] = []
    file_regions: list[Region] | None = None
    reader: CyvcfReader | None = None
    if regions is not None:
        file_regions = to_file_regions(
            regions,
            list(ht.contigs),
            info.chr_prefix if ht.contigs else _first_chrom_has_chr(p, ht),
        )

    def digest() -> str | None:
        return _sha256_of_bytes(p, cancel, throttle) if checksum else None

    bulk_index = _index_for_bulk(p, index) if file_regions and info.compression == "bgzip" else None
    if file_regions is not None and bulk_index is not None:
        from pmviewer.core.vcf.bulk_regions import load_with_index

        # only the regions' bgzip blocks are inflated; None: htslib or a scan reads them
        table = load_with_index(p, bulk_index, file_regions, info, ht, chosen, ann, parser,
                                throttle, cancel, coverage_depth, digest)  # fmt: skip
        if table is not None:
            return table
    if use_bulk(info, file_regions is not None):
        table = load_with_bulk(p, info, ht, chosen, ann, parser, file_regions, index_note,
                               throttle, cancel, coverage_depth)  # fmt: skip
        if table is not None:
            return table  # its checksum came from the same read
    info.sha256 = digest()
    prog.check(cancel)
    if file_regions is not None:
        reader, index, index_note = _region_index(
            p, ht, info, chosen, ann_key, index, index_note, notes, throttle, cancel
        )
    if index_note:
        notes.append(f"The index next to the file was ignored: {index_note}.")
    if reader is None:
        use_index = index if file_regions is not None else None
        extra = _undeclared(p, info.compression, ht, use_index, cancel)
        reader = open_reader(p, ht, chosen, str(use_index) if use_index else None, ann_key, extra)
    prog.check(cancel)
    region_index = index if file_regions is not None else None

    def step() -> None:
        prog.check(cancel)
        throttle.again()

    builder = RowBuilder(reader.has_genotypes, parser, step, coverage_depth)
    try:
        _read_rows(reader, builder, p, info, ht, file_regions, region_index, throttle, cancel)
    finally:
        reader.close()
    frame, covered, no_calls = builder.finish()
    return finished_table(frame, covered, no_calls, builder.covered_at_depth, info, chosen,
                          builder.stats, reader.has_genotypes, notes, file_regions,
                          throttle)  # fmt: skip


def _index_for_bulk(p: Path, index: Path | None) -> Path | None:
    """The index the bulk reader queries for regions: the file's own, or one built into the
    cache folder earlier; None when htslib is asked for or there is none."""
    if htslib_asked_for():
        return None
    if index is None:
        cached = cached_index_path(p)
        index = cached if cached.is_file() and cached.stat().st_size > 0 else None
    return index


def _region_index(
    p: Path,
    ht: HeaderText,
    info: VcfInfo,
    chosen: str | None,
    ann_key: str | None,
    index: Path | None,
    index_note: str,
    notes: list[str],
    throttle: _Progress,
    cancel: CancelToken | None,
) -> tuple[CyvcfReader | None, Path | None, str]:
    """The index to read regions through: the file's own when it matches the file (a reader
    is then already open on it), else one built into the cache folder, else none (the
    whole file is scanned). Records the choice in ``info`` and ``notes``.

    Returns
    -------
    (reader or None, index or None, note about an ignored index or None)
    """
    reader: CyvcfReader | None = None
    if index is not None:
        extra = _undeclared(p, info.compression, ht, index, cancel)
        reader = open_reader(p, ht, chosen, str(index), ann_key, extra)
        ok, index_note = _index_matches(reader, p, index)
        if not ok:
            reader.close()
            reader, index = None, None
    if index is None and info.compression in ("bgzip", "bcf"):
        index, why = _build_index_cancellable(p, throttle, cancel)
        if index is None:
            notes.append(f"No index could be built ({why}); the whole file was scanned.")
        else:
            notes.append("An index was built in the cache folder to read the regions.")
    elif index is None:
        notes.append(
            "The file is not bgzip-compressed, so it cannot be indexed; the whole file "
            "was scanned for the regions."
        )
    info.indexed = index is not None
    info.index_path = str(index) if index is not None else None
    return reader, index, index_note


def _read_rows(
    reader: CyvcfReader,
    builder: RowBuilder,
    p: Path,
    info: VcfInfo,
    ht: HeaderText,
    file_regions: list[Region] | None,
    region_index: Path | None,
    throttle: _Progress,
    cancel: CancelToken | None,
) -> None:
    """Feed ``builder`` the records: region queries through ``region_index``, else a scan
    of the whole file (keeping only ``file_regions`` when given). A read failure is raised
    as the counselor message that explains it."""
    try:
        if file_regions is not None and region_index is not None:
            present = index_contigs(region_index)
            queries = [r for r in file_regions if present is None or r[0] in present]
            _read_regions(reader, builder, queries, throttle, cancel)
        else:
            keep = make_filter(file_regions) if file_regions is not None else None
            _read_all(reader, builder, p, info, keep, throttle, cancel)
    except ReadFailure as failure:
        if file_regions is not None and region_index is not None:
            raise explain_region_failure(
                p, info.compression, region_index, failure
            ) from failure.cause
        raise explain_read_failure(p, info.compression, ht, failure) from failure.cause


def _build_index_cancellable(
    path: Path, throttle: _Progress, cancel: CancelToken | None
) -> tuple[Path | None, str]:
    """Build the cache index while still reporting progress and honouring cancel.

    htslib's index build is one blocking C call (seconds on a genome) that releases the GIL;
    it runs in a helper thread so this thread can keep the 0.5 s progress/cancel promise. A
    cancelled build finishes in the background and only leaves a valid index in the cache.
    """
    result: list[tuple[Path | None, str]] = []
    worker = threading.Thread(target=lambda: result.append(build_cached_index(path)), daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.1)
        prog.check(cancel)
        throttle.again()
    return result[0] if result else (None, "the index build failed")


def _first_chrom_has_chr(path: Path, ht: HeaderText) -> bool:
    compression = sniff_compression(path)
    if compression != "bcf":
        from pmviewer.core.vcf.bulk_text import BulkTextError, data_blocks

        try:
            for text in data_blocks(path, compression):
                return text[:3].lower() == b"chr"
        except BulkTextError:
            pass
        return False
    reader = open_reader(path, ht, None)
    try:
        rec = reader.first_record()
    finally:
        reader.close()
    return bool(rec and rec[0].lower().startswith("chr"))


def _read_all(
    reader: VariantReader,
    builder: RowBuilder,
    path: Path,
    info: VcfInfo,
    keep: object,
    throttle: _Progress,
    cancel: CancelToken | None,
) -> None:
    size = max(path.stat().st_size, 1)
    estimate = info.estimated_records or 0
    per_record = size / estimate if estimate else 0.0
    add = builder.add
    i = 0
    for i, rec in enumerate(reader.records(keep=keep), start=0):  # type: ignore[arg-type]
        add(rec, i)
        if not i % _CHECK_EVERY:
            prog.check(cancel)
            done = int(i * per_record) if per_record else i
            throttle(min(done, size - 1) if per_record else done, size if per_record else 0)
    # records skipped by the region filter still count as read
    builder.stats.records_read += getattr(reader, "skipped_by_filter", 0)


def _read_regions(
    reader: VariantReader,
    builder: RowBuilder,
    regions: list[Region],
    throttle: _Progress,
    cancel: CancelToken | None,
) -> None:
    """Index queries per merged region; records spanning two regions are added once."""
    add = builder.add
    total = len(regions)
    prev: Region | None = None
    n = 0
    for ri, region in enumerate(regions):
        prog.check(cancel)
        throttle(ri, total)
        for rec in reader.records(region_string(region)):
            if (
                prev is not None
                and prev[0] == rec.chrom
                and rec.pos <= prev[2]
                and rec.end >= prev[1]
            ):
                # already returned by the previous region's query. (Testing only that it
                # started before this region dropped every reference block or deletion that
                # starts in the gap between two regions and reaches into the second.)
                continue
            add(rec, -1)
            n += 1
            if not n % _CHECK_EVERY:
                prog.check(cancel)
                throttle(ri, total)
        prev = region
