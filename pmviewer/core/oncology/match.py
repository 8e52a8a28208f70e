"""Match tumour calls to CIViC variants, then CIViC molecular profiles to the whole tumour.

Kinds, in the order of what the evidence needs: exact coordinates (both builds), named protein
changes (the file's own HGVS p. from CSQ/ANN/PAVE, or the name of the CIViC variant the
coordinates matched), codon profiles (``V600``), exon profiles (``Exon 19 Deletion``: exon
numbers from the bundled MANE Select exons), gene-level profiles (``Mutation``,
``Loss-of-function``) where the consequence is known. A profile is a boolean expression over
its variants, evaluated over every call of the tumour (an AND may join two calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmviewer.core.genome import KnownBases, bare_alleles, slide_left
from pmviewer.core.knowledge import variant_key
from pmviewer.core.oncology.protein import protein_key, residue
from pmviewer.core.oncology.tables import CivicVariant, OncologyTables
from pmviewer.core.tumour import SomaticCall

EXACT, PROTEIN, CODON, EXON, GENE = "exact coordinates", "protein change", "codon", "exon", "gene"
COPY_NUMBER, FUSION = "copy number", "fusion"  # matched by :mod:`.structural`
KINDS = (EXACT, PROTEIN, CODON, EXON, GENE, COPY_NUMBER, FUSION)

TRUNCATING = {"stop_gained", "frameshift_variant", "splice_donor_variant",
              "splice_acceptor_variant", "start_lost", "frameshift"}  # fmt: skip
PROTEIN_ALTERING = TRUNCATING | {"missense_variant", "inframe_insertion", "inframe_deletion",
                                 "protein_altering_variant", "stop_lost", "missense",
                                 "disruptive_inframe_deletion", "disruptive_inframe_insertion"}  # fmt: skip


@dataclass
class VariantHit:
    variant_id: int
    basis: str  # one of KINDS
    detail: str  # in words, e.g. "p.V600E from the file's annotation"


@dataclass
class CallMatch:
    call: SomaticCall
    gene: str | None
    exon: int | None
    transcript: str | None
    protein: str | None  # one-letter key, e.g. V600E
    protein_source: str | None
    consequence_class: str | None  # 'truncating' | 'protein_altering' | 'other' | None (unknown)
    hits: list[VariantHit] = field(default_factory=list)


_NEAR = 60  # CIViC alleles this close to an indel lend their reference bases


def _in_repeat(
    call: SomaticCall, pos: int, ref: str, alt: str, build: str, tables: OncologyTables
) -> tuple[list[int], str | None]:
    """CIViC variants that are this indel placed elsewhere in its repeat, and where."""
    known = KnownBases()
    known.add(call.pos, call.ref)
    for vid in tables.near(build, call.chrom, pos - _NEAR, pos + _NEAR):
        stated = tables.variants[vid].coords.get(build)
        if stated and stated[0] == call.chrom and stated[2]:
            known.add(stated[1], stated[2])
    keys = tables.by_coordinate.get(build, {})
    for p, r, a in list(slide_left(pos, ref, alt, known))[1:]:
        found = keys.get(variant_key(call.chrom, p, r, a), [])
        if found:
            return found, f"{call.chrom}:{p} {r or '-'}>{a or '-'}"
    return [], None


def _consequence_class(consequence: str | None) -> str | None:
    if not consequence:
        return None
    terms = set(consequence.lower().replace(",", "&").split("&"))
    if terms & TRUNCATING:
        return "truncating"
    if terms & PROTEIN_ALTERING:
        return "protein_altering"
    return "other"


def _class_of_protein(key: str | None) -> str | None:
    if not key:
        return None
    if key.endswith("FS") or key.endswith("*"):
        return "truncating"
    if key.endswith("="):
        return "other"
    return "protein_altering"


def match_call(call: SomaticCall, build: str, tables: OncologyTables) -> CallMatch:
    """The CIViC variants one call matches, with the basis of each match."""
    pos, ref, alt = bare_alleles(call.pos, call.ref, call.alt)
    last = pos + max(len(ref), 1) - 1
    exact = tables.by_coordinate.get(build, {}).get(variant_key(call.chrom, pos, ref, alt), [])
    moved = None
    if not exact and bool(ref) != bool(alt):
        exact, moved = _in_repeat(call, pos, ref, alt, build, tables)
    exons = tables.exons_at(build, call.chrom, pos, last, pad=2)
    gene = call.gene if call.gene else None
    if gene is None and exact:
        gene = tables.variants[exact[0]].gene
    if gene is None and exons:
        gene = exons[0].gene
    inside = [e for e in tables.exons_at(build, call.chrom, pos, last) if e.gene == gene]
    exon = inside[0] if inside else None
    protein = protein_key(call.hgvs_p)
    source = "the file's annotation" if protein else None
    consequence = _consequence_class(call.consequence)
    if protein is None:
        named = [
            tables.variants[v]
            for v in exact
            if tables.variants[v].kind == "protein"
            and _consequence_class(tables.variants[v].variant_types) != "other"
        ]
        if named and len(named[0].proteins) == 1:
            protein, source = (
                named[0].proteins[0],
                f"CIViC's name for these coordinates ({named[0].name})",
            )
    if consequence is None:
        consequence = _class_of_protein(protein)
    if consequence is None and exact:
        consequence = _consequence_class(tables.variants[exact[0]].variant_types)
    match = CallMatch(call, gene, exon.number if exon else None, exon.transcript if exon else None,
                      protein, source, consequence)  # fmt: skip
    where = f"{build} {call.chrom}:{call.pos} {call.ref}>{call.alt}"
    if moved:
        where += f", the same {'deletion' if ref else 'insertion'} as {moved} in its repeat"
    for vid in exact:
        match.hits.append(VariantHit(vid, EXACT, where))
    if gene is None:
        return match
    seen = set(exact)
    point = residue(protein)
    for vid in tables.by_gene.get(gene, []):
        if vid in seen:
            continue
        variant = tables.variants[vid]
        hit = _match_kind(variant, match, point, ref, alt, build, tables)
        if hit:
            match.hits.append(VariantHit(vid, *hit))
    return match


def _match_kind(
    variant: CivicVariant,
    match: CallMatch,
    point: tuple[str, int, str] | None,
    ref: str,
    alt: str,
    build: str,
    tables: OncologyTables,
) -> tuple[str, str] | None:
    if variant.kind == "protein" and match.protein and match.protein in variant.proteins:
        return PROTEIN, f"p.{match.protein} ({match.protein_source})"
    if variant.kind == "codon":
        if (
            point
            and point[2] not in ("=", point[0])
            and point[0] == variant.aa_ref
            and point[1] in variant.codons
        ):
            return CODON, f"p.{match.protein} changes codon {variant.aa_ref}{point[1]}"
        if match.protein is None and len(ref) == len(alt) == 1:
            inferred = _codon_from_civic(match, variant, tables, build)
            if inferred:
                return CODON, inferred
    if variant.kind == "exon" and match.exon is not None:
        first, last_exon = variant.exon_first or 0, variant.exon_last or 0
        if first <= match.exon <= last_exon and _exon_change(variant.change, ref, alt, match):
            return EXON, f"{_change_words(ref, alt)} in exon {match.exon} of {match.transcript}"
    if variant.kind == "gene" and match.consequence_class in ("truncating", "protein_altering"):
        if variant.change == "ANY" or match.consequence_class == "truncating":
            scope = "any mutation" if variant.change == "ANY" else "loss of function"
            return GENE, (f"{match.consequence_class.replace('_', '-')} change in "
                          f"{variant.gene} ({scope})")  # fmt: skip
    return None


def _codon_from_civic(
    match: CallMatch, variant: CivicVariant, tables: OncologyTables, build: str
) -> str | None:
    """An SNV at a base where CIViC places a change of this codon (first or second base)."""
    call = match.call
    for vid in tables.by_coordinate_positions(build, call.chrom, call.pos):
        other = tables.variants[vid]
        if other.gene != variant.gene or other.kind != "protein" or len(other.proteins) != 1:
            continue
        point = residue(other.proteins[0])
        if point and point[0] == variant.aa_ref and point[1] in variant.codons:
            return (f"same base as CIViC's {other.name} (codon {point[0]}{point[1]}); "
                    "the file names no amino-acid change")  # fmt: skip
    return None


def _exon_change(change: str | None, ref: str, alt: str, match: CallMatch) -> bool:
    net = len(alt) - len(ref)
    if change == "DELETION":
        return net < 0 and net % 3 == 0
    if change == "INSERTION":
        return net > 0 and net % 3 == 0
    if change == "FRAMESHIFT":
        return net % 3 != 0
    if change == "MUTATION":
        return match.consequence_class in ("truncating", "protein_altering") or (net != 0)
    return False


def _change_words(ref: str, alt: str) -> str:
    net = len(alt) - len(ref)
    if net < 0:
        return f"{-net}-base {'in-frame ' if net % 3 == 0 else ''}deletion"
    if net > 0:
        return f"{net}-base {'in-frame ' if net % 3 == 0 else ''}insertion"
    return "change"


def satisfied(expression: str | None, present: set[int]) -> bool:
    """Evaluate a profile expression (ids joined by AND / OR / NOT) over the variants present."""
    if not expression:
        return False
    result = False
    for alternative in expression.split(" OR "):
        ok = True
        for term in alternative.split(" AND "):
            term = term.strip()
            negate = term.startswith("NOT ")
            vid = int(term[4:] if negate else term)
            ok = ok and ((vid not in present) if negate else (vid in present))
        result = result or ok
    return result
