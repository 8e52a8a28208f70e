"""SQL schema of the knowledge file.

Bump :data:`SCHEMA_VERSION` whenever a table or column changes meaning; the reader refuses a
file whose schema version it does not know. Pharmacogenomics tables are declared by
:mod:`pmviewer.core.kb_build.pgx_tables` and are not listed here.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

PAGE_SIZE = 4096

# Tables this module creates, in creation order. ``kb verify`` checks each one exists.
CORE_TABLES: tuple[str, ...] = (
    "meta",
    "sources",
    "table_counts",
    "gene_conditions",
    "genes",
    "clingen_validity",
    "clinvar",
    "civic_variants",
    "civic_profile_variants",
    "civic_evidence",
    "civic_assertions",
)

SCHEMA_SQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sources (
    path TEXT PRIMARY KEY,          -- relative to the sources folder, '/' separated
    name TEXT NOT NULL,             -- e.g. 'ClinVar', 'CIViC'
    role TEXT NOT NULL,             -- what the build used it for
    release TEXT NOT NULL,          -- release date or version as the publisher states it
    licence TEXT NOT NULL,
    attribution TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE table_counts (
    table_name TEXT PRIMARY KEY,
    row_count INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE gene_conditions (      -- one row per ACMG SF gene-condition pair
    gene TEXT NOT NULL,
    condition_index INTEGER NOT NULL,
    hgnc_id TEXT, ncbi_gene_id TEXT, gene_mim TEXT,
    disease TEXT NOT NULL, disorder_mim TEXT,
    category TEXT, inheritance TEXT, sf_version_added TEXT,
    in_sf_v3_2 INTEGER NOT NULL, in_sf_v3_3 INTEGER NOT NULL,
    report_rule TEXT NOT NULL, variants_to_report TEXT,
    mane_select_refseq TEXT, mane_select_ensembl TEXT, notes TEXT,
    PRIMARY KEY (gene, condition_index)
) WITHOUT ROWID;

CREATE TABLE genes (                -- ACMG SF genes and pharmacogenes, one row per gene
    gene TEXT PRIMARY KEY,
    panel TEXT NOT NULL,            -- 'acmg_sf', 'pgx' or 'acmg_sf;pgx'
    in_sf_v3_3 INTEGER NOT NULL, in_sf_v3_2 INTEGER NOT NULL,
    report_rule TEXT, inheritance TEXT, conditions TEXT, disorder_mims TEXT,
    gene_mim TEXT, category TEXT,
    hgnc_id TEXT, ncbi_gene_id TEXT, ensembl_gene TEXT,
    mane_select_refseq TEXT, mane_select_refseq_prot TEXT, mane_select_ensembl TEXT,
    mane_plus_clinical_refseq TEXT, strand TEXT,
    grch38_chrom TEXT, grch38_start INTEGER, grch38_end INTEGER, grch38_span_source TEXT,
    grch37_chrom TEXT, grch37_start INTEGER, grch37_end INTEGER, grch37_span_source TEXT,
    clingen_classification TEXT, clingen_disease TEXT, clingen_moi TEXT,
    plp_records INTEGER NOT NULL DEFAULT 0,
    truncating_records INTEGER NOT NULL DEFAULT 0,
    truncating_fraction REAL,
    lof_mechanism TEXT NOT NULL,
    lof_note TEXT
) WITHOUT ROWID;

CREATE TABLE clingen_validity (
    gene TEXT NOT NULL, hgnc_id TEXT, disease TEXT, mondo TEXT, moi TEXT, sop TEXT,
    classification TEXT NOT NULL, report_url TEXT NOT NULL, classification_date TEXT, gcep TEXT,
    PRIMARY KEY (gene, report_url)
) WITHOUT ROWID;

CREATE TABLE clinvar (
    record_id INTEGER PRIMARY KEY,
    gene TEXT NOT NULL,             -- analysed gene the record belongs to
    genes TEXT,                     -- every gene ClinVar lists (GENEINFO)
    variation_id INTEGER, allele_id INTEGER, rsid TEXT,
    classification TEXT NOT NULL,   -- ClinVar germline classification as written
    category TEXT NOT NULL,         -- 'plp' or 'uncertain' (VUS / conflicting)
    review_status TEXT, stars INTEGER,
    conditions TEXT, last_evaluated TEXT, clinvar_release TEXT NOT NULL,
    hgvs_g TEXT, hgvs_c TEXT, hgvs_p TEXT, transcript TEXT,
    consequence TEXT, truncating INTEGER NOT NULL,
    source TEXT NOT NULL,           -- source file (relative path)
    g38_chrom TEXT NOT NULL, g38_pos INTEGER NOT NULL, g38_ref TEXT NOT NULL, g38_alt TEXT NOT NULL,
    g37_chrom TEXT, g37_pos INTEGER, g37_ref TEXT, g37_alt TEXT,
    g37_origin TEXT                 -- 'stated' (source gives GRCh37) or 'lifted' (Ensembl chain)
);
CREATE UNIQUE INDEX clinvar_g38_key ON clinvar (g38_chrom, g38_pos, g38_ref, g38_alt);
CREATE UNIQUE INDEX clinvar_g37_key ON clinvar (g37_chrom, g37_pos, g37_ref, g37_alt);
CREATE INDEX clinvar_gene ON clinvar (gene);

CREATE TABLE civic_variants (
    variant_id INTEGER PRIMARY KEY,
    gene TEXT NOT NULL, variant TEXT, variant_types TEXT,
    g37_chrom TEXT, g37_pos INTEGER, g37_ref TEXT, g37_alt TEXT,
    g38_chrom TEXT, g38_pos INTEGER, g38_ref TEXT, g38_alt TEXT, g38_origin TEXT,
    representative_transcript TEXT, hgvs TEXT, allele_registry_id TEXT, clinvar_ids TEXT
);
CREATE INDEX civic_variants_g37 ON civic_variants (g37_chrom, g37_pos);
CREATE INDEX civic_variants_g38 ON civic_variants (g38_chrom, g38_pos);

CREATE TABLE civic_profile_variants (
    molecular_profile_id INTEGER NOT NULL,
    variant_id INTEGER NOT NULL,
    PRIMARY KEY (molecular_profile_id, variant_id)
) WITHOUT ROWID;

CREATE TABLE civic_evidence (
    evidence_id INTEGER PRIMARY KEY,
    gene TEXT NOT NULL, molecular_profile_id INTEGER, molecular_profile TEXT,
    disease TEXT, doid TEXT, phenotypes TEXT, therapies TEXT, therapy_interaction_type TEXT,
    evidence_type TEXT, evidence_direction TEXT, evidence_level TEXT, significance TEXT,
    statement TEXT, pmid TEXT, source_type TEXT, citation TEXT, nct_ids TEXT, rating TEXT,
    variant_origin TEXT, last_review_date TEXT, url TEXT
);
CREATE INDEX civic_evidence_gene ON civic_evidence (gene);
CREATE INDEX civic_evidence_profile ON civic_evidence (molecular_profile_id);

CREATE TABLE civic_assertions (
    assertion_id INTEGER PRIMARY KEY,
    gene TEXT NOT NULL, molecular_profile_id INTEGER, molecular_profile TEXT,
    disease TEXT, doid TEXT, therapies TEXT, assertion_type TEXT, assertion_direction TEXT,
    significance TEXT, acmg_codes TEXT, amp_category TEXT, summary TEXT,
    evidence_item_ids TEXT, last_review_date TEXT, url TEXT
);
"""
