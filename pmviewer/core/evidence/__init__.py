"""Evidence joined to the findings: what the window, ``pmviewer annotate`` and the PDF all show.

:func:`civic_items` (CIViC evidence items per finding), :func:`gene_rows` (the knowledge row of
each gene), :func:`with_finding_categories` (the finding category of every variant of the
file), :func:`pgx_frame` (one row per pharmacogene result), and the per-click lookups
:func:`finding_row` and :func:`gene_finding_rows`. :func:`pmviewer.core.pipeline.analyse`
attaches CIViC items and gene rows to every analysis, so all faces carry the same evidence.
"""

from __future__ import annotations

from pmviewer.core.evidence.civic import civic_items
from pmviewer.core.evidence.frames import (
    finding_row,
    gene_finding_rows,
    gene_rows,
    pgx_frame,
    with_finding_categories,
)

__all__ = [
    "civic_items",
    "finding_row",
    "gene_finding_rows",
    "gene_rows",
    "pgx_frame",
    "with_finding_categories",
]
