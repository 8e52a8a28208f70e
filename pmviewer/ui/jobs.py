"""The core calls the window runs on workers (plain functions: no Qt here).

Each takes ``progress`` and ``cancel`` keywords as :class:`~pmviewer.ui.workers.Worker`
passes them, and returns plain data for the main thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pmviewer.core.evidence import with_finding_categories
from pmviewer.core.table_query import FrameIndex, consequence_terms


@dataclass
class AnalysisResult:
    """What the first (fast) load gives the window: the analysis with its evidence joined in
    core (:mod:`pmviewer.core.evidence`), so the window shows what JSON and PDF carry."""

    analysis: Any  # pmviewer.core.pipeline.Analysis
    thresholds: Any = None  # the QualityThresholds the quality flags were computed with
    # prepared on the worker, so the main thread only attaches them (no event-loop stall)
    findings_frame: pd.DataFrame | None = None  # the findings, indexed 0..n-1
    labels: dict[str, str] | None = None  # finding_id -> readable name (review case)
    pgx_table: pd.DataFrame | None = None  # the Pharmacogenomics view

    @property
    def genes(self) -> dict[str, dict[str, Any]]:
        """gene -> knowledge row."""
        return self.analysis.genes

    @property
    def civic(self) -> dict[str, list[dict[str, Any]]]:
        """finding_id -> CIViC evidence items."""
        return self.analysis.findings.civic


@dataclass
class AllVariants:
    table: Any  # pmviewer.core.model.VariantTable
    index: FrameIndex
    frame: pd.DataFrame  # table.frame plus the finding ``category`` of each row


def vcf_io():
    """Where the window parses VCF files: in a child process, so that a crash of the native
    parser on a damaged file becomes a message and the window and its open case survive."""
    from pmviewer.core.vcf import ISOLATED

    return ISOLATED


def _analysis_io(path: str):
    """The bundled demo patient, shipped and tested with pmviewer, is analysed in-process:
    starting the reader process was most of its time to findings. Every other file: vcf_io."""
    from pmviewer.ui.demo_case import is_demo

    if is_demo(path):
        from pmviewer.core import vcf

        return vcf
    return vcf_io()


def analyse_job(
    path: str,
    *,
    sample: str | None,
    build: str | None,
    knowledge_path: str | None = None,
    sex: str | None = None,
    reference: str | None = None,
    thresholds=None,
    policy=None,
    targets: str | None = None,
    pedigree=None,
    progress=None,
    cancel=None,
    mode: str | None = None,
) -> AnalysisResult:
    """Annotate the actionable regions (fast path) and gather what the detail panel shows.

    ``mode``: None asks about a tumour file (TumourFileError), "germline" reads its normal.

    ``sex``: the patient's sex as stated in the review (F/M), used by the X-linked rules.
    ``reference``: an uncompressed genome FASTA, so indels are fully left-aligned.
    ``thresholds``: the quality thresholds (``QualityThresholds``; ``None``: the defaults).
    ``policy``: the evidence policy; ``targets``: the assay's target BED.
    """
    from pmviewer.core.annotation import QualityThresholds
    from pmviewer.core.errors import SampleError
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse
    from pmviewer.core.tumour import germline_choice

    choice = germline_choice(path, sample, mode)  # a tumour is never analysed as germline
    sample = choice.sample
    io = _analysis_io(path)
    info = io.inspect(path)
    if sample is None and len(info.samples) > 1:
        # ask before any slow work (the loader would refuse the file the same way)
        raise SampleError(
            f"The file holds {len(info.samples)} samples; choose the patient's sample.",
            info.samples,
        )
    knowledge = open_knowledge(knowledge_path)
    thresholds = thresholds or QualityThresholds()
    analysis = analyse(
        path,
        sample=sample,
        build=build,
        sex=sex,
        reference=reference,
        knowledge=knowledge,
        thresholds=thresholds,
        policy=policy,
        targets=targets,
        progress=progress,
        cancel=cancel,
        vcf_io=io,
        mode=mode,
        choice=choice,  # the gate above read the header: analyse does not read it again
        info=info,
    )
    family_sample = analysis.findings.sample
    # a family file: the parents' calls (a tumour–normal pair is one person, not a family)
    if len(info.samples) > 1 and family_sample and not choice.tumour.is_tumour:
        from pmviewer.core.family import family_findings

        findings = analysis.findings
        findings.frame, trio, findings_pedigree = family_findings(
            path, findings.frame, family_sample, list(info.samples), findings.sex,
            pedigree, cancel,
        )  # fmt: skip
        findings.family = (trio, findings_pedigree)  # type: ignore[attr-defined]
    return prepared(AnalysisResult(analysis, thresholds))


def prepared(result: AnalysisResult) -> AnalysisResult:
    """Fill what the window would otherwise compute on its main thread."""
    from pmviewer.core.evidence import pgx_frame
    from pmviewer.core.review import labels_from_findings

    findings = result.analysis.findings
    result.findings_frame = findings.frame.reset_index(drop=True)
    result.labels = labels_from_findings(result.findings_frame)
    result.pgx_table = pgx_frame(list(findings.pgx or []))
    return result


def load_all_job(
    path: str,
    *,
    sample: str | None,
    findings: pd.DataFrame | None = None,
    table=None,
    gene_spans=None,
    progress=None,
    cancel=None,
) -> AllVariants:
    """Every variant of the file, with its shared row arrays built; each column's sort
    caches are built on the first click of its header (on a worker), not here: all of them
    held most of the window's memory and took much of the fill time of a genome.

    ``table``: the whole file was read already (no index), so only mark and index it.
    """
    from pmviewer.core.pipeline import load_all_variants

    if table is None:
        table = load_all_variants(
            path, sample=sample, progress=progress, cancel=cancel, vcf_io=vcf_io()
        )
    frame = with_finding_categories(table.frame, findings)
    if gene_spans:  # unannotated rows get the analysed gene whose span holds them
        from pmviewer.core.annotation import fill_genes

        frame = fill_genes(frame, gene_spans)
    index = FrameIndex(frame)
    index.prepare([], cancel=cancel)
    consequence_terms(frame, index)  # cached for the filter bar, off the main thread
    return AllVariants(table, index, frame)
