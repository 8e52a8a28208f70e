"""Build the pharmacogenomics (PGx) tables of the knowledge file from the PharmCAT snapshot.

Input: ``sources_dir / "pgx" / "pharmcat"`` (see knowledge-sources SOURCES.md section 4):

* ``allele_definitions/*_translation.json``: CPIC allele definition tables (CC0) -> positions
  and named alleles; ``exemptions.json`` (PharmCAT configuration) -> special rules.
* ``phenotypes/*.json`` (current) and ``phenotypes_older/*.json.gz`` (CYP2D6, G6PD, RYR1, older
  versions) -> allele function / activity value and diplotype -> phenotype tables (CC0).
* ``cpic_guidelines_2024-03/CPIC_*.json`` -> recommendations. Only the CPIC fields are taken
  (drug, genes, lookup key, population, classification, text, implications, citation titles
  and PMIDs); the PharmGKB wrapper (accession ids, URLs, "Annotation of" names) is dropped.

All inserts are sorted so the same sources always produce the same rows.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from pmviewer.core.knowledge.build.pgx_grch37 import GRCH37_TABLE, build_grch37_positions

PGX_SCHEMA_TABLES: tuple[str, ...] = (
    "pgx_gene",
    "pgx_position",
    "pgx_named_allele",
    "pgx_allele_function",
    "pgx_diplotype",
    "pgx_recommendation",
    "pgx_special_rule",
    GRCH37_TABLE,
)

_OUTSIDE = (
    " Import the call of a dedicated test as an outside call (File > Import pharmacogenomic"
    " calls, or --pgx-calls)."
)

# Genes that cannot be called from a VCF alone. CYP2D6 star alleles depend on copy number and
# hybrid/structural alleles (SOURCES.md 4a); HLA alleles need typing. MT-RNR1 has a CPIC
# phenotype table but no allele definition in the snapshot.
NOT_CALLABLE: dict[str, str] = {
    "CYP2D6": "CYP2D6 alleles depend on gene copy number and structural variants that a VCF "
    "does not show." + _OUTSIDE,
    "HLA-A": "HLA-A alleles need HLA typing; they cannot be read from a VCF of small variants."
    + _OUTSIDE,
    "HLA-B": "HLA-B alleles need HLA typing; they cannot be read from a VCF of small variants."
    + _OUTSIDE,
    "MT-RNR1": "MT-RNR1 has no allele definition in the bundled CPIC data." + _OUTSIDE,
}

# PharmCAT NamedAlleleMatcher-201.md "Undocumented Variations": for genes whose defined variants
# affect drug toxicity, an undocumented ALT at a defining position is read as reference so a
# recommendation can still be given.
UNDOCUMENTED_AS_REFERENCE: frozenset[str] = frozenset(
    {"CACNA1S", "DPYD", "G6PD", "NUDT15", "RYR1", "TPMT"}
)

_SCHEMA = """
CREATE TABLE pgx_gene (
    gene TEXT PRIMARY KEY,
    chromosome TEXT,
    genome_build TEXT,
    definition_version TEXT,
    phenotype_version TEXT,
    phenotype_source TEXT,          -- 'current' | 'older' | NULL
    reference_allele TEXT,
    n_positions INTEGER,
    callable INTEGER NOT NULL,
    not_callable_reason TEXT,
    undocumented_as_reference INTEGER NOT NULL
);
CREATE TABLE pgx_position (
    gene TEXT NOT NULL,
    idx INTEGER NOT NULL,           -- column index in pgx_named_allele.alleles
    chrom TEXT NOT NULL,            -- as in the definition (chr-prefixed, GRCh38)
    pos INTEGER NOT NULL,
    rsid TEXT,
    ref TEXT NOT NULL,
    alts TEXT NOT NULL,             -- JSON list of VCF ALT alleles
    hgvs TEXT,
    ignored INTEGER NOT NULL,       -- 1 = exempted from matching (exemptions.json)
    PRIMARY KEY (gene, idx)
);
CREATE INDEX pgx_position_loc ON pgx_position (chrom, pos);
CREATE TABLE pgx_named_allele (
    gene TEXT NOT NULL,
    name TEXT NOT NULL,
    ord INTEGER NOT NULL,           -- order in the definition file
    display_name TEXT NOT NULL,     -- sub-alleles shown under their core name
    is_reference INTEGER NOT NULL,
    is_structural INTEGER NOT NULL,
    score INTEGER NOT NULL,         -- defined (non-blank) positions
    ignored INTEGER NOT NULL,
    alleles TEXT NOT NULL,          -- JSON list aligned with pgx_position.idx (null = blank)
    PRIMARY KEY (gene, name)
);
CREATE TABLE pgx_allele_function (
    gene TEXT NOT NULL,
    allele TEXT NOT NULL,
    function TEXT,
    activity_value TEXT,
    lookup_key TEXT,
    PRIMARY KEY (gene, allele)
);
CREATE TABLE pgx_diplotype (
    gene TEXT NOT NULL,
    diplotype TEXT NOT NULL,
    allele1 TEXT NOT NULL,
    allele2 TEXT,                   -- NULL for a single (hemizygous) allele
    phenotype TEXT,
    activity_score TEXT,
    lookup_key TEXT,
    PRIMARY KEY (gene, diplotype)
);
CREATE INDEX pgx_diplotype_alleles ON pgx_diplotype (gene, allele1, allele2);
CREATE TABLE pgx_recommendation (
    id INTEGER PRIMARY KEY,
    drug TEXT NOT NULL,
    genes TEXT NOT NULL,            -- genes of the lookup key, sorted, ';'-joined
    lookup_key TEXT NOT NULL,       -- JSON {gene: phenotype or activity score}
    population TEXT,
    strength TEXT,
    text TEXT NOT NULL,             -- plain text (HTML removed)
    implications TEXT,              -- JSON list
    guideline TEXT NOT NULL,        -- citation title of the current CPIC guideline
    pmids TEXT NOT NULL,            -- ';'-joined
    data_version TEXT,
    alternate_drug INTEGER,         -- CPIC alternateDrugAvailable (1/0, NULL if not given)
    dosing_information INTEGER,     -- CPIC dosingInformation
    other_guidance INTEGER          -- CPIC otherPrescribingGuidance
);
CREATE INDEX pgx_recommendation_genes ON pgx_recommendation (genes);
CREATE TABLE pgx_special_rule (
    gene TEXT NOT NULL,
    rule TEXT NOT NULL,
    value TEXT NOT NULL,            -- JSON
    source TEXT NOT NULL,
    PRIMARY KEY (gene, rule)
);
"""


def build_pgx_tables(conn: sqlite3.Connection, sources_dir: Path) -> dict[str, int]:
    """Create and fill the PGx tables.

    Parameters
    ----------
    conn
        Open connection to the knowledge SQLite being built.
    sources_dir
        The knowledge-sources folder (the one holding ``pgx/pharmcat``).

    Returns
    -------
    dict
        Rows inserted per table name.
    """
    root = Path(sources_dir) / "pgx" / "pharmcat"
    for table in PGX_SCHEMA_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    # statement by statement: executescript() would commit the caller's open transaction
    for statement in re.split(r";\s*\n", _SCHEMA):
        if statement.strip():
            conn.execute(statement)

    exemptions = _read_json(root / "allele_definitions" / "exemptions.json")
    definitions = {
        d["gene"]: d
        for d in (
            _read_json(p) for p in sorted((root / "allele_definitions").glob("*_translation.json"))
        )
    }
    phenotypes, sources = _read_phenotypes(root)

    counts = dict.fromkeys(PGX_SCHEMA_TABLES, 0)
    genes = sorted(set(definitions) | set(phenotypes) | set(NOT_CALLABLE))
    for gene in genes:
        definition = definitions.get(gene)
        pheno = phenotypes.get(gene)
        reason = NOT_CALLABLE.get(gene)
        ref_name = None
        if definition is not None:
            ref_name = next(a["name"] for a in definition["namedAlleles"] if a["reference"])
        conn.execute(
            "INSERT INTO pgx_gene VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                gene,
                definition["chromosome"] if definition else None,
                definition["genomeBuild"] if definition else None,
                definition["version"] if definition else None,
                pheno.get("version") if pheno else None,
                sources.get(gene),
                ref_name,
                len(definition["variants"]) if definition else 0,
                0 if (reason or definition is None) else 1,
                reason,
                1 if gene in UNDOCUMENTED_AS_REFERENCE else 0,
            ),
        )
        counts["pgx_gene"] += 1
        if definition is not None:
            _insert_definition(conn, definition, exemptions.get(gene, {}), counts)
        if pheno is not None:
            _insert_phenotypes(conn, gene, pheno, counts)
    _insert_recommendations(conn, root / "cpic_guidelines_2024-03", counts)
    counts[GRCH37_TABLE] = build_grch37_positions(conn, Path(sources_dir))
    return counts


def _read_json(path: Path) -> Any:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _read_phenotypes(root: Path) -> tuple[dict[str, dict], dict[str, str]]:
    tables: dict[str, dict] = {}
    sources: dict[str, str] = {}
    for path in sorted((root / "phenotypes").glob("*.json")):
        data = _read_json(path)
        tables[data["gene"]] = data
        sources[data["gene"]] = "current"
    # SOURCES.md 4f: CYP2D6, G6PD and RYR1 are only available in older versions.
    for path in sorted((root / "phenotypes_older").glob("*.json.gz")):
        data = _read_json(path)
        if data["gene"] not in tables:
            tables[data["gene"]] = data
            sources[data["gene"]] = "older"
    return tables, sources


def _insert_definition(
    conn: sqlite3.Connection, definition: dict, exemption: dict, counts: dict[str, int]
) -> None:
    gene = definition["gene"]
    ignored_positions = {p["position"] for p in exemption.get("ignoredPositions") or []}
    ignored_alleles = {a.lower() for a in exemption.get("ignoredAlleles") or []}
    rows: list[tuple[object, ...]] = []
    for idx, var in enumerate(definition["variants"]):
        rows.append(
            (
                gene,
                idx,
                var["chromosome"],
                int(var["position"]),
                var.get("rsid"),
                var["ref"],
                json.dumps(var["alts"]),
                var.get("chromosomeHgvsName"),
                1 if var["position"] in ignored_positions else 0,
            )
        )
    conn.executemany("INSERT INTO pgx_position VALUES (?,?,?,?,?,?,?,?,?)", rows)
    counts["pgx_position"] += len(rows)

    sub = definition.get("suballelesMap") or {}
    rows = []
    for ord_, allele in enumerate(definition["namedAlleles"]):
        score = sum(1 for x in allele["alleles"] if x is not None)
        rows.append(
            (
                gene,
                allele["name"],
                ord_,
                sub.get(allele["name"], allele["name"]),
                1 if allele["reference"] else 0,
                1 if allele.get("structuralVariant") else 0,
                score,
                1 if allele["name"].lower() in ignored_alleles else 0,
                json.dumps(allele["alleles"]),
            )
        )
    conn.executemany("INSERT INTO pgx_named_allele VALUES (?,?,?,?,?,?,?,?,?)", sorted(rows))
    counts["pgx_named_allele"] += len(rows)

    rules: list[tuple[str, str, Any, str]] = []
    src = "PharmCAT exemptions.json"
    for key in ("requiredPositions", "unphasedDiplotypePriorities", "amp1Positions"):
        if exemption.get(key):
            rules.append((gene, key, exemption[key], src))
    if exemption.get("extraPositions"):
        extra = [
            {"chrom": p["chromosome"], "pos": p["position"], "rsid": p.get("rsid")}
            for p in exemption["extraPositions"]
        ]
        rules.append((gene, "extraPositions", extra, src))
    if ignored_positions:
        rules.append((gene, "ignoredPositions", sorted(ignored_positions), src))
    if ignored_alleles:
        rules.append((gene, "ignoredAlleles", sorted(exemption["ignoredAlleles"]), src))
    if gene in UNDOCUMENTED_AS_REFERENCE:
        rules.append((gene, "undocumentedAsReference", True, "PharmCAT NamedAlleleMatcher-201"))
    if gene == "DPYD":
        # CPIC DPYD guideline (Amstutz 2018, PMID 29152729) as implemented by PharmCAT's
        # DpydAlleleMatcher: unphased samples are scored on the two lowest-function alleles.
        rules.append(
            (gene, "lowestFunctionPair", True, "CPIC DPYD guideline 2017 update; PharmCAT")
        )
    conn.executemany(
        "INSERT INTO pgx_special_rule VALUES (?,?,?,?)",
        sorted((g, r, json.dumps(v, sort_keys=True), s) for g, r, v, s in rules),
    )
    counts["pgx_special_rule"] += len(rules)


def _insert_phenotypes(
    conn: sqlite3.Connection, gene: str, pheno: dict, counts: dict[str, int]
) -> None:
    functions: dict[str, tuple[str | None, str | None, str | None]] = {}
    for allele in pheno.get("namedAlleles") or []:
        functions[allele["name"]] = (
            allele.get("functionValue"),
            allele.get("activityValue"),
            allele.get("lookupKey"),
        )
    # Older files (G6PD) carry only name -> function in "haplotypes".
    for name, value in (pheno.get("haplotypes") or {}).items():
        if name not in functions:
            activity = (pheno.get("activityValues") or {}).get(name)
            functions[name] = (value, activity, value)
    rows = sorted((gene, name, *vals) for name, vals in functions.items())
    conn.executemany("INSERT INTO pgx_allele_function VALUES (?,?,?,?,?)", rows)
    counts["pgx_allele_function"] += len(rows)

    drows = []
    seen: set[str] = set()
    for entry in pheno.get("diplotypes") or []:
        key = entry.get("diplotypekey") or {}
        names = sorted(n for n, c in key.items() for _ in range(int(c)))
        if not names or entry["diplotype"] in seen:
            continue
        seen.add(entry["diplotype"])
        drows.append(
            (
                gene,
                entry["diplotype"],
                names[0],
                names[1] if len(names) > 1 else None,
                entry.get("phenotype") or entry.get("generesult"),
                entry.get("activityScore"),
                entry.get("lookupkey"),
            )
        )
    conn.executemany("INSERT INTO pgx_diplotype VALUES (?,?,?,?,?,?,?)", sorted(drows))
    counts["pgx_diplotype"] += len(drows)


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|h\d|li|ul|ol|br|div|tr|table)[^>]*>", re.IGNORECASE)


def html_to_text(markup: str | None) -> str:
    """Plain text from CPIC's recommendation HTML (paragraphs become line breaks)."""
    if not markup:
        return ""
    text = _BLOCK.sub("\n", markup)
    text = html.unescape(_TAG.sub("", text))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _insert_recommendations(conn: sqlite3.Connection, folder: Path, counts: dict[str, int]) -> None:
    rows = []
    for path in sorted(folder.glob("CPIC_*.json")):
        data = _read_json(path)
        if (data.get("guideline") or {}).get("source") != "CPIC":
            continue
        citations = data.get("citations") or []
        pmids = ";".join(str(c["pmid"]) for c in citations if c.get("pmid"))
        title = citations[0]["title"] if citations else path.stem.replace("_", " ")
        for rec in data.get("recommendations") or []:
            lookup = rec.get("lookupKey") or {}
            text = html_to_text((rec.get("text") or {}).get("html"))
            if not lookup or not text:
                continue
            for chem in rec.get("relatedChemicals") or []:
                rows.append(
                    (
                        chem["name"],
                        ";".join(sorted(lookup)),
                        json.dumps(lookup, sort_keys=True),
                        rec.get("population"),
                        (rec.get("classification") or {}).get("term"),
                        text,
                        json.dumps(rec.get("implications") or []),
                        title.rstrip("."),
                        pmids,
                        data.get("version"),
                        _flag(rec.get("alternateDrugAvailable")),
                        _flag(rec.get("dosingInformation")),
                        _flag(rec.get("otherPrescribingGuidance")),
                    )
                )
    rows = sorted(set(rows), key=lambda r: tuple("" if x is None else str(x) for x in r))
    conn.executemany(
        "INSERT INTO pgx_recommendation (drug, genes, lookup_key, population, strength, text,"
        " implications, guideline, pmids, data_version, alternate_drug, dosing_information,"
        " other_guidance) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    counts["pgx_recommendation"] += len(rows)


def _flag(value: object) -> int | None:
    """CPIC's true/false recommendation flags as 1/0 (None when the file does not say)."""
    return None if value is None else int(bool(value))
