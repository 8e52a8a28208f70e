"""The core calls the window runs on workers (plain functions: no Qt here).

Each takes ``progress`` and ``cancel`` keywords as :class:`~pmviewer.ui.workers.Worker`
passes them, and returns plain data for the main thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmviewer.core.table_query import FrameIndex, consequence_terms
from pmviewer.ui.columns import SORTABLE_ALL


@dataclass
class AnalysisResult:
    """What the first (fast) load gives the window."""

    analysis: Any  # pmviewer.core.pipeline.Analysis
    genes: dict[str, dict[str, Any]] = field(default_factory=dict)  # gene -> knowledge row
    civic: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # finding_id -> items
    thresholds: Any = None  # the QualityThresholds the quality flags were computed with


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


def _gene_rows(knowledge) -> dict[str, dict[str, Any]]:
    try:
        genes = knowledge.genes()
    except (AttributeError, NotImplementedError):
        return {}
    if not isinstance(genes, pd.DataFrame) or "gene" not in genes.columns:
        return {}
    rows = genes.astype(object).where(genes.notna(), None).to_dict("records")
    return {str(r["gene"]): r for r in rows}


def _civic_items(knowledge, findings) -> dict[str, list[dict[str, Any]]]:
    """CIViC evidence items per finding id (empty when the knowledge file has none)."""
    from pmviewer.core.genome import canonical_chrom

    lookup = getattr(knowledge, "civic_for", None)
    if lookup is None or findings is None or len(findings.frame) == 0:
        return {}
    frame = findings.frame
    keys = {
        (canonical_chrom(str(c)), int(p), str(r), str(a)): str(fid)
        for c, p, r, a, fid in zip(
            frame["chrom"],
            frame["pos"],
            frame["ref"],
            frame["alt"],
            frame["finding_id"],
            strict=True,
        )
    }
    evidence = lookup(findings.build, keys=list(keys))
    items: dict[str, list[dict[str, Any]]] = {}
    if len(evidence) == 0:
        return items
    records = evidence.astype(object).where(evidence.notna(), None).to_dict("records")
    for item in records:
        key = (
            canonical_chrom(str(item["chrom"])),
            int(item["pos"]),
            str(item["ref"]),
            str(item["alt"]),
        )
        if key in keys:
            items.setdefault(keys[key], []).append(item)
    return items


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
    io = vcf_io()
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
        mode=mode,
        vcf_io=io,
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
    return AnalysisResult(
        analysis, _gene_rows(knowledge), _civic_items(knowledge, analysis.findings), thresholds
    )


def _rows_at_positions(pos: np.ndarray, wanted: np.ndarray, step: int = 1 << 19) -> np.ndarray:
    """Rows whose ``pos`` is one of ``wanted``, in row order.

    A binary search per block of rows with a GIL release between blocks: ``np.isin`` on a
    4.6-million-row genome held the GIL for ~0.1 s in one call (the window stalled)."""
    targets = np.unique(np.asarray(wanted, dtype=np.int64))
    if len(targets) == 0 or len(pos) == 0:
        return np.zeros(0, dtype=np.int64)
    found = []
    for start in range(0, len(pos), step):
        block = np.asarray(pos[start : start + step], dtype=np.int64)
        at = np.minimum(np.searchsorted(targets, block), len(targets) - 1)
        found.append(np.flatnonzero(targets[at] == block) + start)
        time.sleep(0)  # let the main thread take the GIL between blocks
    return np.concatenate(found)


def with_finding_categories(frame: pd.DataFrame, findings: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` plus a ``category`` column naming the finding category of rows that are
    findings (matched on chrom, pos, ref, alt); other rows are missing. The variant columns
    are shared, not copied (pandas copy-on-write)."""
    from pmviewer.core.model import CATEGORIES

    category = np.full(len(frame), -1, dtype=np.int8)
    if findings is not None and len(findings) and len(frame):
        # lists, not the Arrow-backed columns' element iterators (several times slower)
        wanted = {
            (str(c), int(p), str(r), str(a)): CATEGORIES.index(str(k))
            for c, p, r, a, k in zip(
                findings["chrom"].astype(str).tolist(),
                findings["pos"].tolist(),
                findings["ref"].astype(str).tolist(),
                findings["alt"].astype(str).tolist(),
                findings["category"].astype(str).tolist(),
                strict=True,
            )
            if str(k) in CATEGORIES
        }
        candidates = _rows_at_positions(frame["pos"].to_numpy(), findings["pos"].to_numpy())
        sub = frame[["chrom", "pos", "ref", "alt"]].iloc[candidates]
        keys = zip(
            sub["chrom"].astype(str).tolist(),
            sub["pos"].tolist(),
            sub["ref"].astype(str).tolist(),
            sub["alt"].astype(str).tolist(),
            strict=True,
        )
        for row, key in zip(candidates, keys, strict=True):
            category[row] = wanted.get(key, -1)
    return frame.assign(category=pd.Categorical.from_codes(category, categories=list(CATEGORIES)))


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
    """Every variant of the file, with the sort caches filled so header clicks are instant.

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
    index.prepare(SORTABLE_ALL, cancel=cancel)
    consequence_terms(frame, index)  # cached for the filter bar, off the main thread
    return AllVariants(table, index, frame)


def finding_row(frame: pd.DataFrame, row: dict[str, Any]) -> dict[str, Any] | None:
    """The row of findings ``frame`` for the same variant (chrom, pos, ref, alt), if any."""
    pos = row.get("pos")
    if pos is None or len(frame) == 0:
        return None
    # position first, then text on the few rows there: runs on the main thread per click
    near = frame.iloc[np.flatnonzero(frame["pos"].to_numpy(dtype="int64") == int(pos))]
    hits = near[
        (near["chrom"].astype(str) == str(row.get("chrom")))
        & (near["ref"].astype(str) == str(row.get("ref")))
        & (near["alt"].astype(str) == str(row.get("alt")))
    ]
    if len(hits) == 0:
        return None
    return hits.iloc[:1].astype(object).where(hits.iloc[:1].notna(), None).to_dict("records")[0]


def gene_finding_rows(frame: pd.DataFrame, gene: str) -> list[dict[str, Any]]:
    """The findings of ``gene`` (knowledge gene symbol) as dicts."""
    rows = frame[frame["kb_gene"].astype(str).eq(gene)]
    return rows.astype(object).where(rows.notna(), None).to_dict("records")


def pgx_frame(results: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per pharmacogene result, for the Pharmacogenomics view."""
    rows = []
    for r in results:
        used, total = r.get("positions_used"), r.get("positions_total")
        rows.append(
            {
                "category": "pgx",
                "gene": r.get("gene"),
                "diplotype": r.get("diplotype"),
                "phenotype": r.get("phenotype"),
                "activity_score": r.get("activity_score"),
                "call_status": r.get("call_status") or ("called" if r.get("callable") else None),
                "positions": f"{used}/{total}" if total else None,
                "n_recommendations": len(r.get("recommendations") or []),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "category",
            "gene",
            "diplotype",
            "phenotype",
            "activity_score",
            "call_status",
            "positions",
            "n_recommendations",
        ],
    )
    return frame.astype(
        {
            "gene": "string",
            "diplotype": "string",
            "phenotype": "string",
            "activity_score": "Float64",
            "call_status": "string",
            "positions": "string",
            "n_recommendations": "int64",
        }
    )
