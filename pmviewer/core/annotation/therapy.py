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

import pandas as pd

from pmviewer.core.knowledge import PLP, clinvar_class
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


def _item(row: dict, match: str) -> dict[str, object]:
    return {
        "level": cell_text(row.get("evidence_level")),
        "therapies": cell_text(row.get("therapies")).replace(",", ", "),
        "disease": cell_text(row.get("disease")),
        "significance": cell_text(row.get("significance")),
        "direction": cell_text(row.get("evidence_direction")),
        "profile": cell_text(row.get("molecular_profile")),
        "citation": cell_text(row.get("citation")),
        "pmid": cell_text(row.get("pmid")),
        "evidence_id": int(row["evidence_id"]) if cell_text(row.get("evidence_id")) else None,
        "url": cell_text(row.get("url")),
        "match": match,
    }


def therapy_items(
    rows: pd.DataFrame, civic: pd.DataFrame, lof_genes: set[str]
) -> dict[object, list[dict[str, object]]]:
    """Row index -> CIViC germline predictive items (level, then therapy order).

    ``rows`` needs finding_id (build:chrom:pos:ref:alt), kb_gene, classification, zygosity;
    ``civic`` is :meth:`Knowledge.civic_for` for the genes of ``rows``.
    """
    evidence = germline_predictive(civic).to_dict("records")
    by_key: dict[tuple[str, int, str, str], list[dict]] = {}
    by_gene: dict[str, list[dict]] = {}
    for e in evidence:
        if cell_text(e.get("chrom")) and cell_text(e.get("pos")):
            place = (
                cell_text(e["chrom"]),
                int(e["pos"]),
                cell_text(e.get("ref")),
                cell_text(e.get("alt")),
            )
            by_key.setdefault(place, []).append(e)
        else:
            by_gene.setdefault(cell_text(e.get("gene")), []).append(e)
    out: dict[object, list[dict[str, object]]] = {}
    for idx, row in rows.iterrows():
        items: list[dict[str, object]] = []
        seen: set[int] = set()
        parts = cell_text(row.get("finding_id")).split(":")
        own = (parts[1], int(parts[2]), parts[3], parts[4]) if len(parts) == 5 else None
        hom = cell_text(row.get("zygosity")) in ("hom", "hemi")
        for e in by_key.get(own, []) if own else []:
            if "homozygosity" in cell_text(e.get("molecular_profile")).lower() and not hom:
                continue
            items.append(_item(e, "this variant"))
            seen.add(int(e["evidence_id"]))
        gene = cell_text(row.get("kb_gene"))
        if clinvar_class(cell_text(row.get("classification"))) == PLP:
            for e in by_gene.get(gene, []):
                variant = cell_text(e.get("variant")).lower()
                if int(e["evidence_id"]) in seen:
                    continue
                if variant in _GENE_WIDE_ANY or (variant in _GENE_WIDE_LOF and gene in lof_genes):
                    items.append(
                        _item(
                            e,
                            f"gene-level CIViC profile '{cell_text(e.get('molecular_profile'))}', applied to a P/LP finding",
                        )
                    )
                    seen.add(int(e["evidence_id"]))
        items.sort(
            key=lambda i: (
                _LEVEL_ORDER.get(str(i["level"]), 9),
                str(i["therapies"]),
                str(i["disease"]),
            )
        )
        out[idx] = items
    return out
