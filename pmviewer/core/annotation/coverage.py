"""Which analysed genes this file actually assessed, so that a negative result is honest.

A gene counts as assessed only on evidence (issue "honest negatives"):

- ``reference``: the file's reference calls (gVCF blocks, 0/0 calls) and variant calls cover
  every base of the gene's MANE Select exons at the depth threshold;
- ``targets``: the laboratory's target BED covers those exons (a variant-only file then relies
  on the lab's assay design for absence);
- ``calls``: a variant-only file (no reference calls) has calls in the gene; absence of other
  variants cannot be confirmed.

Otherwise the gene is ``partial`` (the share of exon bases covered, and which exons fall
short) or ``not_assessed`` (no data). Exons are whole MANE Select exons, UTRs included: the
bundled exon source marks no coding sequence (knowledge SOURCES.md).
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from pmviewer.core.genome import canonical_chrom
from pmviewer.core.model import VariantTable

ASSESSED = "assessed"
PARTIAL = "partial"
NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class GeneAssessment:
    """Whether one gene was assessed, on what basis, and why not when it was not."""

    gene: str
    status: str  # ASSESSED | PARTIAL | NOT_ASSESSED
    basis: str  # "reference" | "targets" | "calls" | ""
    covered_fraction: float | None  # share of exon bases covered (None: not measured)
    short_exons: tuple[int, ...]  # exon numbers not fully covered
    reason: str  # in words, printed in the report


@dataclass
class Assessment:
    """Per-gene assessment of one analysis, with the file-level facts behind it."""

    genes: list[GeneAssessment]
    file_kind: str  # "reference" (gVCF / reference calls) | "variant_only"
    min_depth: int
    targets_name: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """Plain data for the JSON export and the report model."""
        return {
            "file_kind": self.file_kind,
            "min_depth": self.min_depth,
            "targets": self.targets_name,
            "notes": list(self.notes),
            "genes": [{**asdict(g), "short_exons": list(g.short_exons)} for g in self.genes],
        }


def _merged(intervals: list[tuple[str, int, int]]) -> dict[str, tuple[list[int], list[int]]]:
    """Sorted, non-touching intervals per canonical chromosome (starts, ends)."""
    out: dict[str, tuple[list[int], list[int]]] = {}
    for chrom, start, end in sorted(intervals):
        starts, ends = out.setdefault(chrom, ([], []))
        if starts and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return out


def _frame_intervals(frame: pd.DataFrame | None) -> list[tuple[str, int, int]]:
    if frame is None or not len(frame):
        return []
    column = frame["chrom"]
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.isna().any():
        # each contig name once, not once per interval (a genome has ~10k intervals)
        names = [canonical_chrom(str(c)) for c in column.cat.categories]
        chroms = [names[c] for c in column.cat.codes.tolist()]
    else:
        chroms = [canonical_chrom(str(c)) for c in column.astype(str)]
    return list(
        zip(
            chroms,
            frame["start"].astype(int).tolist(),
            frame["end"].astype(int).tolist(),
            strict=True,
        )
    )


def _covered_bases(
    index: dict[str, tuple[list[int], list[int]]], chrom: str, lo: int, hi: int
) -> int:
    entry = index.get(chrom)
    if entry is None:
        return 0
    starts, ends = entry
    i = bisect.bisect_left(ends, lo)
    total = 0
    while i < len(starts) and starts[i] <= hi:
        total += min(hi, ends[i]) - max(lo, starts[i]) + 1
        i += 1
    return total


def _exon_cover(
    exons: pd.DataFrame, index: dict[str, tuple[list[int], list[int]]]
) -> tuple[float, tuple[int, ...]]:
    """(share of exon bases covered, exon numbers not fully covered)."""
    total = covered = 0
    short: list[int] = []
    for number, chrom, lo, hi in zip(
        exons["exon_number"], exons["chrom"].astype(str), exons["start"], exons["end"], strict=True
    ):
        size = int(hi) - int(lo) + 1
        got = _covered_bases(index, canonical_chrom(chrom), int(lo), int(hi))
        total += size
        covered += got
        if got < size:
            short.append(int(number))
    return (covered / total if total else 0.0), tuple(short)


def _exon_words(short: tuple[int, ...], n_exons: int) -> str:
    if not short:
        return ""
    listed = ", ".join(str(n) for n in short[:8]) + (" …" if len(short) > 8 else "")
    noun = "exon" if len(short) == 1 else "exons"
    return f"; {noun} {listed} of {n_exons} not fully covered"


def _gene_with_reference(
    gene: str, exons: pd.DataFrame, depth_index: dict, has_calls: bool, min_depth: int
) -> GeneAssessment:
    fraction, short = _exon_cover(exons, depth_index)
    where = f"MANE Select exons at depth >= {min_depth}"
    if not short:
        return GeneAssessment(gene, ASSESSED, "reference", 1.0, (),
                              f"reference and variant calls cover all {where}")  # fmt: skip
    if fraction > 0 or has_calls:
        return GeneAssessment(
            gene, PARTIAL, "reference", fraction, short,
            f"{fraction:.0%} of {where} covered{_exon_words(short, len(exons))}",
        )  # fmt: skip
    return GeneAssessment(gene, NOT_ASSESSED, "", 0.0, short,
                          f"no data in the file for this gene at depth >= {min_depth}")  # fmt: skip


def _gene_with_targets(gene: str, exons: pd.DataFrame, target_index: dict) -> GeneAssessment | None:
    """Not assessed / partial when the lab's targets miss the gene, else None (in targets)."""
    fraction, short = _exon_cover(exons, target_index)
    if not short:
        return None
    if fraction == 0:
        return GeneAssessment(gene, NOT_ASSESSED, "", 0.0, short,
                              "outside the laboratory's target regions")  # fmt: skip
    return GeneAssessment(
        gene, PARTIAL, "targets", fraction, short,
        f"{fraction:.0%} of its MANE Select exons in the laboratory's target regions"
        f"{_exon_words(short, len(exons))}",
    )  # fmt: skip


def has_reference_calls(table: VariantTable) -> bool:
    """Whether the file records reference calls (gVCF blocks or 0/0 calls) at all."""
    stats = table.stats
    return bool(
        stats.gvcf_blocks or stats.reference_only or stats.uncovered_blocks or table.info.is_gvcf
    )


def assess_genes(
    table: VariantTable,
    findings: pd.DataFrame,
    genes: list[str],
    exons: pd.DataFrame,
    min_depth: int,
    targets: list[tuple[str, int, int]] | None = None,
    targets_name: str = "",
) -> Assessment:
    """The per-gene assessment of ``genes`` (the ACMG SF genes) for one loaded sample.

    ``findings`` is the annotated frame (its ``kb_gene`` says which genes have calls);
    ``exons`` is :meth:`Knowledge.gene_exons` for the build; ``table.covered_at_depth`` must
    have been loaded at ``min_depth`` for a reference-call file.
    """
    reference = has_reference_calls(table)
    with_calls = set(findings["kb_gene"].dropna().astype(str)) if len(findings) else set()
    depth_index = _merged(_frame_intervals(table.covered_at_depth))
    target_index = _merged(targets) if targets else {}
    by_gene = {g: e for g, e in exons.groupby("gene", sort=True)} if len(exons) else {}
    notes: list[str] = []
    if not by_gene:
        notes.append("The knowledge file has no exon table: exon coverage could not be checked.")
    out: list[GeneAssessment] = []
    for gene in sorted(genes):
        gene_exons = by_gene.get(gene)
        has_calls = gene in with_calls
        if gene_exons is None or not len(gene_exons):
            out.append(_without_exons(gene, has_calls, reference))
            continue
        if targets:
            missed = _gene_with_targets(gene, gene_exons, target_index)
            if missed is not None:
                out.append(missed)
                continue
        if reference:
            out.append(_gene_with_reference(gene, gene_exons, depth_index, has_calls, min_depth))
        elif targets:
            out.append(GeneAssessment(gene, ASSESSED, "targets", None, (),
                                      "in the laboratory's target regions"))  # fmt: skip
        elif has_calls:
            out.append(GeneAssessment(gene, ASSESSED, "calls", None, (),
                                      "variant calls present; absence of other variants "
                                      "cannot be confirmed from a variant-only file"))  # fmt: skip
        else:
            out.append(GeneAssessment(gene, NOT_ASSESSED, "", None, (),
                                      "no calls in this gene, and the file records no reference "
                                      "calls that would show it was sequenced"))  # fmt: skip
    if not reference:
        notes.append(
            "This VCF lists variant calls only (no gVCF reference blocks or 0/0 calls): the "
            "absence of a call cannot be confirmed"
            + (f"; absence relies on the laboratory's target regions ({targets_name})." if targets
               else "; give the laboratory's target BED (--targets, or Preferences) or a gVCF.")
        )  # fmt: skip
    return Assessment(out, "reference" if reference else "variant_only", min_depth,
                      targets_name, notes)  # fmt: skip


def _without_exons(gene: str, has_calls: bool, reference: bool) -> GeneAssessment:
    if has_calls and not reference:
        return GeneAssessment(gene, ASSESSED, "calls", None, (),
                              "variant calls present; exons unknown to the knowledge file")  # fmt: skip
    return GeneAssessment(gene, NOT_ASSESSED, "", None, (),
                          "exons unknown to the knowledge file: coverage could not be checked")  # fmt: skip


def _count(fate: dict, key: str) -> int:
    value = fate.get(key)
    return int(value) if isinstance(value, (int, float, np.integer)) else 0


def empty_view_reason(fate: dict, view: str) -> str:
    """Why a view of the window is empty, from the per-record fate counts kept."""
    read = _count(fate, "records_read")
    if not read:
        total = _count(fate, "records_in_file")
        where = f" ({total:,} records in the whole file)" if total else ""
        return f"The file has no records at all in the analysed genes{where}."
    in_genes = _count(fate, "in_analysed_genes")
    parts = [f"{read:,} records read"]
    for key, words in (
        ("gvcf_reference_blocks", "reference blocks"),
        ("dropped_reference_only", "reference-only (0/0) calls"),
        ("dropped_no_call", "no-calls"),
        ("outside_analysed_genes", "outside the analysed genes"),
    ):
        value = _count(fate, key)
        if value:
            parts.append(f"{value:,} {words}")
    if not in_genes:
        return f"No variant in the analysed genes: {'; '.join(parts)}."
    matched = _count(fate, "matched_knowledge")
    return (
        f"No {view} finding: {in_genes:,} variant(s) in the analysed genes, {matched:,} matched a "
        f"knowledge record, none falls in this view ({'; '.join(parts)})."
    )
