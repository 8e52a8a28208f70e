"""Tumour knowledge: CIViC somatic evidence, its molecular profiles and variants, DOID.

Read from the same CIViC release as :mod:`.civic` (the germline part) and the Disease Ontology
(``ontology/doid.obo*``, CC0). The exons and whole-gene spans of the genes CIViC names (fusion
partners included, :attr:`OncologyResult.genes`) are built by :mod:`.exons` and
:mod:`.gene_spans`. Only evidence that is not of germline origin is kept (Predictive, Prognostic,
Diagnostic and Oncogenic items of Somatic, N/A, Unknown or Combined origin).

A molecular profile is a boolean expression over CIViC variants ("EML4::ALK Fusion AND ALK
L1196M"); the expression is stored with the variant ids in place of their names, so the
matcher evaluates it without re-reading names.
"""

from __future__ import annotations

import csv
import gzip
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pmviewer.core.genome import ChainMap, bare_alleles, canonical_chrom
from pmviewer.core.knowledge.build.civic import newest_release
from pmviewer.core.knowledge.build.civic_names import VariantMatchSpec, classify
from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    describe,
    find,
    int_or_none,
    none_if_empty,
    read_tsv,
)

TABLES = ("onc_evidence", "onc_profiles", "onc_variants", "onc_genes",
          "doid_terms", "doid_parents", "doid_names")  # fmt: skip

EVIDENCE_TYPES = ("Predictive", "Prognostic", "Diagnostic", "Oncogenic")
GERMLINE_ORIGINS = ("Rare Germline", "Common Germline")

SCHEMA_SQL = """
CREATE TABLE onc_evidence (         -- CIViC somatic evidence items
    evidence_id INTEGER PRIMARY KEY,
    molecular_profile_id INTEGER NOT NULL, molecular_profile TEXT NOT NULL,
    disease TEXT, doid TEXT,         -- 'DOID:3910'
    therapies TEXT, therapy_interaction_type TEXT,
    evidence_type TEXT NOT NULL, evidence_direction TEXT, evidence_level TEXT NOT NULL,
    significance TEXT, statement TEXT, pmid TEXT, source_type TEXT, citation TEXT,
    nct_ids TEXT, rating INTEGER, variant_origin TEXT, url TEXT
);
CREATE INDEX onc_evidence_profile ON onc_evidence (molecular_profile_id);
CREATE TABLE onc_profiles (         -- expression: variant ids joined by AND / OR / NOT, ( )
    molecular_profile_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL, expression TEXT, variant_ids TEXT NOT NULL
);
CREATE TABLE onc_variants (         -- one CIViC variant and how it is matched
    variant_id INTEGER PRIMARY KEY,
    gene TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    proteins TEXT, aa_ref TEXT, codons TEXT, exon_first INTEGER, exon_last INTEGER,
    change TEXT, detail TEXT, variant_types TEXT,
    partner_5 TEXT, partner_3 TEXT,  -- fusion: CIViC's 5'/3' partners, NULL for any partner
    -- trimmed alleles (no anchor base; '' for an empty side), 1-based first changed base
    g37_chrom TEXT, g37_pos INTEGER, g37_ref TEXT, g37_alt TEXT,
    g38_chrom TEXT, g38_pos INTEGER, g38_ref TEXT, g38_alt TEXT
);
CREATE INDEX onc_variants_g37 ON onc_variants (g37_chrom, g37_pos);
CREATE INDEX onc_variants_g38 ON onc_variants (g38_chrom, g38_pos);
CREATE INDEX onc_variants_gene ON onc_variants (gene);
CREATE TABLE onc_genes (            -- genes with CIViC somatic evidence: Tier III candidates
    gene TEXT PRIMARY KEY, evidence_items INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE doid_terms (
    doid TEXT PRIMARY KEY, name TEXT NOT NULL, obsolete INTEGER NOT NULL, replaced_by TEXT
) WITHOUT ROWID;
CREATE TABLE doid_parents (
    doid TEXT NOT NULL, parent TEXT NOT NULL, PRIMARY KEY (doid, parent)
) WITHOUT ROWID;
CREATE TABLE doid_names (           -- names, exact synonyms and alt ids for the chooser
    name TEXT NOT NULL, doid TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (name, doid, kind)
) WITHOUT ROWID;
"""


@dataclass
class OncologyResult:
    evidence: list[tuple[object, ...]] = field(default_factory=list)
    profiles: list[tuple[object, ...]] = field(default_factory=list)
    variants: list[tuple[object, ...]] = field(default_factory=list)
    genes: set[str] = field(default_factory=set)  # every gene CIViC names, fusion partners too
    cancer_genes: list[tuple[object, ...]] = field(default_factory=list)
    doid_terms: list[tuple[object, ...]] = field(default_factory=list)
    doid_parents: list[tuple[object, ...]] = field(default_factory=list)
    doid_names: list[tuple[object, ...]] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)


def _read(path: Path) -> list[dict[str, str]]:
    return list(read_tsv(path, quoting=csv.QUOTE_NONE))


def load(sources: Path, chain_37_38: ChainMap, chain_38_37: ChainMap) -> OncologyResult:
    """Everything the tumour mode needs; an empty result when CIViC is absent."""
    result = OncologyResult()
    newest = newest_release(sources)
    if newest is None:
        return result
    release, evidence_path, prefix = newest
    variants = {
        int(r["variant_id"]): r
        for r in _read(evidence_path.parent / f"{prefix}VariantSummaries.tsv")
    }
    profiles = _read(evidence_path.parent / f"{prefix}MolecularProfileSummaries.tsv")
    kept_profiles: set[int] = set()
    per_gene: Counter[str] = Counter()
    profile_rows = {int(r["molecular_profile_id"]): r for r in profiles}
    for row in _read(evidence_path):
        if row["evidence_type"] not in EVIDENCE_TYPES or row["variant_origin"] in GERMLINE_ORIGINS:
            continue
        if row.get("evidence_status", "accepted") != "accepted":
            continue
        profile_id = int(row["molecular_profile_id"])
        kept_profiles.add(profile_id)
        doid = none_if_empty(row["doid"])
        result.evidence.append((
            int(row["evidence_id"]), profile_id, row["molecular_profile"],
            none_if_empty(row["disease"]), f"DOID:{doid}" if doid else None,
            none_if_empty(row["therapies"]), none_if_empty(row["therapy_interaction_type"]),
            row["evidence_type"], none_if_empty(row["evidence_direction"]), row["evidence_level"],
            none_if_empty(row["significance"]), none_if_empty(row["evidence_statement"]),
            none_if_empty(row["citation_id"]) if row["source_type"] == "PubMed" else None,
            none_if_empty(row["source_type"]), none_if_empty(row["citation"]),
            none_if_empty(row["nct_ids"]), int_or_none(row["rating"]), row["variant_origin"],
            none_if_empty(row["evidence_civic_url"]),
        ))  # fmt: skip
        for variant_id in _ids(profile_rows.get(profile_id, {}).get("variant_ids", "")):
            gene = variants.get(variant_id, {}).get("feature_name")
            if gene and "::" not in gene:
                per_gene[gene] += 1
    kept_variants: set[int] = set()
    for profile_id in sorted(kept_profiles):
        found = profile_rows.get(profile_id)
        if found is None:
            result.notes["profile_missing"] += 1
            continue
        ids = _ids(found["variant_ids"])
        kept_variants.update(ids)
        expression = _expression(found["name"], ids, variants)
        result.notes["expression_ok" if expression else "expression_unparsed"] += 1
        result.profiles.append((profile_id, found["name"], expression, ",".join(map(str, ids))))
    for variant_id in sorted(kept_variants):
        if variant_id in variants:
            result.variants.append(
                _variant(variants[variant_id], chain_37_38, chain_38_37, result.notes)
            )
    result.cancer_genes = sorted(per_gene.items())
    result.genes = set(per_gene) | {str(v[1]) for v in result.variants if "::" not in str(v[1])}
    result.genes |= {str(p) for v in result.variants for p in v[12:14] if p}
    for part in ("ClinicalEvidenceSummaries", "VariantSummaries", "MolecularProfileSummaries"):
        path = evidence_path.parent / f"{prefix}{part}.tsv"
        result.sources.append(describe(sources, path, "CIViC", f"CIViC {part} (tumour mode)",
                                       release, "CC0 1.0", ATTRIBUTION["CIViC"]))  # fmt: skip
    _doid(sources, result)
    return result


def _ids(text: str) -> list[int]:
    return [int(v) for v in text.replace(" ", "").split(",") if v.isdigit()]


_OPERATOR = re.compile(r"\s+(AND|OR)\s+|(\bNOT\s+)")


def _expression(name: str, ids: list[int], variants: dict[int, dict[str, str]]) -> str | None:
    """The profile name with each variant name replaced by its id; None when a part is unknown."""
    by_name = {}
    for variant_id in ids:
        v = variants.get(variant_id)
        if v is None:
            return None
        by_name[f"{v['feature_name']} {v['variant']}".upper()] = variant_id
        by_name.setdefault(v["variant"].upper(), variant_id)
    if len(ids) == 1 and not _OPERATOR.search(name):
        return str(ids[0])
    out: list[str] = []
    position = 0
    for m in _OPERATOR.finditer(name):
        if m.start() > position:
            part = by_name.get(name[position : m.start()].strip().upper())
            if part is None:
                return None
            out.append(str(part))
        out.append((m.group(1) or m.group(2)).strip())
        position = m.end()
    tail = name[position:].strip()
    if tail:
        part = by_name.get(tail.upper())
        if part is None:
            return None
        out.append(str(part))
    return " ".join(out)


def _variant(
    row: dict[str, str], chain_37_38: ChainMap, chain_38_37: ChainMap, notes: Counter[str]
) -> tuple[object, ...]:
    spec = _fusion_spec(row) if row.get("feature_type") == "Fusion" else classify(row["variant"])
    partners = _partners(row) if spec.kind == "fusion" else (None, None)
    coords: dict[str, tuple[str, int, str, str] | None] = {"GRCh37": None, "GRCh38": None}
    start = int_or_none(row["start"])
    ref, alt = row["reference_bases"], row["variant_bases"]
    if row["chromosome"] and start and (ref or alt) and re.fullmatch(r"[ACGT]*", ref + alt):
        build = "GRCh38" if row["reference_build"] == "GRCh38" else "GRCh37"
        pos, ref, alt = bare_alleles(start, ref, alt)
        chrom = canonical_chrom(row["chromosome"])
        coords[build] = (chrom, pos, ref, alt)
        other = "GRCh37" if build == "GRCh38" else "GRCh38"
        chain = chain_37_38 if build == "GRCh37" else chain_38_37
        lifted = chain.lift_position(chrom, pos)
        last = chain.lift_position(chrom, pos + max(len(ref), 1) - 1)
        if (
            lifted
            and last
            and lifted[2] == "+"
            and last[2] == "+"
            and last[1] - lifted[1] == max(len(ref), 1) - 1
        ):
            coords[other] = (canonical_chrom(lifted[0]), lifted[1], ref, alt)
            notes["lift_ok"] += 1
        else:
            notes["lift_failed"] += 1
    else:
        notes["no_coordinates"] += 1
    g37 = coords["GRCh37"] or (None, None, None, None)
    g38 = coords["GRCh38"] or (None, None, None, None)
    return (
        int(row["variant_id"]), row["feature_name"], row["variant"], spec.kind,
        ",".join(spec.proteins) or None, spec.aa_ref, ",".join(map(str, spec.codons)) or None,
        spec.exon_first, spec.exon_last, spec.change, spec.detail,
        none_if_empty(row["variant_types"]), *partners, *g37, *g38,
    )  # fmt: skip


_JUNCTION = re.compile(r"^E(\d+)::E(\d+)$")


def _fusion_spec(row: dict[str, str]) -> VariantMatchSpec:
    """A CIViC fusion feature: any fusion of the partners, or one exon junction (``e20::e20``:
    the 5' partner's last exon and the 3' partner's first exon kept)."""
    name = row["variant"].strip().upper()
    junction = _JUNCTION.match(name)
    if junction:
        return VariantMatchSpec("fusion", exon_first=int(junction.group(1)),
                                exon_last=int(junction.group(2)), change="JUNCTION")  # fmt: skip
    if name in ("FUSION", "FUSIONS"):
        return VariantMatchSpec("fusion", change="FUSION")
    return classify(row["variant"])


def _partners(row: dict[str, str]) -> tuple[str | None, str | None]:
    """CIViC's 5' and 3' partners; None where CIViC says 'multiple' or 'unknown' (any gene)."""
    five = row.get("5_prime_partner") if row.get("5_prime_partner_status") == "known" else None
    three = row.get("3_prime_partner") if row.get("3_prime_partner_status") == "known" else None
    return none_if_empty(five), none_if_empty(three)


def _doid(sources: Path, result: OncologyResult) -> None:
    paths = find(sources, "ontology", "doid.obo*", required=False)
    if not paths:
        return
    path = paths[-1]
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    version = re.search(r"^data-version:\s*(\S+)", text, re.M)
    result.sources.append(describe(
        sources, path, "Human Disease Ontology", "tumour types and their hierarchy",
        version.group(1) if version else "unknown", "CC0 1.0",
        "Human Disease Ontology (disease-ontology.org), CC0 1.0.",
    ))  # fmt: skip
    names: set[tuple[str, str, str]] = set()
    for stanza in text.split("\n[Term]\n")[1:]:
        stanza = stanza.split("\n[Typedef]\n", 1)[0]
        tags: dict[str, list[str]] = {}
        for line in stanza.splitlines():
            key, _, value = line.partition(": ")
            tags.setdefault(key, []).append(value.strip())
        doid = tags.get("id", [""])[0]
        if not doid.startswith("DOID:"):
            continue
        name = tags.get("name", [""])[0]
        obsolete = tags.get("is_obsolete", ["false"])[0] == "true"
        replaced = tags.get("replaced_by", [None])[0]
        result.doid_terms.append((doid, name, int(obsolete), replaced))
        if obsolete:
            continue
        for parent in tags.get("is_a", []):
            result.doid_parents.append((doid, parent.split(" ", 1)[0]))
        names.add((name.lower(), doid, "name"))
        for synonym in tags.get("synonym", []):
            m = re.match(r'"(.*)" EXACT', synonym)
            if m:
                names.add((m.group(1).lower(), doid, "synonym"))
        for alt in tags.get("alt_id", []):
            names.add((alt.lower(), doid, "alt_id"))
    result.doid_terms.sort()
    result.doid_parents = sorted(set(result.doid_parents))
    result.doid_names = sorted(names)


def insert(conn: sqlite3.Connection, result: OncologyResult) -> dict[str, int]:
    """Create the tumour tables and fill them; returns row counts per table."""
    conn.executescript(SCHEMA_SQL)
    rows = {
        "onc_evidence": sorted(result.evidence), "onc_profiles": sorted(result.profiles),
        "onc_variants": sorted(result.variants), "onc_genes": result.cancer_genes, "doid_terms": result.doid_terms,
        "doid_parents": result.doid_parents, "doid_names": result.doid_names,
    }  # fmt: skip
    for table, values in rows.items():
        if values:
            marks = ", ".join("?" * len(values[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    return {table: len(values) for table, values in rows.items()}
