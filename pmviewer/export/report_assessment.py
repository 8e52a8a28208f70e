"""Page 1's result sentence, honest about what was assessed (issue "honest negatives").

The sentence is never "NEGATIVE" unless genes were assessed: it names how many genes were
assessed, which were not and why, and for a variant-only VCF that absence of a call cannot be
confirmed. The assessment itself comes from :func:`pmviewer.core.annotation.assess_genes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmviewer.export.report_findings import ReportFinding

_LISTED = 12


@dataclass
class ReportAssessment:
    """What the report prints about gene assessment."""

    assessed: list[str]
    not_assessed: list[tuple[str, str]]  # (gene, reason), partial genes included
    basis: str  # how genes were assessed, in words (methods)
    notes: list[str] = field(default_factory=list)
    measured: bool = True  # False when no assessment was made at all

    partial: list[str] = field(default_factory=list)  # genes with some but not full coverage

    @property
    def no_data(self) -> bool:
        """Measured, and no gene has any data at all."""
        return self.measured and not self.assessed and not self.partial


def report_assessment(raw: dict | None, gene_count: int | None) -> ReportAssessment:
    """The report's view of ``Findings.assessment`` (None: not measured)."""
    if not raw:
        return ReportAssessment([], [], "not measured", measured=False)
    genes = raw.get("genes") or []
    assessed = [str(g["gene"]) for g in genes if g.get("status") == "assessed"]
    missing = [(str(g["gene"]), str(g.get("reason") or "")) for g in genes
               if g.get("status") != "assessed"]  # fmt: skip
    depth = raw.get("min_depth")
    targets = str(raw.get("targets") or "")
    if raw.get("file_kind") == "reference":
        basis = (
            f"gVCF reference blocks, 0/0 calls and variant calls covering every base of the "
            f"gene's MANE Select exons (GENCODE v44; UTRs included) at depth >= {depth}"
        )
    else:
        basis = "variant calls present in the gene (variant-only VCF)"
    if targets:
        basis += f"; genes outside the laboratory's target regions ({targets}) are not assessed"
    partial = [str(g["gene"]) for g in genes if g.get("status") == "partial"]
    notes = [str(n) for n in raw.get("notes") or []]
    return ReportAssessment(assessed, missing, basis, notes, partial=partial)


def _grouped(missing: list[tuple[str, str]]) -> str:
    """'A, B (reason); C (other reason)' with identical reasons grouped."""
    groups: dict[str, list[str]] = {}
    for gene, reason in missing:
        key = reason if not reason[:1].isdigit() else "partly covered"
        groups.setdefault(key, []).append(
            gene if key == reason else f"{gene} {reason.split(' ')[0]}"
        )
    parts = []
    for reason, genes in groups.items():
        shown = ", ".join(genes[:_LISTED]) + (
            f" and {len(genes) - _LISTED} more" if len(genes) > _LISTED else ""
        )
        parts.append(f"{shown} ({reason})")
    return "; ".join(parts)


def _positive_detail(assessment: ReportAssessment, found: list[str]) -> str:
    """Beside a positive result, a gene with a finding is not listed as "not assessed" (the
    finding was called): the sentence says the rest of it was not fully covered."""
    with_finding = [(g, r) for g, r in assessment.not_assessed if g in found]
    others = [(g, r) for g, r in assessment.not_assessed if g not in found]
    parts = []
    if others:
        noun = "gene" if len(others) == 1 else "genes"
        parts.append(f"{len(others)} other {noun} not assessed: {_grouped(others)}.")
    if with_finding:
        names = ", ".join(g for g, _ in with_finding)
        parts.append(
            f"{names}: the finding was called, but the rest of the gene is not fully covered "
            "by the file, so other variants there cannot be excluded."
        )
    return " ".join(parts)


def summary_sentence(
    reportable: list[ReportFinding], assessment: ReportAssessment, gene_count: int | None
) -> tuple[str, str, bool]:
    """(page 1 result sentence, the genes not assessed and why, positive)."""
    n_missing = len(assessment.not_assessed)
    missing_text = (
        f"{n_missing} {'gene' if n_missing == 1 else 'genes'} not assessed: "
        f"{_grouped(assessment.not_assessed)}."
        if n_missing
        else ""
    )
    detail = " ".join(n for n in [missing_text, *assessment.notes] if n)
    if reportable:
        genes = sorted({f.gene for f in reportable})
        detail = " ".join(n for n in [_positive_detail(assessment, genes), *assessment.notes] if n)
        noun = "finding" if len(reportable) == 1 else "findings"
        gene_noun = "gene" if len(genes) == 1 else "genes"
        listed = ", ".join(genes[:8]) + (f" and {len(genes) - 8} more" if len(genes) > 8 else "")
        text = (
            f"POSITIVE: {len(reportable)} reportable {noun} identified in "
            f"{len(genes)} {gene_noun} ({listed})."
        )
        return text, detail, True
    if not assessment.measured:
        scope = f"the {gene_count} genes analysed" if gene_count else "the genes analysed"
        return (
            f"No reportable variant found in {scope}. Whether these genes were covered was not "
            "measured, so this is not a negative result.",
            "",
            False,
        )
    if not assessment.assessed:
        if assessment.no_data:
            headline = (
                f"NOT ASSESSED: the file has no data in the {n_missing} genes analysed, so no "
                "result can be given for them."
            )
        else:
            headline = (
                f"NOT ASSESSED: none of the {n_missing} genes analysed is fully covered by the "
                "file, so no negative result can be given."
            )
        return headline, detail, False
    n = len(assessment.assessed)
    text = f"No reportable variant found in the {n} {'gene' if n == 1 else 'genes'} assessed"
    if missing_text:
        return f"{text}; {missing_text}", " ".join(assessment.notes), False
    return f"NEGATIVE: {text}.", " ".join(assessment.notes), False
