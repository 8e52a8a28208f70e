"""GRCh37 coordinates of the CPIC allele-defining positions, converted with the Ensembl chain.

The CPIC definitions are GRCh38 only. Each defining position is converted with the
GRCh38 -> GRCh37 chain of the knowledge sources (``liftover/GRCh38_to_GRCh37*``) and kept only
when the conversion is clean:

* exactly one accepted alignment block (``ChainMap.best_hit``: not unmapped, not ambiguous);
* on the same chromosome and the forward strand (a reverse-strand hit would change the alleles
  the definition spells);
* the whole reference span of the position inside that block (no gap across a deletion).

Any other position is stored with the reason code and no coordinate, and the caller names it as not
callable on GRCh37 instead of guessing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pmviewer.core.genome import ChainMap, canonical_chrom
from pmviewer.core.knowledge.build.common import newest_file

GRCH37_TABLE = "pgx_position_grch37"

GRCH37_SCHEMA = f"""
CREATE TABLE {GRCH37_TABLE} (
    gene TEXT NOT NULL,
    idx INTEGER NOT NULL,           -- pgx_position.idx
    chrom TEXT NOT NULL,            -- chr-prefixed, like pgx_position
    pos INTEGER,                    -- GRCh37 position; NULL when not converted cleanly
    status TEXT NOT NULL,           -- 'ok' or why the position was refused
    PRIMARY KEY (gene, idx)
)
"""


def lift_position(chain: ChainMap, chrom: str, pos: int, ref: str) -> tuple[int | None, str]:
    """GRCh37 position of one GRCh38 defining position, or ``(None, reason)`` (module docstring)."""
    hit, reason = chain.best_hit(chrom, pos)
    if hit is None:
        return None, reason
    if hit.strand != "+":
        return None, "minus_strand"
    if canonical_chrom(hit.chrom) != canonical_chrom(chrom):
        return None, "other_chromosome"
    if len(ref) > 1:
        end_hit, _ = chain.best_hit(chrom, pos + len(ref) - 1)
        if end_hit is None or end_hit.block_index != hit.block_index:
            return None, "spans_gap"
    return hit.pos, "ok"


def build_grch37_positions(conn: sqlite3.Connection, sources_dir: Path) -> int:
    """Fill :data:`GRCH37_TABLE` from ``pgx_position``; returns the rows written."""
    conn.execute(f"DROP TABLE IF EXISTS {GRCH37_TABLE}")
    conn.execute(GRCH37_SCHEMA)
    chain = ChainMap.from_file(newest_file(Path(sources_dir), "liftover", "GRCh38_to_GRCh37*"))
    rows = []
    for gene, idx, chrom, pos, ref in conn.execute(
        "SELECT gene, idx, chrom, pos, ref FROM pgx_position ORDER BY gene, idx"
    ).fetchall():
        lifted, status = lift_position(chain, chrom, int(pos), ref)
        rows.append((gene, idx, chrom, lifted, status))
    conn.executemany(f"INSERT INTO {GRCH37_TABLE} VALUES (?,?,?,?,?)", rows)
    return len(rows)
