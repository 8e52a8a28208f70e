"""The tumour tables of the knowledge file: CIViC names read into matching kinds, counts
against CIViC's own TSV, profiles as expressions, DOID terms and MANE exons."""

from __future__ import annotations

import pytest
from tumour_cases import civic_rows

from pmviewer.core.knowledge import open_knowledge
from pmviewer.core.knowledge.build.civic_names import classify


@pytest.mark.parametrize("name,kind,extra", [
    ("V600E", "protein", ("V600E",)), ("D835H/Y", "protein", ("D835H", "D835Y")),
    ("W1815X", "protein", ("W1815*",)), ("E746_A750del", "protein", ("E746_A750DEL",)),
    ("W288FS", "protein", ("W288FS",)), ("R200W (c.598C>T)", "protein", ("R200W",)),
    ("V600", "codon", (600,)), ("G12/G13", "codon", (12, 13)),
    ("Exon 19 Deletion", "exon", (19, "DELETION")), ("Exon 20 Insertion", "exon", (20, "INSERTION")),
    ("Mutation", "gene", ("ANY",)), ("Loss-of-function", "gene", ("TRUNCATING",)),
    ("Fusion", "fusion", ("FUSION",)), ("Amplification", "copy_number", ("AMPLIFICATION",)),
    ("Loss", "copy_number", ("LOSS",)), ("Deletion", "copy_number", ("LOSS",)),
    ("Exon 4-11 Deletion", "not_assessed", ("copy number",)),
    ("Overexpression", "not_assessed", ("expression",)),
    ("Promoter Hypermethylation", "not_assessed", ("methylation",)),
])  # fmt: skip
def test_civic_variant_names_get_their_matching_kind(name, kind, extra):
    spec = classify(name)
    assert spec.kind == kind
    if kind == "protein":
        assert spec.proteins == extra
    elif kind == "codon":
        assert spec.codons == extra
    elif kind == "exon":
        assert (spec.exon_first, spec.change) == extra
    elif kind in ("gene", "copy_number", "fusion"):
        assert (spec.change,) == extra
    else:
        assert (spec.detail,) == extra


@pytest.fixture(scope="module")
def conn():
    with open_knowledge() as kb:
        yield kb.connection


def test_every_somatic_civic_item_is_in_the_knowledge_file(conn, knowledge_sources):
    expected = {
        int(r["evidence_id"]) for r in civic_rows()
        if r["evidence_type"] in ("Predictive", "Prognostic", "Diagnostic", "Oncogenic")
        and r["variant_origin"] not in ("Rare Germline", "Common Germline")
    }  # fmt: skip
    stored = {r[0] for r in conn.execute("SELECT evidence_id FROM onc_evidence")}
    assert stored == expected
    # the 2,710 predictive items the issue names include 94 of germline origin
    assert sum(1 for r in civic_rows() if r["evidence_type"] == "Predictive") == 2710


def test_profiles_are_expressions_over_their_variants(conn):
    (expression, ids) = conn.execute(
        "SELECT expression, variant_ids FROM onc_profiles WHERE name = 'EML4::ALK Fusion AND ALK L1196M'"
    ).fetchone()
    parts = expression.split(" AND ")
    assert len(parts) == 2 and set(parts) == set(ids.split(","))
    unparsed = conn.execute(
        "SELECT count(*) FROM onc_profiles WHERE expression IS NULL"
    ).fetchone()[0]
    total = conn.execute("SELECT count(*) FROM onc_profiles").fetchone()[0]
    assert unparsed / total < 0.02


def test_civic_coordinates_in_both_builds(conn):
    row = conn.execute(
        "SELECT g37_chrom, g37_pos, g37_ref, g37_alt, g38_chrom, g38_pos FROM onc_variants "
        "WHERE gene = 'BRAF' AND name = 'V600E'"
    ).fetchone()
    assert row == ("7", 140453136, "A", "T", "7", 140753336)  # SOURCES-somatic.md


def test_mane_exons_both_builds(conn):
    row = conn.execute(
        "SELECT g38_chrom, g38_start, g38_end, transcript, panel FROM gene_exons "
        "WHERE gene = 'EGFR' AND exon_number = 19"
    ).fetchone()
    # SOURCES-somatic.md, 1-based; one exon table, read by coverage and the tumour mode
    assert row == ("7", 55174722, 55174820, "ENST00000275493.7", "civic")
    g37 = conn.execute(
        "SELECT g37_start FROM gene_exons WHERE gene = 'EGFR' AND exon_number = 19"
    ).fetchone()
    assert g37 == (55174722 + 67693,)
    both = conn.execute("SELECT panel FROM gene_exons WHERE gene = 'BRCA1' LIMIT 1").fetchone()
    assert both == ("acmg_sf,civic",)


def test_fusion_partners_and_gene_spans(conn):
    five, three, kind = conn.execute(
        "SELECT partner_5, partner_3, kind FROM onc_variants WHERE gene = 'EML4::ALK' "
        "AND name = 'Fusion'"
    ).fetchone()
    assert (five, three, kind) == ("EML4", "ALK", "fusion")
    # v::NTRK1 Fusion: CIViC names no 5' partner, so any gene counts
    assert conn.execute(
        "SELECT partner_5, partner_3 FROM onc_variants WHERE gene = 'v::NTRK1'"
    ).fetchone() == (None, "NTRK1")
    # GENCODE v44 (genes/hg38_genes.tsv.gz, 0-based start 39687913)
    assert conn.execute(
        "SELECT g38_chrom, g38_start, g38_end, strand FROM gene_spans WHERE gene = 'ERBB2'"
    ).fetchone() == ("17", 39687914, 39730426, "+")


def test_disease_ontology_terms_and_hierarchy(conn):
    assert conn.execute("SELECT name FROM doid_terms WHERE doid = 'DOID:3910'").fetchone() == (
        "lung adenocarcinoma",
    )
    parents = {
        r[0] for r in conn.execute("SELECT parent FROM doid_parents WHERE doid = 'DOID:3910'")
    }
    assert "DOID:3908" in parents
    civic_doids = {f"DOID:{r['doid']}" for r in civic_rows() if r["doid"]}
    live = {r[0] for r in conn.execute("SELECT doid FROM doid_terms WHERE obsolete = 0")}
    assert len(civic_doids - live) == 1  # DOID:715, obsolete (SOURCES-somatic.md)
