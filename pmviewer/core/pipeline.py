"""One call from a VCF path to findings: the path both the window and the CLI take.

Only the analysed gene regions (ACMG SF genes and pharmacogene positions) are read: with an
index that takes well under a second even for a whole genome; a bgzipped file without one
gets an index built into the cache folder first; a plain VCF is scanned once. The
"All variants" view loads the rest afterwards with :func:`load_all_variants`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pmviewer.core import vcf
from pmviewer.core.annotation import (
    EvidencePolicy,
    QualityThresholds,
    SexCall,
    annotate,
    infer_sex,
    read_targets,
    resolve_build,
    sampling_regions,
)
from pmviewer.core.evidence import civic_items, gene_rows
from pmviewer.core.genome import ReferenceFasta, canonical_chrom
from pmviewer.core.model import Findings, VariantTable, VcfInfo
from pmviewer.core.pgx import apply_outside_calls, call_pgx, pgx_regions, read_outside_calls
from pmviewer.core.progress import CancelToken, ProgressCallback, check
from pmviewer.core.tumour import GermlineChoice, germline_choice

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge

# share of the progress bar given to each stage (load, annotate, pharmacogenomics)
_STAGES = {"load": (0, 800), "annotate": (800, 900), "pgx": (900, 1000)}
_TOTAL = 1000


class VcfIO(Protocol):
    """The two VCF calls the pipeline makes (``pmviewer.core.vcf`` or its isolated twin)."""

    @property
    def inspect(self) -> Callable[..., VcfInfo]: ...

    @property
    def load(self) -> Callable[..., VariantTable]: ...


_IN_PROCESS: VcfIO = vcf


@dataclass
class Analysis:
    """The result of :func:`analyse`: findings (with their CIViC evidence), the variant table
    read, the file's header facts and the knowledge row of every analysed gene."""

    findings: Findings
    table: VariantTable
    info: VcfInfo
    genes: dict[str, dict[str, Any]] = field(default_factory=dict)


def _stage(progress: ProgressCallback | None, name: str) -> ProgressCallback | None:
    if progress is None:
        return None
    start, end = _STAGES[name]

    def report(done: int, total: int) -> None:
        fraction = done / total if total else 0.0
        progress(start + int((end - start) * min(1.0, fraction)), _TOTAL)

    return report


def analysis_regions(knowledge: Knowledge, build: str) -> list[tuple[str, int, int]]:
    """Every region annotation needs: the analysed genes (which include the pharmacogenes)."""
    regions = {(chrom, start, end) for chrom, start, end, _ in knowledge.gene_regions(build)}
    regions |= {(c, s, e) for c, s, e, _ in pgx_regions(knowledge, build)}
    return sorted(regions)


def analyse(
    path: str | Path,
    *,
    sample: str | None = None,
    build: str | None = None,
    sex: str | None = None,
    reference: str | Path | None = None,
    knowledge: Knowledge | None = None,
    thresholds: QualityThresholds | None = None,
    targets: str | Path | None = None,
    policy: EvidencePolicy | None = None,
    pgx_calls: str | Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    mode: str | None = None,
    vcf_io: VcfIO | None = None,
    choice: GermlineChoice | None = None,
    info: VcfInfo | None = None,
) -> Analysis:
    """Load what annotation needs from ``path``, annotate it and call pharmacogenomics.

    ``mode`` is None or "germline": a tumour file raises
    :class:`~pmviewer.core.tumour.TumourFileError` (the question) unless mode is "germline" and
    it has a matched normal, which is then the only sample analysed.
    ``targets`` is the laboratory's target BED (same build as the file): genes outside it are
    reported as not assessed.
    ``pgx_calls``: an outside-call TSV (PharmCAT format) applied over the VCF's calls; it is
    checked before the VCF is read, so a wrong line stops the run at once.
    ``choice``: the tumour gate's answer for this ``path``, ``sample`` and ``mode`` when the
    caller asked it already (the header is then read once); ``info``: the file's header
    facts (``vcf_io.inspect``) when the caller read them already.
    """
    from pmviewer.core.knowledge import open_knowledge

    if choice is None:
        choice = germline_choice(path, sample, mode)  # never a tumour as germline
    sample = choice.sample

    io = vcf_io or _IN_PROCESS  # vcf.ISOLATED: parsed in a child process
    if info is None:
        info = io.inspect(str(path))
    build = resolve_build(info.build, build, info.build_evidence)
    kb = knowledge if knowledge is not None else open_knowledge()
    outside = read_outside_calls(pgx_calls, kb.connection) if pgx_calls else None
    fasta = ReferenceFasta(reference) if reference else None
    # Always ask for the analysed regions: the loader uses the file's index, builds one into the
    # cache for a bgzipped file without one (seconds, versus a minute for a full genome read),
    # or scans a plain file with a cheap region filter.
    regions = analysis_regions(kb, build)
    thresholds = thresholds or QualityThresholds()
    target_regions = read_targets(targets) if targets else None
    table = io.load(
        str(path), sample=sample, regions=regions, progress=_stage(progress, "load"),
        cancel=cancel, coverage_depth=thresholds.min_dp,
        preferred_transcripts=mane_transcripts(kb),
    )  # fmt: skip
    check(cancel)
    stated_sex = sex if sex in ("F", "M") else None
    sex_hint = None
    if stated_sex is None and _needs_sex(kb, build, table):
        sex_hint = _sex_from_sex_chromosomes(path, sample, build, cancel, io)
    # CIViC evidence read once: therapies (annotate) and evidence items join the same rows
    civic = kb.civic_for(build) if hasattr(kb, "civic_for") else None
    findings = annotate(
        table,
        kb,
        build=build,
        sex=stated_sex,
        sex_hint=sex_hint,
        reference=fasta,
        thresholds=thresholds,
        targets=target_regions,
        targets_name=Path(targets).name if targets else "",
        policy=policy,
        progress=_stage(progress, "annotate"),
        cancel=cancel,
        civic=civic,
    )
    findings.warnings[:0] = choice.warnings_for(table.frame)
    # only regions were read: the whole file's record count comes from its index or a scan
    findings.fate["records_in_file"] = info.estimated_records
    check(cancel)
    results = call_pgx(table, kb, build, progress=_stage(progress, "pgx"), cancel=cancel)
    if outside is not None:
        results = apply_outside_calls(kb, results, outside)
    findings.pgx = [r.to_json() for r in results]
    # the same evidence for window, JSON and PDF
    findings.civic = civic_items(kb, findings, civic if findings.build == build else None)
    if progress:
        progress(_TOTAL, _TOTAL)
    return Analysis(findings=findings, table=table, info=table.info, genes=gene_rows(kb))


def mane_transcripts(knowledge: Knowledge) -> frozenset[str]:
    """Versioned MANE Select transcripts (RefSeq NM_ and Ensembl ENST) of the analysed genes."""
    genes = knowledge.genes()
    ids = [*genes["mane_select_refseq"].dropna(), *genes["mane_select_ensembl"].dropna()]
    return frozenset(str(t) for t in ids if str(t).strip())


def load_all_variants(
    path: str | Path,
    *,
    sample: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    vcf_io: VcfIO | None = None,
) -> VariantTable:
    """Every variant row of the file, for the "All variants" view."""
    io = vcf_io or _IN_PROCESS
    return io.load(str(path), sample=sample, progress=progress, cancel=cancel)


def _needs_sex(knowledge: Knowledge, build: str, table: VariantTable) -> bool:
    """Whether any X-linked gene has a variant, so the patient's sex matters."""
    genes = knowledge.genes()
    xl = set(genes.loc[genes["inheritance"].astype(str).str.upper().eq("XL"), "gene"])
    frame = table.frame
    chrom = frame["chrom"].astype(str).map(canonical_chrom)
    return any(
        ((chrom == canonical_chrom(c)) & frame["pos"].between(start, end)).any()
        for c, start, end, gene in knowledge.gene_regions(build)
        if gene in xl
    )


def _sex_from_sex_chromosomes(
    path: str | Path,
    sample: str | None,
    build: str,
    cancel: CancelToken | None,
    io: VcfIO = _IN_PROCESS,
) -> SexCall:
    """Read sample windows of chrX and chrY to infer sex when a region-only load left too few calls."""
    regions = sampling_regions(build)
    # a side read: the file's checksum comes with the analysed regions' table
    table = io.load(str(path), sample=sample, regions=regions, cancel=cancel, checksum=False)
    return infer_sex(table.frame, build)
