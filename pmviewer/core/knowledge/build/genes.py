"""Gene spans and transcripts (``genes/*gene_coordinates*.tsv``) and the ``genes`` table.

GRCh38 spans are MANE Select transcript spans; GRCh37 spans are GENCODE v19 gene spans
(wider: all transcripts). Both are kept with their source so region loading can pad them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pmviewer.core.genome import canonical_chrom
from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    describe,
    int_or_none,
    newest_file,
    none_if_empty,
    read_tsv,
)

_TEXT_COLUMNS = ("hgnc_id", "ncbi_gene_id", "ensembl_gene", "mane_select_refseq",
                 "mane_select_refseq_prot", "mane_select_ensembl", "mane_plus_clinical_refseq",
                 "strand")  # fmt: skip


def _span(raw: dict[str, str], build: str, start: str, end: str) -> dict[str, object]:
    """``<build>_chrom/_start/_end/_span_source`` of one gene row (GRCh38 transcript span,
    GRCh37 gene span: the source's columns say which)."""
    chrom = raw.get(f"{build}_chrom")
    return {
        f"{build}_chrom": canonical_chrom(chrom) if chrom else None,
        f"{build}_start": int_or_none(raw.get(start)),
        f"{build}_end": int_or_none(raw.get(end)),
        f"{build}_span_source": none_if_empty(raw.get(f"{build}_source")),
    }


def load(sources: Path) -> tuple[dict[str, dict[str, object]], SourceFile]:
    """Per gene: panel membership, MANE transcripts and spans in both builds."""
    path = newest_file(sources, "genes", "*gene_coordinates*.tsv")
    genes: dict[str, dict[str, object]] = {}
    for raw in read_tsv(path):
        if not raw.get("gene"):
            continue
        panels = {p.strip() for p in raw.get("panel", "").split(";") if p.strip()}
        genes[raw["gene"]] = {
            "is_acmg": any(p.upper().startswith("ACMG") for p in panels),
            "is_pgx": any(p.upper().startswith("PGX") for p in panels),
            **{name: none_if_empty(raw.get(name)) for name in _TEXT_COLUMNS},
            **_span(raw, "grch38", "grch38_tx_start_1based", "grch38_tx_end"),
            **_span(raw, "grch37", "grch37_gene_start_1based", "grch37_gene_end"),
        }
    source = describe(
        sources,
        path,
        "MANE v1.5 + GENCODE v19 gene spans",
        "MANE Select transcripts, GRCh38 transcript spans, GRCh37 gene spans",
        "MANE v1.5; GENCODE v19",
        "public domain (MANE); no restrictions (GENCODE)",
        ATTRIBUTION["MANE"] + " " + ATTRIBUTION["GENCODE"],
    )
    return genes, source


GENE_COLUMNS = (
    "gene", "panel", "in_sf_v3_3", "in_sf_v3_2", "report_rule", "inheritance", "conditions",
    "disorder_mims", "gene_mim", "category", "hgnc_id", "ncbi_gene_id", "ensembl_gene",
    "mane_select_refseq", "mane_select_refseq_prot", "mane_select_ensembl",
    "mane_plus_clinical_refseq", "strand", "grch38_chrom", "grch38_start", "grch38_end",
    "grch38_span_source", "grch37_chrom", "grch37_start", "grch37_end", "grch37_span_source",
    "grch38_load_start", "grch38_load_end", "grch37_load_start", "grch37_load_end",
    "clingen_classification", "clingen_disease", "clingen_moi", "plp_records",
    "truncating_records", "truncating_fraction", "lof_mechanism", "lof_note",
)  # fmt: skip


def merge(
    acmg: dict[str, dict[str, object]],
    coords: dict[str, dict[str, object]],
    pgx_genes: set[str],
) -> dict[str, dict[str, object]]:
    """One record per ACMG SF gene and pharmacogene (columns of :data:`GENE_COLUMNS`)."""
    names = sorted(set(acmg) | {g for g, c in coords.items() if c["is_pgx"]} | pgx_genes)
    merged: dict[str, dict[str, object]] = {}
    for gene in names:
        sf = acmg.get(gene, {})
        co = coords.get(gene, {})
        panels = []
        if gene in acmg:
            panels.append("acmg_sf")
        if co.get("is_pgx") or gene in pgx_genes:
            panels.append("pgx")
        record: dict[str, object] = {c: None for c in GENE_COLUMNS}
        record.update({k: v for k, v in co.items() if k in GENE_COLUMNS})
        record.update({k: v for k, v in sf.items() if k in GENE_COLUMNS})
        record.update(
            gene=gene,
            panel=";".join(panels),
            in_sf_v3_3=int(sf.get("in_sf_v3_3", 0) or 0),  # type: ignore[call-overload]
            in_sf_v3_2=int(sf.get("in_sf_v3_2", 0) or 0),  # type: ignore[call-overload]
            plp_records=0,
            truncating_records=0,
            lof_mechanism="not_applicable",
        )
        merged[gene] = record
    return merged


def add_load_regions(genes: dict[str, dict[str, object]], records: list[dict[str, object]]) -> None:
    """Widen each gene's span, per build, to cover its ClinVar records on that chromosome.

    A few P/LP records lie outside the MANE transcript (other isoforms, promoters), and
    region-limited loading must still read them.
    """
    for build, prefix in (("grch38", "g38"), ("grch37", "g37")):
        for spans in genes.values():
            spans[f"{build}_load_start"] = spans[f"{build}_start"]
            spans[f"{build}_load_end"] = spans[f"{build}_end"]
        for record in records:
            key = record[prefix]
            gene = genes.get(str(record["gene"]))
            if key is None or gene is None or gene[f"{build}_start"] is None:
                continue
            chrom, pos, ref = key[0], int(key[1]), str(key[2])  # type: ignore[index]
            if chrom != gene[f"{build}_chrom"]:
                continue
            gene[f"{build}_load_start"] = min(int(gene[f"{build}_load_start"]), pos)  # type: ignore[call-overload]
            gene[f"{build}_load_end"] = max(int(gene[f"{build}_load_end"]), pos + len(ref) - 1)  # type: ignore[call-overload]


def insert(conn: sqlite3.Connection, genes: dict[str, dict[str, object]]) -> int:
    conn.executemany(
        f"INSERT INTO genes ({', '.join(GENE_COLUMNS)}) VALUES ({', '.join('?' * len(GENE_COLUMNS))})",
        [tuple(genes[g][c] for c in GENE_COLUMNS) for g in sorted(genes)],
    )
    return len(genes)
