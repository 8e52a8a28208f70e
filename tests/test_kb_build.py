"""The knowledge build against the real source files: facts in the sources come out right.

Expected values are read from the source files here, never typed in from memory.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import sqlite3

import pandas as pd
import pytest
from bundled import require_bundled

from pmviewer.core.genome.normalize import normalise_key
from pmviewer.core.knowledge.build import build
from pmviewer.core.knowledge.build.common import date_in_text
from pmviewer.core.knowledge.reader import open_knowledge

STARS = {
    "practice guideline": 4,
    "reviewed by expert panel": 3,
    "criteria provided, multiple submitters, no conflicts": 2,
    "criteria provided, single submitter": 1,
}


@pytest.fixture(scope="module")
def built(knowledge_sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(knowledge_sources, out)
    return out


@pytest.fixture(scope="module")
def kb(built):
    knowledge = open_knowledge(built)
    yield knowledge
    knowledge.close()


def _tsv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _vcf_rows(path):
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            info = dict(item.partition("=")[::2] for item in cols[7].split(";"))
            yield cols, info


def test_expert_panel_pathogenic_vcf_records_keep_classification_stars_and_both_builds(
    knowledge_sources, kb
):
    vcf = next((knowledge_sources / "clinvar").glob("clinvar_*GRCh38*.vcf.gz"))
    picked = {}
    for cols, info in _vcf_rows(vcf):
        gene = info.get("GENEINFO", "").split(":")[0]
        if (
            info.get("CLNSIG") == "Pathogenic"
            and info.get("CLNREVSTAT") == "reviewed_by_expert_panel"
            and len(cols[3]) == len(cols[4]) == 1
            and gene in ("BRCA1", "MLH1", "TP53", "MYH7")
            and gene not in picked
        ):
            picked[gene] = (cols, info)
    assert len(picked) == 4
    for gene, (cols, _info) in picked.items():
        key = normalise_key(cols[0], int(cols[1]), cols[3], cols[4])
        hit = kb.variants_in("GRCh38", [key])
        assert len(hit) == 1, gene
        row = hit.iloc[0]
        assert row["gene"] == gene
        assert int(row["variation_id"]) == int(cols[2])
        assert row["classification"] == "Pathogenic"
        assert int(row["stars"]) == 3
        assert row["category"] == "plp"
        # the GRCh37 key of the same record finds it again in GRCh37
        g37 = kb.connection.execute(
            "SELECT g37_chrom, g37_pos, g37_ref, g37_alt, g37_origin FROM clinvar WHERE record_id = ?",
            (int(row["record_id"]),),
        ).fetchone()
        assert g37[4] == "lifted" and g37[0] == key.chrom
        back = kb.variants_in("GRCh37", [g37[:4]])
        assert list(back["variation_id"]) == [int(cols[2])]


def test_stars_follow_review_status(kb):
    frame = kb.variants("GRCh38")
    seen = 0
    for status, stars in STARS.items():
        subset = frame[frame["review_status"] == status]
        seen += len(subset) > 0
        if len(subset):
            assert set(subset["stars"].dropna().astype(int)) == {stars}, status
    assert seen >= 3


def test_two_build_records_keep_their_stated_grch37_keys_and_win_over_the_vcf(
    knowledge_sources, kb
):
    path = next((knowledge_sources / "clinvar").glob("*GRCh38_GRCh37*.tsv"))
    rows = _tsv(path)
    date_of_file = date_in_text(path.name)
    g38 = kb.variants("GRCh38").set_index("variation_id")
    g37 = kb.variants("GRCh37")
    g37_keys = set(zip(g37["chrom"], g37["pos"], g37["ref"], g37["alt"], strict=True))
    for row in rows:
        record = g38.loc[int(row["variation_id"])]
        assert record["classification"] == row["classification"]
        assert int(record["stars"]) == int(row["stars"])
        assert record["last_evaluated"] == row["last_evaluated"]
        # the newest release wins over the 2025 VCF (the curated table repeats a few rows)
        assert not record["source"].endswith(".vcf.gz")
        assert record["clinvar_release"] >= date_of_file
        key37 = normalise_key(
            row["grch37_chrom"], int(row["grch37_pos"]), row["grch37_ref"], row["grch37_alt"]
        )
        assert tuple(key37) in g37_keys
        assert row["hgvs_c_p"].startswith(record["hgvs_c"])


def test_older_vcf_records_of_atp7b_gaa_are_kept_when_absent_from_the_2026_file(
    knowledge_sources, kb
):
    newer = {
        int(r["variation_id"])
        for r in _tsv(next((knowledge_sources / "clinvar").glob("*GRCh38_GRCh37*.tsv")))
    }
    vcf = next((knowledge_sources / "clinvar").glob("clinvar_*GRCh38*.vcf.gz"))
    older_only = [
        int(cols[2])
        for cols, info in _vcf_rows(vcf)
        if info.get("GENEINFO", "").startswith(("ATP7B:", "GAA:"))
        and info.get("CLNSIG") in ("Pathogenic", "Likely_pathogenic")
        and int(cols[2]) not in newer
    ]
    assert older_only
    present = set(kb.variants("GRCh38")["variation_id"].dropna().astype(int))
    assert set(older_only) <= present


@pytest.mark.parametrize(
    ("gene", "label"),
    [("HFE", "C282Y"), ("MUTYH", "Y179C (legacy Y165C)"), ("MUTYH", "G396D (legacy G382D)"),
     ("ATP7B", "H1069Q"), ("ATP7B", "R778L"), ("GAA", "IVS1 c.-32-13T>G")],
)  # fmt: skip
def test_founder_variants_present_in_both_builds(knowledge_sources, kb, gene, label):
    rows = [r for r in _tsv(knowledge_sources / "curated" / "recessive_founders.tsv")
            if r["gene"] == gene and r["variant_label"] == label]  # fmt: skip
    assert len(rows) == 1
    row = rows[0]
    for build_name, prefix in (("GRCh38", "grch38"), ("GRCh37", "grch37")):
        key = normalise_key(
            row[f"{prefix}_chrom"],
            int(row[f"{prefix}_pos"]),
            row[f"{prefix}_ref"],
            row[f"{prefix}_alt"],
        )
        hit = kb.variants_in(build_name, [key])
        assert len(hit) == 1, (label, build_name)
        assert hit.iloc[0]["gene"] == gene
        hgvs_p = hit.iloc[0]["hgvs_p"]
        assert (None if pd.isna(hgvs_p) else hgvs_p) == (row["hgvs_p"] or None)
        assert hit.iloc[0]["key_origin"] == "stated"
        if row["clinvar_variation_id"]:
            assert int(hit.iloc[0]["variation_id"]) == int(row["clinvar_variation_id"])


def test_hfe_c282y_classification_matches_source(knowledge_sources, kb):
    row = next(r for r in _tsv(knowledge_sources / "curated" / "recessive_founders.tsv")
               if r["hgvs_p"] == "p.Cys282Tyr")  # fmt: skip
    key = normalise_key(
        row["grch38_chrom"], int(row["grch38_pos"]), row["grch38_ref"], row["grch38_alt"]
    )
    hit = kb.variants_in("GRCh38", [key]).iloc[0]
    assert hit["classification"] == row["clinvar_classification"]
    assert int(hit["stars"]) == int(row["clinvar_stars"])
    assert hit["category"] == "plp"
    rule = kb.genes().set_index("gene").loc["HFE", "report_rule"]
    assert rule == "HFE_C282Y_HOMOZYGOUS_ONLY"


def test_conflicting_and_vus_records_are_uncertain_and_benign_lines_are_left_out(
    knowledge_sources, kb
):
    vcf = next((knowledge_sources / "clinvar").glob("clinvar_*GRCh38*.vcf.gz"))
    vus, benign = [], []
    for cols, info in _vcf_rows(vcf):
        clnsig = info.get("CLNSIG", "")
        if clnsig == "Uncertain_significance":
            vus.append(int(cols[2]))
        elif clnsig in ("Benign/Likely_benign", "Likely_benign"):
            benign.append(int(cols[2]))
    frame = kb.variants("GRCh38").dropna(subset=["variation_id"])
    by_id = frame.set_index(frame["variation_id"].astype(int))
    assert vus and benign
    for variation_id in vus:
        if variation_id in by_id.index:
            assert by_id.loc[variation_id, "category"] == "uncertain"
    assert not set(benign) & set(by_id.index)
    founders = _tsv(knowledge_sources / "curated" / "recessive_founders.tsv")
    h63d = next(r for r in founders if r["hgvs_p"] == "p.His63Asp")
    assert by_id.loc[int(h63d["clinvar_variation_id"]), "category"] == "uncertain"


def test_every_acmg_sf_gene_has_a_rule_and_conditions(knowledge_sources, kb):
    rows = _tsv(next((knowledge_sources / "acmg_sf").glob("*gene_condition*.tsv")))
    expected = {r["gene"]: r["report_rule"] for r in rows}
    genes = kb.genes().set_index("gene")
    acmg = genes[genes["panel"].str.contains("acmg_sf")]
    assert set(acmg.index) == set(expected)
    assert len(acmg) == len({r["gene"] for r in rows})
    for gene, rule in expected.items():
        assert acmg.loc[gene, "report_rule"] == rule
    assert int(acmg["in_sf_v3_2"].sum()) == len(
        {r["gene"] for r in rows if r["in_sf_v3_2"] == "yes"}
    )
    assert len(kb.gene_conditions()) == len(rows)
    # a gene with several conditions lists all of them
    multi = [g for g in expected if sum(r["gene"] == g for r in rows) > 1][0]
    for row in rows:
        if row["gene"] == multi:
            assert row["disease"] in acmg.loc[multi, "conditions"]


def test_genes_carry_spans_mane_clingen_and_lof_mechanism(knowledge_sources, kb):
    coords = {
        r["gene"]: r for r in _tsv(knowledge_sources / "genes" / "panel_gene_coordinates.tsv")
    }
    genes = kb.genes().set_index("gene")
    assert set(coords) <= set(genes.index)
    for gene, row in coords.items():
        assert genes.loc[gene, "mane_select_refseq"] == (row["mane_select_refseq"] or None)
        assert int(genes.loc[gene, "grch38_start"]) == int(row["grch38_tx_start_1based"])
        assert int(genes.loc[gene, "grch37_end"]) == int(row["grch37_gene_end"])
        assert ("pgx" in genes.loc[gene, "panel"]) == ("PGx" in row["panel"])
    acmg = genes[genes["panel"].str.contains("acmg_sf")]
    assert acmg["clingen_classification"].notna().all()
    assert set(acmg["lof_mechanism"]) <= {"lof", "uncertain", "not_lof", "insufficient_data"}
    # the stored fraction is the share of truncating P/LP records of the gene
    frame = kb.variants("GRCh38")
    plp = frame[frame["category"] == "plp"]
    for gene in ("BRCA2", "MYH7", "TTN"):
        records = plp[plp["gene"] == gene]
        fraction = round(float(records["truncating"].astype(int).mean()), 4)
        assert acmg.loc[gene, "truncating_fraction"] == pytest.approx(fraction)
        assert int(acmg.loc[gene, "plp_records"]) == len(records)


def test_gene_regions_cover_every_clinvar_record(kb):
    for build_name in ("GRCh38", "GRCh37"):
        regions = kb.gene_regions(build_name)
        by_gene = {g: (c, s, e) for c, s, e, g in regions}
        frame = kb.variants(build_name)
        for gene, group in frame.groupby("gene"):
            chrom, start, end = by_gene[gene]
            same = group[group["chrom"] == chrom]
            assert len(same) >= 0.99 * len(group), gene
            assert same["pos"].min() >= start and same["pos"].max() <= end, (build_name, gene)


def test_civic_germline_evidence_has_both_builds(knowledge_sources, kb):
    frame = kb.civic_for("GRCh38")
    assert len(frame) > 0
    assert set(frame["variant_origin"]) | set(frame["evidence_type"])
    assert ((frame["variant_origin"].isin(["Rare Germline", "Common Germline"]))
            | (frame["evidence_type"] == "Predisposing")).all()  # fmt: skip
    genes = set(kb.genes()["gene"])
    assert set(frame["gene"]) <= genes
    variants = kb.read_table("civic_variants")
    substitution = variants.dropna(subset=["g37_pos", "g38_pos"])
    assert len(substitution) > 50
    # a CIViC variant stated on GRCh37 is found by its lifted GRCh38 key
    row = substitution.iloc[0]
    hits = kb.civic_for(
        "GRCh38", keys=[(row["g38_chrom"], int(row["g38_pos"]), row["g38_ref"], row["g38_alt"])]
    )
    assert set(hits["variant_id"].astype(int)) == {int(row["variant_id"])}


def test_metadata_records_sources_checksums_versions_and_counts(knowledge_sources, kb, built):
    meta = kb.metadata()
    assert meta["schema_version"] == 1
    assert meta["version"] == max(
        s["release"][:10] for s in meta["sources"] if s["release"][:4].isdigit()
    ).replace("-", ".")
    for source in meta["sources"]:
        path = knowledge_sources / source["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"]
        assert source["licence"] and source["attribution"]
    names = {s["name"] for s in meta["sources"]}
    assert {"ClinVar", "CIViC", "ACMG SF", "ClinGen gene-disease validity"} <= names
    conn = sqlite3.connect(built)
    for table, count in meta["counts"].items():
        assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count
    conn.close()
    notes = " ".join(meta["coverage_notes"])
    assert "benign" in notes and "MUTYH" in notes and "CASQ2" in notes
    assert meta["liftover"]["clinvar_grch38_to_grch37"]["stated_agrees_with_chain"] > 800


def test_pgx_tables_built_when_the_builder_is_present(kb):
    try:
        from pmviewer.core.knowledge.build import pgx_tables
    except ModuleNotFoundError:
        require_bundled(False, "the pharmacogenomics builder")
    tables = {r[0] for r in kb.connection.execute("SELECT name FROM sqlite_master")}
    assert set(pgx_tables.PGX_SCHEMA_TABLES) <= tables
    paths = [s["path"] for s in kb.metadata()["sources"]]
    assert any(p.startswith("pgx/pharmcat/allele_definitions/") for p in paths)
    # every gene the PGx tables define is a 'pgx' gene of the genes table
    pgx_genes = {r[0] for r in kb.connection.execute("SELECT gene FROM pgx_gene")}
    genes = kb.genes().set_index("gene")
    assert pgx_genes <= set(genes.index)
    assert all("pgx" in genes.loc[g, "panel"] for g in pgx_genes)


def test_same_inputs_give_the_same_bytes(knowledge_sources, built, tmp_path):
    again = build(knowledge_sources, tmp_path / "again.sqlite")
    assert (
        hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(built.read_bytes()).digest()
    )
