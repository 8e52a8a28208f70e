"""Calls in a tumour file that CIViC knows as inherited (germline) variants.

Tumour callers let germline alleles through (the PCGR example carries DPYD c.1905+1G>A,
DPYD*2A, at 47 % among its somatic calls). Such a call is not a somatic finding: it is listed
apart, with a note to confirm it on a germline sample, where it may matter for treatment
(fluoropyrimidine toxicity for DPYD) and for relatives.
"""

from __future__ import annotations

import sqlite3

from pmviewer.core.genome import normalise_key
from pmviewer.core.tumour import SomaticCall


def germline_alleles(
    conn: sqlite3.Connection, calls: list[SomaticCall], build: str
) -> list[dict[str, object]]:
    """One entry per call at CIViC germline-evidence coordinates (same alleles)."""
    prefix = "g38" if build == "GRCh38" else "g37"
    known: dict[tuple[str, int, str, str], tuple[str, str]] = {}
    sql = (
        f"SELECT v.{prefix}_chrom, v.{prefix}_pos, v.{prefix}_ref, v.{prefix}_alt, v.gene, v.variant "
        "FROM civic_variants v JOIN civic_profile_variants p ON p.variant_id = v.variant_id "
        "JOIN civic_evidence e ON e.molecular_profile_id = p.molecular_profile_id "
        f"WHERE v.{prefix}_pos IS NOT NULL GROUP BY v.variant_id"
    )
    try:
        rows = conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # an older knowledge file without CIViC germline tables
        return []
    for chrom, pos, ref, alt, gene, name in rows:
        known[(str(chrom), int(pos), str(ref), str(alt))] = (str(gene), str(name))
    out = []
    for call in calls:
        key = tuple(normalise_key(call.chrom, call.pos, call.ref, call.alt))
        if key in known:
            gene, name = known[key]
            out.append({
                "gene": gene, "civic_variant": name, "chrom": call.chrom, "pos": call.pos,
                "ref": call.ref, "alt": call.alt,
                "vaf": None if call.vaf is None else round(call.vaf, 4),
                "note": (f"CIViC holds germline (inherited) evidence for this {gene} allele (stated "
                         f"as '{name}'): the call is probably inherited, not somatic. Confirm it on "
                         "a germline sample; it is not a tumour finding."),
            })  # fmt: skip
    return out
