"""The genome build of a tumour VCF without ##contig lengths, from where its calls fall.

Tumour calls cluster in exons (most panels and exomes target them). The share of calls that
fall in MANE Select exons of the genes CIViC curates differs by an order of magnitude between
the right build and the wrong one (SOURCES-somatic.md: 98.8 % versus 4.3 % for the VarDict
panel), so a clear majority names the build; a call with exactly CIViC's alleles at CIViC's coordinates
counts as five exonic calls. Anything less leaves the build to the user.
"""

from __future__ import annotations

from pmviewer.core.genome import bare_alleles
from pmviewer.core.oncology.tables import OncologyTables
from pmviewer.core.tumour import SomaticCall

MIN_HITS = 5  # exonic calls needed in the winning build
RATIO = 3.0
EXACT_WEIGHT = 5  # the winner must hold this many times the loser's exonic calls


def infer_build(calls: list[SomaticCall], tables: OncologyTables) -> tuple[str | None, str]:
    """(build or None, the evidence in words)."""
    hits: dict[str, int] = {}
    exact: dict[str, int] = {}
    for build in ("GRCh37", "GRCh38"):
        hits[build] = sum(
            1
            for c in calls
            if tables.exons_at(build, c.chrom, c.pos, c.pos + max(len(c.ref), 1) - 1)
        )
        keys = tables.by_coordinate.get(build, {})
        exact[build] = sum(
            1 for c in calls if (c.chrom, *bare_alleles(c.pos, c.ref, c.alt)) in keys
        )
    score = {b: hits[b] + EXACT_WEIGHT * exact[b] for b in hits}
    best = max(score, key=lambda b: score[b])
    other = "GRCh38" if best == "GRCh37" else "GRCh37"
    words = (f"{hits[best]} of {len(calls)} calls fall in exons of cancer genes on {best} and "
             f"{exact[best]} match CIViC's coordinates, against {hits[other]} and {exact[other]} "
             f"on {other}")  # fmt: skip
    if score[best] >= MIN_HITS and score[best] >= RATIO * max(score[other], 1):
        return best, words
    return None, words
