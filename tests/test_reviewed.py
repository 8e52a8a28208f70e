"""One reviewed state per finding: the checklist, the report and the window's counts agree."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_patient import COMPLETE
from test_report_fixtures import (
    ATP7B,
    ATP7B_VUS,
    BRCA2,
    HFE_H63D,
    OTHER,
    SIGNED,
    atp7b_upgraded,
    make_findings,
)
from test_report_fixtures import frame as findings_frame

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import CATEGORY_LABELS, Decision
from pmviewer.core.patient import report_check
from pmviewer.core.review import (
    ReportSections,
    decided_counts,
    final_report_gaps,
    reviewed_findings,
)
from pmviewer.export.report_model import ReportOptions, build_report_model

TODAY = date(2026, 11, 30)

# ClinVar VCV 851448 (20250928 GRCh38 subset): ABCD1 c. A>G, Pathogenic, adrenoleukodystrophy.
# ABCD1's ACMG SF rule reports a heterozygous P/LP allele in a male, not in a female.
ABCD1 = {
    **ATP7B,
    "chrom": "chrX",
    "pos": 153725267,
    "ref": "A",
    "alt": "G",
    "var_id": "rs2091702389",
    "finding_id": "GRCh38:X:153725267:A:G",
    "kb_gene": "ABCD1",
    "classification": "Pathogenic",
    "review_status": "criteria provided, single submitter",
    "review_stars": 1,
    "clinvar_id": 851448,
    "condition": "Adrenoleukodystrophy",
    "inheritance": "XL",
    "report_rule": "PLP_HEMI_OR_HOM_OR_BIALLELIC_XL",
    "category": "reportable",
    "reason": "P/LP allele in a male",
    "kb_hgvs_c": None,
    "kb_hgvs_p": None,
    "quality_flags": [],
}
LAB_CALL = Decision(ABCD1["finding_id"], "undecided", "Likely pathogenic", "Lab reclassification")


def test_an_override_is_reclassified_with_the_analysis_sex_in_checklist_and_report():
    # analysed as male (inferred); the patient form says female: the two copies of the rule
    # used to disagree (the checklist called the overridden finding a carrier, the report
    # printed it as reportable)
    findings = make_findings([ABCD1], sex="M", sex_source="inferred")
    decisions = {ABCD1["finding_id"]: LAB_CALL}
    reviewed = reviewed_findings(findings.frame, decisions, findings.sex)
    assert reviewed["category"].tolist() == ["reportable"]

    problems = report_check(
        findings.frame, decisions, COMPLETE, SIGNED, analysis_sex="M",
        analysis_sex_source="inferred", today=TODAY,
    )  # fmt: skip
    assert problems[0].startswith("1 reportable finding has no decision yet")
    assert any("classified for a male patient" in p for p in problems)

    draft = build_report_model(findings, patient=COMPLETE, decisions=decisions)
    assert [f.section for f in draft.findings] == ["reportable"]
    with pytest.raises(PmviewerError, match="classified for a male patient"):
        build_report_model(findings, patient=COMPLETE, decisions=decisions, signoff=SIGNED)


def test_the_decided_count_follows_an_override_into_the_reportable_category():
    frame = findings_frame([ATP7B, ATP7B_VUS])
    decisions = atp7b_upgraded("include")
    before = reviewed_findings(frame, {}, "F")
    assert decided_counts(before, "reportable") == (0, 0)  # a carrier and a VUS
    after = reviewed_findings(frame, decisions, "F")
    # two P/LP alleles in a recessive gene: both become reportable, and both were decided
    assert after["category"].tolist() == ["reportable", "reportable"]
    assert after["analysis_category"].tolist() == ["carrier", "uncertain"]
    assert decided_counts(after, "reportable") == (2, 2)


CHOICES = st.sampled_from(["undecided", "include", "exclude"])
OVERRIDES = st.sampled_from([None, "Pathogenic", "Likely benign", "Uncertain significance"])


@settings(deadline=None, max_examples=60)
@given(
    choices=st.lists(st.tuples(CHOICES, OVERRIDES), min_size=4, max_size=4),
    carrier=st.booleans(),
    uncertain=st.booleans(),
)
def test_checklist_and_report_model_ask_for_the_same_decisions(choices, carrier, uncertain):
    rows = [BRCA2, ATP7B, HFE_H63D, OTHER]
    findings = make_findings(rows)
    # every decision carries the reviewer's comment: the reasons a final report asks for
    # (excluding a reportable finding, including a quality-flagged one) are not at issue here
    decisions = {
        row["finding_id"]: Decision(
            row["finding_id"], choice, override, "why" if override else None, "reviewed"
        )
        for row, (choice, override) in zip(rows, choices, strict=True)
    }
    sections = ReportSections(carrier, uncertain)
    options = ReportOptions(include_carrier=carrier, include_uncertain=uncertain)
    reviewed = reviewed_findings(findings.frame, decisions, findings.sex, sections)
    draft = build_report_model(findings, decisions=decisions, options=options)
    # the draft prints exactly the findings the reviewed state gives a section
    printed = {f.finding_id: f.section for f in draft.findings}
    expected = dict(zip(reviewed["finding_id"], reviewed["section"], strict=True))
    assert printed == {k: v for k, v in expected.items() if v is not None}

    optional = [n for n, on in (("carrier", carrier), ("uncertain", uncertain)) if on]
    problems = report_check(
        findings.frame, decisions, COMPLETE, SIGNED, analysis_sex=findings.sex,
        optional_sections=optional, today=TODAY,
    )  # fmt: skip
    checklist_pending = any("no decision yet" in p for p in problems)
    gaps = final_report_gaps(reviewed, SIGNED)
    assert checklist_pending == bool(gaps.undecided) == (draft.unreviewed_count > 0)
    if checklist_pending:
        with pytest.raises(PmviewerError, match="not yet reviewed"):
            build_report_model(
                findings, patient=COMPLETE, decisions=decisions, signoff=SIGNED, options=options
            )
    else:
        final = build_report_model(
            findings, patient=COMPLETE, decisions=decisions, signoff=SIGNED, options=options
        )
        assert final.status == "final"


def test_category_words_come_from_one_table():
    from pmviewer.export.report_model import FATE_LABELS

    for category in ("reportable", "carrier", "uncertain"):
        assert FATE_LABELS[category] == CATEGORY_LABELS[category]
