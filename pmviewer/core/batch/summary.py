"""One summary row per (file, sample): counts per category, PGx calls and errors, as TSV."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields

from pmviewer.core.model import Findings

CATEGORIES = ("reportable", "carrier", "uncertain", "other")

# What a VCF can and cannot say about unassessed genes: it lists variants, not coverage.
SF_NOT_ASSESSED = "not determined: a VCF does not record which genes were sequenced"


@dataclass
class SummaryRow:
    """A row of ``summary.tsv``; every value is text so the file reads the same everywhere."""

    file: str
    sample: str
    status: str  # "done" | "error" | "skipped" (finished in an earlier run)
    build: str = ""
    sex: str = ""
    reportable: str = ""
    carrier: str = ""
    uncertain: str = ""
    other: str = ""
    reportable_genes: str = ""
    sf_genes_not_assessed: str = ""
    pgx_calls: str = ""
    pgx_not_callable: str = ""
    warnings: str = ""
    json: str = ""
    pdf: str = ""
    knowledge_version: str = ""
    input_sha256: str = ""
    error: str = ""


def row_for(findings: Findings, file: str, sample: str) -> SummaryRow:
    """The counts and calls of one analysed sample."""
    frame = findings.frame
    counts = frame["category"].astype(str).value_counts().to_dict() if len(frame) else {}
    reportable = frame.loc[frame["category"] == "reportable", "kb_gene"] if len(frame) else []
    called, not_called = [], []
    for entry in findings.pgx:
        gene = str(entry.get("gene") or "")
        if entry.get("callable", True) and entry.get("diplotype"):
            phenotype = entry.get("phenotype") or "phenotype not determined"
            called.append(f"{gene} {entry['diplotype']} ({phenotype})")
        else:
            not_called.append(gene)
    return SummaryRow(
        file=file,
        sample=sample,
        status="done",
        build=findings.build,
        sex=findings.sex or "",
        **{c: str(int(counts.get(c, 0))) for c in CATEGORIES},
        reportable_genes=", ".join(sorted({str(g) for g in reportable})),
        sf_genes_not_assessed=SF_NOT_ASSESSED,
        pgx_calls="; ".join(called),
        pgx_not_callable=", ".join(not_called),
        warnings=str(len(findings.warnings)),
        knowledge_version=str(findings.knowledge.get("version") or ""),
        input_sha256=findings.input_sha256 or "",
    )


def error_row(file: str, sample: str, message: str) -> SummaryRow:
    return SummaryRow(file=file, sample=sample, status="error", error=message)


COLUMNS = [f.name for f in fields(SummaryRow)]


def summary_tsv(rows: list[SummaryRow]) -> str:
    """Tab-separated, one header line; tabs and new lines inside values become spaces."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in rows:
        values = asdict(row)
        writer.writerow([" ".join(str(values[c]).split()) for c in COLUMNS])
    return out.getvalue()


def row_from_dict(data: dict[str, str]) -> SummaryRow:
    return SummaryRow(**{k: str(v) for k, v in data.items() if k in COLUMNS})
