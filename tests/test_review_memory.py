"""Cross-patient memory: earlier decisions on a variant, without patient identifiers."""

from __future__ import annotations

import hashlib

import pytest

from pmviewer.core.model import PatientDetails
from pmviewer.core.review.memory import query_plan
from pmviewer.core.review.store import ReviewStore, ReviewValueError

MLH1 = "GRCh38:3:37017597:C:T"
TTN = "GRCh38:2:178741025:C:A"


@pytest.fixture
def store():
    with ReviewStore() as s:
        yield s


def patient_case(store: ReviewStore, n: int):
    sha = hashlib.sha256(f"patient {n}".encode()).hexdigest()
    case = store.open_case(sha, f"SAMPLE{n}", f"family{n}.vcf.gz", "GRCh38", "kb-1")
    case.set_patient(PatientDetails(name=f"Patient Number{n}", mrn=f"MRN-00{n}"))
    return case


def test_earlier_decisions_come_from_other_cases_newest_first(store):
    first, second, third, current = (patient_case(store, n) for n in range(4))
    first.set_decision(MLH1, "include")
    first.set_comment(MLH1, "Lynch syndrome referral")
    second.set_override(MLH1, "Likely pathogenic", "PM2, PS4 in local cohort")
    third.set_decision(MLH1, "undecided")  # touched but says nothing: not shown
    third.set_decisions([TTN], "exclude")
    current.set_decision(MLH1, "exclude")  # the case being reviewed is left out
    # make the order independent of the clock's one-second resolution
    store.connection.execute(
        "UPDATE decisions SET updated_at = '2025-01-02T10:00:00+00:00' WHERE case_id = ?",
        (first.case_id,),
    )

    earlier = current.earlier_decisions(MLH1)
    assert [(e.classification_override, e.decision, e.comment) for e in earlier] == [
        ("Likely pathogenic", "undecided", ""),
        (None, "include", "Lynch syndrome referral"),
    ]
    assert earlier[0].override_reason == "PM2, PS4 in local cohort"
    assert earlier[1].date == "2025-01-02"
    assert all(e.case_status == "draft" for e in earlier)
    assert store.earlier_decisions(MLH1, exclude_case=None)[0].decision in ("exclude", "undecided")
    assert len(store.earlier_decisions(MLH1)) == 3
    assert store.earlier_decisions("GRCh38:1:1:A:G", exclude_case=current) == []


def test_earlier_decisions_carry_no_patient_identifiers(store):
    cases = [patient_case(store, n) for n in range(3)]
    for case in cases[:2]:
        case.set_decision(TTN, "include")
        case.set_comment(TTN, "Confirmed")
    earlier = cases[2].earlier_decisions(TTN)
    assert len(earlier) == 2
    text = repr(earlier)
    for case in cases:
        info = case.info
        patient = case.patient()
        for identifier in (info.sha256, info.sample, info.input_name, patient.name, patient.mrn):
            assert identifier not in text
    assert all(len(e.date) == 10 for e in earlier)  # a day, not a time of day


def test_status_of_the_earlier_case_is_shown(store):
    signed, current = patient_case(store, 1), patient_case(store, 2)
    signed.set_decision(TTN, "include")
    signed.sign_review("R", "")
    signed.approve("A", "")
    assert [e.case_status for e in current.earlier_decisions(TTN)] == ["final"]


def test_lookup_is_an_index_seek(store):
    plan = query_plan(store.connection)
    assert "USING INDEX decisions_by_finding (finding_id=?)" in plan
    assert "SCAN d" not in plan


def test_an_earlier_classification_can_be_reused_with_its_origin(store):
    earlier_case, current = patient_case(store, 1), patient_case(store, 2)
    earlier_case.set_override(MLH1, "Likely pathogenic", "PS4")
    earlier_case.set_comment(TTN, "only a comment")
    (earlier,) = current.earlier_decisions(MLH1)
    assert current.reuse_classification(MLH1, earlier)
    d = current.decision(MLH1)
    assert d.classification_override == "Likely pathogenic"
    assert d.override_reason == f"As classified in an earlier case on {earlier.date}: PS4"
    (comment_only,) = current.earlier_decisions(TTN)
    with pytest.raises(ReviewValueError, match="no classification to reuse"):
        current.reuse_classification(TTN, comment_only)
