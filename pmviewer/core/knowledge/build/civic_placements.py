"""Other placements of CIViC's indels inside repeats: the ``onc_placements`` table.

CIViC writes an indel where HGVS puts it (the 3' end of a repeat); callers write it at the
5' end (left-aligned). No bundled source holds the reference genome, but the bases between
the two placements are often stated by records nearby: the REF alleles of the bundled ClinVar
VCF (GRCh38) and CIViC's own reference bases. Each CIViC indel is slid left as far as those
bases show (:func:`pmviewer.core.genome.alleles.slide_left`); each placement reached is kept,
in GRCh38 and, where the chain carries the region over base for base, in GRCh37.
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

from pmviewer.core.genome import ChainMap, KnownBases, canonical_chrom, slide_left
from pmviewer.core.knowledge.build.common import find

PLACEMENTS_SQL = """
CREATE TABLE onc_placements (       -- the same CIViC indel placed elsewhere in its repeat
    variant_id INTEGER NOT NULL, build TEXT NOT NULL,
    chrom TEXT NOT NULL, pos INTEGER NOT NULL, ref TEXT NOT NULL, alt TEXT NOT NULL,
    PRIMARY KEY (variant_id, build, pos)
) WITHOUT ROWID;
"""
_WINDOW = 300  # ClinVar records this close to a CIViC indel lend their bases

# onc_variants columns (see oncology.SCHEMA_SQL): id, ..., g37 chrom/pos/ref/alt at 14..17,
# g38 chrom/pos/ref/alt at 18..21
_G37, _G38 = slice(14, 18), slice(18, 22)


def _indel(coords: tuple[object, ...]) -> tuple[str, int, str, str] | None:
    chrom, pos, ref, alt = coords
    if chrom is None or pos is None or (ref and alt) or not (ref or alt):
        return None
    return str(chrom), int(str(pos)), str(ref or ""), str(alt or "")


def _known_grch38(
    sources: Path, variants: list[tuple[object, ...]], indels: dict[str, list[int]]
) -> dict[str, KnownBases]:
    known: dict[str, KnownBases] = {}
    for row in variants:
        chrom, pos, ref, _alt = row[_G38]
        if chrom is not None and ref:
            known.setdefault(str(chrom), KnownBases()).add(int(str(pos)), str(ref))
    for path in find(sources, "clinvar", "*GRCh38*.vcf.gz", required=False):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                chrom, pos_text, _id, ref = line.split("\t", 4)[:4]
                chrom, pos = canonical_chrom(chrom), int(pos_text)
                if any(abs(pos - p) <= _WINDOW for p in indels.get(chrom, ())):
                    known.setdefault(chrom, KnownBases()).add(pos, ref)
    return known


def load(
    sources: Path, variants: list[tuple[object, ...]], chain_38_37: ChainMap
) -> list[tuple[object, ...]]:
    """``(variant_id, build, chrom, pos, ref, alt)`` for every placement other than CIViC's."""
    indels: dict[str, list[int]] = {}
    for row in variants:
        found = _indel(row[_G38])
        if found:
            indels.setdefault(found[0], []).append(found[1])
    known = _known_grch38(sources, variants, indels)
    rows: set[tuple[object, ...]] = set()
    for row in variants:
        found = _indel(row[_G38])
        if found is None:
            continue
        chrom, pos, ref, alt = found
        g37 = _indel(row[_G37])
        for p, r, a in list(slide_left(pos, ref, alt, known[chrom]))[1:]:
            rows.add((row[0], "GRCh38", chrom, p, r, a))
            lifted = chain_38_37.lift_position(chrom, p)
            if g37 and lifted and lifted[2] == "+" and lifted[1] == g37[1] - (pos - p):
                rows.add((row[0], "GRCh37", g37[0], lifted[1], r, a))
    return sorted(rows)


def insert(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> int:
    """Create and fill ``onc_placements``; returns the row count."""
    conn.executescript(PLACEMENTS_SQL)
    conn.executemany("INSERT INTO onc_placements VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
