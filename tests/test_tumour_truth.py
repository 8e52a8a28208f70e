"""Tumour findings against CIViC's own statements, on real somatic files and small lung files.

Expected evidence ids are read straight from CIViC's release TSV (not from the knowledge file),
and allele fractions from the files' own fields.
"""

from __future__ import annotations

import pytest
from tumour_cases import civic_ids, civic_rows, write_lung_vcf

from pmviewer.core.oncology import DiseaseOntology, analyse_tumour

SOMATIC = "i_somatic"


@pytest.fixture(scope="module")
def rows(knowledge_sources):
    return civic_rows()


def _finding(analysis, gene, protein):
    hits = [f for f in analysis.findings if f.gene == gene and f.hgvs_p and protein in f.hgvs_p]
    assert hits, [(f.gene, f.hgvs_p) for f in analysis.findings]
    return hits[0]


def _ids(finding):
    return {int(e["civic_evidence_id"]) for e in finding.evidence}


@pytest.mark.parametrize("name,build", [
    ("pcgr__T001-COAD.grch37.vcf.gz", "GRCh37"), ("pcgr__T001-COAD.grch38.vcf.gz", "GRCh38"),
    ("vcf2maf__test_strelka.vcf", "GRCh37"), ("vstol__colo829_clairs_output.vcf.gz", "GRCh38"),
])  # fmt: skip
def test_braf_v600e_gets_civics_v600e_evidence(corpus_dir, kb, rows, name, build):
    tumour_type = "DOID:8923" if "colo829" in name or "strelka" in name else "DOID:9256"
    analysis = analyse_tumour(corpus_dir / SOMATIC / name, tumour_type, knowledge=kb)
    assert analysis.build == build
    braf = _finding(analysis, "BRAF", "V600E")
    assert civic_ids("BRAF V600E", rows) <= _ids(braf)
    assert "exact coordinates" in braf.match_kinds
    assert braf.tier == "Tier I"  # CIViC level A in melanoma and colorectal cancer


def test_a_germline_pharmacogenomic_allele_among_somatic_calls_is_set_apart(corpus_dir, kb):
    """SOURCES-somatic.md: the PCGR file carries DPYD c.1905+1G>A (DPYD*2A) at TVAF 0.47."""
    analysis = analyse_tumour(
        corpus_dir / SOMATIC / "pcgr__T001-COAD.grch37.vcf.gz", "DOID:9256", knowledge=kb
    )
    dpyd = [g for g in analysis.germline_alleles if g["gene"] == "DPYD"]
    assert dpyd and dpyd[0]["pos"] == 97915614 and dpyd[0]["vaf"] == pytest.approx(0.47, abs=0.01)
    assert "inherited" in str(dpyd[0]["note"])
    assert not any(f.gene == "DPYD" and f.tier in ("Tier I", "Tier II") for f in analysis.findings)


def test_the_grch37_and_grch38_files_of_one_tumour_agree(corpus_dir, kb):
    a = analyse_tumour(
        corpus_dir / SOMATIC / "pcgr__T001-COAD.grch37.vcf.gz", "DOID:9256", knowledge=kb
    )
    b = analyse_tumour(
        corpus_dir / SOMATIC / "pcgr__T001-COAD.grch38.vcf.gz", "DOID:9256", knowledge=kb
    )
    tiered = lambda x: {(f.gene, f.hgvs_p, f.tier) for f in x.findings if f.tier != "Tier III"}  # noqa: E731
    assert tiered(a) == tiered(b) and tiered(a)


def test_merged_tcga_file_kras_g12d_and_pik3ca_h1047r(corpus_dir, kb, rows):
    analysis = analyse_tumour(
        corpus_dir / SOMATIC / "vcf2maf__test_merged.vcf", "DOID:9256", knowledge=kb
    )
    kras = _finding(analysis, "KRAS", "G12D")
    pik3ca = _finding(analysis, "PIK3CA", "H1047R")
    assert civic_ids("KRAS G12D", rows) <= _ids(kras)
    assert civic_ids("PIK3CA H1047R", rows) <= _ids(pik3ca)
    assert kras.alt_reads == 18 and kras.tier == "Tier I"  # AD 9,18; level A in colorectal cancer
    assert pik3ca.vaf == pytest.approx(0.839, abs=0.001)  # FA
    assert analysis.tumour.normal_sample == "NORMAL" and analysis.germline is None


def test_muse_nras_g13r_is_found_and_flagged_as_filtered(corpus_dir, kb, rows):
    analysis = analyse_tumour(
        corpus_dir / SOMATIC / "vcf2maf__test_muse.vcf", "DOID:1909", knowledge=kb
    )
    nras = _finding(analysis, "NRAS", "G13R")
    assert civic_ids("NRAS G13R", rows) <= _ids(nras)
    assert nras.filter == "Tier2" and any("filtered" in flag for flag in nras.flags)
    assert nras.alt_reads == 10 and nras.vaf == pytest.approx(10 / 117)


def test_hartwig_egfr_t790m_in_lung_adenocarcinoma(corpus_dir, kb, rows):
    analysis = analyse_tumour(
        corpus_dir / SOMATIC / "hmftools__TUMOR_SAMPLE.purple.somatic.vcf.gz", "lung adenocarcinoma",
        knowledge=kb,
    )  # fmt: skip
    t790m = _finding(analysis, "EGFR", "Thr790Met")
    assert civic_ids("EGFR T790M", rows) <= _ids(t790m)
    assert t790m.vaf == pytest.approx(0.052) and t790m.tier == "Tier I"
    # stated for non-small cell lung carcinoma (a parent term), recorded as such
    osimertinib = [
        e for e in t790m.evidence if "Osimertinib" in str(e["therapies"]) and e["level"] == "A"
    ]
    assert osimertinib and all(e["applies_to_tumour_type"] for e in osimertinib)
    assert {e["doid"] for e in osimertinib} <= {"DOID:3908", "DOID:3910", "DOID:1324"}
    # gene-level "EGFR Mutation" sensitivity never tiers a resistance mutation
    assert all(
        e["sets_tier"] is None for e in t790m.evidence if e["molecular_profile"] == "EGFR Mutation"
    )


def test_disease_hierarchy_parent_applies_to_subtype_not_back(kb):
    dos = DiseaseOntology(kb.connection)
    assert dos.applies("DOID:3908", "DOID:3910")  # NSCLC evidence applies to lung adenocarcinoma
    assert not dos.applies("DOID:3910", "DOID:3908")
    assert dos.resolve("lung adenocarcinoma").doid == "DOID:3910"
    assert dos.resolve("3910").name == "lung adenocarcinoma"


@pytest.fixture(scope="module")
def lung(tmp_path_factory, kb):
    path = write_lung_vcf(tmp_path_factory.mktemp("lung") / "lung.vcf")
    return analyse_tumour(path, "DOID:3910", knowledge=kb)


def test_lung_egfr_l858r(lung, rows):
    l858r = _finding(lung, "EGFR", "L858R")
    assert civic_ids("EGFR L858R", rows) <= _ids(l858r)
    assert l858r.tier == "Tier I" and l858r.vaf == pytest.approx(0.4) and l858r.exon == 21


def test_lung_egfr_exon_19_deletion(lung, rows):
    deletion = next(f for f in lung.findings if f.gene == "EGFR" and f.exon == 19)
    assert "exon" in deletion.match_kinds
    assert civic_ids("EGFR Exon 19 Deletion", rows) <= _ids(deletion)
    assert civic_ids("EGFR E746_A750del", rows) <= _ids(deletion)
    assert deletion.tier == "Tier I"
    assert any(e["level"] == "A" and e["molecular_profile"] == "EGFR Exon 19 Deletion"
               and e["applies_to_tumour_type"] for e in deletion.evidence)  # fmt: skip


def test_lung_kras_g12c(lung, rows):
    g12c = _finding(lung, "KRAS", "G12C")
    assert civic_ids("KRAS G12C", rows) <= _ids(g12c)
    assert g12c.tier == "Tier I"
    assert any("Sotorasib" in str(e["therapies"]) and e["level"] in "AB" for e in g12c.evidence)


def test_lung_alk_fusions_are_listed_as_not_assessed(lung):
    alk = [n for n in lung.not_assessed if "ALK" in str(n["molecular_profile"])]
    assert alk and all("fusion" in str(n["reason"]) for n in alk)
    assert not any(f.gene == "ALK" for f in lung.findings)
    assert any("fusions" in text for text in lung.limitations)


def test_matching_reach_is_measured_over_every_predictive_item(lung, rows):
    reach = lung.reach
    predictive = {int(r["evidence_id"]) for r in rows if r["evidence_type"] == "Predictive"
                  and r["variant_origin"] not in ("Rare Germline", "Common Germline")}  # fmt: skip
    assert reach["predictive_items"] == len(predictive)
    shares = reach["by_kind"]
    assert sum(v["items"] for v in shares.values()) == len(predictive)
    assert shares["exact coordinates"]["items"] > 0 and shares["not assessed"]["items"] > 0
