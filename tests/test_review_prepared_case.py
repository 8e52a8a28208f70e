"""A new case made on a worker before the window opens it, and the review columns built
there: the window then only reads the case and shows the prepared frame."""

from __future__ import annotations

import hashlib

import pandas as pd

from pmviewer.core.model import CATEGORIES, Decision
from pmviewer.core.review import ReviewStore, prepare_case, with_review_columns

SHA = hashlib.sha256(b"a patient's file").hexdigest()


def test_a_prepared_case_is_the_one_opened_and_is_created_once(tmp_path):
    path = tmp_path / "cases" / "store.sqlite"
    prepare_case(path, SHA, "NA12878", ("patient.vcf.gz", "GRCh38", "2025.09"))
    prepare_case(path, SHA, "NA12878", ("patient.vcf.gz", "GRCh38", "2025.09"))  # no change
    with ReviewStore(path) as store:
        case = store.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "2025.09")
        created = [row for row in case.audit_log() if row.field == "case"]
        assert len(created) == 1 and "patient.vcf.gz" in str(created[0].new)
        assert store.find_case(SHA, "NA12878").case_id == case.case_id
        # a newer knowledge release is recorded by open_case, as for any case
        again = store.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "2026.01")
        assert again.case_id == case.case_id
        assert any(row.field == "knowledge_version" for row in again.audit_log())


def test_review_columns_carry_decisions_and_the_reviewed_category():
    frame = pd.DataFrame(
        {"finding_id": ["f1", "f2"], "category": ["reportable", "carrier"], "reason": ["", ""]}
    )
    reviewed = pd.DataFrame({"category": ["uncertain", "carrier"], "reason": ["override", ""]})
    decisions = {"f1": Decision("f1", decision="include", comment="seen in clinic")}
    shown = with_review_columns(frame, decisions, reviewed)
    assert shown["review_decision"].astype(str).tolist() == ["include", "undecided"]
    assert shown["review_comment"].tolist() == ["seen in clinic", ""]
    assert shown["category"].astype(str).tolist() == ["uncertain", "carrier"]
    assert list(shown["category"].cat.categories) == list(CATEGORIES)
    assert shown["reason"].tolist() == ["override", ""]
    plain = with_review_columns(frame, {})  # without a reviewed state: categories untouched
    assert plain["category"].tolist() == ["reportable", "carrier"]
    assert frame.columns.tolist() == ["finding_id", "category", "reason"]  # not changed
