"""The tumour tables of the knowledge file, read once into plain Python lookups."""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.knowledge import exon_rows, variant_key


@dataclass(frozen=True)
class CivicVariant:
    variant_id: int
    gene: str
    name: str
    kind: str  # protein | codon | exon | gene | copy_number | fusion | not_assessed
    proteins: tuple[str, ...]
    aa_ref: str | None
    codons: tuple[int, ...]
    exon_first: int | None
    exon_last: int | None
    change: str | None
    detail: str | None
    variant_types: str | None
    partners: tuple[str | None, str | None]  # fusion: 5' and 3' gene, None for any partner
    coords: dict[str, tuple[str, int, str, str]]  # build -> trimmed (chrom, pos, ref, alt)


@dataclass(frozen=True)
class Profile:
    profile_id: int
    name: str
    expression: str | None
    variant_ids: tuple[int, ...]


@dataclass(frozen=True)
class Exon:
    gene: str
    number: int
    transcript: str
    chrom: str
    start: int
    end: int


@dataclass(frozen=True)
class GeneSpan:
    gene: str
    strand: str
    chrom: str
    start: int
    end: int


@dataclass
class OncologyTables:
    variants: dict[int, CivicVariant]
    profiles: dict[int, Profile]
    evidence: dict[int, list[dict[str, object]]]  # by molecular profile id
    cancer_genes: dict[str, int]
    exons: dict[str, list[Exon]]  # build -> sorted by (chrom, start)
    by_coordinate: dict[str, dict[tuple[str, int, str, str], list[int]]]
    by_gene: dict[str, list[int]]
    profiles_of_variant: dict[int, list[int]] = field(default_factory=dict)
    spans: dict[str, dict[str, GeneSpan]] = field(default_factory=dict)  # build -> gene -> span
    _starts: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _positions: dict[tuple[str, str, int], list[int]] = field(default_factory=dict)
    _exons_by_chrom: dict[tuple[str, str], list[Exon]] = field(default_factory=dict)
    _exons_of_gene: dict[tuple[str, str], list[Exon]] = field(default_factory=dict)
    _sorted_positions: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def by_coordinate_positions(self, build: str, chrom: str, pos: int) -> list[int]:
        """CIViC variants whose trimmed change starts at ``chrom:pos`` (any alleles)."""
        if not self._positions:
            for b, keys in self.by_coordinate.items():
                for (c, p, _r, _a), ids in keys.items():
                    self._positions.setdefault((b, c, p), []).extend(ids)
        return self._positions.get((build, chrom, pos), [])

    def near(self, build: str, chrom: str, first: int, last: int) -> list[int]:
        """CIViC variants whose trimmed change starts within ``first..last`` on ``chrom``."""
        if not self._sorted_positions:
            self.by_coordinate_positions(build, chrom, first)  # fills _positions
            for b, c, p in self._positions:
                self._sorted_positions.setdefault((b, c), []).append(p)
            for found in self._sorted_positions.values():
                found.sort()
        starts = self._sorted_positions.get((build, chrom), [])
        out: list[int] = []
        for p in starts[bisect_left(starts, first) : bisect_right(starts, last)]:
            out.extend(self._positions[(build, chrom, p)])
        return out

    def exons_at(self, build: str, chrom: str, first: int, last: int, pad: int = 0) -> list[Exon]:
        """MANE Select exons overlapping ``first..last`` (widened by ``pad`` bases)."""
        key = (build, chrom)
        if key not in self._starts:
            chosen = [e for e in self.exons.get(build, []) if e.chrom == chrom]
            self._exons_by_chrom[key] = chosen
            self._starts[key] = [e.start for e in chosen]
        exons, starts = self._exons_by_chrom[key], self._starts[key]
        i = bisect_right(starts, last + pad)
        found = []
        for exon in reversed(exons[max(0, i - 40) : i]):  # exons are short: 40 back is plenty
            if exon.end + pad >= first and exon.start - pad <= last:
                found.append(exon)
        return sorted(found, key=lambda e: (e.gene, e.number))

    def genes_at(self, build: str, chrom: str, pos: int) -> list[GeneSpan]:
        """Genes whose whole span holds ``chrom:pos`` (few genes: a scan is quick enough)."""
        return sorted(
            (s for s in self.spans.get(build, {}).values()
             if s.chrom == chrom and s.start <= pos <= s.end),
            key=lambda s: s.gene,
        )  # fmt: skip

    def gene_exons(self, build: str, gene: str) -> list[Exon]:
        """The gene's exons in ``build``, by exon number."""
        if not self._exons_of_gene:
            for b, exons in self.exons.items():
                for exon in exons:
                    self._exons_of_gene.setdefault((b, exon.gene), []).append(exon)
            for found in self._exons_of_gene.values():
                found.sort(key=lambda e: e.number)
        return self._exons_of_gene.get((build, gene), [])


def load_tables(conn: sqlite3.Connection) -> OncologyTables:
    """Read the tumour tables; KnowledgeError when the knowledge file predates them."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"onc_evidence", "onc_variants", "doid_terms", "gene_spans"} <= have:
        raise KnowledgeError(
            "This knowledge file has no tumour (CIViC somatic) tables, so no tumour report can "
            "be made with it. Use the knowledge file bundled with this version of pmviewer."
        )
    variants: dict[int, CivicVariant] = {}
    by_coordinate: dict[str, dict[tuple[str, int, str, str], list[int]]] = {
        "GRCh37": {},
        "GRCh38": {},
    }
    by_gene: dict[str, list[int]] = {}
    for row in conn.execute("SELECT * FROM onc_variants ORDER BY variant_id"):
        (vid, gene, name, kind, proteins, aa_ref, codons, exon_first, exon_last, change, detail,
         variant_types, partner_5, partner_3, c37, p37, r37, a37, c38, p38, r38, a38) = row  # fmt: skip
        coords = {}
        if c37 is not None:
            coords["GRCh37"] = variant_key(c37, p37, r37, a37)
        if c38 is not None:
            coords["GRCh38"] = variant_key(c38, p38, r38, a38)
        variant = CivicVariant(
            vid, gene, name, kind, tuple((proteins or "").split(",")) if proteins else (), aa_ref,
            tuple(int(c) for c in codons.split(",")) if codons else (), exon_first, exon_last,
            change, detail, variant_types, (partner_5, partner_3), coords,
        )  # fmt: skip
        variants[vid] = variant
        for build, key in coords.items():
            by_coordinate[build].setdefault(key, []).append(vid)
        for member in {p for p in (partner_5, partner_3) if p} if kind == "fusion" else {gene}:
            by_gene.setdefault(member, []).append(vid)
    if "onc_placements" in have:  # the same indel elsewhere in its repeat
        for vid, build, chrom, pos, ref, alt in conn.execute("SELECT * FROM onc_placements"):
            by_coordinate[build].setdefault(variant_key(chrom, pos, ref, alt), []).append(vid)
    profiles: dict[int, Profile] = {}
    profiles_of_variant: dict[int, list[int]] = {}
    for pid, name, expression, ids in conn.execute("SELECT * FROM onc_profiles"):
        members = tuple(int(i) for i in ids.split(",") if i)
        profiles[pid] = Profile(pid, name, expression, members)
        for vid in members:
            profiles_of_variant.setdefault(vid, []).append(pid)
    evidence: dict[int, list[dict[str, object]]] = {}
    cursor = conn.execute("SELECT * FROM onc_evidence ORDER BY evidence_id")
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        item = dict(zip(columns, values, strict=True))
        evidence.setdefault(int(item["molecular_profile_id"]), []).append(item)
    exons: dict[str, list[Exon]] = {}
    spans: dict[str, dict[str, GeneSpan]] = {}
    for build, p in (("GRCh37", "g37"), ("GRCh38", "g38")):
        exons[build] = sorted(
            (Exon(gene, number, tx, chrom, start, end)
             for gene, tx, number, _mane, chrom, start, end in exon_rows(conn, build, "civic")),
            key=lambda e: (e.chrom, e.start),
        )  # fmt: skip
        spans[build] = {
            gene: GeneSpan(gene, strand, chrom, start, end)
            for gene, strand, chrom, start, end in conn.execute(
                f"SELECT gene, strand, {p}_chrom, {p}_start, {p}_end FROM gene_spans "
                f"WHERE {p}_start IS NOT NULL"
            )
        }
    cancer_genes = dict(conn.execute("SELECT gene, evidence_items FROM onc_genes"))
    return OncologyTables(
        variants, profiles, evidence, cancer_genes, exons, by_coordinate, by_gene,
        profiles_of_variant, spans,
    )  # fmt: skip
