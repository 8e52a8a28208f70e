"""The per-input variant fate summary: what happened to every record, so a counselor can
answer "why is my variant not listed?"."""

from __future__ import annotations

import pandas as pd

from pmviewer.core.genome import ReferenceFasta
from pmviewer.core.model import CATEGORIES, VariantTable


def variant_fate(
    table: VariantTable,
    outside_genes: int,
    findings: pd.DataFrame,
    indels_not_normalised: int,
    reference: ReferenceFasta | None,
) -> dict:
    """What happened to every record of ``table``, as counts and reasons (the "why is my
    variant not listed?" summary printed in the methods)."""
    stats = table.stats
    by_category = findings["category"].value_counts()
    fate: dict = {
        "scope": "whole file" if table.regions is None else "analysed gene regions only",
        "records_read": stats.records_read,
        "variant_rows": stats.rows_kept,
        "dropped_reference_only": stats.reference_only,
        "dropped_no_call": stats.no_call,
        "alleles_not_carried": stats.not_carried,
        "gvcf_reference_blocks": stats.gvcf_blocks,
        "star_alleles_dropped": stats.star_alleles,
        "symbolic_rows": stats.symbolic,
        "records_skipped": stats.skipped,
        "skipped_reasons": [f"{line}: {reason}" for line, reason in stats.problems[:50]],
        "outside_analysed_genes": int(outside_genes),
        "in_analysed_genes": int(len(findings)),
        "matched_knowledge": int(findings["classification"].notna().sum()),
        "indels_not_fully_normalised": int(indels_not_normalised),
        "normalisation": (
            f"left-aligned against {reference.path.name}"
            if reference is not None
            else "alleles trimmed; indels not left-aligned (no reference genome set)"
        ),
    }
    for category in CATEGORIES:
        fate[category] = int(by_category.get(category, 0))
    return fate
