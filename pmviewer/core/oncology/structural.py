"""Match the tumour's copy-number and structural records to CIViC's whole-gene profiles.

``Amplification``: a gain (``<DUP>``/``<CNV>``) whose copy number reaches
:data:`AMPLIFICATION_MIN_COPIES` and that covers every exon of the gene. ``Deletion``/``Loss``:
a ``<DEL>``, or a record with fewer than two copies, that removes at least one whole exon of
the gene (a shorter deletion inside an exon is a sequence change, not a copy loss).
``X::Y Fusion``: a breakend pair, or an inversion, deletion or duplication, whose two ends lie
in the two partner genes (either order: the breakend orientation is not read); ``v::Y``
fusions take any gene at the other end; an exon junction (``e20::e20``) also needs the 5'
break in the intron after that exon and the 3' break in the intron before its exon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmviewer.core.oncology.match import COPY_NUMBER, FUSION, VariantHit
from pmviewer.core.oncology.tables import CivicVariant, Exon, OncologyTables
from pmviewer.core.tumour import BREAKEND, DELETION, StructuralCall

# A pmviewer setting, not a guideline figure: the report states it beside every amplification.
AMPLIFICATION_MIN_COPIES = 6.0


@dataclass
class StructuralMatch:
    call: StructuralCall
    gene: str  # 'ERBB2', or 'EML4::ALK' for a fusion (genes in file order)
    event: str  # 'amplification' | 'copy loss' | 'fusion'
    description: str  # in words, for the report's variant column
    hits: list[VariantHit] = field(default_factory=list)


def _exon_bounds(tables: OncologyTables, build: str, gene: str) -> tuple[int, int] | None:
    exons = tables.gene_exons(build, gene)
    if exons:
        return min(e.start for e in exons), max(e.end for e in exons)
    span = tables.spans.get(build, {}).get(gene)
    return (span.start, span.end) if span else None


def _overlapping_genes(tables: OncologyTables, build: str, call: StructuralCall) -> list[str]:
    return sorted(
        s.gene for s in tables.spans.get(build, {}).values()
        if s.chrom == call.chrom and s.start <= call.end and s.end >= call.pos
    )  # fmt: skip


def _copy_event(call: StructuralCall, covers: bool, touches: bool) -> str | None:
    copies = call.copy_number
    if touches and (call.kind == DELETION or (copies is not None and copies < 2)):
        return "copy loss"
    if covers and call.kind != DELETION and copies is not None:
        return "amplification" if copies >= AMPLIFICATION_MIN_COPIES else None
    return None


def _copy_words(call: StructuralCall, event: str, gene: str) -> str:
    copies = call.copy_number
    stated = f"{copies:g} copies ({call.copy_number_source})" if copies is not None else (
        "copy number not stated")  # fmt: skip
    extent = f"{call.chrom}:{call.pos:,}-{call.end:,}"
    if event == "amplification":
        return (f"{gene} amplification: {stated} over {extent}; amplification here means at "
                f"least {AMPLIFICATION_MIN_COPIES:g} copies")  # fmt: skip
    depth = " (no copy left)" if copies == 0 else ""
    return f"{gene} copy loss{depth}: {call.alt} {stated} over {extent}"


def _copy_matches(
    call: StructuralCall, build: str, tables: OncologyTables
) -> list[StructuralMatch]:
    out = []
    for gene in _overlapping_genes(tables, build, call):
        bounds = _exon_bounds(tables, build, gene)
        if bounds is None:
            continue
        exons = tables.gene_exons(build, gene)
        covers = call.pos <= bounds[0] and call.end >= bounds[1]
        touches = any(e.start >= call.pos and e.end <= call.end for e in exons) or (
            not exons and covers
        )
        event = _copy_event(call, covers, touches)
        if event is None:
            continue
        change = "AMPLIFICATION" if event == "amplification" else "LOSS"
        match = StructuralMatch(call, gene, event, _copy_words(call, event, gene))
        for vid in tables.by_gene.get(gene, []):
            variant = tables.variants[vid]
            if variant.kind == "copy_number" and variant.change == change:
                match.hits.append(VariantHit(vid, COPY_NUMBER, match.description))
        out.append(match)
    return out


def _intron(exons: list[Exon], pos: int) -> int | None:
    """The number of the intron (after exon n) holding ``pos``; None inside an exon or outside."""
    for first, second in zip(exons, exons[1:], strict=False):
        left, right = sorted((first, second), key=lambda e: e.start)
        if left.end < pos < right.start:
            return first.number
    return None


def _ends(call: StructuralCall) -> tuple[tuple[str, int], tuple[str, int]] | None:
    if call.kind == BREAKEND and call.mate_chrom and call.mate_pos:
        return (call.chrom, call.pos), (call.mate_chrom, call.mate_pos)
    if call.kind != BREAKEND and call.end > call.pos:
        return (call.chrom, call.pos), (call.chrom, call.end)
    return None


def _fusion_matches(
    call: StructuralCall, build: str, tables: OncologyTables
) -> list[StructuralMatch]:
    ends = _ends(call)
    if ends is None:
        return []
    (c1, p1), (c2, p2) = ends
    out = []
    for one in tables.genes_at(build, c1, p1):
        for two in tables.genes_at(build, c2, p2):
            if one.gene == two.gene:
                continue
            at = {one.gene: p1, two.gene: p2}
            ends_at = {one.gene: f"{c1}:{p1:,}", two.gene: f"{c2}:{p2:,}"}
            record = call.alt if call.kind == BREAKEND else f"<{call.kind}>"
            match = StructuralMatch(call, f"{one.gene}::{two.gene}", "fusion", "")
            for vid in sorted(
                set(tables.by_gene.get(one.gene, []) + tables.by_gene.get(two.gene, []))
            ):
                variant = tables.variants[vid]
                if variant.kind != "fusion" or not _partners_fit(variant.partners, set(at)):
                    continue
                if variant.change == "JUNCTION" and not _junction_fits(variant, at, build, tables):
                    continue
                match.hits.append(VariantHit(vid, FUSION, ""))
            named = [tables.variants[h.variant_id].partners for h in match.hits]
            order = next(((a, b) for a, b in named if a and b), (one.gene, two.gene))
            match.gene = "::".join(order)  # CIViC's 5'::3' order where it names both
            match.description = (f"{match.gene} fusion: breakends in {order[0]} at "
                                 f"{ends_at[order[0]]} and {order[1]} at {ends_at[order[1]]} "
                                 f"({record})")  # fmt: skip
            for hit in match.hits:
                hit.detail = match.description
            if match.hits:
                out.append(match)
    return out


def _partners_fit(partners: tuple[str | None, str | None], genes: set[str]) -> bool:
    known = [p for p in partners if p]
    return bool(known) and all(p in genes for p in known) and (len(known) == 2 or len(genes) == 2)


def _junction_fits(
    variant: CivicVariant, at: dict[str, int], build: str, tables: OncologyTables
) -> bool:
    five, three = variant.partners
    if not five or not three:
        return False
    intron_5 = _intron(tables.gene_exons(build, five), at[five])
    intron_3 = _intron(tables.gene_exons(build, three), at[three])
    return intron_5 == variant.exon_first and intron_3 == (variant.exon_last or 0) - 1


def match_structural(
    calls: list[StructuralCall], build: str, tables: OncologyTables
) -> list[StructuralMatch]:
    """Copy-number and fusion matches of the tumour's CNV/SV records (one per breakend pair)."""
    out: list[StructuralMatch] = []
    seen: set[frozenset[tuple[str, int]]] = set()
    for call in calls:
        if call.status != "somatic":
            continue
        out.extend(m for m in _copy_matches(call, build, tables) if m.hits)
        ends = _ends(call)
        if ends is None or frozenset(ends) in seen:
            continue
        seen.add(frozenset(ends))
        out.extend(_fusion_matches(call, build, tables))
    return out
