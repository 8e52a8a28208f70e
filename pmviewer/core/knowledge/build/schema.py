"""SQL schema of the knowledge file.

Bump :data:`SCHEMA_VERSION` whenever a table or column changes meaning; the reader refuses a
file whose schema version it does not know. Pharmacogenomics tables are declared by
:mod:`pmviewer.core.knowledge.build.pgx_tables` and are not listed here.
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
    "clinvar_terms",
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
    -- span widened to every ClinVar record of the gene in that build: the region to load
    grch38_load_start INTEGER, grch38_load_end INTEGER,
    grch37_load_start INTEGER, grch37_load_end INTEGER,
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

-- Repeated text values of the clinvar table (classification, review status, conditions,
-- consequence, ...) are stored once here and referenced by code, which keeps the file small
-- and lets the reader build categorical columns directly. The clinvar_records view decodes
-- them for any SQL client.
CREATE TABLE clinvar_terms (
    field TEXT NOT NULL,
    code INTEGER NOT NULL,          -- 0..n-1 within a field, in sorted order of term
    term TEXT NOT NULL,
    PRIMARY KEY (field, code)
) WITHOUT ROWID;

CREATE TABLE clinvar (
    record_id INTEGER PRIMARY KEY,
    gene TEXT NOT NULL,             -- analysed gene the record belongs to
    genes_code INTEGER,             -- every gene ClinVar lists (GENEINFO)
    variation_id INTEGER, allele_id INTEGER, rsid TEXT,
    classification_code INTEGER NOT NULL,  -- ClinVar germline classification as written
    category TEXT NOT NULL,         -- 'plp' or 'uncertain' (VUS / conflicting)
    review_status_code INTEGER, stars INTEGER,
    conditions_code INTEGER, last_evaluated TEXT, clinvar_release_code INTEGER NOT NULL,
    hgvs_g TEXT, hgvs_c TEXT, hgvs_p TEXT, transcript TEXT,
    consequence_code INTEGER, truncating INTEGER NOT NULL,
    source_code INTEGER NOT NULL,   -- source file (relative path)
    g38_chrom TEXT NOT NULL, g38_pos INTEGER NOT NULL, g38_ref TEXT NOT NULL, g38_alt TEXT NOT NULL,
    g37_chrom TEXT, g37_pos INTEGER, g37_ref TEXT, g37_alt TEXT,
    g37_origin TEXT                 -- 'stated' (source gives GRCh37) or 'lifted' (Ensembl chain)
);
-- keys are unique per build (enforced by the builder); position indexes keep the file small
CREATE INDEX clinvar_g38_pos ON clinvar (g38_pos);
CREATE INDEX clinvar_g37_pos ON clinvar (g37_pos);

CREATE VIEW clinvar_records AS
SELECT c.record_id, c.gene, t_genes.term AS genes, c.variation_id, c.allele_id, c.rsid,
       t_class.term AS classification, c.category, t_rev.term AS review_status, c.stars,
       t_cond.term AS conditions, c.last_evaluated, t_rel.term AS clinvar_release,
       c.hgvs_g, c.hgvs_c, c.hgvs_p, c.transcript, t_mc.term AS consequence, c.truncating,
       t_src.term AS source, c.g38_chrom, c.g38_pos, c.g38_ref, c.g38_alt,
       c.g37_chrom, c.g37_pos, c.g37_ref, c.g37_alt, c.g37_origin
FROM clinvar c
LEFT JOIN clinvar_terms t_genes ON t_genes.field = 'genes' AND t_genes.code = c.genes_code
LEFT JOIN clinvar_terms t_class ON t_class.field = 'classification' AND t_class.code = c.classification_code
LEFT JOIN clinvar_terms t_rev ON t_rev.field = 'review_status' AND t_rev.code = c.review_status_code
LEFT JOIN clinvar_terms t_cond ON t_cond.field = 'conditions' AND t_cond.code = c.conditions_code
LEFT JOIN clinvar_terms t_rel ON t_rel.field = 'clinvar_release' AND t_rel.code = c.clinvar_release_code
LEFT JOIN clinvar_terms t_mc ON t_mc.field = 'consequence' AND t_mc.code = c.consequence_code
LEFT JOIN clinvar_terms t_src ON t_src.field = 'source' AND t_src.code = c.source_code;

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
