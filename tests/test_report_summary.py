"""Page 1 beside a positive result: a gene with a finding is not called "not assessed"."""

from __future__ import annotations

from test_report_fixtures import BRCA2, FIXED_TIME, LAB, PATIENT, make_findings

from pmviewer.export.report_model import build_report_model

ASSESSMENT = {
    "file_kind": "reference",
    "min_depth": 15,
    "genes": [
        {"gene": "BRCA2", "status": "partial", "reason": "0% of MANE Select exons at depth >= 15 covered"},
        {"gene": "APC", "status": "not_assessed", "reason": "no data in the file for this gene at depth >= 15"},
        {"gene": "TP53", "status": "assessed"},
    ],
}  # fmt: skip


def test_a_gene_with_a_finding_is_said_to_be_partly_covered_not_unassessed():
    findings = make_findings([BRCA2], assessment=ASSESSMENT)
    model = build_report_model(
        findings, patient=PATIENT, lab=LAB, generated_at=FIXED_TIME, software_version="0.1.0"
    )
    assert model.summary.startswith("POSITIVE: 1 reportable finding identified in 1 gene (BRCA2)")
    detail = model.summary_detail
    assert "1 other gene not assessed: APC (no data in the file" in detail
    assert "BRCA2 0%" not in detail
    assert "BRCA2: the finding was called, but the rest of the gene is not fully covered" in detail
