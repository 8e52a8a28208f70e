"""Sign-off locks a case; amendments unlock it with a reason and list changes in words;
the audit trail records every change and refuses edits."""

from __future__ import annotations

import getpass
import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from pmviewer.core.model import PatientDetails
from pmviewer.core.review.store import CaseLocked, ReviewStore, ReviewValueError, SignOffError

BRCA2 = "GRCh38:13:32379416:ATGGAATC:A"
MLH1 = "GRCh38:3:37017597:C:T"
LABELS = {BRCA2: "BRCA2 g.32379419_32379425del", MLH1: "MLH1 g.37017597C>T"}
SHA = hashlib.sha256(b"##fileformat=VCFv4.2\n").hexdigest()


@pytest.fixture
def store():
    with ReviewStore() as s:
        yield s


@pytest.fixture
def case(store):
    c = store.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "kb-1")
    c.set_labels(LABELS)
    return c


def approve(case) -> str:
    case.sign_review("Ana Reviewer", "MS, CGC")
    return case.approve("Ben Director", "PhD, FACMG")


def test_approval_needs_a_signed_review_and_names(case):
    with pytest.raises(SignOffError, match="reviewer signs first"):
        case.approve("Ben Director", "PhD")
    with pytest.raises(SignOffError, match="reviewer's name"):
        case.sign_review("  ", "MS")
    case.sign_review("Ana Reviewer", "MS, CGC")
    with pytest.raises(SignOffError, match="approver's name"):
        case.approve("", "PhD")
    assert case.status == "draft"
    assert case.approve("Ben Director", "PhD, FACMG") == "final"
    signoff = case.signoff()
    assert (signoff.status, signoff.reviewer, signoff.approver) == (
        "final",
        "Ana Reviewer",
        "Ben Director",
    )
    assert signoff.reviewer_credentials == "MS, CGC"
    assert signoff.approved_at and signoff.reviewed_at


def test_final_case_is_locked_against_every_change(case):
    case.set_decision(BRCA2, "include")
    case.set_patient(PatientDetails(name="Pat"))
    assert approve(case) == "final"
    assert case.locked
    snapshot = (case.decisions(), case.patient(), case.signoff(), len(case.audit_log()))
    attempts = [
        lambda: case.set_decision(BRCA2, "exclude"),
        lambda: case.set_decisions([BRCA2, MLH1], "exclude"),
        lambda: case.set_override(BRCA2, "Benign", "typo"),
        lambda: case.set_comment(BRCA2, "late thought"),
        lambda: case.set_patient(PatientDetails(name="Other")),
        lambda: case.sign_review("Someone", "MD"),
        lambda: case.approve("Someone", "MD"),
    ]
    for attempt in attempts:
        with pytest.raises(CaseLocked, match="amendment"):
            attempt()
    assert (case.decisions(), case.patient(), case.signoff(), len(case.audit_log())) == snapshot


def test_amendment_flow_records_changes_in_words_and_ends_amended(store, case):
    case.set_decision(BRCA2, "include")
    case.set_decision(MLH1, "include")
    approve(case)
    with pytest.raises(ReviewValueError, match="reason"):
        case.start_amendment("   ")

    amendment = case.start_amendment("ClinVar reclassified the MLH1 variant")
    assert amendment.reason == "ClinVar reclassified the MLH1 variant"
    assert case.status == "draft" and case.amendment_open and not case.locked
    assert case.signoff().approver == ""  # the old approval no longer covers the content

    case.set_decision(MLH1, "exclude")
    case.set_override(MLH1, "Uncertain significance", "Reclassified in ClinVar 2026-09")
    case.set_comment(BRCA2, "Confirmed by Sanger")
    case.set_patient(PatientDetails(date_of_birth="1975-06-01"))
    assert case.approve("Ben Director", "PhD") == "amended"
    assert case.locked and not case.amendment_open

    with ReviewStore() as again:  # survives reopening
        reopened = again.open_case(SHA, "NA12878", "patient.vcf.gz", "GRCh38", "kb-1")
        signoff = reopened.signoff()
    assert signoff.status == "amended"
    assert len(signoff.amendments) == 1
    assert signoff.amendments[0].reason == "ClinVar reclassified the MLH1 variant"
    assert signoff.amendments[0].changes == [
        "MLH1 g.37017597C>T: decision include -> exclude",
        "MLH1 g.37017597C>T: classification as in the knowledge base -> Uncertain "
        'significance (reason: "Reclassified in ClinVar 2026-09")',
        'BRCA2 g.32379419_32379425del: comment (none) -> "Confirmed by Sanger"',
        'Patient date of birth: (none) -> "1975-06-01"',
    ]

    # a second amendment keeps the first and collects its own changes
    case.start_amendment("Typo in comment")
    case.set_comment(BRCA2, "Confirmed by Sanger sequencing")
    case.approve("Ben Director", "PhD")
    amendments = case.signoff().amendments
    assert [len(a.changes) for a in amendments] == [4, 1]
    assert amendments[1].changes[0].startswith("BRCA2 g.32379419_32379425del: comment")


def test_only_an_approved_case_can_be_amended(case):
    with pytest.raises(SignOffError, match="still a draft"):
        case.start_amendment("why not")


def test_every_change_writes_audit_rows_with_utc_time_and_os_user(case):
    start = datetime.now(timezone.utc) - timedelta(seconds=2)
    case.set_decision(BRCA2, "include")
    case.set_override(BRCA2, "Likely pathogenic", "PS4")
    case.set_comment(BRCA2, "note")
    case.set_patient(PatientDetails(name="Pat", mrn="M1"))
    approve(case)
    rows = case.audit_log()
    user = getpass.getuser()
    assert rows and all(r.os_user == user for r in rows)
    for r in rows:
        when = datetime.fromisoformat(r.time)
        assert when.utcoffset() == timedelta(0)
        assert start <= when <= datetime.now(timezone.utc) + timedelta(seconds=2)
    changes = [(r.finding_id, r.field, r.old, r.new) for r in rows]
    assert changes[0][1] == "case"  # creation
    assert changes[1:6] == [
        (BRCA2, "decision", "undecided", "include"),
        (BRCA2, "classification_override", None, "Likely pathogenic"),
        (BRCA2, "override_reason", None, "PS4"),
        (BRCA2, "comment", "", "note"),
        (None, "patient.name", "", "Pat"),
    ]
    assert (None, "patient.mrn", "", "M1") in changes
    assert (None, "status", "draft", "final") == changes[-1]


def test_audit_and_amendment_notes_refuse_update_and_delete(store, case):
    case.set_decision(BRCA2, "include")
    approve(case)
    case.start_amendment("reason")
    case.set_decision(BRCA2, "exclude")
    other = sqlite3.connect(store.path)  # a separate connection: the file itself refuses
    try:
        for sql in (
            "UPDATE audit SET new = 'exclude' WHERE field = 'decision'",
            "DELETE FROM audit",
            "UPDATE amendment_changes SET text = 'nothing'",
            "DELETE FROM amendment_changes",
            "DELETE FROM amendments",
            "UPDATE amendments SET reason = 'other'",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only|only be closed"):
                other.execute(sql)
        other.rollback()
    finally:
        other.close()
    assert [r.new for r in case.audit_log() if r.field == "decision"] == ["include", "exclude"]
    assert case.signoff().amendments[0].changes  # still there


def test_amending_only_the_reason_is_noted_as_such(case):
    case.set_override(MLH1, "Pathogenic", "PVS1")
    approve(case)
    case.start_amendment("Evidence code corrected")
    case.set_override(MLH1, "Pathogenic", "PS1, PM2")
    case.set_override(MLH1, None, "")
    case.approve("Ben Director", "PhD")
    assert case.signoff().amendments[0].changes == [
        'MLH1 g.37017597C>T: reason for classification "PVS1" -> "PS1, PM2"',
        "MLH1 g.37017597C>T: classification Pathogenic -> as in the knowledge base",
    ]
    fields = [(r.field, r.old, r.new) for r in case.audit_log() if r.finding_id == MLH1]
    assert fields[-3:] == [
        ("override_reason", "PVS1", "PS1, PM2"),
        ("classification_override", "Pathogenic", None),
        ("override_reason", "PS1, PM2", None),
    ]


def test_report_options_are_saved_locked_and_amended_like_any_change(case):
    assert case.report_options() == {"include_carrier": False, "include_uncertain": False}
    assert case.set_report_options(include_carrier=True) == ["include_carrier"]
    assert case.set_report_options(include_carrier=True) == []
    with pytest.raises(ReviewValueError, match="not a report option"):
        case.set_report_options(include_pgx=True)
    approve(case)
    with pytest.raises(CaseLocked):
        case.set_report_options(include_uncertain=True)
    case.start_amendment("Add the uncertain findings")
    case.set_report_options(include_uncertain=True)
    case.approve("Ben Director", "PhD")
    assert case.report_options() == {"include_carrier": True, "include_uncertain": True}
    assert case.signoff().amendments[0].changes == [
        "Report uncertain findings section: not included -> included"
    ]
    assert ("include_carrier", "False", "True") in [
        (r.field, r.old, r.new) for r in case.audit_log()
    ]
