"""Named-allele (star-allele) matching against CPIC allele definitions.

The method follows PharmCAT's Named Allele Matcher (docs/methods/NamedAlleleMatcher-101.md):

* only defined positions are read; positions the sample lacks are dropped from every named
  allele, and alleles left with no defined position cannot be matched;
* blank cells of non-reference alleles default to the reference allele's base, while an
  allele's score is the number of its non-blank cells at the available positions;
* a diplotype is two named alleles that together explain the sample's genotypes, respecting
  phase where the file gives it; the top-scoring diplotypes are kept and, when several tie,
  all of them are reported.

Unphased heterozygous positions are independent, so instead of enumerating all 2^n strand
permutations a pair is checked block by block (a block is one unphased position or one phase
set), which gives the same diplotypes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter

# IUPAC codes used by CPIC definition cells (PharmCAT Iupac.java lists the same set).
IUPAC: dict[str, frozenset[str]] = {
    "R": frozenset("AG"),
    "Y": frozenset("CT"),
    "S": frozenset("GC"),
    "W": frozenset("AT"),
    "K": frozenset("GT"),
    "M": frozenset("AC"),
    "B": frozenset("CGT"),
    "D": frozenset("AGT"),
    "H": frozenset("ACT"),
    "V": frozenset("ACG"),
    "N": frozenset("ACGT"),
}


@dataclass(frozen=True)
class Locus:
    """One allele-defining position (VCF coordinates, GRCh38)."""

    idx: int
    chrom: str
    pos: int
    rsid: str | None
    ref: str
    alts: tuple[str, ...]

    def label(self) -> str:
        """The position as printed, e.g. ``chr10:94781859 (rs4244285)``."""
        return f"{self.chrom}:{self.pos}" + (f" ({self.rsid})" if self.rsid else "")


@dataclass(frozen=True)
class NamedAllele:
    """One CPIC named allele: its alleles at the gene's defining positions."""

    name: str
    display: str
    is_reference: bool
    cells: tuple[str | None, ...]  # aligned with GeneDefinition.loci


@dataclass
class GeneDefinition:
    """A gene's CPIC allele definitions as read from the knowledge file."""

    gene: str
    chromosome: str
    loci: list[Locus]
    alleles: list[NamedAllele]
    reference: str
    undocumented_as_reference: bool
    priorities: list[dict] = field(default_factory=list)
    refused: list[tuple[Locus, str]] = field(default_factory=list)  # GRCh37: not converted


@dataclass(frozen=True)
class SampleCall:
    """The sample's alleles at one position (1 allele when haploid)."""

    alleles: tuple[str, ...]
    phased: bool = False
    phase_set: int | None = None

    @property
    def homozygous(self) -> bool:
        """Whether both alleles are the same."""
        return len(set(self.alleles)) == 1


@dataclass
class MatchOutcome:
    """What allele matching found for one gene: diplotypes, positions used and missing."""

    gene: str
    diplotypes: list[tuple[str, str | None]]  # top-scoring pairs (allele2 None when haploid)
    score: int
    used: list[Locus]
    missing: list[Locus]
    phased: bool
    effectively_phased: bool
    undocumented: list[str] = field(default_factory=list)
    haplotypes: list[str] | None = None  # DPYD unphased: alleles found (with multiplicity)
    note: str | None = None


def load_definition(
    conn: sqlite3.Connection, gene: str, build: str = "GRCh38"
) -> GeneDefinition | None:
    """Read one gene's definition from the knowledge tables (None when the gene has none).

    With ``build="GRCh37"`` the positions are the chain-converted ones
    (``pgx_position_grch37``); positions that did not convert cleanly are left out of the
    definition and listed in ``GeneDefinition.refused`` with the reason.
    """
    row = conn.execute(
        "SELECT chromosome, reference_allele, undocumented_as_reference FROM pgx_gene "
        "WHERE gene = ? AND n_positions > 0",
        (gene,),
    ).fetchone()
    if row is None:
        return None
    chromosome, reference, undoc = row
    loci_all = [
        (Locus(idx, chrom, pos, rsid, ref, tuple(json.loads(alts))), bool(ignored))
        for idx, chrom, pos, rsid, ref, alts, ignored in conn.execute(
            "SELECT idx, chrom, pos, rsid, ref, alts, ignored FROM pgx_position "
            "WHERE gene = ? ORDER BY idx",
            (gene,),
        )
    ]
    refused: list[tuple[Locus, str]] = []
    if build == "GRCh37":
        lifted = {
            idx: (pos, status)
            for idx, pos, status in conn.execute(
                "SELECT idx, pos, status FROM pgx_position_grch37 WHERE gene = ?", (gene,)
            )
        }
        converted = []
        for locus, ignored in loci_all:
            pos, status = lifted.get(locus.idx, (None, "unmapped"))
            if pos is None:
                # kept as a defining position the file cannot show: the call says which
                # alleles could not be tested instead of matching without it
                if not ignored:
                    refused.append((locus, status))
                converted.append((locus, ignored))
            else:
                converted.append((replace(locus, pos=int(pos)), ignored))
        loci_all = converted
    keep = [i for i, (_, ignored) in enumerate(loci_all) if not ignored]
    loci = [loci_all[i][0] for i in keep]
    kept = _picker(keep, len(loci_all))
    alleles = []
    for name, display, is_ref, cells in conn.execute(
        "SELECT name, display_name, is_reference, alleles FROM pgx_named_allele "
        "WHERE gene = ? AND ignored = 0 ORDER BY ord",
        (gene,),
    ):
        alleles.append(NamedAllele(name, display, bool(is_ref), kept(json.loads(cells))))
    prio = conn.execute(
        "SELECT value FROM pgx_special_rule WHERE gene = ? AND rule = ?",
        (gene, "unphasedDiplotypePriorities"),
    ).fetchone()
    return GeneDefinition(
        gene=gene,
        chromosome=chromosome,
        loci=loci,
        alleles=alleles,
        reference=reference,
        undocumented_as_reference=bool(undoc),
        priorities=json.loads(prio[0]) if prio else [],
        refused=refused,
    )


def _picker(columns: list[int], width: int) -> Callable[[Sequence], tuple]:
    """``row -> tuple(row[i] for i in columns)``, done in C (thousands of cells per gene)."""
    if columns == list(range(width)):
        return tuple
    if len(columns) == 1:
        only = columns[0]
        return lambda row: (row[only],)
    if not columns:
        return lambda row: ()
    return itemgetter(*columns)


def _cell_matches(cell: str, allele: str) -> bool:
    if cell == allele:
        return True
    wobble = IUPAC.get(cell)
    return wobble is not None and allele in wobble


def natural_key(name: str) -> tuple:
    """Sort key that orders ``*2`` before ``*10``."""
    parts = re.split(r"(\d+)", name)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def order_pair(a: str, b: str | None, reference: str) -> tuple[str, str | None]:
    """Reference allele first, then natural (numeric) order, as PharmCAT prints diplotypes."""
    if b is None:
        return a, None
    key_a = (a != reference, natural_key(a))
    key_b = (b != reference, natural_key(b))
    return (a, b) if key_a <= key_b else (b, a)


def match_gene(defn: GeneDefinition, sample: dict[int, SampleCall]) -> MatchOutcome:
    """Match the sample's calls (keyed by position) against one gene's named alleles."""
    used = [locus for locus in defn.loci if locus.pos in sample]
    missing = [locus for locus in defn.loci if locus.pos not in sample]
    calls, undocumented = _documented_calls(defn, used, sample)
    hets = [c for c in calls if not c.homozygous]
    phased = bool(hets) and all(c.phased for c in hets)  # the file's phase was used
    outcome = MatchOutcome(
        gene=defn.gene,
        diplotypes=[],
        score=0,
        used=used,
        missing=missing,
        phased=phased,
        effectively_phased=True,
        undocumented=undocumented,
    )
    if not used:
        return outcome
    if undocumented and not defn.undocumented_as_reference:
        outcome.note = (
            "The file has an allele not in the CPIC definitions at "
            + ", ".join(undocumented)
            + ", so no named allele can be assigned."
        )
        return outcome

    candidates = _restrict_alleles(defn, used)
    calls, haploid = _ploidy(calls)
    blocks = _blocks(calls)
    outcome.effectively_phased = sum(1 for b in blocks if b[0] == "het") <= 1
    # compat[name][i] = set of strand indexes whose allele the cell accepts at position i
    # most alleles share a cell at a position (the reference base): each (position, cell) once
    strands_of: list[dict[str, frozenset[int]]] = [{} for _ in calls]
    compat: dict[str, list[frozenset[int]]] = {}
    for name, (cells, _score) in candidates.items():
        per_pos = []
        for i, cell in enumerate(cells):
            strands = strands_of[i].get(cell)
            if strands is None:
                strands = strands_of[i][cell] = frozenset(
                    s for s, al in enumerate(calls[i].alleles) if _cell_matches(cell, al)
                )
            if not strands:
                break
            per_pos.append(strands)
        else:
            compat[name] = per_pos

    scored: list[tuple[int, tuple[str, str | None]]] = []
    names = sorted(compat, key=natural_key)
    if haploid:
        scored = [(candidates[n][1], (n, None)) for n in names]
    else:
        for x, a in enumerate(names):
            for b in names[x:]:
                if _pair_fits(compat[a], compat[b], blocks):
                    pair = order_pair(a, b, defn.reference)
                    scored.append((candidates[a][1] + candidates[b][1], pair))
    if not scored:
        return outcome
    top = max(s for s, _ in scored)
    pairs = sorted(
        {p for s, p in scored if s == top}, key=lambda p: [natural_key(x or "") for x in p]
    )
    pairs = apply_priorities(defn, pairs)
    outcome.diplotypes = pairs
    outcome.score = top
    return outcome


def _documented_calls(
    defn: GeneDefinition, used: list[Locus], sample: dict[int, SampleCall]
) -> tuple[list[SampleCall], list[str]]:
    """Sample calls aligned with ``used``; undocumented ALTs become REF where the gene allows."""
    calls = []
    undocumented = []
    for locus in used:
        call = sample[locus.pos]
        known = {locus.ref, *locus.alts}
        if all(a in known for a in call.alleles):
            calls.append(call)
            continue
        undocumented.append(locus.label())
        if defn.undocumented_as_reference:
            alleles = tuple(a if a in known else locus.ref for a in call.alleles)
            calls.append(SampleCall(alleles, call.phased, call.phase_set))
        else:
            calls.append(call)
    return calls, undocumented


def _ploidy(calls: list[SampleCall]) -> tuple[list[SampleCall], bool]:
    """One strand when the gene is haploid (male X: hemizygous calls, reference blocks).

    Reference evidence (0/0 records, blocks) is written diploid by many callers even on a
    male X, so a gene counts as haploid when it has a one-allele call and no heterozygous
    one; otherwise one-allele calls are read as homozygous.
    """
    has_haploid = any(len(c.alleles) == 1 for c in calls)
    if has_haploid and all(len(c.alleles) == 1 or c.homozygous for c in calls):
        return [SampleCall(c.alleles[:1], c.phased, c.phase_set) for c in calls], True
    fixed = [
        SampleCall(c.alleles * 2, c.phased, c.phase_set) if len(c.alleles) == 1 else c
        for c in calls
    ]
    return fixed, False


def _restrict_alleles(
    defn: GeneDefinition, used: list[Locus]
) -> dict[str, tuple[tuple[str, ...], int]]:
    """Named alleles cut to the available positions, blanks filled from the reference."""
    index = {locus.idx: i for i, locus in enumerate(defn.loci)}
    cols = [index[locus.idx] for locus in used]
    ref_allele = next(a for a in defn.alleles if a.is_reference)
    ref_cells = []
    for col, locus in zip(cols, used, strict=True):
        cell = ref_allele.cells[col]
        ref_cells.append(locus.ref if cell is None or cell in IUPAC else cell)
    out: dict[str, tuple[tuple[str, ...], int]] = {}
    pick = _picker(cols, len(defn.loci))
    for allele in defn.alleles:
        cells = pick(allele.cells)
        score = len(cells) - cells.count(None)
        if score == 0:
            continue
        filled = cells if score == len(cells) else tuple(map(_or_reference, cells, ref_cells))
        out[allele.name] = (filled, score)
    return out


def _or_reference(cell: str | None, reference: str) -> str:
    return reference if cell is None else cell


def _blocks(calls: list[SampleCall]) -> list[tuple[str, list[int]]]:
    """Group heterozygous positions into phase blocks; homozygous positions stand alone."""
    groups: dict[object, list[int]] = {}
    out: list[tuple[str, list[int]]] = []
    for i, call in enumerate(calls):
        if call.homozygous or len(call.alleles) < 2:
            out.append(("hom", [i]))
        elif call.phased:
            groups.setdefault(("ps", call.phase_set), []).append(i)
        else:
            out.append(("het", [i]))
    out.extend(("het", idxs) for _, idxs in sorted(groups.items(), key=lambda kv: kv[1][0]))
    return out


def _pair_fits(
    ca: list[frozenset[int]], cb: list[frozenset[int]], blocks: list[tuple[str, list[int]]]
) -> bool:
    for _kind, idxs in blocks:
        straight = all(0 in ca[i] and 1 in cb[i] for i in idxs)
        if straight:
            continue
        flipped = all(1 in ca[i] and 0 in cb[i] for i in idxs)
        if not flipped:
            return False
    return True


def apply_priorities(
    defn: GeneDefinition, pairs: list[tuple[str, str | None]]
) -> list[tuple[str, str | None]]:
    """PharmCAT exemptions.json ``unphasedDiplotypePriorities`` (NAT2): a fixed pick per tie."""
    if len(pairs) < 2 or not defn.priorities:
        return pairs
    names = {f"{a}/{b}" for a, b in pairs}
    for prio in defn.priorities:
        if set(prio["list"]) == names:
            a, b = prio["pick"].split("/")
            return [(a, b)]
    return pairs


def dpyd_haplotypes(defn: GeneDefinition, sample: dict[int, SampleCall]) -> list[str]:
    """DPYD alleles present in an unphased sample, one entry per copy.

    CPIC's DPYD guideline (Amstutz et al. 2018, PMID 29152729) scores a genotype on its two
    lowest-function variants when their phase is unknown; PharmCAT's matcher (callDpyd and
    DpydAlleleMatcher) lists each DPYD allele found instead of forcing a diplotype. An allele
    whose defining variants are all contained in a larger allele found too (c.1129-5923C>G in
    HapB3) is dropped. One allele found gives Reference/allele.
    """
    ref_allele = next(a for a in defn.alleles if a.is_reference)
    found: dict[str, tuple[frozenset[tuple[int, str]], int]] = {}
    for allele in defn.alleles:
        if allele.is_reference:
            continue
        core = []
        for locus, cell, ref_cell in zip(defn.loci, allele.cells, ref_allele.cells, strict=True):
            if cell is not None and cell != ref_cell:
                core.append((locus, cell))
        if not core or any(locus.pos not in sample for locus, _ in core):
            continue
        copies = 2
        for locus, cell in core:
            alleles = sample[locus.pos].alleles
            n = sum(1 for al in alleles if _cell_matches(cell, al))
            if len(alleles) == 1:
                n = 2 * n  # haploid call: counts as both copies
            copies = min(copies, n)
        if copies:
            found[allele.display] = (frozenset((loc.pos, c) for loc, c in core), copies)
    keep = [
        name
        for name, (core, _) in found.items()
        if not any(core < other for o, (other, _) in found.items() if o != name)
    ]
    out = sorted((name for name in keep for _ in range(found[name][1])), key=natural_key)
    if len(out) == 1:
        out.insert(0, defn.reference)
    if not out:
        out = [defn.reference, defn.reference]
    return out


def unexplained_variants(
    defn: GeneDefinition, sample: dict[int, SampleCall], names: list[str]
) -> list[Locus]:
    """Defining positions where the sample carries an ALT that none of ``names`` defines.

    Used for DPYD's allele list, where a variant outside every allele found (for example
    c.1236G>A without c.1129-5923C>G, the pair defining HapB3) would otherwise drop silently.
    """
    ref_allele = next(a for a in defn.alleles if a.is_reference)
    explained: set[int] = set()
    for allele in defn.alleles:
        if allele.display in names and not allele.is_reference:
            for locus, cell, ref_cell in zip(
                defn.loci, allele.cells, ref_allele.cells, strict=True
            ):
                if cell is not None and cell != ref_cell:
                    explained.add(locus.pos)
    out = []
    for locus in defn.loci:
        call = sample.get(locus.pos)
        if call is None or locus.pos in explained:
            continue
        if any(a != locus.ref and a in locus.alts for a in call.alleles):
            out.append(locus)
    return out
