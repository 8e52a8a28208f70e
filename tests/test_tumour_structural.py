"""Copy number and fusions from a tumour file's CNV/SV records, against CIViC's own items."""

from __future__ import annotations

import pytest
from tumour_cases import (
    EML4_ALK_BND,
    ERBB2_AMPLIFIED,
    ERBB2_GAIN,
    civic_ids,
    civic_rows,
    write_lung_vcf,
    write_sv_vcf,
)

from pmviewer.core.oncology import analyse_tumour

BREAST, LUNG_ADENOCARCINOMA = "DOID:1612", "DOID:3910"


@pytest.fixture(scope="module")
def rows(knowledge_sources):
    return civic_rows()


def _ids(finding):
    return {int(e["civic_evidence_id"]) for e in finding.evidence}


def test_erbb2_amplification_in_breast_gets_civics_amplification_items(tmp_path, kb, rows):
    path = write_sv_vcf(tmp_path / "erbb2.vcf", [ERBB2_AMPLIFIED])
    analysis = analyse_tumour(path, BREAST, knowledge=kb)
    (erbb2,) = [f for f in analysis.findings if f.gene == "ERBB2"]
    assert erbb2.event == "amplification" and erbb2.match_kinds == ["copy number"]
    assert civic_ids("ERBB2 Amplification", rows) <= _ids(erbb2)
    assert erbb2.tier == "Tier I"  # level A/B in breast cancer
    assert "8 copies (FORMAT CN)" in str(erbb2.description)
    assert not any("Amplification" in str(n["molecular_profile"]) for n in analysis.not_assessed)
    assert analysis.to_json()["findings"][0]["event"] == "amplification"


def test_a_gain_below_the_amplification_cut_off_is_not_an_amplification(tmp_path, kb):
    path = write_sv_vcf(tmp_path / "gain.vcf", [ERBB2_GAIN])
    analysis = analyse_tumour(path, BREAST, knowledge=kb)
    assert not [f for f in analysis.findings if f.gene == "ERBB2"]
    assert "amplification here is at least 6 copies" in analysis.limitations[0]


def test_eml4_alk_breakends_in_lung_adenocarcinoma(tmp_path, kb, rows):
    path = write_sv_vcf(tmp_path / "alk.vcf", list(EML4_ALK_BND))
    analysis = analyse_tumour(path, LUNG_ADENOCARCINOMA, knowledge=kb)
    fusions = [f for f in analysis.findings if f.event == "fusion"]
    assert len(fusions) == 1  # the two mates are one event
    (fusion,) = fusions
    assert set(fusion.gene.split("::")) == {"EML4", "ALK"}
    assert civic_ids("EML4::ALK Fusion", rows) <= _ids(fusion)
    assert civic_ids("EML4::ALK e6::e20", rows) <= _ids(fusion)
    assert not civic_ids("EML4::ALK e20::e20", rows) & _ids(fusion)  # another junction
    assert fusion.tier == "Tier I"
    assert any("crizotinib" in str(e["therapies"]).lower() for e in fusion.evidence)
    assert not any("ALK" in str(n["molecular_profile"]) and "fusion" in str(n["reason"])
                   for n in analysis.not_assessed)  # fmt: skip


def test_without_cnv_or_sv_records_fusions_and_copy_number_stay_not_assessed(tmp_path, kb):
    analysis = analyse_tumour(write_lung_vcf(tmp_path / "lung.vcf"), LUNG_ADENOCARCINOMA,
                              knowledge=kb)  # fmt: skip
    reasons = {str(n["reason"]) for n in analysis.not_assessed}
    assert "fusion: the file has no breakend or inversion records" in reasons
    assert not any(f.event != "small variant" for f in analysis.findings)
    assert "no copy-number records" in analysis.limitations[0]


def test_real_tumour_cdkn2a_deletion(corpus_dir, kb, rows):
    """GIAB HG008-T (a pancreatic tumour; truvari's test file): its <DEL> at chr9:21,952,492-
    21,972,343 removes exons of CDKN2A, so CIViC's CDKN2A Deletion and Loss items apply."""
    path = corpus_dir / "e_sv_cnv" / "truvari__bnd.base.vcf.gz"
    analysis = analyse_tumour(path, "DOID:1793", knowledge=kb)  # pancreatic cancer
    assert analysis.fate["calls_structural"] == 158  # every BND/DEL/DUP/INV record is read
    (cdkn2a,) = [f for f in analysis.findings if f.gene == "CDKN2A"]
    assert (cdkn2a.event, cdkn2a.pos, cdkn2a.alt) == ("copy loss", 21952492, "<DEL>")
    assert civic_ids("CDKN2A Deletion", rows) | civic_ids("CDKN2A Loss", rows) <= _ids(cdkn2a)
    assert "breakend and inversion records" in analysis.limitations[1]
