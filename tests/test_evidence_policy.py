"""Evidence policy on real ClinVar records of the knowledge file: stars, qualifiers, MH genes."""

from __future__ import annotations

import json

from safety_vcf import pick, record, write_vcf

from pmviewer.cli import main
from pmviewer.core.annotation import EvidencePolicy, annotate, qualifiers_of
from pmviewer.core.vcf import load


def _finding(tmp_path, kb, row, policy=None, gt="0/1"):
    path = write_vcf(tmp_path / "p.vcf", [record(row, gt=gt)])
    frame = annotate(load(path), kb, policy=policy).frame
    hits = frame[frame["clinvar_id"] == row["variation_id"]]
    assert len(hits) == 1
    return hits.iloc[0]


def test_qualifiers_read_from_clinvar_classification_text(clinvar38):
    texts = set(clinvar38["classification"].astype(str))
    assert qualifiers_of("Pathogenic|drug response") == ["drug response"]
    assert qualifiers_of("Pathogenic/Pathogenic, low penetrance; risk factor") == [
        "low penetrance",
        "risk factor",
    ]
    assert qualifiers_of("Likely pathogenic/Likely risk allele") == ["risk allele"]
    assert qualifiers_of("Pathogenic") == []
    qualified = {t for t in texts if qualifiers_of(t)}
    assert "Pathogenic|drug response" in qualified and "Pathogenic" not in qualified


def test_malignant_hyperthermia_drug_response_records_stay_reportable(tmp_path, kb, clinvar38):
    row = pick(
        clinvar38,
        "gene == 'RYR1' and classification.astype('str').str.contains('drug response')",
    )
    strict = EvidencePolicy(1, {"drug response": "exclude"})
    finding = _finding(tmp_path, kb, row, policy=strict)
    assert finding["category"] == "reportable"
    assert finding["clinvar_qualifier"] == "drug response"
    assert "own ACMG SF condition" in finding["reason"]
    assert "Malignant hyperthermia" in finding["reason"]


def test_qualified_records_follow_the_policy(tmp_path, kb, clinvar38):
    row = pick(
        clinvar38, "gene == 'TP53' and classification.astype('str').str.contains('low penetrance')"
    )
    default = _finding(tmp_path, kb, row)
    assert default["category"] == "uncertain"
    assert "qualifies this classification 'low penetrance'" in default["reason"]
    assert default["clinvar_qualifier"] == "low penetrance"
    reported = _finding(tmp_path, kb, row, policy=EvidencePolicy(1, {"low penetrance": "report"}))
    assert reported["category"] == "reportable"
    excluded = _finding(tmp_path, kb, row, policy=EvidencePolicy(1, {"low penetrance": "exclude"}))
    assert excluded["category"] == "other"
    risk = pick(
        clinvar38, "gene == 'HNF1A' and classification.astype('str').str.contains('risk allele')"
    )
    assert _finding(tmp_path, kb, risk)["category"] == "uncertain"


def test_minimum_stars(tmp_path, kb, clinvar38):
    row = pick(clinvar38, "gene == 'BRCA1' and category == 'plp' and stars == 0")
    assert _finding(tmp_path, kb, row)["category"] == "uncertain"
    assert "below the evidence policy's minimum of 1" in _finding(tmp_path, kb, row)["reason"]
    assert _finding(tmp_path, kb, row, policy=EvidencePolicy(0))["category"] == "reportable"
    three = pick(clinvar38, "gene == 'BRCA1' and category == 'plp' and stars == 2")
    assert _finding(tmp_path, kb, three, policy=EvidencePolicy(3))["category"] == "uncertain"


def test_hfe_rule_names_its_variant_so_qualifiers_do_not_demote_it(tmp_path, kb, clinvar38):
    c282y = pick(clinvar38, "gene == 'HFE' and hgvs_p.fillna('').str.contains('Cys282Tyr')")
    finding = _finding(tmp_path, kb, c282y, gt="1/1")
    assert finding["category"] == "reportable"
    assert finding["clinvar_qualifier"] == "low penetrance; risk factor"


def test_all_plp_rule_of_a_recessive_gene_shows_the_source_note(tmp_path, kb, clinvar38):
    note = kb.gene_conditions().query("gene == 'TRDN'")["notes"].iloc[0]
    row = pick(clinvar38, "gene == 'TRDN' and category == 'plp' and stars >= 1")
    finding = _finding(tmp_path, kb, row)
    assert finding["category"] == "reportable"
    assert note in finding["reason"]


def test_cli_flags_and_json(tmp_path, capsys, kb, clinvar38):
    row = pick(clinvar38, "gene == 'BRCA1' and category == 'plp' and stars == 0")
    path = write_vcf(tmp_path / "p.vcf", [record(row)])
    assert main(["annotate", str(path), "--min-stars", "0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (finding,) = [f for f in doc["findings"] if f["clinvar_id"] == row["variation_id"]]
    assert finding["category"] == "reportable" and "clinvar_qualifier" in finding
    assert doc["evidence_policy"]["min_stars"] == 0
    assert any("0 star(s)" in line for line in doc["evidence_policy"]["description"])
    assert main(["annotate", str(path), "--qualifier", "penetrance=maybe"]) == 2
    assert "--qualifier 'penetrance=maybe' is not understood" in capsys.readouterr().err
