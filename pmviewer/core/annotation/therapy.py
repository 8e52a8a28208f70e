"""Germline therapeutic implications: CIViC germline predictive evidence per finding.

CIViC states predictive evidence for germline variants either for one variant (a molecular
profile with genomic coordinates, matched here allele-exactly) or for a gene-level profile
("BRCA1 Mutation", "BRCA2 Loss-of-function", "STK11 Loss"). A gene-level profile is applied
only to a finding classified pathogenic or likely pathogenic: "Mutation" to any such
finding, "Loss-of-function"/"Loss" only where the knowledge file derives a loss-of-function
disease mechanism for the gene. Profiles that name a genotype ("... HOMOZYGOSITY") need a
homozygous call. Other gene-level profiles (a protein change without coordinates) are not
guessed at. Every item keeps CIViC's level, disease, therapies, citation and link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pmviewer.core.knowledge import PLP, by_variant_key, civic_item, clinvar_class, variant_key
from pmviewer.core.wording import cell_text

_GENE_WIDE_ANY = ("mutation",)
_GENE_WIDE_LOF = ("loss-of-function", "loss")
_LEVEL_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}


def germline_predictive(civic: pd.DataFrame) -> pd.DataFrame:
    """The predictive evidence items CIViC states for germline variants."""
    if not len(civic):
        return civic
    keep = civic["evidence_type"].astype(str).eq("Predictive") & civic["variant_origin"].astype(
        str
    ).str.contains("Germline", case=False)
    return civic[keep]


def therapy_items(
    rows: pd.DataFrame, civic: pd.DataFrame, lof_genes: set[str]
) -> dict[object, list[dict[str, object]]]:
    """Row index -> CIViC germline predictive items (level, then therapy order).

    ``rows`` needs finding_id (build:chrom:pos:ref:alt), kb_gene, classification, zygosity;
    ``civic`` is :meth:`Knowledge.civic_for` for the genes of ``rows``.
    """
    by_key, unplaced = by_variant_key(germline_predictive(civic).to_dict("records"))
    by_gene: dict[str, list[Mapping[str, Any]]] = {}
    for e in unplaced:
        by_gene.setdefault(cell_text(e.get("gene")), []).append(e)
    out: dict[object, list[dict[str, object]]] = {}
    for idx, row in rows.iterrows():
        items: list[dict[str, object]] = []
        seen: set[int] = set()
        parts = cell_text(row.get("finding_id")).split(":")
        own = variant_key(*parts[1:]) if len(parts) == 5 else None
        hom = cell_text(row.get("zygosity")) in ("hom", "hemi")
        for e in by_key.get(own, []) if own else []:
            if "homozygosity" in cell_text(e.get("molecular_profile")).lower() and not hom:
                continue
            items.append(civic_item(e, "this variant"))
            seen.add(int(e["evidence_id"]))
        gene = cell_text(row.get("kb_gene"))
        if clinvar_class(cell_text(row.get("classification"))) == PLP:
            for e in by_gene.get(gene, []):
                variant = cell_text(e.get("variant")).lower()
                if int(e["evidence_id"]) in seen:
                    continue
                if variant in _GENE_WIDE_ANY or (variant in _GENE_WIDE_LOF and gene in lof_genes):
                    profile = cell_text(e.get("molecular_profile"))
                    items.append(civic_item(e, f"gene-level CIViC profile '{profile}', "
                                               "applied to a P/LP finding"))  # fmt: skip
                    seen.add(int(e["evidence_id"]))
        items.sort(
            key=lambda i: (
                _LEVEL_ORDER.get(str(i["level"]), 9),
                str(i["therapies"] or ""),
                str(i["disease"] or ""),
            )
        )
        out[idx] = items
    return out
