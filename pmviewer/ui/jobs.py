"""The core calls the window runs on workers (plain functions: no Qt here).

Each takes ``progress`` and ``cancel`` keywords as :class:`~pmviewer.ui.workers.Worker`
passes them, and returns plain data for the main thread.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmviewer.core.evidence import with_finding_categories
from pmviewer.core.progress import check
from pmviewer.core.table_query import FrameIndex, prepared_index


@dataclass
class AnalysisResult:
    """What the first (fast) load gives the window: the analysis with its evidence joined in
    core (:mod:`pmviewer.core.evidence`), so the window shows what JSON and PDF carry."""

    analysis: Any  # pmviewer.core.pipeline.Analysis
    thresholds: Any = None  # the QualityThresholds the quality flags were computed with
    # prepared on the worker, so the main thread only attaches them (no event-loop stall)
    findings_frame: pd.DataFrame | None = None  # the findings, indexed 0..n-1
    labels: dict[str, str] | None = None  # finding_id -> readable name (review case)
    unreviewed: pd.DataFrame | None = None  # reviewed state with no decision, no option
    pgx_table: pd.DataFrame | None = None  # the Pharmacogenomics view
    # All variants of the analysed regions marked with the analysis's categories (shown
    # until the whole file is in, unless the review moved findings between categories)
    regional_marked: pd.DataFrame | None = None
    # the findings frame with a new case's review columns (shown unless the case has
    # decisions or optional sections), and the indexes of the frames above
    shown_findings: pd.DataFrame | None = None
    indexes: list[FrameIndex] = dataclasses.field(default_factory=list)

    def index_of(self, frame: pd.DataFrame) -> FrameIndex:
        """The prepared index of a frame of this result, else a new (empty) one (found by
        identity, which a result pickled by the analysis process keeps)."""
        return next((i for i in self.indexes if i.frame is frame), None) or FrameIndex(frame)

    @property
    def genes(self) -> dict[str, dict[str, Any]]:
        """gene -> knowledge row."""
        return self.analysis.genes

    @property
    def civic(self) -> dict[str, list[dict[str, Any]]]:
        """finding_id -> CIViC evidence items."""
        return self.analysis.findings.civic


# a whole file read by the analysis (no index) with more rows is marked on the worker that
# indexes it, not in the window's preview
WHOLE_GENOME_ROWS = 200_000


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


def with_case_prepared(job, store_path):
    """``job`` (an analysis) followed by the creation of its review case in the case store
    at ``store_path``, on the worker: the window's first commit of a new case waited for
    the disk on its main thread. A problem is left for the window to report in context."""
    import logging

    def run(path: str, *args, **kwargs) -> AnalysisResult:
        result = job(path, *args, **kwargs)
        if store_path is not None:
            findings = result.analysis.findings
            try:
                from pmviewer.core.review import prepare_case

                knowledge = str((findings.knowledge or {}).get("version", ""))
                details = (Path(path).name, findings.build, knowledge)
                prepare_case(store_path, findings.input_sha256, findings.sample, details)
            except Exception as error:  # noqa: BLE001 - the window opens the case and says
                logging.getLogger(__name__).info(
                    "the review case was not prepared (%s)", type(error).__name__
                )
        return result

    run.__name__ = getattr(job, "__name__", "analyse")
    return run


def prepared(result: AnalysisResult) -> AnalysisResult:
    """Fill what the window would otherwise compute on its main thread."""
    from pmviewer.core.evidence import pgx_frame
    from pmviewer.core.review import (
        ReportSections,
        labels_from_findings,
        reviewed_findings,
        with_review_columns,
    )

    findings = result.analysis.findings
    result.findings_frame = findings.frame.reset_index(drop=True)
    result.labels = labels_from_findings(result.findings_frame)
    result.unreviewed = reviewed_findings(findings.frame, {}, findings.sex, ReportSections())
    result.shown_findings = with_review_columns(result.findings_frame, {}, result.unreviewed)
    result.pgx_table = pgx_frame(list(findings.pgx or []))
    regional = result.analysis.table.frame
    if result.analysis.table.regions is not None or len(regional) <= WHOLE_GENOME_ROWS:
        result.regional_marked = with_finding_categories(regional, result.findings_frame)
    for frame in (result.shown_findings, result.pgx_table, result.regional_marked):
        if frame is not None:
            result.indexes.append(prepared_index(frame))
    return result


@dataclass
class FindingsMarks:
    """What the whole-file job needs from the analysis to finish: the findings its rows are
    marked with, the analysed genes' spans, the sample the findings are of, and the table
    when the analysis read the whole file already (a file without an index)."""

    findings: pd.DataFrame | None
    gene_spans: Any = None
    sample: str | None = None
    table: Any = None


class FindingsHandoff:
    """The analysis's findings, handed from the main thread to the whole-file job that started
    beside it (the job waits for them once its table is read)."""

    def __init__(self) -> None:
        self._given = threading.Event()
        self._marks: FindingsMarks | None = None

    def give(self, marks: FindingsMarks) -> None:
        self._marks = marks
        self._given.set()

    def wait(self, cancel=None) -> FindingsMarks:
        while not self._given.wait(0.05):  # sleeps without the GIL
            check(cancel)
        check(cancel)
        marks, self._marks = self._marks, None  # taken once: the job holds them from now
        assert marks is not None
        return marks


# how much lower the CPU priority of the whole-file read started beside the analysis is
NICE = 10


def whole_file_job(
    path: str,
    *,
    sample: str | None,
    mode: str | None,
    handoff: FindingsHandoff,
    progress=None,
    cancel=None,
) -> AllVariants:
    """Every variant of the file, read from the moment the file is opened, beside the region
    analysis (each in its own child process), then marked with the findings handed over.

    The read runs at a lower CPU priority (:data:`NICE`): on a busy machine the analysis
    wins the CPU, and the read takes what is left. Which sample is read follows the analysis (the tumour gate, the sample asked for); a
    file the analysis refuses (a tumour question, a sample to choose) ends here the same
    way, and the window ignores it: the analysis says what is wrong."""
    from pmviewer.core.tumour import germline_choice

    sample = germline_choice(path, sample, mode).sample
    # at a lower CPU priority while the analysis runs: the findings come first
    table = vcf_io().load(path, sample=sample, progress=progress, cancel=cancel, nice=NICE)
    marks = handoff.wait(cancel)
    if marks.table is not None:  # the analysis read the whole file: that table is the one
        table = marks.table
    elif marks.sample is not None and table.sample != marks.sample:
        # the analysis chose another sample: never mix them
        table = vcf_io().load(path, sample=marks.sample, progress=progress, cancel=cancel)
    return marked(table, marks, cancel)


def load_all_job(
    path: str,
    *,
    sample: str | None,
    marks: FindingsMarks,
    progress=None,
    cancel=None,
) -> AllVariants:
    """Every variant of the file (``marks.table``: read already, so only marked)."""
    from pmviewer.core.pipeline import load_all_variants

    table = marks.table
    if table is None:
        table = load_all_variants(
            path, sample=sample, progress=progress, cancel=cancel, vcf_io=vcf_io()
        )
    return marked(table, marks, cancel)


def marked(table, marks: FindingsMarks, cancel=None) -> AllVariants:
    """The whole table with each finding's category, the analysed gene of unannotated rows
    and its shared row arrays built. Each column's sort caches are built on the first click
    of its header (on a worker), not here: all of them held most of the window's memory and
    took much of the fill time of a genome."""
    frame = _categories_and_genes(table.frame, marks)
    check(cancel)
    # the table keeps the marked frame: its replaced gene column is not held twice
    table = dataclasses.replace(table, frame=frame)
    index = prepared_index(frame, cancel)  # what showing it reads, off the main thread
    _release_unused_arrow_memory()
    return AllVariants(table, index, frame)


def _categories_and_genes(frame: pd.DataFrame, marks: FindingsMarks) -> pd.DataFrame:
    """``frame`` with each finding's category and, in unannotated rows, the analysed gene
    whose span holds them. The genes are filled on a second thread meanwhile: their binary
    searches and factorisation run without the GIL (0.85 -> 0.6 s on a 4.6M-row genome)."""
    if not marks.gene_spans:
        return with_finding_categories(frame, marks.findings)
    from concurrent.futures import ThreadPoolExecutor

    from pmviewer.core.annotation import fill_genes

    with ThreadPoolExecutor(1, thread_name_prefix="fill-genes") as pool:
        genes = pool.submit(fill_genes, frame, marks.gene_spans)
        categorised = with_finding_categories(frame, marks.findings)
        filled = genes.result()
    if filled is frame:  # every row named its gene already
        return categorised
    return categorised.assign(gene=filled["gene"])


def reusable_table(shown: AllVariants | None, findings):
    """The whole table of the file shown when a new analysis is of the same content and
    sample (a re-analysis with the stated sex, other preferences): read once, marked again."""
    if shown is None or findings.input_sha256 is None:
        return None
    table = shown.table
    same = table.info.sha256 == findings.input_sha256 and table.sample == findings.sample
    return table if same else None


def same_categories(frame: pd.DataFrame, result: AnalysisResult) -> bool:
    """Do the shown findings (after the review) have the categories of the analysis?"""
    if frame is result.shown_findings:  # the new case's frame: the analysis's categories
        return True
    analysed = result.findings_frame
    if analysed is None or len(analysed) != len(frame):
        return False
    after = frame["category"].astype(str).to_numpy()
    return bool((after == analysed["category"].astype(str).to_numpy()).all())


def _release_unused_arrow_memory() -> None:
    """Give back what Arrow's allocator kept of the marking's temporaries: it holds freed
    blocks for reuse (about 90 MB after a genome's table was read and marked)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
